import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** `npm start` (scripts/start.mjs) where the Electron binary could not be downloaded. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const START = path.join(ROOT, 'scripts', 'start.mjs');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');
const electronInstalled =
  existsSync(path.join(ELECTRON_DIR, 'path.txt')) && existsSync(path.join(ELECTRON_DIR, 'dist'));

interface StartModule {
  electronBinary(projectDir?: string): string | null;
  MISSING_ELECTRON_MESSAGE: string;
}

let project: string;

beforeEach(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'mytimer-start-'));
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('scripts/start.mjs', () => {
  it('finds the binary only when path.txt, dist/ and the executable all exist', async () => {
    const { electronBinary } = (await import(START)) as StartModule;
    const electronDir = path.join(project, 'node_modules', 'electron');
    await mkdir(electronDir, { recursive: true });
    expect(electronBinary(project)).toBeNull();
    await writeFile(path.join(electronDir, 'path.txt'), 'electron');
    expect(electronBinary(project)).toBeNull();
    await mkdir(path.join(electronDir, 'dist'));
    expect(electronBinary(project)).toBeNull();
    await writeFile(path.join(electronDir, 'dist', 'electron'), '');
    expect(electronBinary(project)).toBe(path.join(electronDir, 'dist', 'electron'));
  });

  // Only where the binary is missing: elsewhere `npm start` would build and launch the app.
  it.skipIf(electronInstalled)(
    'fails with one line pointing to `npx mytimer run` when Electron is missing',
    async () => {
      const { MISSING_ELECTRON_MESSAGE } = (await import(START)) as StartModule;
      const result = spawnSync(process.execPath, [START], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`${MISSING_ELECTRON_MESSAGE}\n`);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(MISSING_ELECTRON_MESSAGE).toMatch(/node_modules\/electron\/dist is missing.*npx mytimer run$/);
    },
  );
});
