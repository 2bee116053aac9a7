import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManifestError, readManifest, serializeManifest, writeManifest, type Manifest } from './manifest.js';
import { makeTempDir, removeDir } from './test-support/trees.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});
async function tempFile(name: string): Promise<string> {
  const dir = await makeTempDir();
  dirs.push(dir);
  return path.join(dir, name);
}

const DIGEST = 'ab'.repeat(64);
const sample = (): Manifest => ({
  source: '/home/me/photos',
  complete: true,
  files: new Map([
    ['b/中文\nnewline.txt', { size: 3, mtimeMs: 1_700_000_000_123.25, sha512: DIGEST }],
    ['a.txt', { size: 0, mtimeMs: 1_700_000_000_000, sha512: DIGEST }],
  ]),
});

describe('the manifest', () => {
  it('is JSON with a readable header and one line per file, sorted by path', () => {
    const text = serializeManifest(sample(), Date.UTC(2026, 0, 5, 9));
    expect(text).toBe(
      [
        '{',
        '  "format": "mytimer-copy-manifest",',
        '  "version": 1,',
        '  "source": "/home/me/photos",',
        '  "updatedAt": "2026-01-05T09:00:00.000Z",',
        '  "complete": true,',
        '  "files": [',
        `    {"path":"a.txt","size":0,"mtimeMs":1700000000000,"sha512":"${DIGEST}"},`,
        `    {"path":"b/中文\\nnewline.txt","size":3,"mtimeMs":1700000000123.25,"sha512":"${DIGEST}"}`,
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('reads back what it wrote (written atomically)', async () => {
    const file = await tempFile('m.json');
    await writeManifest(file, sample(), 0);
    expect(await readManifest(file)).toEqual(sample());
    await writeManifest(file, { ...sample(), files: new Map() }, 0);
    expect((await readManifest(file))?.files.size).toBe(0);
  });

  it('is null when absent, and a ManifestError when it is not ours or points outside the destination', async () => {
    const file = await tempFile('m.json');
    expect(await readManifest(file)).toBeNull();
    await writeFile(file, '{"format":"something else"}');
    await expect(readManifest(file)).rejects.toBeInstanceOf(ManifestError);
    const hostile = serializeManifest(
      { ...sample(), files: new Map([['../../etc/passwd', { size: 1, mtimeMs: 0, sha512: DIGEST }]]) },
      0,
    );
    await writeFile(file, hostile);
    await expect(readManifest(file)).rejects.toThrow(
      'must be a relative path inside the destination at files.0.path',
    );
  });
});
