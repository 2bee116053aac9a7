import type { JobProgress, JobResult } from '../../shared/contract.js';
import type { Job } from '../../shared/settings.js';
import {
  startCopy,
  type CopyJob,
  type CopyJobOptions,
  type CopyProgress,
  type CopyResult,
} from '../../copy/index.js';
import type { StartedJob } from './runner.js';

/** How many failures a job's result keeps (state.json holds the last 20 runs of every job). */
const FAILURES_KEPT = 50;

export function toJobProgress(progress: CopyProgress): JobProgress {
  return {
    filesDone: progress.filesDone,
    filesTotal: progress.filesTotal,
    bytesDone: progress.bytesDone,
    bytesTotal: progress.bytesTotal,
    bytesPerSecond: progress.bytesPerSecond,
    etaSeconds: progress.etaMs === null ? null : progress.etaMs / 1000,
  };
}

export function toJobResult(
  jobId: string,
  result: CopyResult,
  startedAt: number,
  finishedAt: number,
): JobResult {
  return {
    jobId,
    startedAt,
    finishedAt,
    seconds: result.elapsedMs / 1000,
    outcome: result.outcome,
    filesCopied: result.copied,
    filesSkipped: result.skipped,
    filesFailed: result.failures.length,
    ...(result.verifyOnly && { filesVerified: result.verified }),
    bytesCopied: result.bytesCopied,
    failures: result.failures.slice(0, FAILURES_KEPT).map((f) => ({ path: f.path, reason: f.reason })),
    error: result.manifestError === null ? null : `could not write the manifest: ${result.manifestError}`,
  };
}

/**
 * Runs a scheduled job on the verified-copy engine, in the shape the JobRunner expects: a `copy`
 * job copies; a `verify` job re-reads the destination against its manifest (verify-only), which
 * marks a damaged copy for the next copy run.
 * `start` is injectable so tests can stand in for the engine or pass it options (`extra`).
 */
export function startCopyJob(
  job: Job,
  {
    now = Date.now,
    start = startCopy,
    extra = {},
  }: { now?: () => number; start?: (o: CopyJobOptions) => CopyJob; extra?: Partial<CopyJobOptions> } = {},
): StartedJob<JobResult, JobProgress> {
  const startedAt = now();
  if (job.kind === 'copy' && job.source === undefined) {
    return {
      result: Promise.reject(new Error('a copy job needs a source folder')),
      cancel: () => undefined,
      onProgress: () => undefined,
    };
  }
  const copy = start({
    // Verify-only reads no source: the manifest says where the copy came from.
    source: job.source ?? job.destination,
    destination: job.destination,
    verifyOnly: job.kind === 'verify',
    ...(job.workers !== undefined && { workers: job.workers }),
    ...extra,
  });
  return {
    result: copy.result.then((result) => toJobResult(job.id, result, startedAt, now())),
    cancel: () => void copy.cancel(),
    onProgress: (listener) => void copy.onProgress((progress) => listener(toJobProgress(progress))),
  };
}
