import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCopy } from './copy-job.js';
import { MANIFEST_NAME, readManifest } from './manifest.js';
import { compareTrees, copyTree, leftoverTemps, makeTempDir, removeDir } from './test-support/trees.js';
import { faultyWorker } from './test-support/faulty-worker-url.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

async function workspace(): Promise<{ root: string; src: string; dst: string }> {
  const root = await makeTempDir();
  dirs.push(root);
  const src = path.join(root, 'src');
  await mkdir(path.join(src, 'sub'), { recursive: true });
  await writeFile(path.join(src, 'a.txt'), 'a');
  await writeFile(path.join(src, 'sub', 'b.txt'), 'b');
  return { root, src, dst: path.join(root, 'dst') };
}

describe('the destination stays safe', () => {
  it('temp files left by a killed run are removed by the next one', async () => {
    const { src, dst } = await workspace();
    await mkdir(path.join(dst, 'sub'), { recursive: true });
    await writeFile(path.join(dst, 'sub', '.b.txt.mytimer-tmp-0123456789ab'), 'half written');
    const result = await copyTree({ source: src, destination: dst });
    expect(result.outcome).toBe('ok');
    expect(result.warnings).toEqual([
      { path: null, message: 'removed 1 temp file(s) left by an interrupted copy' },
    ]);
    expect(await leftoverTemps(dst)).toEqual([]);
  });

  it('never writes through a destination folder that is a link out of the tree', async () => {
    const { root, src, dst } = await workspace();
    const outside = path.join(root, 'outside');
    await mkdir(outside);
    await mkdir(dst);
    await symlink(outside, path.join(dst, 'sub'));
    const result = await copyTree({ source: src, destination: dst });
    expect(result.outcome).toBe('failed');
    expect(result.failures).toEqual([
      { path: 'sub/b.txt', reason: 'write-error', message: 'destination: sub exists and is a symbolic link' },
    ]);
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(path.join(dst, 'a.txt'), 'utf8')).toBe('a');
  });

  it('refuses a second job on the same destination while one runs', async () => {
    const { src, dst } = await workspace();
    const first = startCopy({
      source: src,
      destination: dst,
      workerUrl: await faultyWorker({ chunkDelayMs: 100 }, path.dirname(src)),
    });
    await new Promise<void>((resolve) => first.on('progress', (p) => p.phase === 'copying' && resolve()));
    await expect(startCopy({ source: src, destination: dst }).result).rejects.toThrow(
      /another copy job is writing to .*held by pid/,
    );
    expect((await first.result).outcome).toBe('ok');
  });

  it('takes over the lock of a job that was killed', async () => {
    const { src, dst } = await workspace();
    await mkdir(dst);
    await writeFile(
      path.join(dst, `${MANIFEST_NAME}.lock`),
      JSON.stringify({ pid: 2 ** 22 + 1, token: 'dead' }),
    );
    expect((await copyTree({ source: src, destination: dst })).outcome).toBe('ok');
    expect(await readdir(dst)).not.toContain(`${MANIFEST_NAME}.lock`);
  });

  it('does not let a source file overwrite the manifest', async () => {
    const { src, dst } = await workspace();
    await writeFile(path.join(src, MANIFEST_NAME), 'a manifest of another copy');
    const result = await copyTree({ source: src, destination: dst });
    expect(result.warnings).toEqual([
      { path: MANIFEST_NAME, message: 'skipped: it would overwrite the copy manifest' },
    ]);
    expect((await readManifest(result.manifestPath))?.files.size).toBe(2);
  });

  it('starts afresh, with a warning, from a manifest that is corrupt or of another source', async () => {
    const { root, src, dst } = await workspace();
    await copyTree({ source: src, destination: dst });
    await writeFile(path.join(dst, MANIFEST_NAME), '{ not json');
    const corrupt = await copyTree({ source: src, destination: dst });
    expect(corrupt).toMatchObject({ outcome: 'ok', copied: 2, skipped: 0 });
    expect(corrupt.warnings[0]?.message).toMatch(/is not valid JSON .*every file is copied again/);

    const other = path.join(root, 'other');
    await mkdir(other);
    await writeFile(path.join(other, 'a.txt'), 'A from elsewhere');
    const foreign = await copyTree({ source: other, destination: dst });
    expect(foreign).toMatchObject({ outcome: 'ok', copied: 1, skipped: 0 });
    expect(foreign.warnings[0]?.message).toContain(`the manifest was written for ${src}`);
  });

  it('copies into a custom manifest path outside the destination', async () => {
    const { root, src, dst } = await workspace();
    const manifestPath = path.join(root, 'state', 'copy.json');
    const result = await copyTree({ source: src, destination: dst, manifestPath });
    expect(result).toMatchObject({ outcome: 'ok', manifestPath });
    expect(await compareTrees(src, dst)).toEqual([]);
    expect(await readdir(dst)).not.toContain(MANIFEST_NAME);
    expect((await copyTree({ source: src, destination: dst, manifestPath })).skipped).toBe(2);
  });
});
