import { mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { startCopy } from './copy-job.js';
import { readManifest } from './manifest.js';
import { compareTrees, copyTree, makeTempDir, removeDir } from './test-support/trees.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

describe('--verify-only', () => {
  it('passes a fresh copy, then names a silently corrupted file and a missing one, copying nothing', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const src = path.join(dir, 'src');
    const dst = path.join(dir, 'dst');
    await mkdir(path.join(src, '目录'), { recursive: true });
    await writeFile(path.join(src, '目录', 'a.txt'), 'alpha');
    await writeFile(path.join(src, 'b.txt'), 'bravo');
    await writeFile(path.join(src, 'c.txt'), 'charlie');
    await copyTree({ source: src, destination: dst });

    const verify = () => startCopy({ source: src, destination: dst, verifyOnly: true }).result;
    expect(await verify()).toMatchObject({ outcome: 'ok', verified: 3, files: 3, failures: [] });

    // Bit rot: same size, mtime put back, so a quick re-run would not notice; verify-only re-hashes.
    const rotten = path.join(dst, '目录', 'a.txt');
    const before = await stat(rotten);
    await writeFile(rotten, 'alphA');
    await utimes(rotten, before.atime, before.mtime);
    await rm(path.join(dst, 'c.txt'));

    const result = await verify();
    expect(result).toMatchObject({ outcome: 'failed', verified: 1, copied: 0 });
    expect(result.failures).toEqual([
      expect.objectContaining({ path: 'c.txt', reason: 'missing' }),
      expect.objectContaining({
        path: '目录/a.txt',
        reason: 'mismatch',
        sourceSha512: expect.stringMatching(/^[0-9a-f]{128}$/),
        destinationSha512: expect.stringMatching(/^[0-9a-f]{128}$/),
      }),
    ]);
    await expect(stat(path.join(dst, 'c.txt'))).rejects.toThrow('ENOENT');
  });

  it('a copy after a verify-only run that found a damaged copy copies it again', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const src = path.join(dir, 'src');
    const dst = path.join(dir, 'dst');
    await mkdir(src, { recursive: true });
    await writeFile(path.join(src, 'a.txt'), 'alpha');
    await writeFile(path.join(src, 'b.txt'), 'bravo');
    await copyTree({ source: src, destination: dst });
    const rotten = path.join(dst, 'a.txt');
    const before = await stat(rotten);
    await writeFile(rotten, 'alphA');
    await utimes(rotten, before.atime, before.mtime);

    const verify = await startCopy({ source: src, destination: dst, verifyOnly: true }).result;
    expect(verify.failures.map((f) => [f.path, f.reason])).toEqual([['a.txt', 'mismatch']]);
    expect((await readManifest(verify.manifestPath))?.files.get('a.txt')?.damaged).toBe(true);

    const copy = await copyTree({ source: src, destination: dst });
    expect(copy).toMatchObject({ outcome: 'ok', copied: 1, skipped: 1 });
    expect(await compareTrees(src, dst)).toEqual([]);
    expect((await readManifest(copy.manifestPath))?.files.get('a.txt')?.damaged).toBeUndefined();
    expect(await startCopy({ source: src, destination: dst, verifyOnly: true }).result).toMatchObject({
      outcome: 'ok',
      verified: 2,
    });
  });

  it('needs a manifest: without one it is bad input', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const error: unknown = await startCopy({ source: dir, destination: dir, verifyOnly: true }).result.catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('manifest');
  });
});
