import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { fstatSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, runTask, type TaskContext } from './copy-file.js';
import { BufferPool, CHUNK_BYTES, nodeFileIo } from './file-io.js';
import type { CopyTask } from './messages.js';
import { faultyFileIo, type DiskFaults } from './test-support/faulty-file-io.js';
import { makeTempDir, removeDir } from './test-support/trees.js';

let dir: string;
let src: string;
let dst: string;
beforeEach(async () => {
  dir = await makeTempDir();
  src = path.join(dir, 'src');
  dst = path.join(dir, 'dst');
  await mkdir(src);
  await mkdir(dst);
});
afterEach(() => removeDir(dir));

const TOKEN = 'abcdef012345';
const digest = (bytes: Buffer | string) => createHash('sha512').update(bytes).digest('hex');

/** A task's context, on a disk that misbehaves as `faults` say. */
function context(faults: DiskFaults = {}, cancelAfterBytes?: number): TaskContext & { bytes: number[] } {
  const bytes: number[] = [];
  return {
    token: TOKEN,
    io: faultyFileIo(nodeFileIo, faults, { crashCounter: path.join(dir, 'crashes') }),
    bytes,
    checkCancelled() {
      if (cancelAfterBytes !== undefined && (bytes.at(-1) ?? 0) >= cancelAfterBytes)
        throw new CancelledError();
    },
    onBytes: (n) => void bytes.push(n),
  };
}

function fileTask(name: string, size: number, extra: Partial<CopyTask> = {}): CopyTask {
  return {
    kind: 'file',
    path: name,
    source: path.join(src, name),
    destination: path.join(dst, name),
    size,
    ...extra,
  } as CopyTask;
}

const names = (folder: string) => readdir(folder).then((list) => list.sort());
const fstatMode = (fd: number) => fstatSync(fd).mode & 0o7777;

describe('copying one file', () => {
  it('streams it through SHA-512 into place with its mode and mtime, leaving no temp file', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    await writeFile(path.join(src, 'big file'), bytes);
    await chmod(path.join(src, 'big file'), 0o640);
    await utimes(path.join(src, 'big file'), 1_600_000_000.123, 1_600_000_000.123);
    const ctx = context();

    const outcome = await runTask(fileTask('big file', bytes.length), ctx);
    const source = await stat(path.join(src, 'big file'));
    expect(outcome).toEqual({
      status: 'copied',
      size: bytes.length,
      mtimeMs: source.mtimeMs,
      sha512: digest(bytes),
      retried: false,
      readBack: expect.stringMatching(/^(device|cache)$/), // cache on tmpfs (see read-back.test.ts)
    });
    const copy = await stat(path.join(dst, 'big file'));
    expect(copy.mode & 0o7777).toBe(0o640);
    expect(Math.abs(copy.mtimeMs - source.mtimeMs)).toBeLessThan(1);
    expect((await readFile(path.join(dst, 'big file'))).equals(bytes)).toBe(true);
    expect(await names(dst)).toEqual(['big file']);
    expect(ctx.bytes.at(-1)).toBe(bytes.length); // progress, per chunk
  });

  it('takes its real name only after fdatasync returned, with the mode and mtime set after the sync', async () => {
    await writeFile(path.join(src, 'f'), 'synced first');
    await chmod(path.join(src, 'f'), 0o604);
    await utimes(path.join(src, 'f'), 1_500_000_000, 1_500_000_000);
    const seen: Array<{ named: boolean; mode: number }> = [];
    const ctx: TaskContext = {
      ...context(),
      io: {
        ...nodeFileIo,
        async fdatasyncFd(fd) {
          await nodeFileIo.fdatasyncFd(fd);
          const named = await stat(path.join(dst, 'f')).then(
            () => true,
            () => false,
          );
          seen.push({ named, mode: fstatMode(fd) });
        },
      },
    };

    expect(await runTask(fileTask('f', 12), ctx)).toMatchObject({ status: 'copied' });
    expect(seen).toEqual([{ named: false, mode: 0o600 }]); // the temp file, still private and unnamed
    const copy = await stat(path.join(dst, 'f'));
    expect(copy.mode & 0o7777).toBe(0o604);
    expect(copy.mtimeMs).toBe(1_500_000_000_000);
    expect(await names(dst)).toEqual(['f']);
  });

  it('fails a copy whose fdatasync fails as write-error, leaving no file under its name and no temp file', async () => {
    await writeFile(path.join(src, 'f'), 'never durable');
    const ctx: TaskContext = {
      ...context(),
      io: {
        ...nodeFileIo,
        fdatasyncFd: () =>
          Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })),
      },
    };

    expect(await runTask(fileTask('f', 13), ctx)).toMatchObject({
      status: 'failed',
      reason: 'write-error',
      message: expect.stringContaining('EIO'),
    });
    expect(await names(dst)).toEqual([]);
  });

  it('copies an empty file', async () => {
    await writeFile(path.join(src, 'empty'), '');
    expect(await runTask(fileTask('empty', 0), context())).toMatchObject({
      status: 'copied',
      sha512: digest(''),
    });
    expect((await stat(path.join(dst, 'empty'))).size).toBe(0);
  });

  it('retries a copy that reads back corrupted once, and says so', async () => {
    await writeFile(path.join(src, 'f'), 'payload');
    const outcome = await runTask(fileTask('f', 7), context({ corrupt: { path: 'f', times: 1 } }));
    expect(outcome).toMatchObject({ status: 'copied', retried: true, sha512: digest('payload') });
    expect(await readFile(path.join(dst, 'f'), 'utf8')).toBe('payload');
  });

  it('fails a copy corrupted twice with both digests, keeping the old copy and no temp file', async () => {
    await writeFile(path.join(src, 'f'), 'new payload');
    await writeFile(path.join(dst, 'f'), 'old copy');
    const outcome = await runTask(fileTask('f', 11), context({ corrupt: { path: 'f', times: 2 } }));
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'mismatch',
      sourceSha512: digest('new payload'),
    });
    const destinationSha512 = outcome.status === 'failed' ? outcome.destinationSha512 : undefined;
    expect(destinationSha512).toMatch(/^[0-9a-f]{128}$/);
    expect(destinationSha512).not.toBe(digest('new payload'));
    expect(await readFile(path.join(dst, 'f'), 'utf8')).toBe('old copy');
    expect(await names(dst)).toEqual(['f']);
  });

  it('reports a read error (injected: root reads through chmod 000) as unreadable, leaving no temp file', async () => {
    await writeFile(path.join(src, 'f'), Buffer.alloc(2 * 1024 * 1024, 1));
    const outcome = await runTask(
      fileTask('f', 2 * 1024 * 1024),
      context({ readError: { path: 'f', code: 'EIO' } }),
    );
    expect(outcome).toMatchObject({ status: 'failed', reason: 'unreadable' });
    expect(outcome.status === 'failed' && outcome.message).toContain('EIO');
    expect(await names(dst)).toEqual([]);
  });

  it('reports a source deleted after the scan as vanished', async () => {
    expect(await runTask(fileTask('gone', 10), context())).toMatchObject({
      status: 'failed',
      reason: 'vanished',
    });
    expect(await names(dst)).toEqual([]);
  });

  it('reports a source swapped for a FIFO as unreadable, without blocking on it', async () => {
    execFileSync('mkfifo', [path.join(src, 'pipe')]);
    const outcome = await runTask(fileTask('pipe', 10), context());
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'unreadable',
      message: 'source: is no longer a regular file',
    });
  });

  it('reports a source swapped for a folder as unreadable', async () => {
    await mkdir(path.join(src, 'now a folder'));
    expect(await runTask(fileTask('now a folder', 10), context())).toMatchObject({
      status: 'failed',
      reason: 'unreadable',
    });
  });

  it('never follows a source swapped for a link out of the tree', async () => {
    await symlink('/etc/hostname', path.join(src, 'sneaky'));
    expect(await runTask(fileTask('sneaky', 10), context())).toMatchObject({
      status: 'failed',
      reason: 'unreadable',
    });
    expect(await names(dst)).toEqual([]);
  });

  it('reports a destination that cannot be written as write-error', async () => {
    await writeFile(path.join(src, 'f'), 'x');
    const task = { ...fileTask('f', 1), destination: path.join(dst, 'not a folder', 'f') } as CopyTask;
    await writeFile(path.join(dst, 'not a folder'), '');
    expect(await runTask(task, context())).toMatchObject({ status: 'failed', reason: 'write-error' });
  });

  it('stops at a cancel between chunks and removes its temp file', async () => {
    await writeFile(path.join(src, 'f'), Buffer.alloc(3 * 1024 * 1024, 2));
    await expect(runTask(fileTask('f', 3 * 1024 * 1024), context({}, 1))).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(await names(dst)).toEqual([]);
  });

  it('with the manifest digest, keeps an intact copy and only restores its mtime', async () => {
    await writeFile(path.join(src, 'f'), 'same');
    await writeFile(path.join(dst, 'f'), 'same');
    await utimes(path.join(src, 'f'), 1_500_000_000, 1_500_000_000);
    const outcome = await runTask(fileTask('f', 4, { expectSha512: digest('same') }), context());
    expect(outcome).toMatchObject({ status: 'unchanged', sha512: digest('same') });
    expect((await stat(path.join(dst, 'f'))).mtimeMs).toBe(1_500_000_000_000);
  });

  it('with the manifest digest, copies again when the copy no longer matches it', async () => {
    await writeFile(path.join(src, 'f'), 'good');
    await writeFile(path.join(dst, 'f'), 'rott');
    const outcome = await runTask(fileTask('f', 4, { expectSha512: digest('good') }), context());
    expect(outcome).toMatchObject({ status: 'copied' });
    expect(await readFile(path.join(dst, 'f'), 'utf8')).toBe('good');
  });
});

describe('copying many files at once', () => {
  it('shares a few buffers between them without mixing their bytes, at every size around a chunk', async () => {
    const sizes = [
      0,
      1,
      4096,
      CHUNK_BYTES - 1,
      CHUNK_BYTES,
      CHUNK_BYTES + 1,
      2 * CHUNK_BYTES + 7,
      3 * CHUNK_BYTES,
    ];
    const files = sizes.flatMap((size, i) =>
      [0, 1].map((copy) => {
        const bytes = Buffer.alloc(size, i * 2 + copy + 1);
        for (let at = 0; at + 4 <= size; at += 4096) bytes.writeUInt32LE((i * 2 + copy) * 100_003 + at, at);
        return { name: `f${i}-${copy}`, bytes };
      }),
    );
    for (const { name, bytes } of files) await writeFile(path.join(src, name), bytes);
    const shared = { ...context(), buffers: new BufferPool(2) };

    const outcomes = await Promise.all(
      files.map(({ name, bytes }) => runTask(fileTask(name, bytes.length), shared)),
    );
    for (const [index, { name, bytes }] of files.entries()) {
      expect(outcomes[index]).toMatchObject({ status: 'copied', size: bytes.length, sha512: digest(bytes) });
      expect((await readFile(path.join(dst, name))).equals(bytes)).toBe(true);
    }
    expect(await names(dst)).toEqual(files.map((file) => file.name).sort());
  });
});

describe('copying a symbolic link', () => {
  const linkTask = (name: string): CopyTask => ({
    kind: 'link',
    path: name,
    source: path.join(src, name),
    destination: path.join(dst, name),
    size: 0,
  });

  it('copies the target text verbatim, dangling or absolute, never following it', async () => {
    await symlink('/etc/passwd', path.join(src, 'abs'));
    await symlink('../../nowhere/中文', path.join(src, 'dangling'));
    expect(await runTask(linkTask('abs'), context())).toEqual({ status: 'linked', changed: true });
    expect(await runTask(linkTask('dangling'), context())).toEqual({ status: 'linked', changed: true });
    expect(await readlink(path.join(dst, 'abs'))).toBe('/etc/passwd');
    expect(await readlink(path.join(dst, 'dangling'))).toBe('../../nowhere/中文');
    expect((await lstat(path.join(dst, 'abs'))).isSymbolicLink()).toBe(true);
  });

  it('leaves a link that is already right, and replaces one that is not', async () => {
    await symlink('a', path.join(src, 'l'));
    await symlink('a', path.join(dst, 'l'));
    expect(await runTask(linkTask('l'), context())).toEqual({ status: 'linked', changed: false });
    await rm(path.join(dst, 'l'));
    await symlink('b', path.join(dst, 'l'));
    expect(await runTask(linkTask('l'), context())).toEqual({ status: 'linked', changed: true });
    expect(await readlink(path.join(dst, 'l'))).toBe('a');
  });
});

describe('verifying a copy against the manifest', () => {
  const verifyTask = (name: string, content: string): CopyTask => ({
    kind: 'verify',
    path: name,
    destination: path.join(dst, name),
    size: Buffer.byteLength(content),
    sha512: digest(content),
  });

  it('passes an intact file, and names a missing or changed one', async () => {
    await writeFile(path.join(dst, 'ok'), 'fine');
    await writeFile(path.join(dst, 'flipped'), 'fIne');
    expect(await runTask(verifyTask('ok', 'fine'), context())).toEqual({ status: 'verified' });
    expect(await runTask(verifyTask('gone', 'fine'), context())).toMatchObject({
      status: 'failed',
      reason: 'missing',
    });
    expect(await runTask(verifyTask('flipped', 'fine'), context())).toMatchObject({
      status: 'failed',
      reason: 'mismatch',
      sourceSha512: digest('fine'),
      destinationSha512: digest('fIne'),
    });
  });
});
