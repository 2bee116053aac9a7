// The copy job: copies a folder tree on a pool of worker threads, verifying every file by SHA-512,
// with a manifest that makes re-runs incremental. See README "mytimer copy".
export { startCopy, defaultWorkerUrl } from './copy-job.js';
export { resolveCopyInput, defaultWorkerCount, WORKERS_MIN, WORKERS_MAX } from './copy-input.js';
export type { CopyRequest, CopyInput } from './copy-input.js';
export type {
  CopyJob,
  CopyJobEvents,
  CopyJobOptions,
  CopyPhase,
  CopyProgress,
  CopyResult,
  CopyFailure,
  CopyWarning,
  CopyFileEvent,
} from './job-types.js';
export { MANIFEST_NAME, MANIFEST_FORMAT, MANIFEST_VERSION, readManifest, ManifestError } from './manifest.js';
export type { Manifest, ManifestEntry } from './manifest.js';
export { copyFaultsSchema } from './protocol.js';
export type { CopyFaults, FailureReason, TaskOutcome } from './protocol.js';
// Scheduled jobs: the bounded runner, the daemon's manager, and the copy engine in the runner's shape.
export { JobRunner } from './runner.js';
export type { StartedJob, JobRunnerEvents } from './runner.js';
export { JobsManager, jobTaskId, HISTORY_PER_JOB } from './manager.js';
export type { StartJob, JobsManagerOptions } from './manager.js';
export { startCopyJob, toJobProgress, toJobResult } from './copy-as-job.js';
