export { writeFileAtomic, AtomicWriteError } from '../../shared/atomic-write.js';
export type { AtomicFs, WriteFileAtomicOptions } from '../../shared/atomic-write.js';
export { JsonStore, fileStamp } from './json-store.js';
export type { JsonStoreOptions, LoadResult, LogLevel, Migration } from './json-store.js';
export { acquireFileLock, withFileLock, LockTimeoutError } from '../../shared/file-lock.js';
export type { FileLockOptions, HeldLock } from '../../shared/file-lock.js';
// The path logic is shared with Electron main and the CLI (app/shared/paths.ts); the daemon takes it from here.
export { resolveHome, appPaths, runtimeDir, runtimeDirPath, socketPath } from '../../shared/paths.js';
export type {
  AppPaths,
  ResolveHomeOptions,
  RuntimeDirOptions,
  SocketPathOptions,
} from '../../shared/paths.js';
export { openSettingsStore, openStateStore, stateSchema, emptyState, STATE_VERSION } from './documents.js';
export type { DaemonState } from './documents.js';
export { watchFile } from './watch.js';
export type { WatchFileOptions } from './watch.js';
