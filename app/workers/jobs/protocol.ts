import { z } from 'zod';

/**
 * Messages between the copy job (the daemon's or CLI's main thread) and its worker threads.
 * Both sides parse what they receive, as at every other boundary.
 */

/** Why a file did not make it, as the result lists it. */
export const failureReasonSchema = z.enum([
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
]);

/** Why a file did not make it. */
export type FailureReason = z.infer<typeof failureReasonSchema>;

const relativePath = z.string().min(1);

/** Copy a regular file. With `expectSha512`, first re-hash the destination: if it still holds those bytes, only its metadata is restored. */
const fileTaskSchema = z.object({
  kind: z.literal('file'),
  path: relativePath,
  source: z.string(),
  destination: z.string(),
  size: z.number().int().min(0),
  expectSha512: z.string().optional(),
});

/** Copy a symbolic link as a link: its target text verbatim, never followed. */
const linkTaskSchema = z.object({
  kind: z.literal('link'),
  path: relativePath,
  source: z.string(),
  destination: z.string(),
  size: z.literal(0),
});

/** Re-hash a destination file and compare it with the manifest. */
const verifyTaskSchema = z.object({
  kind: z.literal('verify'),
  path: relativePath,
  destination: z.string(),
  size: z.number().int().min(0),
  sha512: z.string(),
});

/** One unit of work for a worker. */
export const copyTaskSchema = z.discriminatedUnion('kind', [
  fileTaskSchema,
  linkTaskSchema,
  verifyTaskSchema,
]);
/** One unit of work for a worker. */
export type CopyTask = z.infer<typeof copyTaskSchema>;
/** A regular-file copy task. */
export type FileTask = z.infer<typeof fileTaskSchema>;
/** A symbolic-link copy task. */
export type LinkTask = z.infer<typeof linkTaskSchema>;
/** A verify-only task. */
export type VerifyTask = z.infer<typeof verifyTaskSchema>;

/** What became of one task. */
export const taskOutcomeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('copied'),
    size: z.number(),
    mtimeMs: z.number(),
    sha512: z.string(),
    retried: z.boolean(),
  }),
  /** The destination already held the bytes (re-hashed); at most its mode and mtime were restored. */
  z.object({ status: z.literal('unchanged'), size: z.number(), mtimeMs: z.number(), sha512: z.string() }),
  z.object({ status: z.literal('linked'), changed: z.boolean() }),
  z.object({ status: z.literal('verified') }),
  z.object({
    status: z.literal('failed'),
    reason: failureReasonSchema,
    message: z.string(),
    sourceSha512: z.string().optional(),
    destinationSha512: z.string().optional(),
  }),
]);
/** What became of one task. */
export type TaskOutcome = z.infer<typeof taskOutcomeSchema>;

/**
 * Fault injection, for tests only: lets a test make a read fail, a copy come back corrupted or a
 * worker die at a precise point, which no real file system does on cue (tests run as root here, so
 * chmod 000 does not make a file unreadable). Paths are relative to the source root.
 */
export const copyFaultsSchema = z.object({
  /** Reading this file fails with this error code after its first chunk was copied. */
  readError: z.object({ path: z.string(), code: z.string() }).optional(),
  /** A byte of this file's temp copy is flipped before the read-back, on its first `times` attempts. */
  corrupt: z.object({ path: z.string(), times: z.number().int().min(1) }).optional(),
  /** The worker thread exits after the first chunk of this file, while the batch's attempt is below `attempts`. */
  crash: z.object({ path: z.string(), attempts: z.number().int().min(1) }).optional(),
  /** Every chunk (and every small file) waits this long: makes "mid-run" last long enough to hit. */
  chunkDelayMs: z.number().min(0).optional(),
});
/** Fault injection, for tests only. */
export type CopyFaults = z.infer<typeof copyFaultsSchema>;

/** What a worker is started with. */
export const workerDataSchema = z.object({
  faults: copyFaultsSchema.default({}),
  /** Tasks the worker runs at once (its tasks wait on the disk in turn). */
  tasksInFlight: z.number().int().min(1).default(1),
});
/** What a worker is started with. */
export type WorkerData = z.input<typeof workerDataSchema>;

/** Main thread → worker. */
export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('batch'),
    batch: z.number().int(),
    /** Names this dispatch's temp files, so the main thread can remove them if the worker dies. */
    token: z.string().regex(/^[0-9a-f]{12}$/),
    /** 0 the first time, 1 when re-run after a worker died on it. */
    attempt: z.number().int().min(0),
    tasks: z.array(copyTaskSchema),
  }),
  z.object({ type: z.literal('cancel') }),
]);
/** Main thread → worker. */
export type ToWorker = z.infer<typeof toWorkerSchema>;

/** Worker → main thread. */
export const fromWorkerSchema = z.discriminatedUnion('type', [
  /** Bytes of task `index` processed so far (cumulative; back to 0 when a copy is retried). */
  z.object({ type: z.literal('bytes'), batch: z.number(), index: z.number(), bytes: z.number() }),
  z.object({ type: z.literal('done'), batch: z.number(), index: z.number(), outcome: taskOutcomeSchema }),
  z.object({ type: z.literal('batch-done'), batch: z.number() }),
  /** The worker stopped after a cancel and removed its temp file. */
  z.object({ type: z.literal('cancelled') }),
]);
/** Worker → main thread. */
export type FromWorker = z.infer<typeof fromWorkerSchema>;
/** What a worker posts: the messages it has for the main thread, in order (gathered for a few ms). */
export const fromWorkerPostSchema = z.array(fromWorkerSchema);
