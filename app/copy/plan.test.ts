import { mkdir, utimes, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyManifest } from './manifest.js';
import { BATCH_FILES_MAX, SMALL_FILE_BYTES, makeBatches, planFiles, sameMtime } from './plan.js';
import type { CopyTask } from './messages.js';
import { makeTempDir, removeDir } from './test-support/trees.js';

const task = (name: string, size: number): CopyTask => ({
  kind: 'file',
  path: name,
  source: `/s/${name}`,
  destination: `/d/${name}`,
  size,
});

describe('batching', () => {
  it('gives each big file a batch of its own, biggest first, then groups small files in path order', () => {
    const small = Array.from({ length: 8 }, (_, i) => task(`a${i}`, 10 * i));
    const tasks = [
      ...small.slice(0, 4),
      task('big1', SMALL_FILE_BYTES),
      ...small.slice(4),
      task('big2', 5 * SMALL_FILE_BYTES),
    ];
    expect(makeBatches(tasks, 1).map((batch) => batch.map((t) => t.path))).toEqual([
      ['big2'],
      ['big1'],
      ['a0', 'a1'],
      ['a2', 'a3'],
      ['a4', 'a5'],
      ['a6', 'a7'],
    ]);
  });

  it('batches 10,000 tiny files into at most 64 per batch, and leaves every worker several batches', () => {
    const tiny = Array.from({ length: 10_000 }, (_, i) => task(`f${i}`, 100));
    const batches = makeBatches(tiny, 4);
    expect(batches.length).toBe(Math.ceil(10_000 / BATCH_FILES_MAX));
    expect(batches.flat()).toHaveLength(10_000);
    const few = makeBatches(tiny.slice(0, 16), 4);
    expect(few.length).toBe(16); // 4 workers × 4 batches: none idles on a small job
  });

  it('caps a batch of small files at 8 MiB', () => {
    const medium = Array.from({ length: 20 }, (_, i) => task(`m${i}`, 900 * 1024));
    for (const batch of makeBatches(medium, 1)) {
      expect(batch.reduce((sum, t) => sum + t.size, 0)).toBeLessThan(8 * 1024 * 1024 + 900 * 1024);
    }
  });
});

describe('the quick re-run check', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    while (dirs.length) await removeDir(dirs.pop() ?? '');
  });

  it('treats mtimes under 1 ms apart as equal (utimes rounds to ~µs)', () => {
    expect(sameMtime(1_700_000_000_123.25, 1_700_000_000_123.75)).toBe(true);
    expect(sameMtime(1_700_000_000_123, 1_700_000_000_124)).toBe(false);
  });

  it('skips, re-hashes or copies each file by comparing source, manifest and destination', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const roots = { source: path.join(dir, 's'), destination: path.join(dir, 'd') };
    await mkdir(roots.source);
    await mkdir(roots.destination);
    const manifest = emptyManifest(roots.source);
    const mtimeMs = 1_600_000_000_000;
    const files = ['same', 'touched copy', 'edited source', 'missing copy', 'not in manifest'];
    for (const name of files) {
      for (const root of [roots.source, roots.destination]) {
        if (root === roots.destination && name === 'missing copy') continue;
        await writeFile(path.join(root, name), 'data');
        await chmod(path.join(root, name), 0o644);
        await utimes(path.join(root, name), mtimeMs / 1000, mtimeMs / 1000);
      }
      if (name !== 'not in manifest') manifest.files.set(name, { size: 4, mtimeMs, sha512: 'x'.repeat(128) });
    }
    await utimes(path.join(roots.destination, 'touched copy'), 1, 1);
    await utimes(path.join(roots.source, 'edited source'), 2, 2);
    const scanned = files.map((name) => ({
      path: name,
      size: 4,
      mtimeMs: name === 'edited source' ? 2000 : mtimeMs,
      mode: 0o100644,
    }));

    const plan = await planFiles(scanned, roots, manifest);
    expect(plan.skipped).toEqual(['same']);
    expect(plan.tasks.map((t) => [t.path, t.kind === 'file' && t.expectSha512 !== undefined])).toEqual([
      ['touched copy', true],
      ['edited source', false],
      ['missing copy', false],
      ['not in manifest', false],
    ]);
  });
});
