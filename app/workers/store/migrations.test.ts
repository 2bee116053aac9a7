import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonStore, type Migration } from './json-store.js';
import { makeTempDir, removeDir, testDefaults, testSchema, type TestSettings } from './test-support.js';

const STAMP = '20261125T041500Z';
let dir: string;
let file: string;
let applied: string[];

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, 'settings.json');
  applied = [];
});
afterEach(() => removeDir(dir));

interface V1 {
  dark: boolean;
  reminders: string[];
}
interface V2 {
  theme: 'light' | 'dark';
  reminders: string[];
}

// v1 had a `dark` flag and bare reminder names; v2 named the theme; v3 gave reminders a priority.
const migrations: Record<number, Migration> = {
  1: (doc) => {
    applied.push('1→2');
    const { dark, reminders } = doc as V1;
    return { theme: dark ? 'dark' : 'light', reminders } satisfies V2;
  },
  2: (doc) => {
    applied.push('2→3');
    const { theme, reminders } = doc as V2;
    return { theme, reminders: reminders.map((name) => ({ name, priority: 10 })) } satisfies TestSettings;
  },
};

function openStore() {
  return new JsonStore<TestSettings>({
    path: file,
    schema: testSchema,
    defaults: testDefaults,
    version: 3,
    migrations,
    now: () => Date.UTC(2026, 10, 25, 4, 15),
  });
}

describe('migrations', () => {
  it('v1 → v2 → v3 run in order, then the validated result is saved back', async () => {
    await writeFile(file, JSON.stringify({ version: 1, dark: true, reminders: ['eyes', 'stretch'] }));
    const result = await openStore().load();
    const expected: TestSettings = {
      theme: 'dark',
      reminders: [
        { name: 'eyes', priority: 10 },
        { name: 'stretch', priority: 10 },
      ],
    };
    expect(applied).toEqual(['1→2', '2→3']);
    expect(result).toEqual({ value: expected, warnings: [], source: 'migrated' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 3, ...expected });

    applied = [];
    expect((await openStore().load()).source).toBe('file');
    expect(applied).toEqual([]);
  });

  it('a v2 file runs only the steps it needs', async () => {
    await writeFile(file, JSON.stringify({ version: 2, theme: 'light', reminders: [] }));
    await openStore().load();
    expect(applied).toEqual(['2→3']);
  });

  it('a migration whose result fails validation is not saved; the file is moved aside', async () => {
    const bytes = JSON.stringify({ version: 1, dark: 'sometimes', reminders: [''] });
    await writeFile(file, bytes);
    const result = await openStore().load();
    expect(result.source).toBe('defaults');
    expect(result.warnings[0]).toMatch(/has a bad value: reminders\[0\]\.name/);
    expect(await readFile(`${file}.bad-${STAMP}`, 'utf8')).toBe(bytes);
    expect(await readdir(dir)).toEqual([`settings.json.bad-${STAMP}`]);
  });

  it('a version newer than supported is moved aside with a clear warning, never downgraded', async () => {
    const bytes = JSON.stringify({ version: 4, theme: 'dark', reminders: [], sounds: true });
    await writeFile(file, bytes);
    const result = await openStore().load();
    expect(result.source).toBe('defaults');
    expect(result.warnings[0]).toBe(
      `settings.json is version 4, written by a newer myTimer; this one reads up to version 3; ` +
        `moved it to settings.json.bad-${STAMP}; loaded the defaults`,
    );
    expect(await readFile(`${file}.bad-${STAMP}`, 'utf8')).toBe(bytes);
    expect(applied).toEqual([]);
  });

  it('a missing migration step is reported, not skipped', async () => {
    const store = new JsonStore<TestSettings>({
      path: file,
      schema: testSchema,
      defaults: testDefaults,
      version: 3,
      migrations: { 2: migrations[2]! },
    });
    await writeFile(file, JSON.stringify({ version: 1, dark: false, reminders: [] }));
    const result = await store.load();
    expect(result.warnings[0]).toMatch(/is version 1 and no migration from 1 exists/);
  });
});
