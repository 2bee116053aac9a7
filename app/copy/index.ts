// The verified copy engine: copies a folder tree on a pool of worker threads, verifying every file
// by SHA-512, with a manifest that makes re-runs incremental. Run by `mytimer copy` and, through
// app/workers/jobs, by the daemon's scheduled jobs. See README "mytimer copy".
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
export { FAILURE_REASONS } from './messages.js';
export type { FailureReason, TaskOutcome } from './messages.js';
