import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readManifest } from './manifest.js';
import {
  compareTrees,
  copyTree,
  leftoverTemps,
  makeTempDir,
  randomTree,
  removeDir,
} from './test-support/trees.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

async function workspace(): Promise<{ src: string; dst: string }> {
  const dir = await makeTempDir();
  dirs.push(dir);
  const src = path.join(dir, 'src');
  await mkdir(src);
  return { src, dst: path.join(dir, 'dst') };
}

const sha512 = async (file: string) =>
  createHash('sha512')
    .update(await readFile(file))
    .digest('hex');

describe('copying seeded random trees', () => {
  it.each([
    { seed: 1, bigFileBytes: 8 << 20 },
    { seed: 2, bigFileBytes: undefined },
    { seed: 3, bigFileBytes: undefined },
  ])(
    'seed $seed: the copy equals the source byte for byte, with modes, mtimes, links and empty folders',
    async ({ seed, bigFileBytes }) => {
      const { src, dst } = await workspace();
      const tree = await randomTree(src, { seed, bigFileBytes, fifo: true });

      const result = await copyTree({ source: src, destination: dst });
      expect(result.failures).toEqual([]);
      expect(result).toMatchObject({
        outcome: 'ok',
        files: tree.files.length,
        copied: tree.files.length,
        skipped: 0,
        links: tree.links.length,
        dirs: tree.dirs.length,
        specialsSkipped: 1,
        bytesCopied: tree.bytes,
      });
      expect(result.warnings).toEqual([{ path: 'a fifo', message: 'skipped: a FIFO is not copied' }]);
      expect(await compareTrees(src, dst)).toEqual([]);
      expect(await leftoverTemps(dst)).toEqual([]);

      const manifest = await readManifest(result.manifestPath);
      expect(manifest?.complete).toBe(true);
      expect([...(manifest?.files.keys() ?? [])].sort()).toEqual([...tree.files].sort());
      for (const file of tree.files.slice(0, 10)) {
        const entry = manifest?.files.get(file);
        const source = path.join(src, ...file.split('/'));
        expect(entry?.sha512).toBe(await sha512(source));
        expect(entry?.size).toBe((await stat(source)).size);
      }

      const again = await copyTree({ source: src, destination: dst });
      expect(again).toMatchObject({ outcome: 'ok', copied: 0, skipped: tree.files.length, failures: [] });
      expect(await compareTrees(src, dst)).toEqual([]);
    },
  );

  it('a re-run copies new and changed files, re-hashes a touched copy, and leaves the rest alone', async () => {
    const { src, dst } = await workspace();
    const tree = await randomTree(src, { seed: 7, files: 20 });
    await copyTree({ source: src, destination: dst });
    const [edited, deleted, touched, rechmoded] = tree.files.filter((f) => !f.includes('\n')).slice(0, 4);
    if (!edited || !deleted || !touched || !rechmoded) throw new Error('the tree is too small');
    const at = (root: string, relative: string) => path.join(root, ...relative.split('/'));

    await writeFile(at(src, edited), 'edited since the last copy');
    await rm(at(dst, deleted));
    await utimes(at(dst, touched), new Date(), new Date()); // same bytes, another mtime
    await chmod(at(src, rechmoded), 0o604);
    await writeFile(at(src, 'brand new.txt'), 'new');

    const result = await copyTree({ source: src, destination: dst });
    expect(result.failures).toEqual([]);
    expect(result).toMatchObject({ outcome: 'ok', files: 21, copied: 3, skipped: 18 });
    expect(await compareTrees(src, dst)).toEqual([]);
    expect((await readManifest(result.manifestPath))?.files.get(edited)?.size).toBe(26);
  });
});
