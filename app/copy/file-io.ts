// Low-level file I/O for the copy worker: callback-style calls on plain file descriptors wrapped in
// promises (lighter than a FileHandle object and its close promise per file, at thousands of files
// a second), the synchronous helpers, and the pool of buffers the tasks of a worker share.
//
// The calls a regular file's copy makes on its bytes go through a FileIo, so a test can put a disk
// that fails, corrupts, dies or is slow under the real copy code (see test-support/faulty-file-io.ts);
// the shipped worker always runs on nodeFileIo.
import {
  closeSync,
  constants,
  fdatasync,
  open,
  openSync,
  read,
  readSync,
  statfs,
  unlinkSync,
  writeSync,
  type PathLike,
} from 'node:fs';
import path from 'node:path';

/** Bytes read, hashed, written and read back at a time: files up to this size take one read. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * O_DIRECT wants the buffer's address, the file position and the length aligned to the device's
 * logical block size (512 B or 4 KiB). Positions are multiples of CHUNK_BYTES; lengths are rounded
 * up to this; the read-back buffer has this much slack to find an aligned start in.
 */
const DIRECT_ALIGN = 4096;
/** An ArrayBuffer's start is at least 8-byte aligned: the probe steps through the slack by this. */
const PROBE_STEP = 8;

/** The memory one task copies through. */
export interface TaskBuffers {
  /**
   * Source bytes, a chunk at a time, in two buffers: the next chunk is read into one while the
   * current one is hashed, written and read back.
   */
  data: [Buffer, Buffer];
  /** What the read-back reads into: a chunk and a byte (a file that goes on shows), plus O_DIRECT slack. */
  check: Buffer;
  /** Where in `check` an O_DIRECT read works (found by probing, see readBack); -1: nowhere. */
  directOffset?: number;
}

function allocateBuffers(chunkBytes: number): TaskBuffers {
  return {
    data: [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)],
    check: Buffer.allocUnsafe(chunkBytes + 2 * DIRECT_ALIGN),
  };
}

/**
 * Buffers shared by the tasks of one worker: at most `max` sets exist; a task that finds them all
 * lent waits for one. A task holds a set only while it reads, writes and reads back, not while its
 * file is synced and renamed, so a worker can have many files in flight in little memory.
 */
export class BufferPool {
  private readonly spare: TaskBuffers[] = [];
  private readonly waiting: Array<(buffers: TaskBuffers) => void> = [];
  private made = 0;

  constructor(
    private readonly max: number,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  acquire(): Promise<TaskBuffers> {
    const spare = this.spare.pop();
    if (spare) return Promise.resolve(spare);
    if (this.made < this.max) {
      this.made++;
      return Promise.resolve(allocateBuffers(this.chunkBytes));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(buffers: TaskBuffers): void {
    const next = this.waiting.shift();
    if (next) next(buffers);
    else this.spare.push(buffers);
  }
}

/**
 * Opens (and with O_CREAT creates) a file on this thread: on a local disk that takes microseconds,
 * less than the thread-pool round trip of openFd. A failure rejects, as openFd's does.
 */
export async function openFdNow(file: PathLike, flags: number, mode?: number): Promise<number> {
  return openSync(file, flags, mode);
}

export function openFd(file: PathLike, flags: number, mode?: number): Promise<number> {
  return new Promise((resolve, reject) =>
    open(file, flags, mode, (error, fd) => (error ? reject(error) : resolve(fd))),
  );
}

/** One pread; resolves with the bytes read (0 at the end of the file). */
export function readFd(
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, offset, length, position, (error, bytesRead) =>
      error ? reject(error) : resolve(bytesRead),
    ),
  );
}

export function fdatasyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

// Reading a copy back from the device (Linux). Node has no posix_fadvise, so the choice was:
//  (a) O_DIRECT reads — taken. An O_DIRECT read of a range first writes that range's dirty pages
//      to the device and waits (the kernel's kiocb_write_and_wait), then reads the range from the
//      device, bypassing the page cache. It needs an aligned buffer, position and length; JS cannot
//      see a buffer's address, so the read-back buffer is over-allocated and the aligned start is
//      found by probing (EINVAL until the address is aligned), once per buffer set.
//  (b) posix_fadvise(POSIX_FADV_DONTNEED) from an N-API addon: a native module in the app would
//      need electron-rebuild and asarUnpack in every installer, for one call. Not taken.
//  (c) other ways to evict clean pages (a new O_DIRECT write over them, mmap tricks): they rewrite
//      the data or need calls Node lacks. Not taken.
// The read-back of each chunk therefore fetches what the device holds; fdatasync afterwards makes
// it durable (it adds the drive's cache flush and the metadata, which a read after it could not
// observe either: a flush does not make reads bypass the drive's cache).
// Where O_DIRECT is refused (EINVAL: some file systems, network mounts) or means nothing (tmpfs,
// ramfs: memory is the storage), the copy is read back through the page cache and its outcome says
// `readBack: 'cache'`. macOS (F_NOCACHE via fcntl) and Windows (FILE_FLAG_NO_BUFFERING) have the
// same idea but Node reaches neither, and fs.constants.O_DIRECT is undefined there: cache only.

const O_DIRECT: number | undefined = (constants as { O_DIRECT?: number }).O_DIRECT;
/** statfs types whose files live in memory: an O_DIRECT read there proves nothing more. */
const MEMORY_FILE_SYSTEMS = new Set([0x01021994 /* tmpfs */, 0x858458f6 /* ramfs */]);
/** Folders already asked whether they are in memory (statfs once per folder, not per file). */
const inMemoryByFolder = new Map<string, Promise<boolean>>();
const FOLDERS_REMEMBERED = 1024;

function inMemory(folder: string): Promise<boolean> {
  let known = inMemoryByFolder.get(folder);
  if (!known) {
    if (inMemoryByFolder.size >= FOLDERS_REMEMBERED) inMemoryByFolder.clear();
    known = new Promise((resolve) =>
      statfs(folder, (error, stats) => resolve(!error && MEMORY_FILE_SYSTEMS.has(stats.type))),
    );
    inMemoryByFolder.set(folder, known);
  }
  return known;
}

/**
 * Opens `file` (the temp file just created) a second time, for reading it back from the device:
 * O_DIRECT. Resolves with null where that proves nothing or is refused: read back through the cache.
 */
export async function openReadBack(file: string): Promise<number | null> {
  if (O_DIRECT === undefined || (await inMemory(path.dirname(file)))) return null;
  return openFdNow(file, constants.O_RDONLY | O_DIRECT).catch(() => null);
}

const alignUp = (bytes: number): number => Math.ceil(bytes / DIRECT_ALIGN) * DIRECT_ALIGN;

/** Reads up to `length` bytes at `position` into `into` from `offset`, as many calls as it takes. */
async function readFully(
  fd: number,
  into: Buffer,
  offset: number,
  length: number,
  position: number,
  direct: boolean,
): Promise<number> {
  let got = 0;
  while (got < length) {
    const bytesRead = await readFd(fd, into, offset + got, length - got, position + got);
    got += bytesRead;
    // The end of the file; with O_DIRECT a read that stops off a block boundary is the end too.
    if (bytesRead === 0 || (direct && got % 512 !== 0)) break;
  }
  return got;
}

/** Finds where in `check` an O_DIRECT read works, doing the first read-back there. */
async function probeDirect(
  fd: number,
  buffers: TaskBuffers,
  position: number,
  length: number,
): Promise<number> {
  for (let offset = 0; offset < DIRECT_ALIGN; offset += PROBE_STEP) {
    try {
      const got = await readFully(fd, buffers.check, offset, length, position, true);
      buffers.directOffset = offset;
      return got;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
    }
  }
  buffers.directOffset = -1;
  throw systemError('EINVAL', 'no O_DIRECT alignment found for the read-back buffer');
}

/**
 * Reads `length` bytes of a copy back from `position` into `buffers.check`, one byte more when
 * `last` (so a file longer than expected shows), and returns what it got (shorter than `length` if
 * the file ends early). `direct`: `fd` was opened by openReadBack, and the bytes come from the
 * device (the whole aligned length is asked for; a short read at the end of the file is normal);
 * an EINVAL then means the file system refuses O_DIRECT here: the caller reads through the cache.
 */
export async function readBack(
  fd: number,
  buffers: TaskBuffers,
  position: number,
  length: number,
  last: boolean,
  direct: boolean,
): Promise<Buffer> {
  const want = last ? length + 1 : length;
  if (!direct) {
    const got = await readFully(fd, buffers.check, 0, want, position, false);
    return buffers.check.subarray(0, Math.min(got, want));
  }
  const aligned = alignUp(want);
  let offset = buffers.directOffset;
  let got: number;
  if (offset === -1) throw systemError('EINVAL', 'no O_DIRECT alignment for the read-back buffer');
  if (offset === undefined) {
    got = await probeDirect(fd, buffers, position, aligned);
    offset = buffers.directOffset ?? 0;
  } else {
    try {
      got = await readFully(fd, buffers.check, offset, aligned, position, true);
    } catch (error) {
      // another device with a larger logical block: probe again
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
      got = await probeDirect(fd, buffers, position, aligned);
      offset = buffers.directOffset ?? 0;
    }
  }
  return buffers.check.subarray(offset, offset + Math.min(got, want));
}

/** Writes all of `bytes` at `position`, however many calls it takes. */
export function writeAllSync(fd: number, bytes: Buffer, position: number): void {
  for (let offset = 0; offset < bytes.length;) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset, position + offset);
    if (written <= 0) throw systemError('EIO', `write made no progress at byte ${position + offset}`);
    offset += written;
  }
}

/**
 * Reads `length` bytes back from `position` into `into`, one byte more when `last` (so a file
 * longer than expected shows). Returns what it got: shorter than `length` if the file ends early.
 */
export function readBackSync(
  fd: number,
  into: Buffer,
  position: number,
  length: number,
  last: boolean,
): Buffer {
  const want = last ? length + 1 : length;
  let got = 0;
  do {
    const bytesRead = readSync(fd, into, got, want - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  } while (got < length);
  return into.subarray(0, got);
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // closed already, or nothing left to do about it
  }
}

export function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}

export function systemError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/**
 * The file I/O a regular file's copy goes through (see copyOnce in copy-file.ts): the source is
 * opened and read, the temp file created, written, read back and synced.
 */
export interface FileIo {
  /** Opens the source (asynchronously: it may wait on the disk). */
  openFd(file: PathLike, flags: number, mode?: number): Promise<number>;
  /** Reads the source: one pread, resolving with the bytes read (0 at the end of the file). */
  readFd(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** Creates the temp file. */
  createTemp(file: string, flags: number, mode: number): Promise<number>;
  /** Opens the temp file for reading it back from the device; null: through the cache (see openReadBack). */
  openReadBack(file: string): Promise<number | null>;
  /** Writes all of `bytes` to the temp file at `position`. */
  writeAllSync(fd: number, bytes: Buffer, position: number): void;
  /** Reads the temp file back (see readBack); a test can look at the file just before. */
  readBack(
    fd: number,
    buffers: TaskBuffers,
    position: number,
    length: number,
    last: boolean,
    direct: boolean,
  ): Promise<Buffer>;
  /** Flushes the temp file's bytes to the disk. */
  fdatasyncFd(fd: number): Promise<void>;
}

/** The real thing: Node's fs. */
export const nodeFileIo: FileIo = {
  openFd,
  readFd,
  createTemp: openFdNow,
  openReadBack,
  writeAllSync,
  readBack,
  fdatasyncFd,
};
