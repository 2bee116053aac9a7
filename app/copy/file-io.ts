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
  statfs,
  unlinkSync,
  write,
  writeSync,
  type PathLike,
} from 'node:fs';
import path from 'node:path';

/** Bytes read, hashed, written and read back at a time: files up to this size take one read. */
export const CHUNK_BYTES = 256 * 1024;
/** Chunks of a file in flight at once (read, written, read back), for files below BIG_FILE_BYTES. */
const CHUNKS_IN_FLIGHT = 2;

// A big file goes through bigger chunks, more of them in flight. Each chunk is read from the source
// (libuv's thread pool), hashed here, written past the page cache (thread pool, O_DIRECT) and read
// back from the device (thread pool, O_DIRECT) while the next chunks are read and hashed: the disk
// sees BIG_CHUNKS_IN_FLIGHT writes and read-backs at once and the worker thread is left with SHA-512
// and the comparison (see streamChunks in copy-file.ts). 4 × 4 MiB beat 4 × 2 MiB (cold 2 GB copy,
// in-process, 3 rounds: 0.65–0.90× the time) and matched 6 × 4 MiB; memory decided the rest.
// Memory: BIG_CHUNKS_IN_FLIGHT × (data + read-back) = 4 × 2 × 4 MiB = 32 MiB per big file being
// copied; a worker has one such set (made on its first big file, then kept) and its other big files
// wait for it, so a job holds at most 32 MiB per worker for big files, on top of its small sets
// (BufferPool's `max` × 2 × 2 × 256 KiB). Files below BIG_FILE_BYTES (most of a tree) never make one.
/** Files of at least this many bytes take the big set (4 chunks or more). */
export const BIG_FILE_BYTES = 16 * 1024 * 1024;
/** A big file's chunk. */
export const BIG_CHUNK_BYTES = 4 * 1024 * 1024;
/** A big file's chunks in flight at once. */
export const BIG_CHUNKS_IN_FLIGHT = 4;

/**
 * O_DIRECT wants the buffer's address, the file position and the length aligned to the device's
 * logical block size (512 B or 4 KiB). Positions are multiples of the chunk size; lengths are rounded
 * up to this; the read-back buffer has this much slack to find an aligned start in.
 */
export const DIRECT_ALIGN = 4096;
/** An ArrayBuffer's start is at least 8-byte aligned: the probe steps through the slack by this. */
const PROBE_STEP = 8;

/** The memory of one chunk in flight. */
export interface ChunkBuffers {
  /** The chunk's source bytes: hashed, written, and compared with what is read back. */
  data: Buffer;
  /** What the read-back reads into: a chunk and a byte (a file that goes on shows), plus O_DIRECT slack. */
  check: Buffer;
  /** Where in `check` an O_DIRECT read works (found by probing, see readBack); -1: nowhere. */
  directOffset?: number;
}

/** The memory one task copies through: one ChunkBuffers per chunk in flight, all the same size. */
export interface TaskBuffers {
  chunks: ChunkBuffers[];
  /** Whether this is a big file's set (see BIG_FILE_BYTES): which pool it goes back to. */
  big: boolean;
}

/** The one WebAssembly API used here (lib ES2023 does not declare it): a memory mapped by whole pages. */
interface PageMemoryApi {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const WASM_PAGE = 64 * 1024;

/**
 * `bytes` of memory that start on a page boundary, so O_DIRECT can write from it and read into it:
 * JS cannot ask for an aligned Buffer, but a WebAssembly.Memory is mapped by whole pages. Where that
 * fails, an ordinary buffer: an O_DIRECT write from it then fails with EINVAL and the copy writes
 * through the page cache instead (see copy-file.ts), and the read-back finds its start by probing.
 */
function allocatePageAligned(bytes: number): Buffer {
  const api = (globalThis as { WebAssembly?: PageMemoryApi }).WebAssembly;
  try {
    if (api) return Buffer.from(new api.Memory({ initial: Math.ceil(bytes / WASM_PAGE) }).buffer, 0, bytes);
  } catch {
    // no room for another mapping: an ordinary buffer does, through the cache
  }
  return Buffer.allocUnsafe(bytes);
}

function allocateBuffers(chunkBytes: number, chunks: number, big: boolean): TaskBuffers {
  const checkBytes = chunkBytes + 2 * DIRECT_ALIGN;
  if (!big) {
    // The read-back buffers start on a page too (checkBytes is a multiple of DIRECT_ALIGN), so the
    // first O_DIRECT read into each works at offset 0: an ordinary buffer's start is only 8 or 16
    // bytes aligned, and finding a 512 B or 4 KiB aligned offset in it took up to 64 or 512 failed
    // reads, each a thread-pool round trip (seconds on a slow disk, for every new set).
    const checks = allocatePageAligned(chunks * checkBytes);
    return {
      chunks: Array.from({ length: chunks }, (_, index) => ({
        data: Buffer.allocUnsafe(chunkBytes),
        check: checks.subarray(index * checkBytes, (index + 1) * checkBytes),
      })),
      big,
    };
  }
  // A big set in one page-aligned block: every data buffer starts on a page (chunkBytes is a multiple
  // of the page), so its chunks can be written with O_DIRECT; the check buffers follow.
  const block = allocatePageAligned(chunks * (chunkBytes + checkBytes));
  return {
    chunks: Array.from({ length: chunks }, (_, index) => {
      const checkAt = chunks * chunkBytes + index * checkBytes;
      return {
        data: block.subarray(index * chunkBytes, (index + 1) * chunkBytes),
        check: block.subarray(checkAt, checkAt + checkBytes),
      };
    }),
    big,
  };
}

/** At most `max` sets of one shape; a task that finds them all lent waits for one, first come first served. */
class SetPool {
  private readonly spare: TaskBuffers[] = [];
  private readonly waiting: Array<(buffers: TaskBuffers) => void> = [];
  private made = 0;

  constructor(
    private readonly max: number,
    private readonly make: () => TaskBuffers,
  ) {}

  acquire(): Promise<TaskBuffers> {
    const spare = this.spare.pop();
    if (spare) return Promise.resolve(spare);
    if (this.made < this.max) {
      this.made++;
      return Promise.resolve(this.make());
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
 * Buffers shared by the tasks of one worker: at most `max` small sets (CHUNKS_IN_FLIGHT chunks of
 * `chunkBytes`) and one big set (BIG_CHUNKS_IN_FLIGHT chunks of BIG_CHUNK_BYTES, for files of
 * BIG_FILE_BYTES or more). A task that finds them all lent waits for one. A task holds a set only
 * while it reads, writes and reads back, not while its file is synced and renamed, so a worker can
 * have many files in flight in little memory.
 */
export class BufferPool {
  private readonly small: SetPool;
  private readonly big: SetPool;

  constructor(max: number, chunkBytes = CHUNK_BYTES) {
    this.small = new SetPool(max, () => allocateBuffers(chunkBytes, CHUNKS_IN_FLIGHT, false));
    this.big = new SetPool(1, () => allocateBuffers(BIG_CHUNK_BYTES, BIG_CHUNKS_IN_FLIGHT, true));
  }

  /** A set for a file of `fileBytes` (0: any file, the small set). */
  acquire(fileBytes = 0): Promise<TaskBuffers> {
    return (fileBytes >= BIG_FILE_BYTES ? this.big : this.small).acquire();
  }

  release(buffers: TaskBuffers): void {
    (buffers.big ? this.big : this.small).release(buffers);
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
 * O_DIRECT (read and write: a big file's chunks are written through it too, past the page cache).
 * Resolves with null where that proves nothing or is refused: read back through the cache.
 */
export async function openReadBack(file: string): Promise<number | null> {
  if (O_DIRECT === undefined || (await inMemory(path.dirname(file)))) return null;
  return openFdNow(file, constants.O_RDWR | O_DIRECT).catch(() => null);
}

const alignUp = (bytes: number): number => Math.ceil(bytes / DIRECT_ALIGN) * DIRECT_ALIGN;

/**
 * Reads up to `length` bytes at `position` into `into` from `offset`, as many calls of `read` as it
 * takes; fewer only where the file ends.
 */
export async function readFully(
  fd: number,
  into: Buffer,
  offset: number,
  length: number,
  position: number,
  direct: boolean,
  read: FileIo['readFd'] = readFd,
): Promise<number> {
  let got = 0;
  while (got < length) {
    const bytesRead = await read(fd, into, offset + got, length - got, position + got);
    got += bytesRead;
    // The end of the file; with O_DIRECT a read that stops off a block boundary is the end too.
    if (bytesRead === 0 || (direct && got % 512 !== 0)) break;
  }
  return got;
}

/** Finds where in `check` an O_DIRECT read works, doing the first read-back there. */
async function probeDirect(
  fd: number,
  into: ChunkBuffers,
  position: number,
  length: number,
): Promise<number> {
  for (let offset = 0; offset < DIRECT_ALIGN; offset += PROBE_STEP) {
    try {
      const got = await readFully(fd, into.check, offset, length, position, true);
      into.directOffset = offset;
      return got;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
    }
  }
  into.directOffset = -1;
  throw systemError('EINVAL', 'no O_DIRECT alignment found for the read-back buffer');
}

/**
 * Reads `length` bytes of a copy back from `position` into `into.check`, one byte more when
 * `last` (so a file longer than expected shows), and returns what it got (shorter than `length` if
 * the file ends early). `direct`: `fd` was opened by openReadBack, and the bytes come from the
 * device (the whole aligned length is asked for; a short read at the end of the file is normal);
 * an EINVAL then means the file system refuses O_DIRECT here: the caller reads through the cache.
 */
export async function readBack(
  fd: number,
  into: ChunkBuffers,
  position: number,
  length: number,
  last: boolean,
  direct: boolean,
): Promise<Buffer> {
  const want = last ? length + 1 : length;
  if (!direct) {
    const got = await readFully(fd, into.check, 0, want, position, false);
    return into.check.subarray(0, Math.min(got, want));
  }
  const aligned = alignUp(want);
  let offset = into.directOffset;
  let got: number;
  if (offset === -1) throw systemError('EINVAL', 'no O_DIRECT alignment for the read-back buffer');
  if (offset === undefined) {
    got = await probeDirect(fd, into, position, aligned);
    offset = into.directOffset ?? 0;
  } else {
    try {
      got = await readFully(fd, into.check, offset, aligned, position, true);
    } catch (error) {
      // another device with a larger logical block: probe again
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
      got = await probeDirect(fd, into, position, aligned);
      offset = into.directOffset ?? 0;
    }
  }
  return into.check.subarray(offset, offset + Math.min(got, want));
}

/** Writes all of `bytes` at `position` through libuv's thread pool, however many calls it takes. */
export async function writeAll(fd: number, bytes: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length;) {
    const written = await new Promise<number>((resolve, reject) =>
      write(fd, bytes, offset, bytes.length - offset, position + offset, (error, count) =>
        error ? reject(error) : resolve(count),
      ),
    );
    if (written <= 0) throw systemError('EIO', `write made no progress at byte ${position + offset}`);
    offset += written;
  }
}

/** Writes all of `bytes` at `position`, however many calls it takes. */
export function writeAllSync(fd: number, bytes: Buffer, position: number): void {
  for (let offset = 0; offset < bytes.length;) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset, position + offset);
    if (written <= 0) throw systemError('EIO', `write made no progress at byte ${position + offset}`);
    offset += written;
  }
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
  /**
   * Opens the temp file for reading it back from the device, and writing big files' chunks past the
   * cache; null: through the cache (see openReadBack).
   */
  openReadBack(file: string): Promise<number | null>;
  /** Writes all of `bytes` to the temp file at `position` (a one-chunk file: no thread-pool trip). */
  writeAllSync(fd: number, bytes: Buffer, position: number): void;
  /**
   * Writes all of `bytes` to the temp file at `position`, through libuv's thread pool; `fd` may be the
   * O_DIRECT one of openReadBack (then `bytes`, `position` and the length are block-aligned).
   */
  writeAll(fd: number, bytes: Buffer, position: number): Promise<void>;
  /** Reads the temp file back into `into` (see readBack); a test can look at the file just before. */
  readBack(
    fd: number,
    into: ChunkBuffers,
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
  writeAll,
  readBack,
  fdatasyncFd,
};
