import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReminderView } from '../../shared/contract.js';
import { TestHome } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

/** A settings.json as a user might hand-edit it: the good reminder plus whatever `extra` adds. */
function handEdited(extra: Record<string, unknown> = {}, reminders: unknown[] = []): string {
  return `${JSON.stringify(
    {
      version: 1,
      timeZone: 'UTC',
      reminders: [{ id: 'water', schedule: { kind: 'every', intervalMs: 1_800_000 } }, ...reminders],
      ...extra,
    },
    null,
    2,
  )}\n`;
}

async function badCopies(): Promise<string[]> {
  return (await readdir(home.dir)).filter((name) => name.startsWith('settings.json.bad-'));
}

describe('a settings file the engine cannot schedule', () => {
  it('a hand-edited cron "61 * * * *" disables that reminder with a warning; the rest loads', async () => {
    const text = handEdited({}, [{ id: 'hourly', schedule: { kind: 'cron', expression: '61 * * * *' } }]);
    await home.writeRaw('settings.json', text);
    const sut = await home.open();
    const list = await sut.ok<ReminderView[]>('reminder.list');
    expect(list.map((r) => [r.id, r.enabled])).toEqual([
      ['water', true],
      ['hourly', false],
    ]);
    expect(list[0]?.nextDueAt).not.toBeNull();
    const warning = sut.logs.find(([level, message]) => level === 'warn' && message.includes('hourly'));
    expect(warning?.[1]).toMatch(/reminder "hourly".*disabled/);
    const [bad] = await badCopies();
    expect(bad).toBeDefined();
    expect(warning?.[1]).toContain(bad);
    expect(await readFile(path.join(home.dir, bad as string), 'utf8')).toBe(text);
    // The disabled reminder is what is on disk now, so the next start is quiet.
    expect((await home.readSettings())?.reminders[1]).toMatchObject({ id: 'hourly', enabled: false });
  });

  it('a reminder with an unknown time zone is disabled, not fatal', async () => {
    await home.writeRaw(
      'settings.json',
      handEdited({}, [{ id: 'lunch', schedule: { kind: 'daily', time: '12:30', timeZone: 'Mars/Olympus' } }]),
    );
    const sut = await home.open();
    const list = await sut.ok<ReminderView[]>('reminder.list');
    expect(list.find((r) => r.id === 'lunch')?.enabled).toBe(false);
    expect(list.find((r) => r.id === 'water')?.enabled).toBe(true);
  });

  it('a settings time zone of "Mars/Olympus" falls back to the system zone with a warning', async () => {
    await home.writeRaw('settings.json', handEdited({ timeZone: 'Mars/Olympus' }));
    const sut = await home.open();
    expect(sut.logs.some(([, message]) => /timeZone.*Mars\/Olympus/.test(message))).toBe(true);
    const settings = await sut.ok<{ timeZone?: string }>('settings.get');
    expect(settings.timeZone).toBeUndefined();
    expect(await badCopies()).toHaveLength(1);
  });

  it('a settings.json that is a directory loads the defaults with a clear message', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(home.paths.settings));
    const sut = await home.open();
    expect((await sut.ok<ReminderView[]>('reminder.list')).map((r) => r.id)).toEqual(['rest-eyes']);
    expect(sut.logs.some(([, message]) => /settings\.json is a directory/.test(message))).toBe(true);
  });
});

describe('unknown fields in settings.json', () => {
  it('survive a save, on the document and on reminders, with one warning naming them', async () => {
    await home.writeRaw(
      'settings.json',
      handEdited({ theme: 'dark' }, [
        { id: 'tea', schedule: { kind: 'every', intervalMs: 3_600_000 }, colour: 'green' },
      ]),
    );
    const sut = await home.open();
    await sut.ok('settings.set', { patch: { sound: true } });
    await sut.ok('reminder.edit', { id: 'tea', patch: { priority: 2 } });
    const saved = (await home.readSettings()) as unknown as Record<string, unknown> & {
      reminders: Record<string, unknown>[];
    };
    expect(saved.theme).toBe('dark');
    expect(saved.sound).toBe(true);
    expect(saved.reminders[1]).toMatchObject({ id: 'tea', colour: 'green', priority: 2 });
    const warnings = sut.logs.filter(([, message]) => message.includes('unknown'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[1]).toContain('theme');
    expect(warnings[0]?.[1]).toContain('reminders[1].colour');
  });
});
