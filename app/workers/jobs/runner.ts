import { EventEmitter } from 'node:events';
import { StableQueue } from '../scheduler/index.js';

/** A job once started: its outcome, a way to stop it, and (optionally) progress reports. */
export interface StartedJob<R, Progress> {
  readonly result: Promise<R>;
  cancel(): void;
  onProgress?(listener: (progress: Progress) => void): void;
}

export interface JobRunnerEvents<J, R, Progress> {
  queued: [{ jobId: string; job: J; position: number }];
  start: [{ jobId: string; job: J }];
  progress: [{ jobId: string; progress: Progress }];
  finish: [{ jobId: string; job: J; result: R | null; error: Error | null; cancelled: boolean }];
}

interface Waiting<J> {
  jobId: string;
  job: J;
}

/**
 * The bounded producer/consumer the jobs run on: due jobs wait in a stable priority queue ordered
 * by (due time, priority 1…20, first-come) and at most `concurrency` run at once. A job already
 * queued or running is not queued again (a slow backup never piles up behind itself).
 */
export class JobRunner<J, R, Progress = unknown> extends EventEmitter<JobRunnerEvents<J, R, Progress>> {
  readonly #queue = new StableQueue<Waiting<J>>();
  readonly #running = new Map<string, { job: J; started: StartedJob<R, Progress>; cancelled: boolean }>();
  readonly #start: (job: J, jobId: string) => StartedJob<R, Progress>;
  #concurrency: number;

  constructor(options: { concurrency?: number; start: (job: J, jobId: string) => StartedJob<R, Progress> }) {
    super();
    this.#start = options.start;
    this.#concurrency = checkConcurrency(options.concurrency ?? 1);
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  set concurrency(value: number) {
    this.#concurrency = checkConcurrency(value);
    this.#pump();
  }

  /** Ids of the jobs running now. */
  running(): string[] {
    return [...this.#running.keys()];
  }

  /** Ids of the waiting jobs, in the order they will start. */
  waiting(): string[] {
    return this.#queue.toSortedArray().map((w) => w.jobId);
  }

  isActive(jobId: string): boolean {
    return this.#running.has(jobId) || this.#queue.has(jobId);
  }

  /** Queues a due job; false when it is already waiting or running. Starts it at once if a slot is free. */
  enqueue(jobId: string, job: J, priority: number, dueAt: number): boolean {
    if (this.isActive(jobId)) return false;
    this.#queue.push(jobId, dueAt, priority, { jobId, job });
    this.emit('queued', { jobId, job, position: this.waiting().indexOf(jobId) });
    this.#pump();
    return true;
  }

  /** Cancels a waiting job (it never starts) or a running one (its `cancel()`); false when unknown. */
  cancel(jobId: string): boolean {
    const waiting = this.#queue.get(jobId);
    if (waiting && this.#queue.remove(jobId)) {
      this.emit('finish', { jobId, job: waiting.job, result: null, error: null, cancelled: true });
      return true;
    }
    const running = this.#running.get(jobId);
    if (!running) return false;
    running.cancelled = true;
    running.started.cancel();
    return true;
  }

  /** Cancels everything and waits for the running jobs to settle (daemon shutdown). */
  async stopAll(): Promise<void> {
    for (const jobId of this.waiting()) this.cancel(jobId);
    const settling = [...this.#running.values()].map((r) => r.started.result.catch(() => undefined));
    for (const jobId of this.running()) this.cancel(jobId);
    await Promise.all(settling);
  }

  #pump(): void {
    while (this.#running.size < this.#concurrency && this.#queue.size > 0) {
      const { jobId, job } = this.#queue.pop() as Waiting<J>;
      let started: StartedJob<R, Progress>;
      try {
        started = this.#start(job, jobId);
      } catch (error) {
        this.emit('finish', { jobId, job, result: null, error: asError(error), cancelled: false });
        continue;
      }
      const entry = { job, started, cancelled: false };
      this.#running.set(jobId, entry);
      started.onProgress?.((progress) => this.emit('progress', { jobId, progress }));
      this.emit('start', { jobId, job });
      started.result.then(
        (result) => this.#finished(jobId, result, null),
        (error: unknown) => this.#finished(jobId, null, asError(error)),
      );
    }
  }

  #finished(jobId: string, result: R | null, error: Error | null): void {
    const entry = this.#running.get(jobId);
    if (!entry) return;
    this.#running.delete(jobId);
    this.emit('finish', { jobId, job: entry.job, result, error, cancelled: entry.cancelled });
    this.#pump();
  }
}

function checkConcurrency(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 16) {
    throw new RangeError(`jobs.concurrency must be a whole number from 1 to 16 (got ${value})`);
  }
  return value;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
