import type { JobProgress, JobResult, JobView } from '../../shared/contract.js';
import type { Job } from '../../shared/settings.js';
import type { FireEvent, Scheduler, TaskProgress } from '../scheduler/index.js';
import { syncTasks, type TaskPayload } from '../tasks.js';
import { JobRunner, type StartedJob } from './runner.js';

/** How many past runs of each job are kept (state.json) and shown by `job history`. */
export const HISTORY_PER_JOB = 20;

const TASK_PREFIX = 'job:';
export const jobTaskId = (jobId: string): string => `${TASK_PREFIX}${jobId}`;

export type StartJob = (job: Job) => StartedJob<JobResult, JobProgress>;

export interface JobsManagerOptions {
  scheduler: () => Scheduler<TaskPayload>;
  jobs: () => readonly Job[];
  startJob: StartJob;
  concurrency: number;
  now: () => number;
  history?: Record<string, JobResult[]>;
  /** A job's phases, for hosts (tray, settings window, `mytimer run`). */
  onEvent: (event: {
    id: string;
    phase: 'queued' | 'started' | 'progress' | 'finished';
    progress?: JobProgress;
    result?: JobResult;
  }) => void;
  /** A scheduled run finished: the daemon turns it into one notification. */
  onFinished: (job: Job, result: JobResult) => void;
}

/**
 * Background jobs: scheduled like reminders (same scheduler, same ordering), then run by the
 * JobRunner at most `concurrency` at a time. Keeps each job's recent results.
 */
export class JobsManager {
  readonly #options: JobsManagerOptions;
  readonly #runner: JobRunner<Job, JobResult, JobProgress>;
  readonly #history: Record<string, JobResult[]>;
  readonly #progress = new Map<string, JobProgress>();
  readonly #startedAt = new Map<string, number>();

  constructor(options: JobsManagerOptions) {
    this.#options = options;
    this.#history = structuredClone(options.history ?? {});
    this.#runner = new JobRunner<Job, JobResult, JobProgress>({
      concurrency: options.concurrency,
      start: (job) => options.startJob(job),
    });
    this.#runner.on('queued', ({ jobId }) => options.onEvent({ id: jobId, phase: 'queued' }));
    this.#runner.on('start', ({ jobId }) => {
      this.#startedAt.set(jobId, options.now());
      options.onEvent({ id: jobId, phase: 'started' });
    });
    this.#runner.on('progress', ({ jobId, progress }) => {
      this.#progress.set(jobId, progress);
      options.onEvent({ id: jobId, phase: 'progress', progress });
    });
    this.#runner.on('finish', ({ jobId, job, result, error, cancelled }) => {
      this.#progress.delete(jobId);
      const startedAt = this.#startedAt.get(jobId) ?? options.now();
      this.#startedAt.delete(jobId);
      const final = result ?? failedRun(jobId, startedAt, options.now(), cancelled, error);
      const kept = (this.#history[jobId] ??= []);
      kept.push(final);
      if (kept.length > HISTORY_PER_JOB) kept.splice(0, kept.length - HISTORY_PER_JOB);
      options.onEvent({ id: jobId, phase: 'finished', result: final });
      options.onFinished(job, final);
    });
  }

  set concurrency(value: number) {
    this.#runner.concurrency = value;
  }

  /** Brings the scheduler's job tasks in line with the settings (as for reminders). */
  sync(progress: Readonly<Record<string, TaskProgress>> = {}): void {
    syncTasks(
      this.#options.scheduler(),
      'job',
      this.#options.jobs().map((job) => ({
        id: jobTaskId(job.id),
        name: job.name ?? job.id,
        priority: job.priority,
        schedule: job.schedule,
        payload: { kind: 'job', jobId: job.id },
        enabled: job.enabled,
        ...(progress[job.id] && { progress: progress[job.id] }),
      })),
    );
  }

  /** A job task came due: queue it by (due, priority, first-come). */
  onFire(event: FireEvent<TaskPayload>): void {
    if (event.payload?.kind !== 'job') return;
    const jobId = event.payload.jobId;
    const job = this.#options.jobs().find((j) => j.id === jobId);
    if (job) this.#runner.enqueue(job.id, job, job.priority, event.dueAt);
  }

  /** Runs a job now (it still waits its turn if others are running). False when already queued or running. */
  runNow(job: Job): boolean {
    return this.#runner.enqueue(job.id, job, job.priority, this.#options.now());
  }

  cancel(jobId: string): boolean {
    return this.#runner.cancel(jobId);
  }

  history(jobId?: string): JobResult[] {
    const all = jobId ? (this.#history[jobId] ?? []) : Object.values(this.#history).flat();
    return [...all].sort((a, b) => a.startedAt - b.startedAt);
  }

  forget(jobId: string): void {
    this.#runner.cancel(jobId);
    delete this.#history[jobId];
  }

  /** The jobs running now and since when, for state.json. */
  runningSince(): Record<string, { startedAt: number }> {
    return Object.fromEntries([...this.#startedAt].map(([jobId, startedAt]) => [jobId, { startedAt }]));
  }

  /** Records a run the daemon did not see end (it was killed): kept in history as `interrupted`. */
  recordInterrupted(jobId: string, startedAt: number): JobResult {
    const result: JobResult = {
      ...failedRun(jobId, startedAt, this.#options.now(), false, null),
      outcome: 'interrupted',
      error: null,
    };
    const kept = (this.#history[jobId] ??= []);
    kept.push(result);
    if (kept.length > HISTORY_PER_JOB) kept.splice(0, kept.length - HISTORY_PER_JOB);
    return result;
  }

  snapshotHistory(): Record<string, JobResult[]> {
    return structuredClone(this.#history);
  }

  view(job: Job): JobView {
    const state = this.#runner.running().includes(job.id)
      ? 'running'
      : this.#runner.isActive(job.id)
        ? 'queued'
        : 'idle';
    const task = this.#options.scheduler().get(jobTaskId(job.id));
    const past = this.#history[job.id];
    return {
      ...job,
      displayName: job.name ?? job.id,
      state,
      nextDueAt: task?.nextDueAt ?? null,
      progress: this.#progress.get(job.id) ?? null,
      lastResult: past?.[past.length - 1] ?? null,
    };
  }

  stopAll(): Promise<void> {
    return this.#runner.stopAll();
  }
}

function failedRun(
  jobId: string,
  startedAt: number,
  finishedAt: number,
  cancelled: boolean,
  error: Error | null,
): JobResult {
  return {
    jobId,
    startedAt,
    finishedAt,
    seconds: (finishedAt - startedAt) / 1000,
    outcome: cancelled ? 'cancelled' : 'error',
    filesCopied: 0,
    filesSkipped: 0,
    filesFailed: 0,
    bytesCopied: 0,
    failures: [],
    error: cancelled ? null : (error?.message ?? 'unknown error'),
  };
}
