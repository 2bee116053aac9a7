export { writeFileAtomic, AtomicWriteError } from './atomic-write.js';
export type { AtomicFs, WriteFileAtomicOptions } from './atomic-write.js';
export { JsonStore, fileStamp } from './json-store.js';
export type { JsonStoreOptions, LoadResult, LogLevel, Migration } from './json-store.js';
export { withFileLock, LockTimeoutError } from './lock.js';
export type { FileLockOptions } from './lock.js';
export { resolveHome, appPaths, runtimeDir, runtimeDirPath, socketPath } from './paths.js';
export type { AppPaths, ResolveHomeOptions, RuntimeDirOptions, SocketPathOptions } from './paths.js';
