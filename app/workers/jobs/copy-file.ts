import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, lutimes, open, readlink, rename, symlink, unlink, utimes, chmod } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  CopyFaults,
  CopyTask,
  FailureReason,
  FileTask,
  LinkTask,
  TaskOutcome,
  VerifyTask,
} from './protocol.js';
import { errorCode } from './errors.js';
import { tempPathFor } from './temp-names.js';

/** Big enough for disk throughput, small enough that a cancel is noticed within milliseconds. */
const CHUNK_BYTES = 1 << 20;
/**
 * Never follow a link out of the tree (a file swapped for a link after the scan fails with ELOOP),
 * and never block on a FIFO swapped in after the scan (the fstat then rejects it).
 */
const NO_FOLLOW_READ = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
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
  /** The batch's attempt: 0, or 1 when re-run after a worker died. */
  attempt: number;
  faults: CopyFaults;
  /** Throws CancelledError once the job is cancelled; called between chunks. */
  checkCancelled(): void;
  /** Bytes of the current task processed so far (0 again when a copy is retried). */
  onBytes(bytes: number): void;
  /** Ends the worker thread at once (the `crash` fault); never returns. */
  exitWorker(): never;
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

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

const ignore = (): undefined => undefined;

/**
 * Copies a regular file: one read of the source, hashed as it streams into a temp file next to
 * the destination; the temp file is synced, read back and hashed; only when both SHA-512 digests
 * match does it get the source's mode and mtime and take the real name (one rename). A mismatch, or
 * a source modified during the copy, is retried once.
 */
async function copyFile(task: FileTask, context: TaskContext): Promise<TaskOutcome> {
  if (task.expectSha512 !== undefined) {
    const kept = await keepIfIntact(task, task.expectSha512, context);
    if (kept) return kept;
  }
  const first = await copyOnce(task, context, 0);
  if (first.status !== 'failed' || (first.reason !== 'mismatch' && first.reason !== 'changed')) return first;
  context.onBytes(0);
  const second = await copyOnce(task, context, 1);
  return second.status === 'copied' ? { ...second, retried: true } : second;
}

async function copyOnce(task: FileTask, context: TaskContext, tryNumber: number): Promise<TaskOutcome> {
  const temp = tempPathFor(task.destination, context.token);
  let source: FileHandle | undefined;
  let target: FileHandle | undefined;
  let tempExists = false;
  try {
    source = await open(task.source, NO_FOLLOW_READ).catch(onSide('source'));
    const before = await source.stat().catch(onSide('source'));
    if (!before.isFile()) return failed('unreadable', 'source: is no longer a regular file');
    target = await open(temp, 'wx+', 0o600).catch(onSide('destination'));
    tempExists = true;

    const hash = createHash('sha512');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let copied = 0;
    for (;;) {
      context.checkCancelled();
      const { bytesRead } = await source.read(buffer, 0, CHUNK_BYTES, copied).catch(onSide('source'));
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      await writeAll(target, buffer.subarray(0, bytesRead), copied).catch(onSide('destination'));
      copied += bytesRead;
      context.onBytes(copied);
      await afterChunk(task, context);
    }
    if (copied === 0) await afterChunk(task, context);
    const sourceSha512 = hash.digest('hex');

    const after = await source.stat().catch(onSide('source'));
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || copied !== before.size) {
      return failed('changed', `source: changed while it was copied (${before.size} → ${after.size} bytes)`);
    }
    const corrupt = context.faults.corrupt;
    if (corrupt?.path === task.path && tryNumber < corrupt.times) await flipFirstByte(target);

    await target.datasync().catch(onSide('destination'));
    // The read-back comes from the page cache after the sync: it proves our own pipeline (short
    // writes, a wrong offset, a lying layer in between), not the platters; see the README.
    const destinationSha512 = await hashHandle(target, context, false).catch(onSide('destination'));
    if (destinationSha512 !== sourceSha512) {
      return failed('mismatch', 'the copy read back does not match the source', {
        sourceSha512,
        destinationSha512,
      });
    }
    await target.chmod(before.mode & MODE_BITS).catch(onSide('destination'));
    await target.utimes(before.atimeMs / 1000, before.mtimeMs / 1000).catch(onSide('destination'));
    await target.close().catch(onSide('destination'));
    target = undefined;
    await rename(temp, task.destination).catch(onSide('destination'));
    tempExists = false;
    return { status: 'copied', size: copied, mtimeMs: before.mtimeMs, sha512: sourceSha512, retried: false };
  } catch (error) {
    if (error instanceof SideError) return sideFailure(error);
    throw error;
  } finally {
    await target?.close().catch(ignore);
    if (tempExists) await unlink(temp).catch(ignore);
    await source?.close().catch(ignore);
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
    const digest = await hashHandle(handle, context, true);
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
    return await hashHandle(handle, context, true);
  } finally {
    await handle.close().catch(ignore);
  }
}

/** SHA-512 of everything an open file holds, from byte 0; `report`s progress unless it is a read-back. */
async function hashHandle(handle: FileHandle, context: TaskContext, report: boolean): Promise<string> {
  const hash = createHash('sha512');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (let position = 0; ;) {
    context.checkCancelled();
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) return hash.digest('hex');
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
    if (report) context.onBytes(position);
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, position + offset);
    if (bytesWritten <= 0) throw systemError('EIO', `write made no progress at byte ${position + offset}`);
    offset += bytesWritten;
  }
}

/** The test faults that strike after a chunk: a read error, a dying worker, a slow disk. */
async function afterChunk(task: FileTask, context: TaskContext): Promise<void> {
  const { readError, crash, chunkDelayMs } = context.faults;
  if (readError?.path === task.path) {
    throw new SideError('source', systemError(readError.code, `injected read error, read '${task.source}'`));
  }
  if (crash?.path === task.path && context.attempt < crash.attempts) context.exitWorker();
  if (chunkDelayMs) await sleep(chunkDelayMs);
  context.checkCancelled();
}

async function flipFirstByte(handle: FileHandle): Promise<void> {
  const first = Buffer.alloc(1);
  const { bytesRead } = await handle.read(first, 0, 1, 0);
  first[0] = bytesRead === 0 ? 0x2a : (first[0] ?? 0) ^ 0xff;
  await handle.write(first, 0, 1, 0);
}
