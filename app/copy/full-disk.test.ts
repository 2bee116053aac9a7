import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyTmpfs } from '../shared/test-support/tiny-tmpfs.js';
import { readManifest } from './manifest.js';
import { copyTree, leftoverTemps, makeTempDir, removeDir } from './test-support/trees.js';

// it.skipIf is decided when the file is collected, so the mount is tried here, once, at load.
const tmpfs = await tinyTmpfs('mytimer-copy-full-', '1m');
const mountDir = tmpfs.dir;
const canMount = tmpfs.mounted;

afterAll(() => tmpfs.remove());

describe('a destination that fills up', () => {
  it.skipIf(!canMount)(
    'on a real 1 MiB tmpfs: files that do not fit fail as no-space, the rest are verified, no temp file stays (needs root and tmpfs mounts)',
    async () => {
      const src = await makeTempDir();
      try {
        await mkdir(path.join(src, 'photos'));
        const files = Array.from({ length: 5 }, (_, i) => `photos/img ${i}.raw`);
        for (const [i, file] of files.entries())
          await writeFile(path.join(src, file), Buffer.alloc(300 * 1024, i + 1));
        const dst = path.join(mountDir, 'backup');

        const result = await copyTree({ source: src, destination: dst });
        expect(result.outcome).toBe('failed');
        const full = result.failures.filter((f) => f.reason === 'no-space');
        expect(full.length).toBeGreaterThanOrEqual(2);
        expect(full.length).toBe(result.failures.length);
        expect(full[0]?.message).toContain('ENOSPC');
        expect(result.copied).toBe(5 - full.length);
        expect(result.copied).toBeGreaterThanOrEqual(1);
        expect(await leftoverTemps(dst)).toEqual([]);

        // What is under a real name is whole and verified; what failed is simply not there.
        const copied = (await readdir(path.join(dst, 'photos'))).map((name) => `photos/${name}`);
        expect(copied.length).toBe(result.copied);
        for (const file of copied) {
          expect((await readFile(path.join(dst, file))).equals(await readFile(path.join(src, file)))).toBe(
            true,
          );
        }
        if (result.manifestError === null) {
          expect([...((await readManifest(result.manifestPath))?.files.keys() ?? [])].sort()).toEqual(
            copied.sort(),
          );
        } else {
          expect(result.manifestError).toContain('ENOSPC');
        }
      } finally {
        await removeDir(src);
      }
    },
  );
});
