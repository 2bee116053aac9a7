import type { ErrorBody } from '../../shared/contract.js';
import { CatalogError, ValidationError } from '../../shared/errors.js';

/** A request for something that is not there (a reminder or timer id). */
export class NotFoundError extends CatalogError {
  override readonly name = 'NotFoundError';
}

/** A request that would silently undo something running (a second `pomodoro.start`). */
export class ConflictError extends CatalogError {
  override readonly name = 'ConflictError';
}

/** Runs an engine call whose ValidationError names a request parameter, naming it as `params.<field>`. */
export function inParams<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw error instanceof ValidationError ? error.within('params') : error;
  }
}

/** The error reply for what a handler threw: bad input names its field; anything unexpected is `internal`. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ValidationError)
    return { code: 'invalid', field: error.field, message: error.reason, ...error.text };
  if (error instanceof NotFoundError) return { code: 'not-found', message: error.message, ...error.text };
  if (error instanceof ConflictError) return { code: 'conflict', message: error.message, ...error.text };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
