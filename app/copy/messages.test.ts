import { describe, expect, it } from 'vitest';
import { WorkerMessageError, parseFromWorkerPost, parseToWorker, parseWorkerData } from './messages.js';

// Both sides check what they receive (messages.ts): a valid message comes back as the same value
// (unknown fields dropped), anything else is a WorkerMessageError naming the field.

const TOKEN = '0123456789ab';
const fileTask = { kind: 'file', path: 'a/b.txt', source: '/s/a/b.txt', destination: '/d/a/b.txt', size: 3 };

const validMessages: unknown[] = [
  { type: 'cancel' },
  { type: 'batch', batch: 0, token: TOKEN, tasks: [] },
  {
    type: 'batch',
    batch: 7,
    token: TOKEN,
    tasks: [
      fileTask,
      { ...fileTask, expectSha512: 'f'.repeat(128) },
      { kind: 'link', path: 'l', source: '/s/l', destination: '/d/l', size: 0 },
      { kind: 'verify', path: 'v', destination: '/d/v', size: 0, sha512: 'a'.repeat(128) },
    ],
  },
  // Unknown fields are dropped.
  { type: 'batch', batch: 1, token: TOKEN, tasks: [{ ...fileTask, extra: true }], extra: 1 },
];

const invalidMessages: unknown[] = [
  null,
  [],
  'cancel',
  { type: 'pause' },
  { type: 'batch', batch: 0, token: 'not hex', tasks: [] },
  { type: 'batch', batch: 0, token: TOKEN, tasks: {} },
  { type: 'batch', batch: 0.5, token: TOKEN, tasks: [] },
  { type: 'batch', batch: 0, token: TOKEN },
  { type: 'batch', batch: 0, token: TOKEN, tasks: [{ ...fileTask, kind: 'fifo' }] },
  { type: 'batch', batch: 0, token: TOKEN, tasks: [{ ...fileTask, path: '' }] },
  { type: 'batch', batch: 0, token: TOKEN, tasks: [{ ...fileTask, size: -1 }] },
  { type: 'batch', batch: 0, token: TOKEN, tasks: [{ ...fileTask, size: 1.5 }] },
  { type: 'batch', batch: 0, token: TOKEN, tasks: [{ ...fileTask, source: 7 }] },
  { type: 'batch', batch: 0, token: TOKEN, tasks: [{ ...fileTask, expectSha512: 1 }] },
  {
    type: 'batch',
    batch: 0,
    token: TOKEN,
    tasks: [{ kind: 'link', path: 'l', source: '/s/l', destination: '/d/l', size: 1 }],
  },
  {
    type: 'batch',
    batch: 0,
    token: TOKEN,
    tasks: [{ kind: 'verify', path: 'v', destination: '/d/v', size: 0 }],
  },
];

const validData: Array<[unknown, unknown]> = [
  [{}, { tasksInFlight: 1 }],
  [{ tasksInFlight: 16 }, { tasksInFlight: 16 }],
  // Unknown fields are dropped.
  [{ tasksInFlight: 2, faults: { chunkDelayMs: 5 } }, { tasksInFlight: 2 }],
];

const invalidData: unknown[] = [
  undefined,
  { tasksInFlight: 0 },
  { tasksInFlight: 2.5 },
  { tasksInFlight: '2' },
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
      outcome: { status: 'copied', size: 9, mtimeMs: 1.5, sha512: 'a', retried: false, readBack: 'device' },
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
  // Unknown fields are dropped.
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

/** A valid message as the receiving side reads it: the same value without its unknown fields. */
function withoutExtra(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtra);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'extra')
      .map(([key, field]) => [key, withoutExtra(field)]),
  );
}

describe('what the job accepts from a worker', () => {
  it.each(validPosts.map((post) => [post]))('accepts a well-formed post: %j', (post) => {
    expect(parseFromWorkerPost(post)).toEqual(withoutExtra(post));
  });

  it.each(invalidPosts.map((post) => [post]))('rejects a malformed post: %j', (post) => {
    expect(() => parseFromWorkerPost(post)).toThrow(WorkerMessageError);
  });

  it('names the failure reasons it knows when a reason is unknown', () => {
    const post = [
      { type: 'done', batch: 0, index: 0, outcome: { status: 'failed', reason: 'tired', message: 'm' } },
    ];
    expect(() => parseFromWorkerPost(post)).toThrow(
      "post.0.outcome.reason: expected 'unreadable', 'vanished', 'no-space', 'mismatch', 'changed', 'write-error', 'worker-crashed' or 'missing'",
    );
  });
});

describe('what a copy worker accepts', () => {
  it.each(validMessages.map((message) => [message]))('accepts a well-formed message: %j', (message) => {
    expect(parseToWorker(message)).toEqual(withoutExtra(message));
  });

  it.each(invalidMessages.map((message) => [message]))('rejects a malformed message: %j', (message) => {
    expect(() => parseToWorker(message)).toThrow(WorkerMessageError);
  });

  it.each(validData)('reads its start-up data %j as %j', (data, read) => {
    expect(parseWorkerData(data)).toEqual(read);
  });

  it.each(invalidData.map((data) => [data]))('rejects malformed start-up data: %j', (data) => {
    expect(() => parseWorkerData(data)).toThrow(WorkerMessageError);
  });

  it('names the field that is wrong', () => {
    expect(() => parseToWorker({ ...(validMessages[2] as object), token: 'x' })).toThrow(
      'message.token: expected 12 hex digits',
    );
    expect(() =>
      parseToWorker({ type: 'batch', batch: 0, token: TOKEN, tasks: [fileTask, { ...fileTask, size: -1 }] }),
    ).toThrow('message.tasks.1.size: expected an integer ≥ 0');
    expect(() =>
      parseToWorker({ type: 'batch', batch: 0, token: TOKEN, tasks: [fileTask, { kind: 'x' }] }),
    ).toThrow("message.tasks.1.kind: expected 'file', 'link' or 'verify'");
  });
});
