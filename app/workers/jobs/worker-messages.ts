// The messages between the copy job and its workers, checked by hand. The zod schemas in
// protocol.ts describe them, but loading zod costs each worker thread ~45 ms of CPU at start-up,
// more than copying a hundred small files, and on the job's side zod copies every object it parses:
// thousands of outcomes a second, garbage that grows the main thread's heap. worker-messages.test.ts
// holds these checks to the schemas.
import type { CopyFaults, CopyTask, FailureReason, FromWorker, TaskOutcome, ToWorker } from './protocol.js';

/** A message between the job and a worker that is not what the receiving side expects. */
export class WorkerMessageError extends Error {
  override readonly name = 'WorkerMessageError';
}

/** failureReasonSchema's values (the test checks they are the same). */
export const FAILURE_REASONS: readonly FailureReason[] = [
  'unreadable',
  'vanished',
  'no-space',
  'mismatch',
  'changed',
  'write-error',
  'worker-crashed',
  'missing',
];

type Fields = Record<string, unknown>;

function fail(where: string, expected: string): never {
  throw new WorkerMessageError(`${where}: expected ${expected}`);
}

function object(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'an object');
  return value as Fields;
}

function string(value: unknown, where: string): string {
  return typeof value === 'string' ? value : fail(where, 'a string');
}

function number(value: unknown, where: string): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(where, 'a number');
}

function boolean(value: unknown, where: string): boolean {
  return typeof value === 'boolean' ? value : fail(where, 'a boolean');
}

function integer(value: unknown, where: string, min: number): number {
  return Number.isSafeInteger(value) && (value as number) >= min
    ? (value as number)
    : fail(where, `an integer ≥ ${min}`);
}

/** The worker's start-up data: the test faults (none when absent) and how many tasks to run at once (1 when absent). */
export function parseWorkerData(data: unknown): { faults: CopyFaults; tasksInFlight: number } {
  const fields = object(data, 'workerData');
  return {
    faults: fields.faults === undefined ? {} : parseFaults(fields.faults),
    tasksInFlight:
      fields.tasksInFlight === undefined ? 1 : integer(fields.tasksInFlight, 'workerData.tasksInFlight', 1),
  };
}

function parseFaults(value: unknown): CopyFaults {
  const fields = object(value, 'faults');
  const faults: CopyFaults = {};
  if (fields.readError !== undefined) {
    const readError = object(fields.readError, 'faults.readError');
    faults.readError = {
      path: string(readError.path, 'faults.readError.path'),
      code: string(readError.code, 'faults.readError.code'),
    };
  }
  if (fields.corrupt !== undefined) {
    const corrupt = object(fields.corrupt, 'faults.corrupt');
    faults.corrupt = {
      path: string(corrupt.path, 'faults.corrupt.path'),
      times: integer(corrupt.times, 'faults.corrupt.times', 1),
    };
  }
  if (fields.crash !== undefined) {
    const crash = object(fields.crash, 'faults.crash');
    faults.crash = {
      path: string(crash.path, 'faults.crash.path'),
      attempts: integer(crash.attempts, 'faults.crash.attempts', 1),
    };
  }
  if (fields.chunkDelayMs !== undefined) {
    const delay = fields.chunkDelayMs;
    faults.chunkDelayMs =
      typeof delay === 'number' && delay >= 0 ? delay : fail('faults.chunkDelayMs', 'a number ≥ 0');
  }
  return faults;
}

/** A message from the job to a worker: a batch of tasks, or the cancel. */
export function parseToWorker(message: unknown): ToWorker {
  const fields = object(message, 'message');
  if (fields.type === 'cancel') return { type: 'cancel' };
  if (fields.type !== 'batch') fail('message.type', "'batch' or 'cancel'");
  const token = string(fields.token, 'batch.token');
  if (!/^[0-9a-f]{12}$/.test(token)) fail('batch.token', '12 hex digits');
  if (!Array.isArray(fields.tasks)) fail('batch.tasks', 'an array');
  return {
    type: 'batch',
    batch: integer(fields.batch, 'batch.batch', Number.MIN_SAFE_INTEGER),
    token,
    attempt: integer(fields.attempt, 'batch.attempt', 0),
    tasks: fields.tasks.map((task: unknown, index) => parseTask(task, `batch.tasks.${index}`)),
  };
}

function parseTask(value: unknown, where: string): CopyTask {
  const task = object(value, where);
  const path = string(task.path, `${where}.path`);
  if (path === '') fail(`${where}.path`, 'a non-empty string');
  const destination = string(task.destination, `${where}.destination`);
  switch (task.kind) {
    case 'file': {
      const file: CopyTask = {
        kind: 'file',
        path,
        source: string(task.source, `${where}.source`),
        destination,
        size: integer(task.size, `${where}.size`, 0),
      };
      if (task.expectSha512 !== undefined)
        file.expectSha512 = string(task.expectSha512, `${where}.expectSha512`);
      return file;
    }
    case 'link':
      if (task.size !== 0) fail(`${where}.size`, '0');
      return { kind: 'link', path, source: string(task.source, `${where}.source`), destination, size: 0 };
    case 'verify':
      return {
        kind: 'verify',
        path,
        destination,
        size: integer(task.size, `${where}.size`, 0),
        sha512: string(task.sha512, `${where}.sha512`),
      };
    default:
      return fail(`${where}.kind`, "'file', 'link' or 'verify'");
  }
}

/** What a worker posts (see fromWorkerPostSchema): its messages, in order. */
export function parseFromWorkerPost(post: unknown): FromWorker[] {
  if (!Array.isArray(post)) fail('post', 'an array');
  return post.map((message: unknown, index) => parseFromWorker(message, `post.${index}`));
}

function parseFromWorker(value: unknown, where: string): FromWorker {
  const message = object(value, where);
  switch (message.type) {
    case 'bytes':
      return {
        type: 'bytes',
        batch: number(message.batch, `${where}.batch`),
        index: number(message.index, `${where}.index`),
        bytes: number(message.bytes, `${where}.bytes`),
      };
    case 'done':
      return {
        type: 'done',
        batch: number(message.batch, `${where}.batch`),
        index: number(message.index, `${where}.index`),
        outcome: parseOutcome(message.outcome, `${where}.outcome`),
      };
    case 'batch-done':
      return { type: 'batch-done', batch: number(message.batch, `${where}.batch`) };
    case 'cancelled':
      return { type: 'cancelled' };
    default:
      return fail(`${where}.type`, "'bytes', 'done', 'batch-done' or 'cancelled'");
  }
}

function parseOutcome(value: unknown, where: string): TaskOutcome {
  const outcome = object(value, where);
  switch (outcome.status) {
    case 'copied':
      return {
        status: 'copied',
        size: number(outcome.size, `${where}.size`),
        mtimeMs: number(outcome.mtimeMs, `${where}.mtimeMs`),
        sha512: string(outcome.sha512, `${where}.sha512`),
        retried: boolean(outcome.retried, `${where}.retried`),
      };
    case 'unchanged':
      return {
        status: 'unchanged',
        size: number(outcome.size, `${where}.size`),
        mtimeMs: number(outcome.mtimeMs, `${where}.mtimeMs`),
        sha512: string(outcome.sha512, `${where}.sha512`),
      };
    case 'linked':
      return { status: 'linked', changed: boolean(outcome.changed, `${where}.changed`) };
    case 'verified':
      return { status: 'verified' };
    case 'failed': {
      const reason = FAILURE_REASONS.find((known) => known === outcome.reason);
      if (reason === undefined) fail(`${where}.reason`, 'a failure reason');
      const failed: TaskOutcome = {
        status: 'failed',
        reason,
        message: string(outcome.message, `${where}.message`),
      };
      if (outcome.sourceSha512 !== undefined)
        failed.sourceSha512 = string(outcome.sourceSha512, `${where}.sourceSha512`);
      if (outcome.destinationSha512 !== undefined)
        failed.destinationSha512 = string(outcome.destinationSha512, `${where}.destinationSha512`);
      return failed;
    }
    default:
      return fail(`${where}.status`, "'copied', 'unchanged', 'linked', 'verified' or 'failed'");
  }
}
