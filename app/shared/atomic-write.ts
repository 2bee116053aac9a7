import { createHash, randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** The file-system calls writeFileAtomic makes; injectable so tests can fail any step. */
export type AtomicFs = Pick<typeof fsp, 'open' | 'rename' | 'unlink' | 'stat' | 'readFile'>;

/** Options for writeFileAtomic. */
export interface WriteFileAtomicOptions {
  /** File mode; by default an existing target's mode is kept and a new file gets 0666 minus the umask. */
  mode?: number;
  fs?: AtomicFs;
}

/** A failed atomic write: names the target and keeps the cause's `code` (ENOSPC, EDQUOT, EIO, …). */
export class AtomicWriteError extends Error {
  override readonly name = 'AtomicWriteError';
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`could not write ${path}: ${reason}`, { cause });
    this.code = errorCode(cause);
  }
}

/** The `code` of a Node system error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/** Directory fsync is unsupported on Windows and some file systems; the rename has happened anyway. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EACCES']);

/**
 * Replaces `file` with `data` so that a reader sees the old bytes or the new ones, never a mix,
 * and a failure never costs the old file. The bytes go to a temp file in the same dir, are
 * fsynced and read back, and only a verified copy is renamed over the target. Writing in place
 * (or truncating first, as some popular libraries do) loses the good file on a full disk.
 * On any failure the temp file is removed and an AtomicWriteError is thrown.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Buffer,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await replaceFile(file, options, async (handle) => {
    await writeAll(handle, bytes);
    return (fs, temp) => verify(fs, temp, bytes);
  });
}

/** How the temp file's content is checked once it is synced and closed. */
type TempCheck = (fs: AtomicFs, temp: string) => Promise<void>;

/**
 * The steps both writers share: a temp file beside `file` (mode kept, exact), filled by `fill`,
 * fsynced, closed, checked as `fill` says, renamed over `file`, the folder synced. On any failure
 * the temp file is removed and an AtomicWriteError is thrown.
 */
async function replaceFile(
  file: string,
  options: WriteFileAtomicOptions,
  fill: (handle: FileHandle) => Promise<TempCheck>,
): Promise<void> {
  const fs = options.fs ?? fsp;
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  let handle: FileHandle | undefined;
  let created = false;
  try {
    const mode = options.mode ?? (await existingMode(fs, file));
    handle = await fs.open(temp, 'wx', mode ?? 0o666);
    created = true;
    // open() applies the umask; an explicit or inherited mode must be exact.
    if (mode !== undefined) await handle.chmod(mode);
    const check = await fill(handle);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await check(fs, temp);
    await fs.rename(temp, file);
    created = false;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (created) await fs.unlink(temp).catch(() => undefined);
    throw new AtomicWriteError(file, error);
  }
  await syncDir(fs, dir).catch((error: unknown) => {
    throw new AtomicWriteError(file, error);
  });
}

async function existingMode(fs: AtomicFs, file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o7777;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer, at = 0): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, at + offset);
    if (bytesWritten <= 0) throw codedError('EIO', `write made no progress at byte ${at + offset}`);
    offset += bytesWritten;
  }
}

/** Trust nothing before the rename: a short write or a lying layer must not replace a good file. */
async function verify(fs: AtomicFs, temp: string, bytes: Buffer): Promise<void> {
  const { size } = await fs.stat(temp);
  if (size !== bytes.length) {
    throw codedError('EIO', `temp file ${temp} holds ${size} bytes, expected ${bytes.length}`);
  }
  if (!bytes.equals(await fs.readFile(temp))) {
    throw codedError('EIO', `temp file ${temp} does not read back as written`);
  }
}

/** How much of a streamed temp file is read back at a time. */
const READ_BACK_CHUNK_BYTES = 1 << 20;

/**
 * writeFileAtomic for a file too big to hold twice in memory (a copy manifest of 100,000s of
 * files): the same temp file, fsync, read-back, rename and folder sync, but the content comes as
 * chunks, written as they come, and the read-back compares the SHA-512 of the bytes on disk (read
 * a chunk at a time) with that of the bytes written, instead of holding both copies.
 */
export async function writeFileAtomicChunks(
  file: string,
  chunks: Iterable<string | Buffer>,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  await replaceFile(file, options, async (handle) => {
    const written = createHash('sha512');
    let length = 0;
    for (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      await writeAll(handle, bytes, length);
      written.update(bytes);
      length += bytes.length;
    }
    const digest = written.digest();
    return (fs, temp) => verifyDigest(fs, temp, length, digest);
  });
}

/** verify() for a streamed file: its size, then its bytes read back a chunk at a time, by digest. */
async function verifyDigest(fs: AtomicFs, temp: string, length: number, digest: Buffer): Promise<void> {
  const { size } = await fs.stat(temp);
  if (size !== length) throw codedError('EIO', `temp file ${temp} holds ${size} bytes, expected ${length}`);
  const read = createHash('sha512');
  const buffer = Buffer.allocUnsafe(Math.min(READ_BACK_CHUNK_BYTES, Math.max(1, length)));
  const handle = await fs.open(temp, 'r');
  try {
    for (let position = 0; position < length;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead <= 0)
        throw codedError('EIO', `temp file ${temp} ends at byte ${position}, expected ${length}`);
      read.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  if (!read.digest().equals(digest))
    throw codedError('EIO', `temp file ${temp} does not read back as written`);
}

/** Makes the rename itself durable: without this a power cut can bring the old directory entry back. */
async function syncDir(fs: AtomicFs, dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
