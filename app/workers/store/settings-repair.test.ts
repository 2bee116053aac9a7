import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSettingsStore } from './documents.js';
import { makeTempDir, removeDir } from './test-support.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, 'settings.json');
});
afterEach(() => removeDir(dir));

const store = () =>
  openSettingsStore({
    home: dir,
    settings: file,
    state: path.join(dir, 'state.json'),
    lock: path.join(dir, 'settings.lock'),
  });

const water = { id: 'water', name: 'Water', schedule: { kind: 'every', intervalMs: 2_700_000 }, priority: 3 };

async function writeSettings(body: Record<string, unknown>): Promise<string> {
  const text = `${JSON.stringify({ version: 1, ...body }, null, 2)}\n`;
  await writeFile(file, text);
  return text;
}

describe('a hand-edited settings file with one bad entry', () => {
  it('a reminder with priority 99 is disabled with a warning naming it; the other reminders load', async () => {
    const original = await writeSettings({
      reminders: [water, { id: 'stretch', schedule: { kind: 'every', intervalMs: 3_600_000 }, priority: 99 }],
    });
    const result = await store().load();

    expect(result.value.reminders.map((r) => [r.id, r.enabled, r.priority])).toEqual([
      ['water', true, 3],
      ['stretch', false, 5],
    ]);
    expect(result.warnings.join('\n')).toMatch(/reminders\[1\] \("stretch"\)\.priority: .*from 1 to 20/);
    expect(result.warnings.join('\n')).toMatch(/disabled/);
    // The file as the user wrote it is kept byte for byte; the repaired one is saved in its place.
    const kept = (await readdir(dir)).filter((name) => name.startsWith('settings.json.bad-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(path.join(dir, kept[0] as string), 'utf8')).toBe(original);
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      reminders: { id: string; enabled: boolean }[];
    };
    expect(saved.reminders.map((r) => [r.id, r.enabled])).toEqual([
      ['water', true],
      ['stretch', false],
    ]);
  });

  it('a reminder whose schedule is unusable is set aside, not fatal, and the rest loads', async () => {
    await writeSettings({ reminders: [{ id: 'broken', schedule: { kind: 'hourly' } }, water] });
    const result = await store().load();

    expect(result.value.reminders.map((r) => r.id)).toEqual(['water']);
    expect(result.warnings.join('\n')).toMatch(/reminders\[0\] \("broken"\).*set aside/);
  });

  it('a bad general setting falls back to its default with a warning; reminders are untouched', async () => {
    await writeSettings({ niceness: 99, sound: 'yes', reminders: [water] });
    const result = await store().load();

    expect(result.value.niceness).toBe(10);
    expect(result.value.sound).toBe(false);
    expect(result.value.reminders.map((r) => r.id)).toEqual(['water']);
    expect(result.warnings.join('\n')).toMatch(/niceness: .*0 to 19.*default/);
    expect(result.warnings.join('\n')).toMatch(/sound: .*true or false.*default/);
  });

  it('JSON that does not parse is still moved aside whole (nothing to repair)', async () => {
    await writeFile(file, '{"version":1,"remin');
    const result = await store().load();
    expect(result.source).toBe('defaults');
    expect(result.warnings[0]).toMatch(/is not valid JSON/);
  });
});
