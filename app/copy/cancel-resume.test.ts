import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCopy } from './copy-job.js';
import { readManifest } from './manifest.js';
import { compareTrees, copyTree, leftoverTemps, makeTempDir, removeDir } from './test-support/trees.js';
import { faultyWorker } from './test-support/faulty-worker-url.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

async function workspace(files: number, bigBytes = 0): Promise<{ src: string; dst: string }> {
  const dir = await makeTempDir();
  dirs.push(dir);
  const src = path.join(dir, 'src');
  await mkdir(path.join(src, 'sub'), { recursive: true });
  for (let i = 0; i < files; i++)
    await writeFile(path.join(src, 'sub', `file ${i}.txt`), `file ${i}\n`.repeat(i + 1));
  if (bigBytes > 0) await writeFile(path.join(src, 'big.bin'), Buffer.alloc(bigBytes, 3));
  return { src, dst: path.join(dir, 'dst') };
}

describe('cancelling a copy', () => {
  it('stops within 1 s, removes temp files, keeps what was verified; the next run copies only the rest', async () => {
    const { src, dst } = await workspace(30, 4 << 20);
    // Each chunk waits 40 ms, so the job is still running when the test cancels it.
    const job = startCopy({
      source: src,
      destination: dst,
      workers: 2,
      workerUrl: await faultyWorker({ chunkDelayMs: 40 }, path.dirname(src)),
    });
    let landed = 0;
    const fiveLanded = new Promise<void>((resolve) =>
      job.on('file', () => {
        if (++landed === 5) resolve();
      }),
    );
    await fiveLanded;
    const cancelledAt = Date.now();
    await job.cancel();
    expect(Date.now() - cancelledAt).toBeLessThan(1_000);

    const first = await job.result;
    expect(first.outcome).toBe('cancelled');
    expect(first.copied).toBeGreaterThanOrEqual(5);
    expect(first.copied).toBeLessThan(31);
    expect(await leftoverTemps(dst)).toEqual([]);
    const manifest = await readManifest(first.manifestPath);
    expect(manifest?.complete).toBe(false);
    expect(manifest?.files.size).toBe(first.copied);
    // Every file the manifest lists is in place and verified.
    const verify = await startCopy({ source: src, destination: dst, verifyOnly: true }).result;
    expect(verify).toMatchObject({ outcome: 'ok', verified: first.copied, failures: [] });

    const second = await copyTree({ source: src, destination: dst });
    expect(second).toMatchObject({ outcome: 'ok', skipped: first.copied, copied: 31 - first.copied });
    expect(await compareTrees(src, dst)).toEqual([]);
    expect((await readManifest(second.manifestPath))?.complete).toBe(true);
  });

  it('stops within 1 s in the middle of a big file, leaving neither a temp file nor a partial copy', async () => {
    const { src, dst } = await workspace(0, 8 << 20);
    const job = startCopy({
      source: src,
      destination: dst,
      workers: 1,
      workerUrl: await faultyWorker({ chunkDelayMs: 400 }, path.dirname(src)),
    });
    await new Promise<void>((resolve) => job.on('progress', (p) => p.bytesDone > 0 && resolve()));
    const cancelledAt = Date.now();
    await job.cancel();
    expect(Date.now() - cancelledAt).toBeLessThan(1_000);
    expect((await job.result).outcome).toBe('cancelled');
    expect((await readdir(dst)).sort()).toEqual(['.mytimer-manifest.json', 'sub']); // the empty folder only
    expect(await readdir(path.join(dst, 'sub'))).toEqual([]);
    expect(await leftoverTemps(dst)).toEqual([]);
  });

  it('can be cancelled before it starts copying', async () => {
    const { src, dst } = await workspace(3);
    const job = startCopy({ source: src, destination: dst });
    await job.cancel();
    expect(await job.result).toMatchObject({ outcome: 'cancelled', copied: 0 });
    expect(await leftoverTemps(dst)).toEqual([]);
  });
});
