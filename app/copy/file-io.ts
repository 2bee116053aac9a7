// Low-level file I/O for the copy worker: callback-style calls on plain file descriptors wrapped in
// promises (lighter than a FileHandle object and its close promise per file, at thousands of files
// a second), the synchronous helpers, and the pool of buffers the tasks of a worker share.
//
// The calls a regular file's copy makes on its bytes go through a FileIo, so a test can put a disk
// that fails, corrupts, dies or is slow under the real copy code (see test-support/faulty-file-io.ts);
// the shipped worker always runs on nodeFileIo.
import {
  closeSync,
  fdatasync,
  open,
  openSync,
  read,
  readSync,
  unlinkSync,
  writeSync,
  type PathLike,
} from 'node:fs';

/** Bytes read, hashed, written and read back at a time: files up to this size take one read. */
export const CHUNK_BYTES = 256 * 1024;

/** The memory one task copies through. */
export interface TaskBuffers {
  /** Source bytes, a chunk at a time. */
  data: Buffer;
  /** The same bytes read back from the temp file (one byte longer: a temp file that goes on shows). */
  check: Buffer;
}

function allocateBuffers(chunkBytes: number): TaskBuffers {
  return { data: Buffer.allocUnsafe(chunkBytes), check: Buffer.allocUnsafe(chunkBytes + 1) };
}

/**
 * Buffers shared by the tasks of one worker: at most `max` sets exist; a task that finds them all
 * lent waits for one. A task holds a set only while it reads, writes and compares (not while its
 * file is synced and renamed), so a worker can have many files in flight in little memory.
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
  openSync(file: PathLike, flags: number, mode?: number): number;
  /** Writes all of `bytes` to the temp file at `position`. */
  writeAllSync(fd: number, bytes: Buffer, position: number): void;
  /** Reads the temp file back (see readBackSync). */
  readBackSync(fd: number, into: Buffer, position: number, length: number, last: boolean): Buffer;
  /** Flushes the temp file's bytes to the disk. */
  fdatasyncFd(fd: number): Promise<void>;
}

/** The real thing: Node's fs. */
export const nodeFileIo: FileIo = {
  openFd,
  readFd,
  openSync: (file, flags, mode) => openSync(file, flags, mode),
  writeAllSync,
  readBackSync,
  fdatasyncFd,
};
