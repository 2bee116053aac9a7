import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferPool, readBack, writeAllSync } from './file-io.js';
import { tasksPerWorker } from './pool.js';
import { makeTempDir, removeDir } from './test-support/trees.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

describe('the buffer pool', () => {
  it('makes at most `max` sets, then lends them in turn, first come first served', async () => {
    const pool = new BufferPool(2, 16);
    const first = await pool.acquire();
    const second = await pool.acquire();
    expect(first.chunks.map((chunk) => chunk.data.length)).toEqual([16, 16]);
    for (const chunk of first.chunks) expect(chunk.check.length).toBeGreaterThanOrEqual(17); // a chunk and a byte, plus O_DIRECT slack
    expect(second).not.toBe(first);
    const served: string[] = [];
    const third = pool.acquire().then((buffers) => (served.push('third'), buffers));
    const fourth = pool.acquire().then((buffers) => (served.push('fourth'), buffers));
    await Promise.resolve();
    expect(served).toEqual([]);
    pool.release(second);
    expect(await third).toBe(second);
    pool.release(first);
    expect(await fourth).toBe(first);
    expect(served).toEqual(['third', 'fourth']);
    pool.release(second);
    expect(await pool.acquire()).toBe(second); // a spare set, no new one
  });
});

describe('reading a chunk back', () => {
  it('gets the chunk, and one byte more at the end of a file that goes on', async () => {
    const file = path.join(dir, 'f');
    writeFileSync(file, 'abcdef');
    const fd = openSync(file, 'r');
    try {
      const into = { data: Buffer.alloc(8), check: Buffer.alloc(8) };
      const back = async (position: number, length: number, last: boolean) =>
        (await readBack(fd, into, position, length, last, false)).toString();
      expect(await back(0, 3, false)).toBe('abc');
      expect(await back(3, 3, true)).toBe('def'); // the end: nothing more
      expect(await back(2, 3, true)).toBe('cdef'); // not the end: it shows
      expect(await back(4, 3, false)).toBe('ef'); // ends early
      expect(await back(6, 0, true)).toBe('');
    } finally {
      closeSync(fd);
    }
  });

  it('writes a whole buffer at a position', async () => {
    const file = path.join(dir, 'w');
    const fd = openSync(file, 'w+');
    try {
      writeAllSync(fd, Buffer.from('xyz'), 2);
      const into = { data: Buffer.alloc(8), check: Buffer.alloc(8) };
      expect(await readBack(fd, into, 0, 5, true, false)).toEqual(Buffer.from('\0\0xyz'));
    } finally {
      closeSync(fd);
    }
  });
});

describe('tasks per worker', () => {
  it('is 16 for a few workers and shrinks so that all of them hold at most ~512 files open', () => {
    expect(tasksPerWorker(1)).toBe(16);
    expect(tasksPerWorker(2)).toBe(16);
    expect(tasksPerWorker(16)).toBe(16);
    expect(tasksPerWorker(32)).toBe(8);
    expect(tasksPerWorker(64)).toBe(4);
  });
});
