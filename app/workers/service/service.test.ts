import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReminderView, Status } from '../../shared/contract.js';
import type { Settings } from '../../shared/settings.js';
import { HOUR, MINUTE, MONDAY_9AM, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

describe('a fresh home', () => {
  it('has the one default reminder: rest-eyes, every hour, priority 5, localized message', async () => {
    const sut = await home.open();
    const list = await sut.ok<ReminderView[]>('reminder.list');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: 'rest-eyes',
      priority: 5,
      enabled: true,
      schedule: { kind: 'every', intervalMs: 3_600_000 },
      displayName: 'Rest your eyes',
      displayMessage: "Don't code — rest your eyes",
      nextDueAt: MONDAY_9AM + HOUR,
    });
    // Defaults are not written until something changes.
    expect(await home.settingsBytes()).toBeNull();
  });

  it('notifies once after an hour, with the default title and message, and reports it delivered', async () => {
    const sut = await home.open();
    await sut.advance(HOUR - 1);
    expect(sut.notifier.calls).toEqual([]);
    await sut.advance(1);
    expect(sut.notifier.calls).toEqual([
      {
        title: 'Rest your eyes',
        message: "Don't code — rest your eyes",
        sound: false,
        // Its key, priority and buttons, for a notifier that replaces in place and offers Snooze / Skip / Start break.
        key: 'rest-eyes',
        priority: 5,
        snoozeMinutes: 5,
        actions: ['snooze', 'skip', 'start-break'],
      },
    ]);
    expect(sut.reminderEvents()).toEqual([
      {
        id: 'rest-eyes',
        name: 'Rest your eyes',
        message: "Don't code — rest your eyes",
        dueAt: MONDAY_9AM + HOUR,
        firedAt: MONDAY_9AM + HOUR,
        missed: 0,
        delivered: true,
      },
    ]);
    expect(sut.service.status().notifications).toEqual({ delivered: 1, failed: 0, lastError: null });
  });

  it('speaks Chinese when the OS locale is Chinese and the language is auto', async () => {
    const sut = await home.open({ osLocale: 'zh_CN.UTF-8' });
    const [reminder] = await sut.ok<ReminderView[]>('reminder.list');
    expect(reminder?.displayMessage).toBe('不要 Coding，休息一下眼睛吧');
    expect(sut.service.status().locale).toBe('zh-CN');
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toEqual([
      expect.objectContaining({ title: '休息眼睛', message: '不要 Coding，休息一下眼睛吧', sound: false }),
    ]);
  });

  it('switches to Chinese on settings.set language zh-CN, keeping the pending occurrence', async () => {
    const sut = await home.open();
    await sut.advance(20 * MINUTE);
    await sut.ok('settings.set', { patch: { language: 'zh-CN' } });
    const [reminder] = await sut.ok<ReminderView[]>('reminder.list');
    expect(reminder).toMatchObject({
      displayName: '休息眼睛',
      displayMessage: '不要 Coding，休息一下眼睛吧',
      nextDueAt: MONDAY_9AM + HOUR,
    });
    expect((await home.readSettings())?.language).toBe('zh-CN');
    await sut.advance(40 * MINUTE);
    expect(sut.notifier.messages).toEqual(['不要 Coding，休息一下眼睛吧']);
  });
});

describe('bad input', () => {
  it('never crashes, answers with a typed error naming the field, and leaves settings.json alone', async () => {
    const sut = await home.open();
    const before = await home.settingsBytes();
    expect(before).toBeNull();

    const garbage = await sut.service.handle('garbage');
    expect(garbage).toMatchObject({ id: null, ok: false, error: { code: 'invalid', field: '(input)' } });

    const unknownMethod = await sut.service.handle({ id: 1, method: 'nope' });
    expect(unknownMethod).toMatchObject({ id: 1, ok: false, error: { code: 'invalid', field: 'method' } });
    if (!unknownMethod.ok) expect(unknownMethod.error.message).toContain('reminder.add');

    const badPriority = await sut.request('reminder.add', {
      reminder: { id: 'x', schedule: { kind: 'every', intervalMs: HOUR }, priority: 25 },
    });
    expect(badPriority).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'params.reminder.priority' },
    });
    if (!badPriority.ok) expect(badPriority.error.message).toMatch(/1 to 20/);

    const badCron = await sut.request('reminder.add', {
      reminder: { id: 'x', schedule: { kind: 'cron', expression: 'every tuesday-ish' } },
    });
    expect(badCron).toMatchObject({ ok: false, error: { code: 'invalid' } });
    if (!badCron.ok) expect(badCron.error.field).toContain('schedule.expression');

    const badZone = await sut.request('settings.set', { patch: { timeZone: 'Mars/Olympus_Mons' } });
    expect(badZone).toMatchObject({ ok: false, error: { code: 'invalid', field: 'params.patch.timeZone' } });

    const noTimer = await sut.request('timer.pause', { id: 'no-such-timer' });
    expect(noTimer).toMatchObject({ ok: false, error: { code: 'not-found' } });

    expect(await home.settingsBytes()).toBe(before);
    // Still serving: the default reminder is intact and the engine keeps running.
    expect(await sut.ok<ReminderView[]>('reminder.list')).toHaveLength(1);
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
  });

  it('a refused change leaves an existing settings.json byte for byte as it was, and the scheduler too', async () => {
    const sut = await home.open();
    await sut.ok('reminder.add', {
      reminder: { id: 'water', schedule: { kind: 'every', intervalMs: HOUR } },
    });
    const before = await home.settingsBytes();
    const upcomingBefore = sut.service.status().upcoming;
    expect(before).not.toBeNull();

    const replies = await Promise.all([
      sut.request('reminder.add', {
        reminder: { id: 'water', schedule: { kind: 'every', intervalMs: HOUR } },
      }),
      sut.request('reminder.edit', {
        id: 'water',
        patch: { schedule: { kind: 'cron', expression: '61 * * * *' } },
      }),
      sut.request('reminder.edit', { id: 'water', patch: { priority: 0 } }),
      sut.request('reminder.remove', { id: 'nothing-here' }),
      sut.request('settings.set', { patch: { timeZone: 'Not/AZone' } }),
    ]);
    expect(replies.map((r) => (r.ok ? 'ok' : `${r.error.code} ${r.error.field ?? ''}`.trim()))).toEqual([
      'invalid params.reminder.id',
      'invalid params.patch.schedule.expression',
      'invalid params.patch.priority',
      'not-found',
      'invalid params.patch.timeZone',
    ]);
    expect(await home.settingsBytes()).toBe(before);
    expect(sut.service.status().upcoming).toEqual(upcomingBefore);
  });
});

describe('settings.set', () => {
  it('refuses niceness 25 naming the range 0..19', async () => {
    const calls: number[] = [];
    const sut = await home.open({ applyNiceness: (n) => (calls.push(n), n) });
    const reply = await sut.request('settings.set', { patch: { niceness: 25 } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', field: 'params.patch.niceness' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/0 to 19/);
    expect(calls).toEqual([10]); // only the one at start, with the default
    expect(await home.settingsBytes()).toBeNull();
  });

  it('applies niceness 5 through applyNiceness, reports what took effect, and persists it', async () => {
    const calls: number[] = [];
    const sut = await home.open({ applyNiceness: (n) => (calls.push(n), n + 1) });
    expect(sut.service.status().niceness).toBe(11);
    const settings = await sut.ok<Settings>('settings.set', { patch: { niceness: 5 } });
    expect(settings.niceness).toBe(5);
    expect(calls).toEqual([10, 5]);
    expect(sut.service.status().niceness).toBe(6);
    expect((await home.readSettings())?.niceness).toBe(5);
  });

  it('sound applies to the reminders that follow', async () => {
    const sut = await home.open();
    await sut.ok('settings.set', { patch: { sound: true } });
    expect((await home.readSettings())?.sound).toBe(true);
    await sut.advance(HOUR);
    expect(sut.notifier.calls[0]?.sound).toBe(true);
  });

  // Regression: zod's `.partial()` keeps defaults, so patches are built with `patchOf` (settings.ts).
  it('a partial patch changes only the settings it names', async () => {
    const calls: number[] = [];
    const sut = await home.open({ applyNiceness: (n) => (calls.push(n), n) });
    await sut.ok('settings.set', { patch: { language: 'zh-CN', niceness: 5 } });
    await sut.ok('settings.set', { patch: { sound: true } });
    expect(calls).toEqual([10, 5]);
    expect(await home.readSettings()).toMatchObject({ language: 'zh-CN', niceness: 5, sound: true });
  });

  it('a new time zone moves daily reminders to the same local time there', async () => {
    await home.writeSettings(settingsWith([{ id: 'standup', schedule: { kind: 'daily', time: '10:00' } }]));
    const sut = await home.open({ start: Date.UTC(2026, 0, 5, 0, 0, 0) }); // 08:00 in Shanghai
    expect(sut.service.status().nextReminder?.dueAt).toBe(Date.UTC(2026, 0, 5, 10, 0, 0));
    await sut.ok('settings.set', { patch: { timeZone: 'Asia/Shanghai' } });
    // 10:00 in Shanghai is 02:00 UTC: the pending 10:00 UTC occurrence is not kept.
    expect(sut.service.status().nextReminder?.dueAt).toBe(Date.UTC(2026, 0, 5, 2, 0, 0));
    await sut.advance(2 * HOUR);
    expect(sut.reminderEvents()).toMatchObject([{ id: 'standup', firedAt: Date.UTC(2026, 0, 5, 2, 0, 0) }]);
    await sut.advance(8 * HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
  });

  it('a new time zone leaves interval reminders where they were', async () => {
    const sut = await home.open();
    await sut.advance(20 * MINUTE);
    await sut.ok('settings.set', { patch: { timeZone: 'America/New_York' } });
    expect(sut.service.status().nextReminder?.dueAt).toBe(MONDAY_9AM + HOUR);
    expect(sut.service.timeZone).toBe('America/New_York');
  });

  it('an earlier settings.json is what a new service starts from', async () => {
    await home.writeSettings(
      settingsWith([{ id: 'stand', schedule: { kind: 'every', intervalMs: 30 * MINUTE } }]),
    );
    const sut = await home.open();
    const list = await sut.ok<ReminderView[]>('reminder.list');
    expect(list.map((r) => r.id)).toEqual(['stand']);
    expect(sut.service.timeZone).toBe('UTC');
    expect(sut.service.status().nextReminder).toEqual({
      id: 'stand',
      name: 'Rest your eyes',
      dueAt: MONDAY_9AM + 30 * MINUTE,
    });
  });
});

describe('a damaged settings.json', () => {
  it('opens with the defaults, keeps the bad file as settings.json.bad-*, and logs a warning', async () => {
    await home.writeRaw('settings.json', '{ "version": 1, "reminders": [ oops');
    const sut = await home.open();
    const list = await sut.ok<ReminderView[]>('reminder.list');
    expect(list.map((r) => r.id)).toEqual(['rest-eyes']);
    const files = await readdir(home.dir);
    const bad = files.filter((f) => f.startsWith('settings.json.bad-'));
    expect(bad).toHaveLength(1);
    expect(files).not.toContain('settings.json');
    const warnings = sut.logs.filter(([level]) => level === 'warn').map(([, m]) => m);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /settings\.json is not valid JSON.*moved it to settings\.json\.bad-.*defaults/,
    );
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
  });

  it('a bad value (priority 99) disables just that reminder, named in a warning; the service still runs', async () => {
    await home.writeRaw(
      'settings.json',
      JSON.stringify({
        version: 1,
        reminders: [{ id: 'x', schedule: { kind: 'every', intervalMs: HOUR }, priority: 99 }],
      }),
    );
    const sut = await home.open();
    expect(sut.logs.some(([level, m]) => level === 'warn' && m.includes('reminders[0] ("x").priority'))).toBe(
      true,
    );
    const status: Status = sut.service.status();
    // The file held only "x": it is kept (disabled, priority back to 5), not replaced by the defaults.
    expect(status.upcoming).toEqual([]);
    const reply = await sut.service.handle({ id: 1, method: 'reminder.list', params: {} });
    expect(reply.ok && (reply.result as ReminderView[]).map((r) => [r.id, r.enabled, r.priority])).toEqual([
      ['x', false, 5],
    ]);
  });
});
