import { readFile, stat, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicFs } from '../../shared/atomic-write.js';
import { JsonStore } from './json-store.js';
import {
  fsWithTempHandle,
  makeTempDir,
  realFs,
  removeDir,
  systemError,
  tempFilesIn,
  testDefaults,
  testSchema,
  type TestSettings,
} from './test-support.js';
import { atomicWriteRejection as rejection } from '../../shared/test-support/atomic-write-error.js';

const onWindows = process.platform === 'win32';
let dir: string;
let file: string;

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, 'settings.json');
});
afterEach(() => removeDir(dir));

describe('writeFileAtomic', () => {
  it('creates a file, then replaces its content, leaving no temp file', async () => {
    await writeFileAtomic(file, 'first\n');
    expect(await readFile(file, 'utf8')).toBe('first\n');
    await writeFileAtomic(file, Buffer.from('second, longer\n'));
    expect(await readFile(file, 'utf8')).toBe('second, longer\n');
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it.skipIf(onWindows)('sets an explicit mode exactly, whatever the umask', async () => {
    await writeFileAtomic(file, 'x', { mode: 0o600 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it.skipIf(onWindows)('keeps the mode of the file it replaces', async () => {
    await writeFile(file, 'old');
    await chmod(file, 0o640);
    await writeFileAtomic(file, 'new');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it('a write that fails half way leaves the old file and no temp file, naming path and cause', async () => {
    await writeFile(file, 'old and good\n');
    const fs = fsWithTempHandle((handle) => ({
      write: async (buffer: Buffer) => {
        await handle.write(buffer, 0, 3, 0);
        throw systemError('EDQUOT', 'disk quota exceeded, write');
      },
    }));
    const error = await rejection(writeFileAtomic(file, 'new and much longer\n', { fs }));
    expect(error.code).toBe('EDQUOT');
    expect(error.message).toContain(file);
    expect(error.message).toContain('EDQUOT');
    expect(await readFile(file, 'utf8')).toBe('old and good\n');
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it('a layer that reports a full write but stores less is caught before the rename', async () => {
    await writeFile(file, 'old and good\n');
    const fs = fsWithTempHandle((handle) => ({
      write: async (buffer: Buffer, offset: number, length: number, position: number) => {
        await handle.write(buffer, offset, Math.ceil(length / 2), position);
        return { bytesWritten: length, buffer };
      },
    }));
    const error = await rejection(writeFileAtomic(file, 'new and much longer\n', { fs }));
    expect(error.code).toBe('EIO');
    expect(error.message).toMatch(/holds \d+ bytes, expected 20/);
    expect(await readFile(file, 'utf8')).toBe('old and good\n');
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it('an fsync error (EIO) leaves the old file', async () => {
    await writeFile(file, 'old and good\n');
    const fs = fsWithTempHandle(() => ({
      sync: async () => {
        throw systemError('EIO', 'i/o error, fsync');
      },
    }));
    const error = await rejection(writeFileAtomic(file, 'new\n', { fs }));
    expect(error.code).toBe('EIO');
    expect(await readFile(file, 'utf8')).toBe('old and good\n');
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it('a missing directory is reported with the path, not swallowed', async () => {
    const missing = path.join(dir, 'nope', 'settings.json');
    const error = await rejection(writeFileAtomic(missing, 'x'));
    expect(error.code).toBe('ENOENT');
    expect(error.message).toContain(missing);
  });
});

describe('concurrent saves', () => {
  it('never interleave: each save renames both files before the next one starts writing', async () => {
    const events: string[] = [];
    const target = (file: unknown) => path.basename(String(file)).replace(/^\.(.+)\.tmp-.*$/, '$1');
    const recordingFs: AtomicFs = {
      ...realFs,
      async open(file, flags, mode) {
        if (flags === 'wx') events.push(`write ${target(file)}`);
        await sleep(5); // widen the window an unserialised save would interleave in
        return realFs.open(file, flags, mode);
      },
      async rename(from, to) {
        events.push(`rename ${target(to)}`);
        return realFs.rename(from, to);
      },
    };
    const store = new JsonStore<TestSettings>({
      path: file,
      schema: testSchema,
      defaults: testDefaults,
      version: 1,
      fs: recordingFs,
    });
    const saves = [1, 2, 3].map((priority) =>
      store.save({ theme: 'dark', reminders: [{ name: 'eyes', priority }] }),
    );
    await Promise.all(saves);
    const oneSave = [
      'write settings.json',
      'rename settings.json',
      'write settings.json.bak',
      'rename settings.json.bak',
    ];
    expect(events).toEqual([...oneSave, ...oneSave, ...oneSave]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      theme: 'dark',
      reminders: [{ name: 'eyes', priority: 3 }],
    });
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it('update() reads the value the previous save wrote', async () => {
    const store = new JsonStore<TestSettings>({
      path: file,
      schema: testSchema,
      defaults: testDefaults,
      version: 1,
    });
    const bump = (current: TestSettings): TestSettings => ({
      ...current,
      reminders: [...current.reminders, { name: `r${current.reminders.length}`, priority: 5 }],
    });
    void store.save({ theme: 'dark', reminders: [] });
    await Promise.all([store.update(bump), store.update(bump), store.update(bump)]);
    const { value } = await store.load();
    expect(value.reminders.map((r) => r.name)).toEqual(['r0', 'r1', 'r2']);
  });
});
