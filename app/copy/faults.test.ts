import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCopy } from './copy-job.js';
import type { CopyJob, CopyJobOptions } from './job-types.js';
import { readManifest } from './manifest.js';
import { faultyWorker } from './test-support/faulty-worker-url.js';
import { compareTrees, leftoverTemps, makeTempDir, removeDir } from './test-support/trees.js';

// Faults the disk cannot be asked for (a read error, a corrupt copy, a dying worker) come from a
// worker script over a faulty file I/O (test-support/faulty-worker.ts). The others strike "mid-run" at a precise point: the job's first `copying` progress event fires
// synchronously after the scan and before any worker exists, so a listener that changes the
// source there changes it between the scan and the copy — no timing luck involved.

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

async function workspace(files: Record<string, string | Buffer>): Promise<{ src: string; dst: string }> {
  const dir = await makeTempDir();
  dirs.push(dir);
  const src = path.join(dir, 'src');
  for (const [relative, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(src, relative)), { recursive: true });
    await writeFile(path.join(src, relative), content);
  }
  await mkdir(src, { recursive: true });
  return { src, dst: path.join(dir, 'dst') };
}

function whenCopyingStarts(job: CopyJob, action: () => void): CopyJob {
  let done = false;
  return job.on('progress', (progress) => {
    if (progress.phase !== 'copying' || done) return;
    done = true;
    action();
  });
}

const start = (options: CopyJobOptions) => startCopy({ workers: 2, ...options });
const SMALL = Object.fromEntries(
  Array.from({ length: 8 }, (_, i) => [`f${i}.txt`, `content of file ${i}\n`]),
);

describe('faults during a copy', () => {
  it('a file deleted mid-run is reported as vanished; the others are copied and verified', async () => {
    const { src, dst } = await workspace(SMALL);
    const job = whenCopyingStarts(start({ source: src, destination: dst }), () =>
      rmSync(path.join(src, 'f3.txt')),
    );
    const result = await job.result;
    expect(result.outcome).toBe('failed');
    expect(result.failures).toEqual([
      expect.objectContaining({
        path: 'f3.txt',
        reason: 'vanished',
        message: expect.stringContaining('ENOENT'),
      }),
    ]);
    expect(result.copied).toBe(7);
    expect(await compareTrees(src, dst)).toEqual([]);
    expect((await readManifest(result.manifestPath))?.files.has('f3.txt')).toBe(false);
  });

  it('a file swapped for a FIFO or a folder mid-run is unreadable (root reads through chmod 000, so no chmod)', async () => {
    const { src, dst } = await workspace(SMALL);
    const job = whenCopyingStarts(start({ source: src, destination: dst }), () => {
      rmSync(path.join(src, 'f1.txt'));
      execFileSync('mkfifo', [path.join(src, 'f1.txt')]);
      rmSync(path.join(src, 'f2.txt'));
      mkdirSync(path.join(src, 'f2.txt'));
    });
    const result = await job.result;
    expect(result.failures.map(({ path: p, reason }) => [p, reason])).toEqual([
      ['f1.txt', 'unreadable'],
      ['f2.txt', 'unreadable'],
    ]);
    expect((await readdir(dst)).sort()).toEqual(
      ['.mytimer-manifest.json', 'f0.txt', 'f3.txt', 'f4.txt', 'f5.txt', 'f6.txt', 'f7.txt'].sort(),
    );
  });

  it('a read error half way through a file (injected) fails it as unreadable, with nothing under its name', async () => {
    const { src, dst } = await workspace({ ...SMALL, 'big.bin': Buffer.alloc(3 << 20, 7) });
    const result = await start({
      source: src,
      destination: dst,
      workerUrl: await faultyWorker({ readError: { path: 'big.bin', code: 'EIO' } }, path.dirname(src)),
    }).result;
    expect(result.failures).toEqual([expect.objectContaining({ path: 'big.bin', reason: 'unreadable' })]);
    expect(result.failures[0]?.message).toContain('EIO');
    expect(await readdir(dst)).not.toContain('big.bin');
    expect(await leftoverTemps(dst)).toEqual([]);
  });

  it('a copy that reads back wrong is retried once; wrong twice, it is listed with both digests', async () => {
    const { src, dst } = await workspace(SMALL);
    const once = await start({
      source: src,
      destination: dst,
      workerUrl: await faultyWorker({ corrupt: { path: 'f4.txt', times: 1 } }, path.dirname(src)),
    }).result;
    expect(once).toMatchObject({ outcome: 'ok', copied: 8, retried: 1, failures: [] });

    await writeFile(path.join(src, 'f5.txt'), 'changed, so it is copied again');
    const twice = await start({
      source: src,
      destination: dst,
      workerUrl: await faultyWorker({ corrupt: { path: 'f5.txt', times: 2 } }, path.dirname(src)),
    }).result;
    expect(twice.outcome).toBe('failed');
    const [failure] = twice.failures;
    expect(failure).toMatchObject({ path: 'f5.txt', reason: 'mismatch' });
    expect(failure?.sourceSha512).toMatch(/^[0-9a-f]{128}$/);
    expect(failure?.destinationSha512).toMatch(/^[0-9a-f]{128}$/);
    expect(failure?.destinationSha512).not.toBe(failure?.sourceSha512);
    // The destination keeps its previous verified copy, and the manifest still describes it.
    expect(await readFile(path.join(dst, 'f5.txt'), 'utf8')).toBe('content of file 5\n');
    expect(await leftoverTemps(dst)).toEqual([]);
  });

  it('a worker that dies mid-file: the unfinished work is re-run on a new worker, nothing half-written stays', async () => {
    const { src, dst } = await workspace({ ...SMALL, 'big.bin': Buffer.alloc(3 << 20, 1) });
    const result = await start({
      source: src,
      destination: dst,
      workerUrl: await faultyWorker({ crash: { path: 'big.bin', attempts: 1 } }, path.dirname(src)),
    }).result;
    expect(result).toMatchObject({ outcome: 'ok', copied: 9, failures: [] });
    expect(await compareTrees(src, dst)).toEqual([]);
    expect(await leftoverTemps(dst)).toEqual([]);
  });

  it('a file that kills its worker every time fails alone as worker-crashed; its batch-mates are copied', async () => {
    const { src, dst } = await workspace(SMALL);
    const result = await start({
      source: src,
      destination: dst,
      workers: 1,
      workerUrl: await faultyWorker({ crash: { path: 'f2.txt', attempts: 2 } }, path.dirname(src)),
    }).result;
    expect(result.failures).toEqual([
      expect.objectContaining({
        path: 'f2.txt',
        reason: 'worker-crashed',
        message: expect.stringContaining('exit code 1'),
      }),
    ]);
    expect(result.copied).toBe(7);
    expect(await readdir(dst)).not.toContain('f2.txt');
    expect(await leftoverTemps(dst)).toEqual([]);
  });
});
