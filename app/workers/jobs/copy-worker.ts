// A copy worker thread: takes batches of tasks from the job, runs them one by one and reports each
// outcome as it lands, so a worker that dies costs only the tasks it had not reported yet. All the
// hashing and file I/O of a copy happens here, off the daemon's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError, runTask, type TaskContext } from './copy-file.js';
import { toWorkerSchema, workerDataSchema, type FromWorker, type ToWorker } from './protocol.js';

/** Byte progress is posted at most this often per worker; outcomes are posted at once. */
const BYTES_REPORT_MS = 50;

const port = parentPort;
if (!port) throw new Error('copy-worker.js runs in a worker thread only');
const { faults } = workerDataSchema.parse(workerData);
let cancelled = false;
let busy = false;

function post(message: FromWorker): void {
  port?.postMessage(message);
}

port.on('message', (raw: unknown) => {
  const parsed = toWorkerSchema.safeParse(raw);
  // A malformed message is a bug in the job: crash loudly, the pool reports the batch as failed.
  if (!parsed.success) throw new Error(`copy worker: unexpected message: ${parsed.error.message}`);
  const message = parsed.data;
  if (message.type === 'cancel') {
    cancelled = true;
    if (!busy) post({ type: 'cancelled' });
    return;
  }
  void runBatch(message);
});

async function runBatch(batch: Extract<ToWorker, { type: 'batch' }>): Promise<void> {
  busy = true;
  try {
    for (const [index, task] of batch.tasks.entries()) {
      let reportedAt = 0;
      const context: TaskContext = {
        token: batch.token,
        attempt: batch.attempt,
        faults,
        checkCancelled() {
          if (cancelled) throw new CancelledError();
        },
        onBytes(bytes) {
          const now = Date.now();
          if (bytes !== 0 && now - reportedAt < BYTES_REPORT_MS) return;
          reportedAt = now;
          post({ type: 'bytes', batch: batch.batch, index, bytes });
        },
        exitWorker() {
          process.exit(1); // in a worker thread this ends the thread, as a crash would
        },
      };
      context.checkCancelled();
      const outcome = await runTask(task, context);
      post({ type: 'done', batch: batch.batch, index, outcome });
    }
    post({ type: 'batch-done', batch: batch.batch });
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    post({ type: 'cancelled' });
  } finally {
    busy = false;
  }
}
