// A copy worker thread's loop: takes batches of tasks from the job and runs up to `tasksInFlight` of them
// at once, so one file's waits (its source being read from disk, its fdatasync) overlap with the
// hashing and writing of others. It reports each outcome as it lands (posted in bunches, at most
// FLUSH_MS late), so a worker that dies costs only the tasks it had not reported yet. All the
// hashing and file I/O of a copy happens here, off the daemon's event loop.
//
// The tasks of a worker share BUFFER_SETS sets of buffers (see BufferPool): a task holds one only
// while it reads, writes and compares, not while its file is synced and renamed.
//
// libuv's thread pool, which runs the reads and fdatasyncs, is one per process (UV_THREADPOOL_SIZE,
// default 4, read once when the pool first starts, i.e. while the main thread is still loading its
// modules): setting it here, or anywhere in the job, has no effect. More threads did not help on
// 2 cores (100k tiny files, UV_THREADPOOL_SIZE=16 against 4, paired: wall 0.97×, CPU 1.06×; the
// busier pool's lock costs what the deeper disk queue saves); the variable can still be set in the
// environment of the process.
//
// The file I/O of its copies goes through the FileIo it is given: copy-worker.ts, the script the
// pool starts, gives it Node's fs; a test's worker script may give it a faulty one.
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError, runTask, type TaskContext } from './copy-file.js';
import { BufferPool, type FileIo } from './file-io.js';
import { parseToWorker, parseWorkerData, type CopyTask, type FromWorker, type ToWorker } from './messages.js';

/** Byte progress is posted for tasks that take longer than this, at most this often per task. */
const BYTES_REPORT_MS = 50;
/** Messages wait at most this long to be posted together: one post per outcome would cost more. */
const FLUSH_MS = 10;
/** Buffer sets a worker allocates at most (CHUNK_BYTES × 2 each). */
const BUFFER_SETS = 6;

type BatchMessage = Extract<ToWorker, { type: 'batch' }>;

interface QueuedTask {
  batch: BatchMessage;
  index: number;
  task: CopyTask;
}

/** Runs this worker thread: serves the job's batches until the pool terminates it. */
export function serveCopyTasks(io: FileIo): void {
  const port = parentPort;
  if (!port) throw new Error('a copy worker runs in a worker thread only');
  const { tasksInFlight } = parseWorkerData(workerData);
  const buffers = new BufferPool(Math.min(BUFFER_SETS, tasksInFlight));
  /** Tasks not started yet, in the order they came. */
  const queue: QueuedTask[] = [];
  /** Outcomes still to post, per batch. */
  const unreported = new Map<number, number>();
  /** Messages not posted yet. */
  const outbox: FromWorker[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let running = 0;
  let cancelled = false;

  function post(message: FromWorker, now = false): void {
    outbox.push(message);
    if (now) flush();
    else flushTimer ??= setTimeout(flush, FLUSH_MS);
  }

  function flush(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (outbox.length > 0) port?.postMessage(outbox.splice(0));
  }

  port.on('message', (raw: unknown) => {
    // A malformed message is a bug in the job: this throws, the thread dies, and the pool re-runs
    // (then fails) its batches as it does for any crash.
    const message = parseToWorker(raw);
    if (message.type === 'cancel') {
      cancelled = true;
      queue.length = 0;
      if (running === 0) post({ type: 'cancelled' }, true);
      return;
    }
    if (message.tasks.length === 0) {
      post({ type: 'batch-done', batch: message.batch });
      return;
    }
    unreported.set(message.batch, message.tasks.length);
    message.tasks.forEach((task, index) => queue.push({ batch: message, index, task }));
    startTasks();
  });

  function startTasks(): void {
    while (!cancelled && running < tasksInFlight) {
      const next = queue.shift();
      if (!next) return;
      running++;
      void runOne(next).finally(() => {
        running--;
        if (cancelled && running === 0) post({ type: 'cancelled' }, true);
        else startTasks();
      });
    }
  }

  async function runOne({ batch, index, task }: QueuedTask): Promise<void> {
    // A task that takes less than BYTES_REPORT_MS reports no bytes, only its outcome.
    let reportedAt = Date.now();
    const context: TaskContext = {
      token: batch.token,
      buffers,
      io,
      checkCancelled() {
        if (cancelled) throw new CancelledError();
      },
      onBytes(bytes) {
        const now = Date.now();
        if (bytes !== 0 && now - reportedAt < BYTES_REPORT_MS) return;
        reportedAt = now;
        post({ type: 'bytes', batch: batch.batch, index, bytes });
      },
    };
    try {
      context.checkCancelled();
      const outcome = await runTask(task, context);
      post({ type: 'done', batch: batch.batch, index, outcome });
      const left = (unreported.get(batch.batch) ?? 1) - 1;
      if (left > 0) unreported.set(batch.batch, left);
      else {
        unreported.delete(batch.batch);
        post({ type: 'batch-done', batch: batch.batch });
      }
    } catch (error) {
      // A cancelled task has removed its temp file; anything else is a bug: the thread dies (an
      // unhandled rejection) and the pool re-runs what it had not reported.
      if (!(error instanceof CancelledError)) throw error;
    }
  }
}
