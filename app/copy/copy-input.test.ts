import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { resolveCopyInput, type CopyRequest } from './copy-input.js';
import { makeTempDir, removeDir } from './test-support/trees.js';

// A read-only file system is the one "not writable" root cannot write through; mounted once here.
const readOnlyDir = await mkdtemp(path.join(os.tmpdir(), 'mytimer-copy-ro-'));
const canMountReadOnly = process.platform === 'linux' && tryMount(readOnlyDir);
function tryMount(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
afterAll(async () => {
  if (canMountReadOnly) execFileSync('umount', [readOnlyDir]);
  await rm(readOnlyDir, { recursive: true, force: true });
});

let dir: string;
let src: string;
beforeEach(async () => {
  dir = await makeTempDir();
  src = path.join(dir, 'src');
  await mkdir(path.join(src, 'inner'), { recursive: true });
});
afterEach(() => removeDir(dir));

async function rejection(request: CopyRequest): Promise<ValidationError> {
  const error: unknown = await resolveCopyInput(request).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ValidationError))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}

describe('checking a copy request', () => {
  it('resolves real paths and defaults', async () => {
    const input = await resolveCopyInput({ source: src, destination: path.join(dir, 'new', 'dst') });
    expect(input).toMatchObject({
      source: src,
      destination: path.join(dir, 'new', 'dst'),
      manifestPath: path.join(dir, 'new', 'dst', '.mytimer-manifest.json'),
      verifyOnly: false,
    });
    expect(input.workers).toBeGreaterThanOrEqual(1);
  });

  it.each([0, 65, 2.5, Number.NaN])('rejects %s workers', async (workers) => {
    const error = await rejection({ source: src, destination: path.join(dir, 'dst'), workers });
    expect(error.field).toBe('workers');
    expect(error.reason).toMatch(/^must be a whole number from 1 to 64/);
  });

  it('rejects a missing source, and a source that is a file', async () => {
    expect((await rejection({ source: path.join(dir, 'nope'), destination: dir })).message).toBe(
      `source: ${path.join(dir, 'nope')} does not exist`,
    );
    await writeFile(path.join(dir, 'file'), '');
    expect((await rejection({ source: path.join(dir, 'file'), destination: dir })).message).toBe(
      `source: ${path.join(dir, 'file')} is not a folder`,
    );
  });

  it('rejects the source itself and anything inside it, however the path is spelled', async () => {
    await symlink(src, path.join(dir, 'alias'));
    expect((await rejection({ source: src, destination: path.join(dir, 'alias') })).message).toBe(
      'destination: is the source folder itself',
    );
    const viaLink = await rejection({ source: src, destination: path.join(dir, 'alias', 'inner', 'new') });
    expect(viaLink.message).toContain('is inside the source folder');
    const viaDots = await rejection({
      source: path.join(dir, 'alias'),
      destination: `${src}/inner/../inner/x`,
    });
    expect(viaDots.message).toContain('is inside the source folder');
  });

  it('accepts a sibling whose name starts with the source name', async () => {
    await expect(resolveCopyInput({ source: src, destination: `${src}-copy` })).resolves.toBeTruthy();
  });

  it('rejects a destination that is, or lies under, a file', async () => {
    await writeFile(path.join(dir, 'file'), '');
    expect((await rejection({ source: src, destination: path.join(dir, 'file') })).message).toBe(
      `destination: ${path.join(dir, 'file')} is not a folder`,
    );
    expect((await rejection({ source: src, destination: path.join(dir, 'file', 'sub') })).field).toBe(
      'destination',
    );
  });

  it('rejects a manifest inside the source', async () => {
    const error = await rejection({
      source: src,
      destination: path.join(dir, 'dst'),
      manifestPath: path.join(src, 'm.json'),
    });
    expect(error.field).toBe('manifest');
  });

  it.skipIf(!canMountReadOnly)(
    'rejects a destination on a read-only file system (needs root and tmpfs mounts)',
    async () => {
      const error = await rejection({ source: src, destination: path.join(readOnlyDir, 'dst') });
      expect(error.message).toBe(`destination: ${path.join(readOnlyDir, 'dst')} is not writable (EROFS)`);
    },
  );
});
