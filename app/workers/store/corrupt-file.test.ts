import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { JsonStore, fileStamp } from './json-store.js';
import { makeTempDir, removeDir, testDefaults, testSchema, type TestSettings } from './test-support.js';

const NOW = Date.UTC(2026, 10, 25, 4, 15, 0, 123);
const STAMP = '20261125T041500Z';
const GOOD: TestSettings = { theme: 'dark', reminders: [{ name: 'eyes', priority: 3 }] };

let dir: string;
let file: string;
let logged: string[];

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, 'settings.json');
  logged = [];
});
afterEach(() => removeDir(dir));

function openStore() {
  return new JsonStore<TestSettings>({
    path: file,
    schema: testSchema,
    defaults: testDefaults,
    version: 1,
    now: () => NOW,
    log: (level, message) => logged.push(`${level}: ${message}`),
  });
}

const corruptions: [string, string, RegExp][] = [
  ['an empty file', '', /settings\.json is empty/],
  ['truncated JSON', '{"version":1,"remin', /settings\.json is not valid JSON \(.+\)/],
  ['JSON null', 'null', /is not a JSON object \(got null\)/],
  ['an array', '[{"version":1}]', /is not a JSON object \(got an array\)/],
  ['no version', '{"theme":"dark","reminders":[]}', /has no valid version \(got undefined/],
  [
    'a priority of 99',
    '{"version":1,"theme":"dark","reminders":[{"name":"eyes","priority":99}]}',
    /has a bad value: reminders\[0\]\.priority: must be from 1 to 20/,
  ],
];

describe('a damaged settings file', () => {
  it.each(corruptions)('%s is moved aside byte for byte and the defaults load', async (_, bytes, problem) => {
    await writeFile(file, bytes);
    const store = openStore();
    const result = await store.load();

    expect(result.value).toEqual(testDefaults());
    expect(result.source).toBe('defaults');
    expect(result.recovered).toBe(`${file}.bad-${STAMP}`);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(problem);
    expect(result.warnings[0]).toContain(`moved it to settings.json.bad-${STAMP}; loaded the defaults`);
    expect(logged).toEqual([`warn: ${result.warnings[0]}`]);
    expect(await readFile(`${file}.bad-${STAMP}`, 'utf8')).toBe(bytes);
    expect(await readdir(dir)).toEqual([`settings.json.bad-${STAMP}`]); // defaults are not written yet

    await store.save(GOOD);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, ...GOOD });
    expect((await openStore().load()).source).toBe('file');
  });

  it('loads the last good copy from .bak and writes it back, so a restart keeps it', async () => {
    const store = openStore();
    await store.save(GOOD);
    const good = await readFile(file, 'utf8');
    await writeFile(file, '{"version":1,"theme":"dar'); // a hand edit gone wrong

    const result = await store.load();
    expect(result.source).toBe('backup');
    expect(result.value).toEqual(GOOD);
    expect(result.warnings[0]).toMatch(
      /not valid JSON .*loaded the last good copy from settings\.json\.bak$/,
    );
    expect(await readFile(file, 'utf8')).toBe(good);
    expect((await openStore().load()).source).toBe('file');
  });

  it('falls back to the defaults when the .bak is damaged too, and says so', async () => {
    await writeFile(file, 'null');
    await writeFile(`${file}.bak`, '{');
    const result = await openStore().load();
    expect(result.source).toBe('defaults');
    expect(result.warnings).toEqual([
      expect.stringContaining('loaded the defaults'),
      expect.stringMatching(/^settings\.json\.bak is not valid JSON .* too$/),
    ]);
  });

  it('two corruptions in the same second keep both backups', async () => {
    const store = openStore();
    await writeFile(file, 'first bad');
    await store.load();
    await writeFile(file, 'second bad');
    const second = await store.load();
    expect(second.recovered).toBe(`${file}.bad-${STAMP}-1`);
    expect(await readFile(`${file}.bad-${STAMP}`, 'utf8')).toBe('first bad');
    expect(await readFile(`${file}.bad-${STAMP}-1`, 'utf8')).toBe('second bad');
  });

  it('a byte-order mark from a Windows editor is not damage', async () => {
    await writeFile(file, `\uFEFF${JSON.stringify({ version: 1, ...GOOD })}`);
    expect(await openStore().load()).toEqual({ value: GOOD, warnings: [], source: 'file' });
  });
});

describe('saving', () => {
  it('a missing file loads the defaults and writes nothing', async () => {
    expect(await openStore().load()).toEqual({ value: testDefaults(), warnings: [], source: 'defaults' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a bad value with a ValidationError naming the field, writing nothing', async () => {
    const store = openStore();
    await store.save(GOOD);
    const before = await readFile(file, 'utf8');
    const bad: TestSettings = { theme: 'dark', reminders: [{ name: 'eyes', priority: 99 }] };
    const error: unknown = await store.save(bad).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      field: 'reminders[0].priority',
      message: expect.stringContaining('1 to 20'),
    });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('writes pretty JSON with the version first and a trailing newline', async () => {
    await openStore().save(GOOD);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(`${JSON.stringify({ version: 1, ...GOOD }, null, 2)}\n`);
    expect(await readFile(`${file}.bak`, 'utf8')).toBe(text);
  });

  it('stamps backups with a file-name-safe UTC instant', () => {
    expect(fileStamp(NOW)).toBe(STAMP);
  });
});
