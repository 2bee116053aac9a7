// A disk that misbehaves on cue, under the real copy code: wraps a FileIo so that reading a file
// fails, its copy comes back corrupted, the worker dies half way through it, or every read is slow.
// No real file system does these on cue (and tests run as root here, so chmod 000 does not make a
// file unreadable). Used by the worker script of test-support/faulty-worker.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PathLike } from 'node:fs';
import { systemError, type FileIo } from '../file-io.js';
import { isTempName } from '../temp-names.js';

/** What goes wrong. Paths are relative to the source root ('/'-separated). */
export interface DiskFaults {
  /** Reading this file fails with this error code after its first chunk was copied. */
  readError?: { path: string; code: string };
  /**
   * A byte of this file's temp copy is flipped as it is written, on its first `times` tries: the
   * first byte of the write at byte `at` (a chunk's start; 0 when absent).
   */
  corrupt?: { path: string; times: number; at?: number };
  /**
   * The worker thread exits once it has written the first chunk of this file, the first `attempts`
   * times it gets there (counted across worker threads in `crashCounter`).
   */
  crash?: { path: string; attempts: number };
  /** Every read of a source waits this long, one read at a time per worker: a slow disk. */
  chunkDelayMs?: number;
}

/** Where a fault keeps what must outlive a worker thread. */
export interface FaultState {
  /** A file counting the crashes so far (absent: none yet). */
  crashCounter: string;
}

/** Whether `file` (absolute) is `relative` under some root. */
function isPath(file: string, relative: string): boolean {
  return file.endsWith(`${path.sep}${relative.split('/').join(path.sep)}`);
}

/** The destination a temp file stands for: `dir/.name.mytimer-tmp-<token>` → `dir/name`. */
function destinationOf(temp: string): string {
  const name = path.basename(temp);
  return isTempName(name) ? path.join(path.dirname(temp), name.slice(1, name.lastIndexOf('.'))) : temp;
}

function readCount(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

/** `io`, with `faults` striking where they say. */
export function faultyFileIo(io: FileIo, faults: DiskFaults, state: FaultState): FileIo {
  /** What each open descriptor is: the absolute source, or the destination its temp file stands for. */
  const opened = new Map<number, string>();
  /** Temp files made so far per destination, in this thread: a copy's tries. */
  const tries = new Map<string, number>();
  /** The slow disk serves one read at a time: when it is free again. */
  let diskFreeAt = 0;

  const is = (fd: number, fault: { path: string } | undefined): boolean => {
    const file = opened.get(fd);
    return fault !== undefined && file !== undefined && isPath(file, fault.path);
  };

  /** What a write of `bytes` puts on the disk: a byte of them flipped, if `corrupt` strikes. */
  const corrupted = (fd: number, bytes: Buffer, position: number): Buffer => {
    const corrupt = faults.corrupt;
    const destination = opened.get(fd) ?? '';
    if (!corrupt || position !== (corrupt.at ?? 0) || !is(fd, corrupt)) return bytes;
    if ((tries.get(destination) ?? 0) > corrupt.times) return bytes;
    const flipped = Buffer.from(bytes);
    flipped[0] = (flipped[0] ?? 0) ^ 0xff;
    return flipped;
  };

  /** Ends the thread after the first chunk of the `crash` file was written, as often as it says. */
  const crashAfterWrite = (fd: number, position: number): void => {
    const crash = faults.crash;
    if (crash && position === 0 && is(fd, crash)) {
      const crashes = readCount(state.crashCounter);
      if (crashes < crash.attempts) {
        writeFileSync(state.crashCounter, String(crashes + 1));
        process.exit(1); // in a worker thread this ends the thread, as a crash would
      }
    }
  };

  return {
    async openFd(file: PathLike, flags: number, mode?: number) {
      const fd = await io.openFd(file, flags, mode);
      opened.set(fd, String(file));
      return fd;
    },
    async readFd(fd, buffer, offset, length, position) {
      if (faults.chunkDelayMs) {
        const start = Math.max(Date.now(), diskFreeAt);
        diskFreeAt = start + faults.chunkDelayMs;
        await new Promise((resolve) => setTimeout(resolve, diskFreeAt - Date.now()));
      }
      if (position > 0 && is(fd, faults.readError)) {
        const file = opened.get(fd) ?? '';
        throw systemError(faults.readError?.code ?? 'EIO', `injected read error, read '${file}'`);
      }
      return io.readFd(fd, buffer, offset, length, position);
    },
    async createTemp(file: string, flags: number, mode: number) {
      const fd = await io.createTemp(file, flags, mode);
      const destination = destinationOf(String(file));
      opened.set(fd, destination);
      tries.set(destination, (tries.get(destination) ?? 0) + 1);
      return fd;
    },
    writeAllSync(fd, bytes, position) {
      io.writeAllSync(fd, corrupted(fd, bytes, position), position);
      crashAfterWrite(fd, position);
    },
    async writeAll(fd, bytes, position) {
      await io.writeAll(fd, corrupted(fd, bytes, position), position);
      crashAfterWrite(fd, position);
    },
    async openReadBack(file) {
      const fd = await io.openReadBack(file);
      if (fd !== null) opened.set(fd, destinationOf(file)); // big files are written through it too
      return fd;
    },
    readBack: (fd, buffers, position, length, last, direct) =>
      io.readBack(fd, buffers, position, length, last, direct),
    fdatasyncFd: (fd) => io.fdatasyncFd(fd),
  };
}
