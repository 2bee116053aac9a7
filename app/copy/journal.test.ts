import { appendFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCopy } from './copy-job.js';
import { journalPathOf, readManifest, writeManifest } from './manifest.js';
import { faultyWorker } from './test-support/faulty-worker-url.js';
import { compareTrees, copyTree, makeTempDir, removeDir } from './test-support/trees.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

async function workspace(files: number): Promise<{ dir: string; src: string; dst: string }> {
  const dir = await makeTempDir();
  dirs.push(dir);
  const src = path.join(dir, 'src');
  await mkdir(src, { recursive: true });
  for (let i = 0; i < files; i++) await writeFile(path.join(src, `f${i}.txt`), `file ${i}\n`.repeat(i + 1));
  return { dir, src, dst: path.join(dir, 'dst') };
}

const DIGEST = 'cd'.repeat(64);

describe('the manifest journal', () => {
  it('is replayed on top of the manifest; a torn last line is ignored', async () => {
    const { dir } = await workspace(0);
    const manifestPath = path.join(dir, 'm.json');
    await writeManifest(
      manifestPath,
      { source: '/src', complete: true, files: new Map([['a', { size: 1, mtimeMs: 1, sha512: DIGEST }]]) },
      0,
    );
    const line = (p: string, size: number) =>
      `${JSON.stringify({ source: '/src', path: p, size, mtimeMs: 2, sha512: DIGEST })}\n`;
    await appendFile(journalPathOf(manifestPath), line('a', 5) + line('b', 7) + '{"source":"/src","pa');
    const manifest = await readManifest(manifestPath);
    expect(manifest?.complete).toBe(false);
    expect(Object.fromEntries([...(manifest?.files ?? [])].map(([p, e]) => [p, e.size]))).toEqual({
      a: 5,
      b: 7,
    });
  });

  it('a run interrupted after some files leaves a journal; the next run resumes without copying them again', async () => {
    const { src, dst } = await workspace(40);
    const job = startCopy({
      source: src,
      destination: dst,
      workers: 1,
      manifestIntervalMs: 20,
      workerUrl: await faultyWorker({ chunkDelayMs: 30 }, path.dirname(src)),
    });
    let landed = 0;
    await new Promise<void>((resolve) => job.on('file', () => ++landed === 6 && resolve()));
    // Wait for a flush of the journal, then take the state of the disk as a kill would leave it.
    const journal = journalPathOf(path.join(dst, '.mytimer-manifest.json'));
    let journaled = '';
    while ((journaled.match(/\n/g) ?? []).length < 6)
      journaled = await readFile(journal, 'utf8').catch(() => '');
    const manifestBefore = await readFile(path.join(dst, '.mytimer-manifest.json'), 'utf8').catch(() => null);
    await job.cancel();
    await job.result;
    // Put the disk back as the kill left it: the journal, no compacted manifest.
    await writeFile(journal, journaled);
    if (manifestBefore === null) await removeDir(path.join(dst, '.mytimer-manifest.json'));
    const saved = journaled.trim().split('\n').length;

    const resumed = await copyTree({ source: src, destination: dst });
    expect(resumed.outcome).toBe('ok');
    expect(resumed.skipped).toBeGreaterThanOrEqual(saved);
    expect(resumed.copied).toBe(40 - resumed.skipped);
    expect(await compareTrees(src, dst)).toEqual([]);
    // Compacted: the manifest holds every file, the journal is gone.
    expect((await readManifest(resumed.manifestPath))?.files.size).toBe(40);
    expect((await readdir(dst)).filter((name) => name.endsWith('.journal'))).toEqual([]);
  });

  it('a re-run that finds nothing changed starts no worker and leaves the manifest untouched', async () => {
    const { src, dst } = await workspace(30);
    const first = await copyTree({ source: src, destination: dst });
    expect(first.workersStarted).toBeGreaterThan(0);
    const manifestText = await readFile(first.manifestPath, 'utf8');
    const again = await copyTree({ source: src, destination: dst });
    expect(again).toMatchObject({ outcome: 'ok', copied: 0, skipped: 30, workersStarted: 0 });
    expect(await readFile(again.manifestPath, 'utf8')).toBe(manifestText);
  });
});
