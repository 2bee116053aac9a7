// Scheduled jobs: the bounded runner, the daemon's manager, and the copy engine (app/copy) in the
// runner's shape.
export { JobRunner } from './runner.js';
export type { StartedJob, JobRunnerEvents } from './runner.js';
export { JobsManager, jobTaskId, HISTORY_PER_JOB } from './manager.js';
export type { StartJob, JobsManagerOptions } from './manager.js';
export { startCopyJob, toJobProgress, toJobResult } from './copy-as-job.js';
