import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTask, type TaskContext } from './copy-file.js';
import { BufferPool, nodeFileIo, type FileIo } from './file-io.js';
import type { CopyTask } from './messages.js';
import { tempPathFor } from './temp-names.js';

// The proof that a copy is read back from the device and not from the page cache. Two witnesses:
// - /proc/self/io `read_bytes`: the bytes this process caused to be fetched from the storage layer
//   (the block layer counts every read bio it submits, O_DIRECT ones included). The sources are
//   written by the test just before, so they sit in the page cache and add nothing: what the copy
//   fetches from the storage layer is its read-back.
// - util-linux `fincore`, run at the moment of the read-back (a FileIo wrapping the real one): the
//   pages of the temp file the read-back asks for are there in the cache, so only a read that
//   bypasses the cache can account for those read_bytes.
// Both need a disk-backed folder: tmpfs has no device (its pages are the storage).

const TMPFS_MAGIC = 0x01021994;
const TOKEN = 'abcdef012345';

/** A folder on a real disk: the system temp folder, or /var/tmp when that one is in memory. */
async function diskBackedTempDir(): Promise<string> {
  const tmp = os.tmpdir();
  const base = (await statfs(tmp)).type === TMPFS_MAGIC ? '/var/tmp' : tmp;
  return mkdtemp(path.join(base, 'mytimer-read-back-'));
}

function readBytesFromStorage(): number {
  const io = execFileSync('cat', [`/proc/${process.pid}/io`], { encoding: 'utf8' });
  return Number(/^read_bytes:\s+(\d+)/m.exec(io)?.[1] ?? NaN);
}

/** Cached pages of `file` per util-linux fincore (0 if it is gone). */
function cachedPages(file: string): number {
  const out = execFileSync('fincore', ['--bytes', '--noheadings', '--raw', '--output', 'PAGES', file], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

let dir: string;
beforeEach(async () => {
  dir = await diskBackedTempDir();
  await mkdir(path.join(dir, 'src'));
  await mkdir(path.join(dir, 'dst'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function context(io: FileIo = nodeFileIo): TaskContext {
  return {
    token: TOKEN,
    io,
    buffers: new BufferPool(1),
    checkCancelled: () => undefined,
    onBytes: () => undefined,
  };
}

function fileTask(name: string, size: number): CopyTask {
  return {
    kind: 'file',
    path: name,
    source: path.join(dir, 'src', name),
    destination: path.join(dir, 'dst', name),
    size,
  };
}

describe.runIf(process.platform === 'linux')('reading a copy back on Linux', () => {
  it('fetches every byte of the copy from the device, not the page cache, and says so', async () => {
    // a multi-chunk file, one whose tail is not a multiple of any block size, one of a few bytes
    const sizes = [3 * 1024 * 1024, 1_000_001, 13];
    const files = sizes.map((size, index) => ({ name: `f${index}.bin`, bytes: randomBytes(size) }));
    for (const file of files) await writeFile(path.join(dir, 'src', file.name), file.bytes);

    const before = readBytesFromStorage();
    const outcomes = [];
    for (const file of files) outcomes.push(await runTask(fileTask(file.name, file.bytes.length), context()));
    const fetched = readBytesFromStorage() - before;

    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(fetched).toBeGreaterThanOrEqual(total);
    for (const [index, file] of files.entries()) {
      expect(outcomes[index]).toMatchObject({ status: 'copied', readBack: 'device' });
      expect((await readFile(path.join(dir, 'dst', file.name))).equals(file.bytes)).toBe(true);
    }
  });

  it('reads back while the chunk it asks for is in the page cache: only the device can serve those bytes', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 5);
    await writeFile(path.join(dir, 'src', 'cached.bin'), bytes);
    const seen: Array<{ cached: number; fetched: number }> = [];
    const watching: FileIo = {
      ...nodeFileIo,
      async readBack(fd, buffers, position, length, last, direct) {
        const temp = tempPathFor(path.join(dir, 'dst', 'cached.bin'), TOKEN);
        const cached = direct ? cachedPages(temp) : 0;
        const start = readBytesFromStorage();
        const back = await nodeFileIo.readBack(fd, buffers, position, length, last, direct);
        seen.push({ cached, fetched: readBytesFromStorage() - start });
        return back;
      },
    };

    const outcome = await runTask(fileTask('cached.bin', bytes.length), context(watching));

    expect(outcome).toMatchObject({ status: 'copied', readBack: 'device' });
    expect(seen.length).toBeGreaterThan(0);
    for (const { cached, fetched } of seen) {
      expect(cached).toBeGreaterThan(0); // the written pages are in the cache …
      expect(fetched).toBeGreaterThan(0); // … yet the read went to the storage layer
    }
    expect(seen.reduce((sum, { fetched }) => sum + fetched, 0)).toBeGreaterThanOrEqual(bytes.length);
  });

  it('a new buffer set reads back from the device at once, at the start of its buffers (no alignment probing)', async () => {
    const bytes = randomBytes(3000);
    const file = path.join(dir, 'dst', 'tiny.bin');
    await writeFile(file, bytes);
    const fd = await nodeFileIo.openReadBack(file);
    expect(fd).not.toBeNull();
    const set = await new BufferPool(1).acquire();
    try {
      for (const chunk of set.chunks) {
        const back = await nodeFileIo.readBack(fd!, chunk, 0, bytes.length, true, true);
        expect(back.equals(bytes)).toBe(true);
        // Offset 0 works first time: before, a buffer's start was only 8 or 16 bytes aligned and the
        // first read-back of every set tried offset after offset (one failed read each) until one was.
        expect(chunk.directOffset).toBe(0);
      }
    } finally {
      closeSync(fd!);
    }
  });
});
