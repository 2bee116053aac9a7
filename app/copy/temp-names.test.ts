import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTempName, sweepStaleTemps, tempPathFor } from './temp-names.js';
import { makeTempDir, removeDir } from './test-support/trees.js';

const TOKEN = '0123456789ab';

describe('temp names', () => {
  it('are hidden names in the destination folder, recognisable, newlines and all', () => {
    expect(tempPathFor('/d/sub/photo 1.jpg', TOKEN)).toBe('/d/sub/.photo 1.jpg.mytimer-tmp-0123456789ab');
    expect(isTempName(path.basename(tempPathFor('/d/new\nline', TOKEN)))).toBe(true);
    expect(isTempName('.photo.jpg')).toBe(false);
    expect(isTempName('photo.mytimer-tmp-0123456789ab')).toBe(false);
  });

  it('stay within 255 bytes, cutting long Unicode names on a character boundary', () => {
    const name = path.basename(tempPathFor(`/d/${'中'.repeat(85)}`, TOKEN)); // 255 bytes of name
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name).not.toContain('\uFFFD');
    expect(isTempName(name)).toBe(true);
  });

  it('two long names that share their first 229 bytes get different temp names', () => {
    const common = 'x'.repeat(229);
    const a = tempPathFor(`/d/${common}${'a'.repeat(20)}`, TOKEN);
    const b = tempPathFor(`/d/${common}${'b'.repeat(20)}`, TOKEN);
    expect(a).not.toBe(b);
    for (const temp of [a, b]) {
      expect(Buffer.byteLength(path.basename(temp))).toBeLessThanOrEqual(255);
      expect(isTempName(path.basename(temp))).toBe(true);
    }
    // A name that fits keeps its plain form.
    expect(tempPathFor('/d/short', TOKEN)).toBe('/d/.short.mytimer-tmp-0123456789ab');
  });

  describe('sweeping', () => {
    let dir: string;
    afterEach(() => removeDir(dir));

    it('removes only our temp files, at any depth', async () => {
      dir = await makeTempDir();
      await mkdir(path.join(dir, 'a', 'b'), { recursive: true });
      await writeFile(path.join(dir, 'a', 'b', `.x.mytimer-tmp-${TOKEN}`), '');
      await writeFile(path.join(dir, `.y.mytimer-tmp-${TOKEN}`), '');
      await writeFile(path.join(dir, 'keep.mytimer-tmp-notours'), '');
      expect(await sweepStaleTemps(dir)).toBe(2);
      expect(await readdir(path.join(dir, 'a', 'b'))).toEqual([]);
      expect(await readdir(dir)).toEqual(['a', 'keep.mytimer-tmp-notours']);
    });
  });
});
