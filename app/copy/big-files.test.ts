import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, truncateSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, runTask, type TaskContext } from './copy-file.js';
import {
  BIG_CHUNK_BYTES,
  BIG_CHUNKS_IN_FLIGHT,
  BIG_FILE_BYTES,
  BufferPool,
  nodeFileIo,
  systemError,
  type FileIo,
} from './file-io.js';
import type { CopyTask } from './messages.js';
import { faultyFileIo, type DiskFaults } from './test-support/faulty-file-io.js';

// Big files (BIG_FILE_BYTES and up) go through BIG_CHUNKS_IN_FLIGHT chunks at once: written with
// O_DIRECT, read back from the device and compared while the next chunks are read and hashed. These
// run the real thing on a real disk (O_DIRECT needs one; tmpfs would take the cache path), with the
// faulty FileIo or a thin wrapper of Node's fs where a fault is needed.

const TMPFS_MAGIC = 0x01021994;
const TOKEN = 'abcdef012345';
const digest = (bytes: Buffer) => createHash('sha512').update(bytes).digest('hex');

let dir: string;
let src: string;
let dst: string;
beforeEach(async () => {
  const base = (await statfs(os.tmpdir())).type === TMPFS_MAGIC ? '/var/tmp' : os.tmpdir();
  dir = await mkdtemp(path.join(base, 'mytimer-big-'));
  src = path.join(dir, 'src');
  dst = path.join(dir, 'dst');
  await mkdir(src);
  await mkdir(dst);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function context(io: FileIo, cancelAfterBytes?: number): TaskContext & { bytes: number[] } {
  const bytes: number[] = [];
  return {
    token: TOKEN,
    io,
    buffers: new BufferPool(2),
    bytes,
    checkCancelled() {
      if (cancelAfterBytes !== undefined && (bytes.at(-1) ?? 0) >= cancelAfterBytes)
        throw new CancelledError();
    },
    onBytes: (n) => void bytes.push(n),
  };
}

const faulty = (faults: DiskFaults): FileIo =>
  faultyFileIo(nodeFileIo, faults, { crashCounter: path.join(dir, 'crashes') });

function fileTask(name: string, size: number): CopyTask {
  return { kind: 'file', path: name, source: path.join(src, name), destination: path.join(dst, name), size };
}

async function sourceFile(name: string, size: number): Promise<Buffer> {
  const bytes = randomBytes(size);
  await writeFile(path.join(src, name), bytes);
  return bytes;
}

/**
 * Wraps `io` to count the read-backs waiting on the disk at once. The first one is held until a
 * second one starts (or 5 s pass): a loop that reads back one chunk at a time never gets a second.
 */
function countingReadBacks(io: FileIo): { io: FileIo; most: () => number } {
  let now = 0;
  let most = 0;
  let calls = 0;
  let secondStarted: () => void = () => undefined;
  const second = new Promise<void>((resolve) => {
    secondStarted = resolve;
    setTimeout(resolve, 5000).unref();
  });
  return {
    io: {
      ...io,
      async readBack(fd, into, position, length, last, direct) {
        most = Math.max(most, ++now);
        calls++;
        if (calls === 2) secondStarted();
        try {
          if (calls === 1) await second;
          return await io.readBack(fd, into, position, length, last, direct);
        } finally {
          now--;
        }
      },
    },
    most: () => most,
  };
}

const SIZE = 10 * BIG_CHUNK_BYTES + 12_345; // 11 chunks, the last one not block-aligned

describe.runIf(process.platform === 'linux')('copying a big file', () => {
  it('copies every size around its chunks byte for byte, reading it back from the device', async () => {
    const sizes = [BIG_FILE_BYTES, BIG_FILE_BYTES + 1, BIG_FILE_BYTES + 4096, SIZE];
    for (const [index, size] of sizes.entries()) {
      const bytes = await sourceFile(`f${index}`, size);
      const outcome = await runTask(fileTask(`f${index}`, size), context(nodeFileIo));
      expect(outcome).toEqual({
        status: 'copied',
        size,
        mtimeMs: expect.any(Number),
        sha512: digest(bytes),
        retried: false,
        readBack: 'device',
      });
      expect((await readFile(path.join(dst, `f${index}`))).equals(bytes)).toBe(true);
    }
    expect((await readdir(dst)).sort()).toEqual(['f0', 'f1', 'f2', 'f3']);
  });

  it('has several chunks read back at once, and fetches every byte of them from the storage layer', async () => {
    const bytes = await sourceFile('big', SIZE);
    const counting = countingReadBacks(nodeFileIo);
    const readBytes = () =>
      Number(
        /^read_bytes:\s+(\d+)/m.exec(
          execFileSync('cat', [`/proc/${process.pid}/io`], { encoding: 'utf8' }),
        )?.[1],
      );
    const before = readBytes();
    const outcome = await runTask(fileTask('big', SIZE), context(counting.io));
    expect(readBytes() - before).toBeGreaterThanOrEqual(SIZE); // the source is cached: this is the read-back
    expect(outcome).toMatchObject({ status: 'copied', sha512: digest(bytes), readBack: 'device' });
    expect(counting.most()).toBeGreaterThan(1);
    expect(counting.most()).toBeLessThanOrEqual(BIG_CHUNKS_IN_FLIGHT);
  });

  it('gets the digest right when chunks are read back before they are hashed (no buffer reused early)', async () => {
    // Read back through the cache, a chunk is written, read back and compared sooner than it is
    // hashed: its buffer must still not take the next chunk until the hash is done with it.
    const cacheOnly: FileIo = { ...nodeFileIo, openReadBack: () => Promise.resolve(null) };
    const bytes = await sourceFile('big', SIZE);
    for (let round = 0; round < 3; round++) {
      expect(await runTask(fileTask('big', SIZE), context(cacheOnly))).toMatchObject({
        status: 'copied',
        sha512: digest(bytes),
        readBack: 'cache',
      });
    }
  });

  it.each([
    ['the first', 0],
    ['a middle', 5],
    ['the last', 10],
  ])(
    'catches a byte corrupted in %s chunk while others are in flight, and keeps no temp file',
    async (_, chunk) => {
      const bytes = await sourceFile('big', SIZE);
      await writeFile(path.join(dst, 'big'), 'old copy');
      const at = chunk * BIG_CHUNK_BYTES;
      const twice = await runTask(
        fileTask('big', SIZE),
        context(faulty({ corrupt: { path: 'big', times: 2, at } })),
      );
      expect(twice).toMatchObject({ status: 'failed', reason: 'mismatch', sourceSha512: digest(bytes) });
      const flipped = Buffer.from(bytes);
      flipped[at] = (flipped[at] ?? 0) ^ 0xff;
      expect(twice.status === 'failed' && twice.destinationSha512).toBe(digest(flipped));
      expect(await readFile(path.join(dst, 'big'), 'utf8')).toBe('old copy');
      expect(await readdir(dst)).toEqual(['big']);

      const once = await runTask(
        fileTask('big', SIZE),
        context(faulty({ corrupt: { path: 'big', times: 1, at } })),
      );
      expect(once).toMatchObject({ status: 'copied', retried: true, sha512: digest(bytes) });
      expect((await readFile(path.join(dst, 'big'))).equals(bytes)).toBe(true);
    },
  );

  it('stops at a cancel mid-file with chunks in flight and leaves no temp file', async () => {
    await sourceFile('big', SIZE);
    const ctx = context(nodeFileIo, 3 * BIG_CHUNK_BYTES);
    await expect(runTask(fileTask('big', SIZE), ctx)).rejects.toBeInstanceOf(CancelledError);
    expect(ctx.bytes.at(-1)).toBeLessThan(SIZE);
    expect(await readdir(dst)).toEqual([]);
  });

  it.each([
    ['grows', (file: string) => appendFileSync(file, 'more')],
    ['shrinks', (file: string) => truncateSync(file, 3 * BIG_CHUNK_BYTES + 5)],
  ])(
    'reports a source that %s mid-copy as changed, on both tries, and keeps no temp file',
    async (_, change) => {
      await sourceFile('big', SIZE);
      const changing: FileIo = {
        ...nodeFileIo,
        async readFd(fd, buffer, offset, length, position) {
          if (position === 2 * BIG_CHUNK_BYTES) change(path.join(src, 'big'));
          return nodeFileIo.readFd(fd, buffer, offset, length, position);
        },
      };
      // the source is written back to its first size before each try, so both tries see it change
      const outcome = await runTask(fileTask('big', SIZE), {
        ...context(changing),
        onBytes: (n) => void (n === 0 && truncateSync(path.join(src, 'big'), SIZE)),
      });
      expect(outcome).toMatchObject({ status: 'failed', reason: 'changed' });
      expect(await readdir(dst)).toEqual([]);
    },
  );

  it('reports a disk that fills up mid-file as no-space, with no temp file left', async () => {
    await sourceFile('big', SIZE);
    const filling: FileIo = {
      ...nodeFileIo,
      async writeAll(fd, bytes, position) {
        if (position >= 4 * BIG_CHUNK_BYTES) throw systemError('ENOSPC', 'injected: no space left on device');
        return nodeFileIo.writeAll(fd, bytes, position);
      },
    };
    expect(await runTask(fileTask('big', SIZE), context(filling))).toMatchObject({
      status: 'failed',
      reason: 'no-space',
    });
    expect(await readdir(dst)).toEqual([]);
  });

  it('writes through the page cache when O_DIRECT writes are refused, still reading back from the device', async () => {
    const bytes = await sourceFile('big', SIZE);
    const directFds = new Set<number>();
    const refusing: FileIo = {
      ...nodeFileIo,
      async openReadBack(file) {
        const fd = await nodeFileIo.openReadBack(file);
        if (fd !== null) directFds.add(fd);
        return fd;
      },
      async writeAll(fd, chunk, position) {
        if (directFds.has(fd)) throw systemError('EINVAL', 'injected: O_DIRECT write refused');
        return nodeFileIo.writeAll(fd, chunk, position);
      },
    };
    const outcome = await runTask(fileTask('big', SIZE), context(refusing));
    expect(directFds.size).toBe(1);
    expect(outcome).toMatchObject({ status: 'copied', sha512: digest(bytes), readBack: 'device' });
    expect((await readFile(path.join(dst, 'big'))).equals(bytes)).toBe(true);
  });
});
