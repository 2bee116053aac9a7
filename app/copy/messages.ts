// The messages between the copy job (the daemon's or CLI's main thread) and its worker threads:
// one definition each, as a check that both sides run on what they receive, and the types inferred
// from those checks. Hand-written rather than zod: loading zod costs each worker thread ~45 ms of
// CPU at start-up, more than copying a hundred small files, and on the job's side zod copies every
// object it parses — thousands of outcomes a second, garbage that grows the main thread's heap.

/** A message between the job and a worker that is not what the receiving side expects. */
export class WorkerMessageError extends Error {
  override readonly name = 'WorkerMessageError';
  constructor(
    /** Where in the message, outermost first: `['message', 'tasks', '1', 'size']`. */
    readonly field: readonly string[],
    readonly expected: string,
  ) {
    super(`${field.join('.')}: expected ${expected}`);
  }

  /** The same error, one level further out. */
  within(key: string): WorkerMessageError {
    return new WorkerMessageError([key, ...this.field], this.expected);
  }
}

/**
 * Reads an unknown value as a `T`, or throws a WorkerMessageError. Objects come back as fresh
 * objects holding only the known fields. The field's name is added on the way out of a failure
 * only, so the checks build no strings for the thousands of messages that are fine.
 */
type Check<T> = (value: unknown) => T;
/** A field that may be absent. */
type OptionalCheck<T> = Check<T | undefined> & { readonly optional: true };
/** What a check reads. */
type Infer<C> = C extends Check<infer T> ? T : never;

type Shape = Record<string, Check<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
type Parsed<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined>;
  }
>;

function fail(expected: string): never {
  throw new WorkerMessageError([], expected);
}

/** A failure inside field `key`, named so. */
function named(error: unknown, key: string): unknown {
  return error instanceof WorkerMessageError ? error.within(key) : error;
}

/** Runs `check`, naming `key` in its failure. */
function at<T>(key: string, check: Check<T>, value: unknown): T {
  try {
    return check(value);
  } catch (error) {
    throw named(error, key);
  }
}

function fields(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('an object');
  return value as Record<string, unknown>;
}

const string: Check<string> = (value) => (typeof value === 'string' ? value : fail('a string'));

const number: Check<number> = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail('a number');

const boolean: Check<boolean> = (value) => (typeof value === 'boolean' ? value : fail('a boolean'));

function integer(min = Number.MIN_SAFE_INTEGER): Check<number> {
  const expected = min === Number.MIN_SAFE_INTEGER ? 'an integer' : `an integer ≥ ${min}`;
  return (value) =>
    Number.isSafeInteger(value) && (value as number) >= min ? (value as number) : fail(expected);
}

function matching(pattern: RegExp, expected: string): Check<string> {
  return (value) => (pattern.test(string(value)) ? (value as string) : fail(expected));
}

function literal<const L extends string | number>(wanted: L): Check<L> {
  return (value) => (value === wanted ? wanted : fail(JSON.stringify(wanted)));
}

/** "'a', 'b' or 'c'". */
function listed(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

function oneOf<const V extends readonly string[]>(values: V): Check<V[number]> {
  const expected = listed(values);
  return (value) => ((values as readonly unknown[]).includes(value) ? (value as V[number]) : fail(expected));
}

function optional<T>(check: Check<T>): OptionalCheck<T> {
  const read = (value: unknown) => (value === undefined ? undefined : check(value));
  return Object.assign(read, { optional: true as const });
}

function withDefault<T>(check: Check<T>, fallback: T): Check<T> {
  return (value) => (value === undefined ? fallback : check(value));
}

function array<T>(item: Check<T>): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value)) fail('an array');
    const read: T[] = [];
    try {
      for (const element of value) read.push(item(element));
    } catch (error) {
      throw named(error, String(read.length));
    }
    return read;
  };
}

function object<S extends Shape>(shape: S): Check<Parsed<S>> {
  const entries = Object.entries(shape);
  return (value) => {
    const given = fields(value);
    const read: Record<string, unknown> = {};
    let key = '';
    try {
      for (const [name, check] of entries) {
        key = name;
        const field = check(given[name]);
        if (field !== undefined) read[name] = field;
      }
    } catch (error) {
      throw named(error, key);
    }
    return read as Parsed<S>;
  };
}

/** One of several object shapes, told apart by the value of `key` (which each shape checks as a literal). */
function variants<K extends string, V extends Record<string, Check<Record<K, unknown>>>>(
  key: K,
  shapes: V,
): Check<Infer<V[keyof V]>> {
  const expected = listed(Object.keys(shapes));
  return (value) => {
    const tag = fields(value)[key];
    const shape = typeof tag === 'string' && Object.hasOwn(shapes, tag) ? shapes[tag] : undefined;
    return shape ? (shape(value) as Infer<V[keyof V]>) : at(key, () => fail(expected), tag);
  };
}

/** Why a file did not make it, as the result lists it. */
export const FAILURE_REASONS = [
  /** The source could not be opened or read (permissions, I/O error, no longer a regular file). */
  'unreadable',
  /** The source was deleted after the scan. */
  'vanished',
  /** The destination ran out of space (ENOSPC, EDQUOT). */
  'no-space',
  /** The bytes read back from the destination differ from those read from the source, twice. */
  'mismatch',
  /** The source was modified while it was being copied, twice. */
  'changed',
  /** Any other failure to write, rename or set the metadata of the destination. */
  'write-error',
  /** The worker copying it died, twice. */
  'worker-crashed',
  /** `--verify-only`: the manifest lists the file but the destination has none. */
  'missing',
] as const;
/** Why a file did not make it. */
export type FailureReason = (typeof FAILURE_REASONS)[number];

const relativePath = matching(/^[^]+$/, 'a non-empty string');
const size = integer(0);

/** Copy a regular file. With `expectSha512`, first re-hash the destination: if it still holds those bytes, only its metadata is restored. */
const fileTask = object({
  kind: literal('file'),
  path: relativePath,
  source: string,
  destination: string,
  size,
  expectSha512: optional(string),
});

/** Copy a symbolic link as a link: its target text verbatim, never followed. */
const linkTask = object({
  kind: literal('link'),
  path: relativePath,
  source: string,
  destination: string,
  size: literal(0),
});

/** Re-hash a destination file and compare it with the manifest. */
const verifyTask = object({
  kind: literal('verify'),
  path: relativePath,
  destination: string,
  size,
  sha512: string,
});

const copyTask = variants('kind', { file: fileTask, link: linkTask, verify: verifyTask });
/** One unit of work for a worker. */
export type CopyTask = Infer<typeof copyTask>;
/** A regular-file copy task. */
export type FileTask = Infer<typeof fileTask>;
/** A symbolic-link copy task. */
export type LinkTask = Infer<typeof linkTask>;
/** A verify-only task. */
export type VerifyTask = Infer<typeof verifyTask>;

/** Where a copy's read-back came from. */
export const READ_BACK_SOURCES = ['device', 'cache'] as const;
export type TaskReadBack = (typeof READ_BACK_SOURCES)[number];

const taskOutcome = variants('status', {
  copied: object({
    status: literal('copied'),
    size: number,
    mtimeMs: number,
    sha512: string,
    retried: boolean,
    /** Where its read-back came from: the device (Linux, O_DIRECT) or the page cache (see file-io.ts). */
    readBack: oneOf(READ_BACK_SOURCES),
  }),
  /** The destination already held the bytes (re-hashed); at most its mode and mtime were restored. */
  unchanged: object({ status: literal('unchanged'), size: number, mtimeMs: number, sha512: string }),
  linked: object({ status: literal('linked'), changed: boolean }),
  verified: object({ status: literal('verified') }),
  failed: object({
    status: literal('failed'),
    reason: oneOf(FAILURE_REASONS),
    message: string,
    sourceSha512: optional(string),
    destinationSha512: optional(string),
  }),
});
/** What became of one task. */
export type TaskOutcome = Infer<typeof taskOutcome>;

const workerData = object({
  /** Tasks the worker runs at once (its tasks wait on the disk in turn). */
  tasksInFlight: withDefault(integer(1), 1),
});
/** What a worker is started with. */
export type WorkerData = Infer<typeof workerData>;

const toWorker = variants('type', {
  batch: object({
    type: literal('batch'),
    batch: integer(),
    /** Names this dispatch's temp files, so the main thread can remove them if the worker dies. */
    token: matching(/^[0-9a-f]{12}$/, '12 hex digits'),
    tasks: array(copyTask),
  }),
  cancel: object({ type: literal('cancel') }),
});
/** Main thread → worker. */
export type ToWorker = Infer<typeof toWorker>;

const fromWorker = variants('type', {
  /** Bytes of task `index` processed so far (cumulative; back to 0 when a copy is retried). */
  bytes: object({ type: literal('bytes'), batch: number, index: number, bytes: number }),
  done: object({ type: literal('done'), batch: number, index: number, outcome: taskOutcome }),
  'batch-done': object({ type: literal('batch-done'), batch: number }),
  /** The worker stopped after a cancel and removed its temp file. */
  cancelled: object({ type: literal('cancelled') }),
});
/** Worker → main thread. */
export type FromWorker = Infer<typeof fromWorker>;
/** What a worker posts: the messages it has for the main thread, in order (gathered for a few ms). */
const fromWorkerPost = array(fromWorker);

/** The worker's start-up data (`workerData`). */
export function parseWorkerData(data: unknown): WorkerData {
  return at('workerData', workerData, data);
}

/** A message from the job to a worker: a batch of tasks, or the cancel. */
export function parseToWorker(message: unknown): ToWorker {
  return at('message', toWorker, message);
}

/** What a worker posts: its messages, in order. */
export function parseFromWorkerPost(post: unknown): FromWorker[] {
  return at('post', fromWorkerPost, post);
}
