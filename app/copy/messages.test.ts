import { describe, expect, it } from 'vitest';
import { failureReasonSchema, fromWorkerPostSchema, toWorkerSchema, workerDataSchema } from './messages.js';
import {
  FAILURE_REASONS,
  WorkerMessageError,
  parseFromWorkerPost,
  parseToWorker,
  parseWorkerData,
} from './worker-messages.js';

// Both sides check their messages by hand (see worker-messages.ts); these hold those checks to the
// schemas in protocol.ts: what one accepts the other accepts, as the same value.

const TOKEN = '0123456789ab';
const fileTask = { kind: 'file', path: 'a/b.txt', source: '/s/a/b.txt', destination: '/d/a/b.txt', size: 3 };

const validMessages: unknown[] = [
  { type: 'cancel' },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [] },
  {
    type: 'batch',
    batch: 7,
    token: TOKEN,
    attempt: 1,
    tasks: [
      fileTask,
      { ...fileTask, expectSha512: 'f'.repeat(128) },
      { kind: 'link', path: 'l', source: '/s/l', destination: '/d/l', size: 0 },
      { kind: 'verify', path: 'v', destination: '/d/v', size: 0, sha512: 'a'.repeat(128) },
    ],
  },
  // Unknown fields are dropped, as zod drops them.
  { type: 'batch', batch: 1, token: TOKEN, attempt: 0, tasks: [{ ...fileTask, extra: true }], extra: 1 },
];

const invalidMessages: unknown[] = [
  null,
  [],
  'cancel',
  { type: 'pause' },
  { type: 'batch', batch: 0, token: 'not hex', attempt: 0, tasks: [] },
  { type: 'batch', batch: 0, token: TOKEN, attempt: -1, tasks: [] },
  { type: 'batch', batch: 0.5, token: TOKEN, attempt: 0, tasks: [] },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0 },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [{ ...fileTask, kind: 'fifo' }] },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [{ ...fileTask, path: '' }] },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [{ ...fileTask, size: -1 }] },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [{ ...fileTask, size: 1.5 }] },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [{ ...fileTask, source: 7 }] },
  { type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [{ ...fileTask, expectSha512: 1 }] },
  {
    type: 'batch',
    batch: 0,
    token: TOKEN,
    attempt: 0,
    tasks: [{ kind: 'link', path: 'l', source: '/s/l', destination: '/d/l', size: 1 }],
  },
  {
    type: 'batch',
    batch: 0,
    token: TOKEN,
    attempt: 0,
    tasks: [{ kind: 'verify', path: 'v', destination: '/d/v', size: 0 }],
  },
];

const validData: unknown[] = [
  {},
  { faults: {} },
  { tasksInFlight: 16 },
  {
    faults: {
      readError: { path: 'a', code: 'EIO' },
      corrupt: { path: 'b', times: 2 },
      crash: { path: 'c', attempts: 1 },
      chunkDelayMs: 0.5,
    },
    tasksInFlight: 1,
  },
];

const invalidData: unknown[] = [
  undefined,
  { tasksInFlight: 0 },
  { tasksInFlight: 2.5 },
  { faults: null },
  { faults: { readError: { path: 'a' } } },
  { faults: { corrupt: { path: 'b', times: 0 } } },
  { faults: { crash: { path: 'c', attempts: 1.5 } } },
  { faults: { chunkDelayMs: -1 } },
  { faults: { chunkDelayMs: '5' } },
];

const validPosts: unknown[] = [
  [],
  [{ type: 'cancelled' }],
  [
    { type: 'bytes', batch: 3, index: 0, bytes: 524288 },
    {
      type: 'done',
      batch: 3,
      index: 0,
      outcome: { status: 'copied', size: 9, mtimeMs: 1.5, sha512: 'a', retried: false },
    },
    { type: 'done', batch: 3, index: 1, outcome: { status: 'unchanged', size: 0, mtimeMs: 2, sha512: 'b' } },
    { type: 'done', batch: 3, index: 2, outcome: { status: 'linked', changed: true } },
    { type: 'done', batch: 3, index: 3, outcome: { status: 'verified' } },
    {
      type: 'done',
      batch: 3,
      index: 4,
      outcome: { status: 'failed', reason: 'vanished', message: 'ENOENT' },
    },
    {
      type: 'done',
      batch: 3,
      index: 5,
      outcome: {
        status: 'failed',
        reason: 'mismatch',
        message: 'm',
        sourceSha512: 'a',
        destinationSha512: 'b',
      },
    },
    { type: 'batch-done', batch: 3 },
  ],
  // Unknown fields are dropped, as zod drops them.
  [{ type: 'done', batch: 1, index: 0, outcome: { status: 'verified', extra: 1 }, extra: 2 }],
];

const invalidPosts: unknown[] = [
  null,
  { type: 'cancelled' },
  [null],
  [{ type: 'paused' }],
  [{ type: 'bytes', batch: 0, index: 0 }],
  [{ type: 'bytes', batch: 0, index: 0, bytes: Number.NaN }],
  [{ type: 'batch-done', batch: '0' }],
  [{ type: 'done', batch: 0, index: 0 }],
  [{ type: 'done', batch: 0, index: 0, outcome: { status: 'copied', size: 1, mtimeMs: 1, sha512: 'a' } }],
  [{ type: 'done', batch: 0, index: 0, outcome: { status: 'linked', changed: 'yes' } }],
  [{ type: 'done', batch: 0, index: 0, outcome: { status: 'failed', reason: 'tired', message: 'm' } }],
  [
    {
      type: 'done',
      batch: 0,
      index: 0,
      outcome: { status: 'failed', reason: 'missing', message: 'm', sourceSha512: 1 },
    },
  ],
  [{ type: 'done', batch: 0, index: 0, outcome: { status: 'moved' } }],
];

describe('what the job accepts from a worker', () => {
  it.each(validPosts.map((post) => [post]))('accepts what the schema accepts: %j', (post) => {
    expect(parseFromWorkerPost(post)).toEqual(fromWorkerPostSchema.parse(post));
  });

  it.each(invalidPosts.map((post) => [post]))('rejects what the schema rejects: %j', (post) => {
    expect(fromWorkerPostSchema.safeParse(post).success).toBe(false);
    expect(() => parseFromWorkerPost(post)).toThrow(WorkerMessageError);
  });

  it('knows every failure reason', () => {
    expect([...FAILURE_REASONS].sort()).toEqual([...failureReasonSchema.options].sort());
  });
});

describe('what a copy worker accepts', () => {
  it.each(validMessages.map((message) => [message]))('accepts what the schema accepts: %j', (message) => {
    expect(parseToWorker(message)).toEqual(toWorkerSchema.parse(message));
  });

  it.each(invalidMessages.map((message) => [message]))('rejects what the schema rejects: %j', (message) => {
    expect(toWorkerSchema.safeParse(message).success).toBe(false);
    expect(() => parseToWorker(message)).toThrow(WorkerMessageError);
  });

  it.each(validData.map((data) => [data]))('reads its start-up data as the schema does: %j', (data) => {
    expect(parseWorkerData(data)).toEqual(workerDataSchema.parse(data));
  });

  it.each(invalidData.map((data) => [data]))('rejects start-up data the schema rejects: %j', (data) => {
    expect(workerDataSchema.safeParse(data).success).toBe(false);
    expect(() => parseWorkerData(data)).toThrow(WorkerMessageError);
  });

  it('names the field that is wrong', () => {
    expect(() => parseToWorker({ ...(validMessages[2] as object), attempt: 'x' })).toThrow(
      'batch.attempt: expected an integer ≥ 0',
    );
    expect(() =>
      parseToWorker({ type: 'batch', batch: 0, token: TOKEN, attempt: 0, tasks: [fileTask, { kind: 'x' }] }),
    ).toThrow('batch.tasks.1.path: expected a string');
  });
});
