/**
 * The daemon's service: a thin DaemonService (parse, dispatch, status, close) over handlers per
 * area, typed by the contract's method table, with persistence and views beside them.
 */
export { DaemonService } from './service.js';
export type { ServiceEvents } from './service.js';
export type { ServiceOptions } from './context.js';
export { ConflictError, NotFoundError } from './errors.js';
