import { readFile, writeFile } from 'node:fs/promises';
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

  it('keeps a damaged mark and drops fields it does not know, as zod would', async () => {
    const file = await tempFile('m.json');
    const text = serializeManifest(sample(), 0).replace(
      '"path":"a.txt","size":0,',
      '"path":"a.txt","colour":"red","damaged":true,"size":0,',
    );
    await writeFile(file, text);
    const manifest = await readManifest(file);
    expect(manifest?.files.get('a.txt')).toEqual({
      size: 0,
      mtimeMs: 1_700_000_000_000,
      sha512: DIGEST,
      damaged: true,
    });
    expect(manifest?.files.get('b/中文\nnewline.txt')).toEqual(sample().files.get('b/中文\nnewline.txt'));
  });

  it.each([
    ['a fractional size', '"size":0,', '"size":0.5,', 'files.0.size'],
    ['a negative size', '"size":0,', '"size":-1,', 'files.0.size'],
    ['a "." in its path', '"path":"a.txt"', '"path":"./a.txt"', 'files.0.path'],
    ['an empty part in its path', '"path":"a.txt"', '"path":"x//a.txt"', 'files.0.path'],
    [
      'an upper-case digest',
      `"sha512":"${DIGEST}"}`,
      `"sha512":"${DIGEST.toUpperCase()}"}`,
      'files.0.sha512',
    ],
    ['a damaged mark that is not true', '"size":0,', '"damaged":false,"size":0,', 'files.0.damaged'],
    ['no complete flag', '"complete": true,', '', 'complete'],
  ])('refuses an entry with %s, naming the field', async (_what, from, to, field) => {
    const file = await tempFile('m.json');
    const text = serializeManifest(sample(), 0).replace(from, to);
    expect(text).not.toBe(serializeManifest(sample(), 0));
    await writeFile(file, text);
    await expect(readManifest(file)).rejects.toThrow(new RegExp(`at ${field.replace('.', '\\.')}\\)$`));
  });

  it('writes a manifest bigger than one write piece whole, the same text as in one string, and reads it back', async () => {
    const file = await tempFile('m.json');
    const big: Manifest = { source: '/src', complete: false, files: new Map() };
    for (let i = 0; i < 20_000; i++) {
      big.files.set(`d${i % 97}/file ${i}.bin`, {
        size: i,
        mtimeMs: 1_700_000_000_000 + i / 8,
        sha512: DIGEST,
      });
    }
    await writeManifest(file, big, 0);
    const text = await readFile(file, 'utf8');
    expect(text.length).toBeGreaterThan(2 << 20);
    expect(text).toBe(serializeManifest(big, 0));
    expect(await readManifest(file)).toEqual(big);
  });
});
