import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tinyTmpfs } from '../../shared/test-support/tiny-tmpfs.js';
import { AtomicWriteError, errorCode } from '../../shared/atomic-write.js';
import { JsonStore } from './json-store.js';
import {
  fsWithTempHandle,
  makeTempDir,
  removeDir,
  systemError,
  tempFilesIn,
  testDefaults,
  testSchema,
  type TestSettings,
} from './test-support.js';

const SMALL: TestSettings = { theme: 'dark', reminders: [{ name: 'eyes', priority: 3 }] };
const LARGER: TestSettings = {
  theme: 'light',
  reminders: Array.from({ length: 200 }, (_, i) => ({
    name: `reminder number ${i}`,
    priority: 1 + (i % 20),
  })),
};

const tmpfs = await tinyTmpfs('mytimer-full-disk-', '64k');
const mountDir = tmpfs.dir;
const canMount = tmpfs.mounted;

afterAll(() => tmpfs.remove());

async function fillDisk(file: string): Promise<void> {
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(4096, 0x2e);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if (errorCode(error) !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
}

function storeAt(file: string, fs?: ReturnType<typeof fsWithTempHandle>) {
  return new JsonStore<TestSettings>({
    path: file,
    schema: testSchema,
    defaults: testDefaults,
    version: 1,
    fs,
  });
}

async function saveError(store: JsonStore<TestSettings>, value: TestSettings): Promise<AtomicWriteError> {
  const error: unknown = await store.save(value).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AtomicWriteError))
    throw new Error(`expected an AtomicWriteError, got ${String(error)}`);
  return error;
}

describe('a full disk', () => {
  it.skipIf(!canMount)(
    'on a real 64 KiB tmpfs: the save fails, the old file survives (needs root and tmpfs mounts)',
    async () => {
      const file = path.join(mountDir, 'settings.json');
      const store = storeAt(file);
      await store.save(SMALL);
      const before = await readFile(file);
      await fillDisk(path.join(mountDir, 'filler'));

      const error = await saveError(store, LARGER);
      expect(error.code).toBe('ENOSPC');
      expect(error.message).toContain(file);
      expect(error.message).toContain('ENOSPC');
      expect(await readFile(file)).toEqual(before);
      expect(await readFile(`${file}.bak`)).toEqual(before);
      expect(await tempFilesIn(mountDir)).toEqual([]);
      expect((await storeAt(file).load()).value).toEqual(SMALL);

      await rm(path.join(mountDir, 'filler'));
      await store.save(LARGER); // space is back, so is saving
      expect((await storeAt(file).load()).value).toEqual(LARGER);
    },
  );

  describe('injected ENOSPC (any platform)', () => {
    let dir: string;
    afterEach(() => removeDir(dir));

    it('a write that runs out of space half way leaves the file and its .bak intact', async () => {
      dir = await makeTempDir();
      const file = path.join(dir, 'settings.json');
      await storeAt(file).save(SMALL);
      const before = await readFile(file);
      const fullFs = fsWithTempHandle((handle) => ({
        write: async (buffer: Buffer, offset: number, length: number, position: number) => {
          await handle.write(buffer, offset, Math.min(length, 512), position);
          throw systemError('ENOSPC', 'no space left on device, write');
        },
      }));

      const error = await saveError(storeAt(file, fullFs), LARGER);
      expect(error.code).toBe('ENOSPC');
      expect(error.message).toBe(`could not write ${file}: ENOSPC: no space left on device, write`);
      expect(await readFile(file)).toEqual(before);
      expect(await readFile(`${file}.bak`)).toEqual(before);
      expect(await tempFilesIn(dir)).toEqual([]);
    });
  });
});
