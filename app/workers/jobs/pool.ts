import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { errorMessage } from './errors.js';
import {
  fromWorkerSchema,
  type CopyFaults,
  type CopyTask,
  type TaskOutcome,
  type ToWorker,
} from './protocol.js';
import { newToken, tempPathFor } from './temp-names.js';

/** Options for a CopyPool. */
export interface CopyPoolOptions {
  /** How many worker threads at most. */
  size: number;
  /** The compiled copy-worker.js. */
  workerUrl: URL;
  faults: CopyFaults;
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
  batch: Batch | null;
  /** We asked it to stop: its exit is not a crash. */
  stopping: boolean;
  error: Error | undefined;
}

/**
 * A pool of copy worker threads fed from one queue of batches: an idle worker takes the next batch,
 * so big and small files spread themselves over the workers. A worker that dies (crash, OOM, a
 * terminate from outside) has the temp files of the tasks it had not reported removed, and those
 * tasks re-run once on a fresh worker; a second death fails the task as `worker-crashed`.
 */
export class CopyPool {
  private readonly queue: Batch[] = [];
  private readonly slots = new Set<Slot>();
  private readonly cleanups: Array<Promise<void>> = [];
  private nextBatchId = 0;
  private cancelled = false;
  private finished: Promise<void> | null = null;
  private finish: () => void = () => undefined;

  constructor(
    private readonly options: CopyPoolOptions,
    private readonly events: CopyPoolEvents,
  ) {}

  /** Runs every batch; resolves once all have an outcome, or after a cancel once every worker is gone. */
  run(batches: readonly CopyTask[][]): Promise<void> {
    if (this.finished) throw new Error('a CopyPool runs once');
    for (const tasks of batches) this.queue.push(this.batchOf(tasks, 0));
    this.finished = new Promise<void>((resolve) => (this.finish = resolve));
    const workers = Math.min(this.options.size, this.queue.length);
    for (let i = 0; i < workers; i++) this.spawn();
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
        if (slot.batch) slot.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
        else this.retire(slot);
      }
      const finished = this.finished ?? Promise.resolve();
      await Promise.race([finished, sleep(this.options.cancelGraceMs ?? 250)]);
      for (const slot of this.slots) this.retire(slot);
    }
    await (this.finished ?? Promise.resolve());
  }

  private batchOf(tasks: CopyTask[], attempt: number): Batch {
    return { id: this.nextBatchId++, tasks, attempt, token: newToken(), reported: new Set() };
  }

  private spawn(): void {
    let worker: Worker;
    try {
      worker = new Worker(this.options.workerUrl, { workerData: { faults: this.options.faults } });
    } catch (error) {
      // No thread to run on (out of memory, a bad script URL): fail what waits rather than throw
      // out of an event handler into the daemon.
      if (this.slots.size === 0) this.failQueued(`could not start a copy worker: ${errorMessage(error)}`);
      return;
    }
    const slot: Slot = { worker, batch: null, stopping: false, error: undefined };
    this.slots.add(slot);
    worker.on('message', (raw: unknown) => this.onMessage(slot, raw));
    worker.on('error', (error) => (slot.error = error)); // 'exit' follows
    worker.on('exit', (code) => this.onExit(slot, code));
    this.dispatch(slot);
  }

  private dispatch(slot: Slot): void {
    const batch = this.cancelled ? undefined : this.queue.shift();
    slot.batch = batch ?? null;
    if (!batch) {
      this.retire(slot);
      return;
    }
    const message: ToWorker = {
      type: 'batch',
      batch: batch.id,
      token: batch.token,
      attempt: batch.attempt,
      tasks: batch.tasks,
    };
    slot.worker.postMessage(message);
  }

  private retire(slot: Slot): void {
    if (slot.stopping) return;
    slot.stopping = true;
    void slot.worker.terminate();
  }

  private onMessage(slot: Slot, raw: unknown): void {
    const parsed = fromWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      slot.error = new Error(`unexpected message from a copy worker: ${parsed.error.message}`);
      void slot.worker.terminate(); // handled as a crash: its batch is re-run once
      return;
    }
    const message = parsed.data;
    const batch = slot.batch;
    if (message.type === 'batch-done' || message.type === 'cancelled') {
      slot.batch = null;
      this.dispatch(slot);
      return;
    }
    if (!batch || batch.id !== message.batch) return;
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
    const batch = slot.batch;
    slot.batch = null;
    if (batch) {
      const unreported = batch.tasks.filter((_, index) => !batch.reported.has(index));
      this.cleanups.push(removeTemps(unreported, batch.token));
      if (!slot.stopping && !this.cancelled) {
        const why = slot.error ? errorMessage(slot.error) : `exit code ${code}`;
        this.recover(batch, unreported, why);
      }
    }
    if (!this.cancelled && this.queue.length > 0 && this.slots.size < this.options.size) this.spawn();
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
    if (this.slots.size > 0 || (this.queue.length > 0 && !this.cancelled)) return;
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
