import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomicChunks, type AtomicFs } from './atomic-write.js';
import { atomicWriteRejection as rejection } from './test-support/atomic-write-error.js';

const onWindows = process.platform === 'win32';
let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mytimer-chunks-'));
  file = path.join(dir, 'manifest.json');
});
afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

const realFs: AtomicFs = {
  open: fsp.open,
  rename: fsp.rename,
  unlink: fsp.unlink,
  stat: fsp.stat,
  readFile: fsp.readFile,
};

/** Pieces of 3 MB in all, strings and a Buffer, more than one read-back chunk. */
function pieces(): Array<string | Buffer> {
  return ['{"a":', 'x'.repeat(1 << 20), Buffer.from('中文'.repeat(300_000)), '"z"}\n', ''];
}

describe('writeFileAtomicChunks', () => {
  it('writes the pieces in order as one file, keeping the mode of the file it replaces, and leaves no temp file', async () => {
    await fsp.writeFile(file, 'old');
    if (!onWindows) await fsp.chmod(file, 0o640);
    await writeFileAtomicChunks(file, pieces());
    const expected = Buffer.concat(pieces().map((piece) => Buffer.from(piece)));
    expect((await fsp.readFile(file)).equals(expected)).toBe(true);
    if (!onWindows) expect((await fsp.stat(file)).mode & 0o777).toBe(0o640);
    expect(await fsp.readdir(dir)).toEqual(['manifest.json']);
  });

  it('keeps the old file when the rename fails (a full disk), and removes its temp file', async () => {
    await fsp.writeFile(file, 'old');
    const fs: AtomicFs = {
      ...realFs,
      rename: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' })),
    };
    const error = await rejection(writeFileAtomicChunks(file, pieces(), { fs }));
    expect(error.code).toBe('ENOSPC');
    expect(error.message).toContain(file);
    expect(await fsp.readFile(file, 'utf8')).toBe('old');
    expect(await fsp.readdir(dir)).toEqual(['manifest.json']);
  });

  it('never renames a temp file that reads back other bytes than were written', async () => {
    await fsp.writeFile(file, 'old');
    const fs: AtomicFs = {
      ...realFs,
      open: (async (target: string, flags?: string, mode?: number) => {
        const handle = await fsp.open(target, flags, mode);
        if (flags !== 'r') return handle;
        const read = handle.read.bind(handle) as (...args: unknown[]) => Promise<fsp.FileReadResult<Buffer>>;
        // A lying layer: the last byte of every read comes back flipped.
        return Object.assign(handle, {
          read: async (...args: unknown[]) => {
            const result = await read(...args);
            const at = result.bytesRead - 1;
            if (at >= 0) result.buffer.writeUInt8(result.buffer.readUInt8(at) ^ 0xff, at);
            return result;
          },
        });
      }) as AtomicFs['open'],
    };
    const error = await rejection(writeFileAtomicChunks(file, pieces(), { fs }));
    expect(error.code).toBe('EIO');
    expect(error.message).toMatch(/does not read back as written/);
    expect(await fsp.readFile(file, 'utf8')).toBe('old');
    expect(await fsp.readdir(dir)).toEqual(['manifest.json']);
  });
});
