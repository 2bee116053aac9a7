export { startControlServer, isNamedPipe } from './socket-server.js';
export type { ControlLimits, ControlServer, ControlServerOptions, LogLevel } from './socket-server.js';
export { AlreadyRunningError, SocketPathOccupiedError } from './errors.js';
export { LineSplitter, MAX_LINE_BYTES, encodeLine } from '../../shared/lines.js';
export type { SplitResult } from '../../shared/lines.js';
