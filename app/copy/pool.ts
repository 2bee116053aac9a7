import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { errorMessage } from './errors.js';
import { newToken, tempPathFor } from './temp-names.js';
import {
  parseFromWorkerPost,
  type CopyTask,
  type FromWorker,
  type TaskOutcome,
  type ToWorker,
  type WorkerData,
} from './messages.js';

/** Batches handed to one worker at a time: the one it is finishing and the next. */
const BATCHES_PER_WORKER = 2;
/** Tasks a worker runs at once, at most … */
const TASKS_PER_WORKER_MAX = 16;
/** … and all workers together (each holds two files open). */
const TASKS_IN_FLIGHT_MAX = 256;
/**
 * A worker's young generation, the V8 heap space for new objects: its garbage is small and dies
 * young (messages, outcomes, promises), and the default (up to 16 MB × 3 per isolate) only adds
 * resident memory. 2 MB costs no measurable time (1 MB saved nothing more).
 */
const WORKER_YOUNG_GENERATION_MB = 2;

/** How many tasks each of `workers` workers runs at once. */
export function tasksPerWorker(workers: number): number {
  return Math.max(2, Math.min(TASKS_PER_WORKER_MAX, Math.floor(TASKS_IN_FLIGHT_MAX / workers)));
}

/** Options for a CopyPool. */
export interface CopyPoolOptions {
  /** How many worker threads at most. */
  size: number;
  /** The script each worker thread runs: the compiled copy-worker.js (a test may give its own). */
  workerUrl: URL;
  /** After a cancel, workers get this long to stop cleanly before they are terminated. */
  cancelGraceMs?: number;
}

/** What the pool reports, as it happens. */
export interface CopyPoolEvents {
  /** Bytes of `task` processed so far. */
  onBytes(task: CopyTask, bytes: number): void;
  /** The final outcome of `task`: exactly once per task, unless the pool was cancelled first. */
  onOutcome(task: CopyTask, outcome: TaskOutcome): void;
}

interface Batch {
  id: number;
  tasks: CopyTask[];
  attempt: number;
  token: string;
  reported: Set<number>;
}

interface Slot {
  worker: Worker;
  /** Dispatched and not done yet, oldest first. */
  batches: Batch[];
  /** We asked it to stop: its exit is not a crash. */
  stopping: boolean;
  error: Error | undefined;
}

/**
 * A pool of copy worker threads fed from one queue of batches: a worker holds up to
 * BATCHES_PER_WORKER of them and takes the next as soon as one is done, so big and small files
 * spread themselves over the workers. A worker that dies (crash, OOM, a terminate from outside) has
 * the temp files of the tasks it had not reported removed, and those tasks re-run once, each alone
 * on a worker; a second death fails the task as `worker-crashed`.
 */
export class CopyPool {
  private readonly queue: Batch[] = [];
  private readonly slots = new Set<Slot>();
  private readonly cleanups: Array<Promise<void>> = [];
  private nextBatchId = 0;
  private cancelled = false;
  private running = false;
  private finished: Promise<void> | null = null;
  private finish: () => void = () => undefined;
  /** Worker threads started so far (a re-run with nothing to do starts none). */
  workersStarted = 0;

  constructor(
    private readonly options: CopyPoolOptions,
    private readonly events: CopyPoolEvents,
  ) {}

  /**
   * Starts the worker threads ahead of run(), so their start-up (a fresh V8 isolate each, loading
   * the worker's modules) overlaps with the job's scan and planning. Optional; they wait idle.
   */
  warmUp(workers = this.options.size): void {
    if (this.running || this.cancelled) return;
    while (this.slots.size < Math.min(workers, this.options.size)) if (!this.spawn()) return;
  }

  /** Runs every batch; resolves once all have an outcome, or after a cancel once every worker is gone. */
  run(batches: readonly CopyTask[][]): Promise<void> {
    if (this.finished) throw new Error('a CopyPool runs once');
    if (!this.cancelled) for (const tasks of batches) this.queue.push(this.batchOf(tasks, 0));
    this.finished = new Promise<void>((resolve) => (this.finish = resolve));
    const workers = Math.min(this.options.size, this.queue.length);
    while (this.slots.size < workers && !this.cancelled) if (!this.spawn()) break;
    this.running = true;
    // One batch each first, so every worker has work before any gets a second.
    for (const slot of [...this.slots]) this.dispatch(slot, 1);
    for (const slot of [...this.slots]) this.dispatch(slot);
    this.checkDone();
    return this.finished;
  }

  /**
   * Stops the pool: no new batch starts, running workers abandon their current file (removing its
   * temp file) and are terminated if they have not stopped after the grace period. Tasks already
   * reported stay reported; the rest get no outcome.
   */
  async cancel(): Promise<void> {
    if (!this.cancelled) {
      this.cancelled = true;
      this.queue.length = 0;
      for (const slot of this.slots) {
        if (slot.batches.length > 0) slot.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
        else this.retire(slot);
      }
      const finished = this.finished ?? Promise.resolve();
      await Promise.race([finished, sleep(this.options.cancelGraceMs ?? 250)]);
      for (const slot of this.slots) this.retire(slot);
    }
    await (this.finished ?? Promise.resolve());
  }

  /** Ends the workers warmUp started if run() is never called (the job failed or was cancelled first). */
  release(): void {
    if (!this.running) for (const slot of this.slots) this.retire(slot);
  }

  private batchOf(tasks: CopyTask[], attempt: number): Batch {
    return { id: this.nextBatchId++, tasks, attempt, token: newToken(), reported: new Set() };
  }

  /** Starts one worker; false if none could be started. */
  private spawn(): boolean {
    let worker: Worker;
    try {
      worker = new Worker(this.options.workerUrl, {
        workerData: { tasksInFlight: tasksPerWorker(this.options.size) } satisfies WorkerData,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
    } catch (error) {
      // No thread to run on (out of memory, a bad script URL): fail what waits rather than throw
      // out of an event handler into the daemon.
      if (this.slots.size === 0) this.failQueued(`could not start a copy worker: ${errorMessage(error)}`);
      return false;
    }
    const slot: Slot = { worker, batches: [], stopping: false, error: undefined };
    this.workersStarted++;
    this.slots.add(slot);
    worker.on('message', (raw: unknown) => this.onPost(slot, raw));
    worker.on('error', (error) => (slot.error = error)); // 'exit' follows
    worker.on('exit', (code) => this.onExit(slot, code));
    if (this.running) this.dispatch(slot);
    return true;
  }

  /**
   * Keeps BATCHES_PER_WORKER batches on a worker: it starts on the next one while the last tasks of
   * the previous are still running, so its task slots never drain at a batch boundary. A batch
   * re-run after a worker died runs alone on its worker, since a worker that dies takes every task
   * it was running with it. A worker left with nothing to do is retired.
   */
  private dispatch(slot: Slot, most = BATCHES_PER_WORKER): void {
    if (slot.stopping) return;
    while (slot.batches.length < most && !this.cancelled) {
      if (slot.batches.some((held) => held.attempt > 0)) break;
      const next = slot.batches.length === 0 ? 0 : this.queue.findIndex((queued) => queued.attempt === 0);
      const batch = next < 0 ? undefined : this.queue.splice(next, 1)[0];
      if (!batch) break;
      slot.batches.push(batch);
      const message: ToWorker = {
        type: 'batch',
        batch: batch.id,
        token: batch.token,
        tasks: batch.tasks,
      };
      slot.worker.postMessage(message);
    }
    if (slot.batches.length === 0) this.retire(slot);
  }

  private retire(slot: Slot): void {
    if (slot.stopping) return;
    slot.stopping = true;
    void slot.worker.terminate();
  }

  private onPost(slot: Slot, raw: unknown): void {
    let messages: FromWorker[];
    try {
      messages = parseFromWorkerPost(raw);
    } catch (error) {
      slot.error = new Error(`unexpected message from a copy worker: ${errorMessage(error)}`);
      void slot.worker.terminate(); // handled as a crash: its batches are re-run once
      return;
    }
    for (const message of messages) this.onMessage(slot, message);
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'cancelled') {
      slot.batches = [];
      this.retire(slot);
      return;
    }
    if (message.type === 'batch-done') {
      slot.batches = slot.batches.filter((batch) => batch.id !== message.batch);
      this.dispatch(slot);
      return;
    }
    const batch = slot.batches.find((candidate) => candidate.id === message.batch);
    if (!batch) return;
    const task = batch.tasks[message.index];
    if (!task) return;
    if (message.type === 'bytes') this.events.onBytes(task, message.bytes);
    else if (!batch.reported.has(message.index)) {
      batch.reported.add(message.index);
      this.events.onOutcome(task, message.outcome);
    }
  }

  private onExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    const batches = slot.batches;
    slot.batches = [];
    for (const batch of batches) {
      const unreported = batch.tasks.filter((_, index) => !batch.reported.has(index));
      this.cleanups.push(removeTemps(unreported, batch.token));
      if (!slot.stopping && !this.cancelled) {
        const why = slot.error ? errorMessage(slot.error) : `exit code ${code}`;
        this.recover(batch, unreported, why);
      }
    }
    if (this.running && !this.cancelled && this.queue.length > 0 && this.slots.size < this.options.size) {
      this.spawn();
    }
    this.checkDone();
  }

  /**
   * A worker died holding `batch`: re-run what it had not reported, once, each task in a batch of
   * its own, so a file that kills its worker every time fails alone, not with its batch-mates.
   */
  private recover(batch: Batch, unreported: CopyTask[], why: string): void {
    if (unreported.length === 0) return;
    if (batch.attempt === 0) {
      this.queue.unshift(...unreported.map((task) => this.batchOf([task], 1)));
      return;
    }
    for (const task of unreported) {
      this.events.onOutcome(task, {
        status: 'failed',
        reason: 'worker-crashed',
        message: `the worker copying it stopped twice (${why})`,
      });
    }
  }

  private failQueued(message: string): void {
    for (const batch of this.queue.splice(0)) {
      for (const task of batch.tasks)
        this.events.onOutcome(task, { status: 'failed', reason: 'worker-crashed', message });
    }
  }

  private checkDone(): void {
    if (!this.finished || this.slots.size > 0 || (this.queue.length > 0 && !this.cancelled)) return;
    void Promise.all(this.cleanups).then(() => this.finish());
  }
}

/** Removes the temp files a dead worker may have left for `tasks` (see tempPathFor). */
function removeTemps(tasks: readonly CopyTask[], token: string): Promise<void> {
  const removals = tasks
    .filter((task) => task.kind !== 'verify')
    .map((task) => unlink(tempPathFor(task.destination, token)).catch(() => undefined));
  return Promise.all(removals).then(() => undefined);
}
