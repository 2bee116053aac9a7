// One copy task, run inside a copy worker thread. A regular file goes like this:
//
//   1. open the source (links not followed, FIFOs not waited on) and fstat it: a regular file?
//   2. borrow a set of buffers from the worker's pool; create the temp file next to the destination
//      (O_EXCL, mode 600);
//   3. chunk by chunk (CHUNK_BYTES; most files are one chunk; files of BIG_FILE_BYTES or more take
//      BIG_CHUNK_BYTES, several in flight, see streamChunks): read the source, feed the bytes to
//      SHA-512, write them to the temp file, read the same range of the temp file back and compare
//      it with what was read from the source, byte for byte;
//   4. fstat the source again: if its size or mtime moved, the copy is `changed` (tried again once);
//      if any chunk read back differently, it is a `mismatch` (tried again once; the report gets the
//      digests of both);
//   5. give the buffers back, fdatasync the temp file, give it the source's mode and times, close it
//      and rename it to the real name.
//
// Durability (the same as when a worker ran one task at a time): a file takes its real name only
// after its bytes were read back and matched and fdatasync returned for it. After a crash or a power
// cut a name therefore holds the complete, verified new copy or what it held before, never part of
// a file (on a file system that keeps its own metadata consistent, i.e. journaled or copy-on-write).
// Not synced: the folder entry the rename makes, and the mode and mtime set just before it. A power
// cut may undo the last renames, or leave a copy with the temp file's mode and mtime; the manifest
// (written atomically, every 2 s and at the end) may then list a file the folder lacks or whose
// mode or mtime differ, and the next run copies or re-hashes it: planFiles compares the
// destination's size, mtime and mode with the manifest.
//
// Only the calls that usually wait on the disk go through libuv's thread pool: opening and reading
// the source, the writes and read-backs of a file of several chunks, the read-back from the device,
// and fdatasync; while they wait, the worker's other tasks run. The rest (creating the temp file and
// opening it for the read-back, the one write of a one-chunk file, which the page cache absorbs;
// fstat, fchmod, futimes, close, rename) are made synchronously: on a local disk each takes
// microseconds, less than a thread-pool round trip (at 100k tiny files, making them there cost ~25 %
// more CPU); on a network destination each blocks this worker thread (never the job's main thread)
// for a round trip.
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  futimesSync,
  readSync,
  renameSync,
} from 'node:fs';
import { chmod, lstat, lutimes, open, readlink, rename, symlink, unlink, utimes } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type {
  CopyTask,
  FailureReason,
  FileTask,
  LinkTask,
  TaskOutcome,
  TaskReadBack,
  VerifyTask,
} from './messages.js';
import { errorCode } from './errors.js';
import {
  BufferPool,
  closeQuietly,
  nodeFileIo,
  readFully,
  systemError,
  unlinkQuietly,
  DIRECT_ALIGN,
  type ChunkBuffers,
  type FileIo,
  type TaskBuffers,
} from './file-io.js';
import { isSparse, writeSkippingZeros } from './sparse.js';
import { tempPathFor } from './temp-names.js';

/**
 * Never follow a link out of the tree (a file swapped for a link after the scan fails with ELOOP),
 * and never block on a FIFO swapped in after the scan (the fstat then rejects it).
 */
const NO_FOLLOW_READ = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** A new temp file, never an existing one (nor a link planted under its name). */
const TEMP_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL;
/** Permission bits plus setuid/setgid/sticky, as `cp -p` keeps them. */
const MODE_BITS = 0o7777;

/** Thrown inside a task once the job is cancelled; the task has removed its temp file by then. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/** What a task needs from the thread running it. */
export interface TaskContext {
  /** Names the temp files of this dispatch (see tempPathFor). */
  token: string;
  /** Throws CancelledError once the job is cancelled; called between chunks. */
  checkCancelled(): void;
  /** Bytes of the current task processed so far (0 again when a copy is retried). */
  onBytes(bytes: number): void;
  /** Where the task borrows its buffers (the worker's, shared by its tasks); one of its own when absent. */
  buffers?: BufferPool;
  /** The file I/O a regular file's copy goes through; Node's fs (nodeFileIo) when absent. */
  io?: FileIo;
}

/** Runs one task to its outcome. Only CancelledError (and bugs) escape as exceptions. */
export function runTask(task: CopyTask, context: TaskContext): Promise<TaskOutcome> {
  switch (task.kind) {
    case 'file':
      return copyFile(task, context);
    case 'link':
      return copyLink(task, context);
    case 'verify':
      return verifyFile(task, context);
  }
}

/** An I/O error, tagged with the side it happened on so it maps to the right failure reason. */
class SideError extends Error {
  constructor(
    readonly side: 'source' | 'destination',
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

const onSide =
  (side: 'source' | 'destination') =>
  (error: unknown): never => {
    throw new SideError(side, error);
  };

function failed(
  reason: FailureReason,
  message: string,
  digests: { sourceSha512?: string; destinationSha512?: string } = {},
): TaskOutcome {
  return { status: 'failed', reason, message, ...digests };
}

function sideFailure(error: SideError): TaskOutcome {
  const code = errorCode(error.error);
  if (error.side === 'source') {
    return failed(code === 'ENOENT' ? 'vanished' : 'unreadable', `source: ${error.message}`);
  }
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return failed(full ? 'no-space' : 'write-error', `destination: ${error.message}`);
}

function onSideSync<T>(side: 'source' | 'destination', action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new SideError(side, error);
  }
}

const ignore = (): undefined => undefined;

/**
 * Copies a regular file (see the top of this module): one read of the source, hashed as it streams
 * into a temp file whose every chunk is read back and compared; synced, then renamed into place. A
 * mismatch, or a source modified during the copy, is retried once.
 */
async function copyFile(task: FileTask, context: TaskContext): Promise<TaskOutcome> {
  if (task.expectSha512 !== undefined) {
    const kept = await keepIfIntact(task, task.expectSha512, context);
    if (kept) return kept;
  }
  const first = await copyOnce(task, context);
  if (first.status !== 'failed' || (first.reason !== 'mismatch' && first.reason !== 'changed')) return first;
  context.onBytes(0);
  const second = await copyOnce(task, context);
  return second.status === 'copied' ? { ...second, retried: true } : second;
}

async function copyOnce(task: FileTask, context: TaskContext): Promise<TaskOutcome> {
  const temp = tempPathFor(task.destination, context.token);
  const pool = context.buffers ?? new BufferPool(1);
  const io = context.io ?? nodeFileIo;
  let buffers: TaskBuffers | undefined;
  let source: number | undefined;
  let target: number | undefined;
  let direct: number | null = null;
  let tempExists = false;
  /** Reads and read-backs in flight: awaited before their buffers or descriptors are let go. */
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    );
    return promise;
  };
  /** Set once the task ends, however it ends: no chunk starts being read after that. */
  const stop = { stopped: false };
  try {
    source = await io.openFd(task.source, NO_FOLLOW_READ).catch(onSide('source'));
    const sourceFd = source;
    const before = onSideSync('source', () => fstatSync(sourceFd));
    if (!before.isFile()) return failed('unreadable', 'source: is no longer a regular file');
    buffers = await pool.acquire(before.size);
    context.checkCancelled(); // the wait for buffers may have outlasted the job
    const set = buffers;
    target = await io.createTemp(temp, TEMP_FLAGS, 0o600).catch(onSide('destination'));
    tempExists = true;
    const targetFd = target;
    direct = await io.openReadBack(temp);
    let readBack: TaskReadBack = direct === null ? 'cache' : 'device';
    // A sparse source gets a sparse copy: the full size first, then only its non-zero runs.
    const sparse = isSparse(before);
    if (sparse) onSideSync('destination', () => ftruncateSync(targetFd, before.size));

    /** Reads `chunk` back from where it was written into `into.check` and compares it, byte for byte. */
    const readBackMatches = async (
      into: ChunkBuffers,
      chunk: Buffer,
      position: number,
      last: boolean,
    ): Promise<boolean> => {
      let back: Buffer;
      try {
        back =
          readBack === 'device' && direct !== null
            ? await io.readBack(direct, into, position, chunk.length, last, true)
            : await io.readBack(targetFd, into, position, chunk.length, last, false);
      } catch (error) {
        if (readBack === 'cache' || errorCode(error) !== 'EINVAL') throw new SideError('destination', error);
        readBack = 'cache'; // O_DIRECT refused after all: this file is proven against the cache
        back = await io
          .readBack(targetFd, into, position, chunk.length, last, false)
          .catch(onSide('destination'));
      }
      return back.equals(chunk);
    };

    const streamed = await streamChunks({
      io,
      sourceFd,
      targetFd,
      size: before.size,
      sparse,
      set,
      context,
      track,
      readBackMatches,
      stop,
      // A big file is written past the page cache: see the comment on streamChunks.
      direct: { fd: set.big && !sparse ? direct : null },
    });
    const { copied } = streamed;
    let intact = streamed.intact;
    if (copied === 0) {
      const back = await io
        .readBack(targetFd, set.chunks[0]!, 0, 0, true, false)
        .catch(onSide('destination'));
      if (back.length !== 0) intact = false;
    }
    context.checkCancelled();
    const sourceSha512 = streamed.sha512;

    const after = onSideSync('source', () => fstatSync(sourceFd));
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || copied !== before.size) {
      return failed('changed', `source: changed while it was copied (${before.size} → ${after.size} bytes)`);
    }
    source = undefined;
    closeQuietly(sourceFd); // read in full: no need to hold it open through the sync
    if (!intact) {
      const destinationSha512 = onSideSync('destination', () => hashFdSync(targetFd, set.chunks[0]!.data));
      return failed('mismatch', 'the copy read back does not match the source', {
        sourceSha512,
        destinationSha512,
      });
    }
    pool.release(set);
    buffers = undefined;
    if (direct !== null) closeQuietly(direct);
    direct = null;

    // Only the sync waits on the disk, in libuv's thread pool; the metadata calls after it are made
    // here (see the top of this module): a thread-pool round trip each cost more than the call.
    await io.fdatasyncFd(targetFd).catch(onSide('destination'));
    onSideSync('destination', () => {
      fchmodSync(targetFd, before.mode & MODE_BITS);
      futimesSync(targetFd, before.atimeMs / 1000, before.mtimeMs / 1000);
    });
    target = undefined;
    onSideSync('destination', () => closeSync(targetFd));
    onSideSync('destination', () => renameSync(temp, task.destination));
    tempExists = false;
    return {
      status: 'copied',
      size: copied,
      mtimeMs: before.mtimeMs,
      sha512: sourceSha512,
      retried: false,
      readBack,
    };
  } catch (error) {
    if (error instanceof SideError) return sideFailure(error);
    throw error;
  } finally {
    // Nothing may still be reading into the buffers, or from the descriptors, once they are let go.
    stop.stopped = true;
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    if (buffers) pool.release(buffers);
    if (direct !== null) closeQuietly(direct);
    if (target !== undefined) closeQuietly(target);
    if (tempExists) unlinkQuietly(temp);
    if (source !== undefined) closeQuietly(source);
  }
}

/**
 * A big chunk is hashed in slices of this size, with a turn of the event loop between them: the
 * reads, writes and read-backs that finished meanwhile start their next step then, not only once the
 * whole chunk is hashed. Measured (warm 2 GB, in-process, 3 rounds, load ~9): the loop's wait for
 * source chunks fell from 0.85–1.32 s (whole 4 MiB chunks) to 0.01–0.03 s, the copy to 0.63–0.93×
 * the time: what is left is SHA-512 itself.
 */
const HASH_SLICE_BYTES = 1024 * 1024;

/** What streamChunks works with: the open files, the borrowed buffers and copyOnce's helpers. */
interface ChunkStream {
  io: FileIo;
  sourceFd: number;
  targetFd: number;
  /** The source's size when it was opened: chunks are read up to there, no further. */
  size: number;
  /** Write only the non-zero runs (see sparse.ts). */
  sparse: boolean;
  set: TaskBuffers;
  context: TaskContext;
  /** Keeps a promise until it settles: copyOnce awaits them all before it lets go of buffers or descriptors. */
  track<T>(promise: Promise<T>): Promise<T>;
  readBackMatches(into: ChunkBuffers, chunk: Buffer, position: number, last: boolean): Promise<boolean>;
  /** Set when copyOnce is done, however it ended: no chunk starts being read after that. */
  stop: { stopped: boolean };
  /** The O_DIRECT descriptor a big file's chunks are written through; null: through the cache. */
  direct: { fd: number | null };
}

/**
 * Writes a big file's chunk past the page cache (O_DIRECT): its block-aligned part through `direct.fd`,
 * a tail shorter than a block (the file's end) through the cache. If O_DIRECT writes are refused
 * (EINVAL: a buffer that is not aligned after all, a file system that reads but will not write so),
 * this chunk and the rest go through the cache. Either way the read-back that follows fetches the
 * bytes from the device, and fdatasync at the end makes them and the size durable.
 */
async function writeDirect(
  io: FileIo,
  direct: { fd: number | null },
  targetFd: number,
  chunk: Buffer,
  position: number,
): Promise<void> {
  const aligned = chunk.length - (chunk.length % DIRECT_ALIGN);
  let cachedFrom = 0;
  if (direct.fd !== null && aligned > 0) {
    try {
      await io.writeAll(direct.fd, chunk.subarray(0, aligned), position);
      cachedFrom = aligned;
    } catch (error) {
      if (errorCode(error) !== 'EINVAL') throw new SideError('destination', error);
      direct.fd = null;
    }
  }
  if (cachedFrom < chunk.length) {
    await io
      .writeAll(targetFd, chunk.subarray(cachedFrom), position + cachedFrom)
      .catch(onSide('destination'));
  }
}

/**
 * The chunk loop of a copy: every chunk of the source is read, hashed, written to the temp file, read
 * back and compared with the bytes read from the source. With n chunk buffers in the set, n chunks
 * are in flight: chunk k + n is read into chunk k's buffer as soon as chunk k was hashed, written,
 * read back and compared. This thread only hashes (in order) and compares; the reads, writes and
 * read-backs wait on the disk in libuv's thread pool meanwhile, so SHA-512 overlaps with the I/O and
 * the device sees several writes and read-backs at once instead of one at a time.
 *
 * A big file's chunks are written with O_DIRECT (see writeDirect): measured here (ext4 on virtio,
 * 2 cores), dd wrote 2 GB past the cache in 1.4–1.8 s but took 4.8–7.7 s through the cache with
 * fdatasync; a warm 2 GB copy with 4 chunks in flight took 0.90× the time of the old one-at-a-time
 * loop written through the cache, 0.62× written past it (medians of 4 pairs, load ~9): the
 * read-back then only reads, it no longer first forces each chunk's write-back, and no page is
 * copied twice. Small files keep buffered writes: one write into the cache, cheaper than aligning a
 * buffer for them. An early fdatasync of the written ranges is not reachable from Node (no
 * sync_file_range) and has nothing to flush once the chunks went past the cache; one fdatasync at
 * the end still flushes the drive's cache, the tail and the size.
 *
 * The source is read only up to the size it had when opened; a source that ends early stops the
 * loop (copyOnce then reports `changed`). The first write or read-back error ends it too.
 */
async function streamChunks(
  stream: ChunkStream,
): Promise<{ copied: number; intact: boolean; sha512: string }> {
  const { io, sourceFd, targetFd, size, sparse, context, track } = stream;
  const slots = stream.set.chunks;
  const chunkBytes = slots[0]!.data.length;
  const chunkCount = Math.ceil(size / chunkBytes);
  const hash = createHash('sha512');
  const reads: Array<Promise<number>> = [];
  const checks: Array<Promise<boolean>> = [];
  /** The first write or read-back error: the loop ends with it at its next chunk. */
  let failure: unknown;

  /** Reads chunk `index` into its buffer once `previous` (the chunk that used the buffer) is done with it. */
  const read = (index: number, previous: Promise<unknown>): void => {
    const into = slots[index % slots.length]!;
    const position = index * chunkBytes;
    const length = Math.min(chunkBytes, size - position);
    const start = (): Promise<number> =>
      stream.stop.stopped || failure !== undefined
        ? Promise.resolve(0)
        : readFully(sourceFd, into.data, 0, length, position, false, io.readFd).catch(onSide('source'));
    reads[index] = track(previous.then(start, () => 0));
  };

  /** Writes a chunk to the temp file, then reads it back and compares it. */
  const writeAndCheck = async (into: ChunkBuffers, chunk: Buffer, position: number): Promise<boolean> => {
    if (sparse) {
      onSideSync('destination', () =>
        writeSkippingZeros(chunk, position, (bytes, at) => io.writeAllSync(targetFd, bytes, at)),
      );
    } else if (chunkCount === 1) {
      // most files: one write, cheaper made here than with a thread-pool round trip
      onSideSync('destination', () => io.writeAllSync(targetFd, chunk, position));
    } else if (stream.direct.fd !== null) {
      await writeDirect(io, stream.direct, targetFd, chunk, position);
    } else {
      await io.writeAll(targetFd, chunk, position).catch(onSide('destination'));
    }
    const last = position + chunk.length >= size;
    return stream.readBackMatches(into, chunk, position, last);
  };

  for (let index = 0; index < Math.min(slots.length, chunkCount); index++) read(index, Promise.resolve());
  let copied = 0;
  for (let index = 0; index < chunkCount; index++) {
    context.checkCancelled();
    const bytesRead = await reads[index]!;
    if (failure !== undefined) throw failure;
    const into = slots[index % slots.length]!;
    const position = index * chunkBytes;
    const chunk = into.data.subarray(0, bytesRead);
    const check = track(writeAndCheck(into, chunk, position));
    check.catch((error: unknown) => void (failure ??= error));
    checks.push(check);
    // Here, while the chunk is written and read back in the thread pool; a big chunk in slices,
    // letting the I/O that finished meanwhile start its next step between them.
    for (let at = 0; at < chunk.length; at += HASH_SLICE_BYTES) {
      if (at > 0) await new Promise((resolve) => setImmediate(resolve));
      hash.update(chunk.subarray(at, at + HASH_SLICE_BYTES));
    }
    // Only now, hashed, may the buffer take the chunk after next, once the check is done with it too.
    const ended = bytesRead < Math.min(chunkBytes, size - position); // the source shrank
    if (!ended && index + slots.length < chunkCount) read(index + slots.length, check);
    copied += bytesRead;
    context.onBytes(copied);
    if (ended) break;
  }
  const matched = await Promise.all(checks);
  return { copied, intact: matched.every(Boolean), sha512: hash.digest('hex') };
}

/** SHA-512 of a whole open file: the digest of a copy that read back wrong, for the report. */
function hashFdSync(fd: number, buffer: Buffer): string {
  const hash = createHash('sha512');
  for (let position = 0; ;) {
    const bytesRead = readSync(fd, buffer, 0, buffer.length, position);
    if (bytesRead === 0) return hash.digest('hex');
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/** The destination still holds the manifest's bytes: restore mode and mtime instead of copying. */
async function keepIfIntact(
  task: FileTask,
  expectSha512: string,
  context: TaskContext,
): Promise<TaskOutcome | null> {
  const digest = await hashFile(task.destination, context).catch((error: unknown) => {
    if (error instanceof CancelledError) throw error;
    return null; // unreadable or gone: copying it again is the answer
  });
  if (digest !== expectSha512) return null;
  try {
    const stat = await lstat(task.source).catch(onSide('source'));
    if (!stat.isFile()) return failed('unreadable', 'source: is no longer a regular file');
    await chmod(task.destination, stat.mode & MODE_BITS).catch(onSide('destination'));
    await utimes(task.destination, stat.atimeMs / 1000, stat.mtimeMs / 1000).catch(onSide('destination'));
    return { status: 'unchanged', size: stat.size, mtimeMs: stat.mtimeMs, sha512: digest };
  } catch (error) {
    if (error instanceof SideError) return sideFailure(error);
    throw error;
  }
}

/** Copies a symbolic link as a link: the target bytes verbatim, never resolved or followed. */
async function copyLink(task: LinkTask, context: TaskContext): Promise<TaskOutcome> {
  context.checkCancelled();
  let linkTarget: Buffer;
  let times: { atime: number; mtime: number };
  try {
    const stat = await lstat(task.source);
    if (!stat.isSymbolicLink()) return failed('changed', 'source: is no longer a symbolic link');
    linkTarget = await readlink(task.source, { encoding: 'buffer' });
    times = { atime: stat.atimeMs / 1000, mtime: stat.mtimeMs / 1000 };
  } catch (error) {
    return sideFailure(new SideError('source', error));
  }
  const existing = await readlink(task.destination, { encoding: 'buffer' }).catch(() => null);
  const temp = tempPathFor(task.destination, context.token);
  let tempExists = false;
  try {
    if (existing?.equals(linkTarget)) {
      await lutimes(task.destination, times.atime, times.mtime);
      return { status: 'linked', changed: false };
    }
    await symlink(linkTarget, temp);
    tempExists = true;
    await lutimes(temp, times.atime, times.mtime);
    await rename(temp, task.destination);
    tempExists = false;
    return { status: 'linked', changed: true };
  } catch (error) {
    return sideFailure(new SideError('destination', error));
  } finally {
    if (tempExists) await unlink(temp).catch(ignore);
  }
}

/** `--verify-only`: re-hashes a destination file and compares it with its manifest entry. */
async function verifyFile(task: VerifyTask, context: TaskContext): Promise<TaskOutcome> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(task.destination, NO_FOLLOW_READ);
    const stat = await handle.stat();
    if (!stat.isFile()) return failed('mismatch', 'is no longer a regular file');
    if (stat.size !== task.size) {
      return failed('mismatch', `holds ${stat.size} bytes, the manifest says ${task.size}`, {
        sourceSha512: task.sha512,
      });
    }
    const digest = await hashHandle(handle, context);
    if (digest !== task.sha512) {
      return failed('mismatch', 'its SHA-512 differs from the manifest', {
        sourceSha512: task.sha512,
        destinationSha512: digest,
      });
    }
    return { status: 'verified' };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ENOENT') return failed('missing', 'is listed in the manifest but missing');
    if (code === 'ELOOP') return failed('mismatch', 'is a symbolic link now');
    return failed('unreadable', message);
  } finally {
    await handle?.close().catch(ignore);
  }
}

/** SHA-512 of a file, read once, links not followed. */
async function hashFile(file: string, context: TaskContext): Promise<string> {
  const handle = await open(file, NO_FOLLOW_READ);
  try {
    if (!(await handle.stat()).isFile()) throw systemError('EINVAL', `${file} is not a regular file`);
    return await hashHandle(handle, context);
  } finally {
    await handle.close().catch(ignore);
  }
}

/** SHA-512 of everything an open file holds, from byte 0, reporting progress. */
async function hashHandle(handle: FileHandle, context: TaskContext): Promise<string> {
  const pool = context.buffers ?? new BufferPool(1);
  const buffers = await pool.acquire();
  try {
    const hash = createHash('sha512');
    for (let position = 0; ;) {
      context.checkCancelled();
      const { data } = buffers.chunks[0]!;
      const { bytesRead } = await handle.read(data, 0, data.length, position);
      if (bytesRead === 0) return hash.digest('hex');
      hash.update(data.subarray(0, bytesRead));
      position += bytesRead;
      context.onBytes(position);
    }
  } finally {
    pool.release(buffers);
  }
}
