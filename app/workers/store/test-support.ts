// Shared by the store's tests only: a small settings schema, temp dirs, and fs doubles that fail on cue.
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { AtomicFs } from '../../shared/atomic-write.js';

const priority = z.number().int().min(1, 'must be from 1 to 20').max(20, 'must be from 1 to 20');

/** A settings document shaped like the real one, small enough to read in a test. */
export const testSchema = z.object({
  theme: z.enum(['light', 'dark']),
  reminders: z.array(z.object({ name: z.string().min(1), priority })),
});

/** The test document type. */
export type TestSettings = z.infer<typeof testSchema>;

/** Fresh defaults for the test schema. */
export const testDefaults = (): TestSettings => ({ theme: 'light', reminders: [] });

/** A new empty dir under the OS temp dir; pair with removeDir in afterEach. */
export function makeTempDir(): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), 'mytimer-store-'));
}

/** Removes a dir made by makeTempDir. */
export function removeDir(dir: string): Promise<void> {
  return fsp.rm(dir, { recursive: true, force: true });
}

/** The real file system, as writeFileAtomic sees it. */
export const realFs: AtomicFs = {
  open: fsp.open,
  rename: fsp.rename,
  unlink: fsp.unlink,
  stat: fsp.stat,
  readFile: fsp.readFile,
};

/** A system error as Node makes them: `CODE: text`, with `code` set. */
export function systemError(code: string, text: string): Error {
  return Object.assign(new Error(`${code}: ${text}`), { code });
}

/** Replacements for the temp-file handle methods writeFileAtomic calls, in the form it calls them. */
export interface HandleOverrides {
  write?: (
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ) => Promise<{ bytesWritten: number }>;
  sync?: () => Promise<void>;
}

/**
 * The real fs, except that handles opened for a temp file (`wx`) get some methods replaced:
 * `override` receives the real handle and returns the replacements.
 */
export function fsWithTempHandle(override: (handle: FileHandle) => HandleOverrides): AtomicFs {
  return {
    ...realFs,
    async open(file, flags, mode) {
      const handle = await fsp.open(file, flags, mode);
      if (flags !== 'wx') return handle;
      const replaced = override(handle);
      return new Proxy(handle, {
        get(target, property) {
          if (Object.hasOwn(replaced, property)) return Reflect.get(replaced, property);
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

/** Temp files writeFileAtomic would have left behind in `dir`. */
export async function tempFilesIn(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter((name) => name.includes('.tmp-'));
}
