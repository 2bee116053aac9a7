import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReminderView, Status } from '../../shared/contract.js';
import { HOUR, MINUTE, MONDAY_9AM, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

const every = (intervalMs: number) => ({ kind: 'every' as const, intervalMs });
const upcomingIds = (status: Status) => status.upcoming.map((u) => `${u.id}@${u.dueAt - MONDAY_9AM}`);

describe('reminder CRUD through messages', () => {
  it('add persists to settings.json and orders upcoming by due, then priority, then first-come', async () => {
    const sut = await home.open();
    const added = await sut.ok<ReminderView>('reminder.add', {
      reminder: { id: 'stretch', name: 'Stretch', schedule: every(30 * MINUTE), priority: 3 },
    });
    expect(added).toMatchObject({
      id: 'stretch',
      displayName: 'Stretch',
      nextDueAt: MONDAY_9AM + 30 * MINUTE,
    });
    await sut.ok('reminder.add', {
      reminder: { id: 'water', message: 'Drink water', schedule: every(30 * MINUTE), priority: 1 },
    });
    await sut.ok('reminder.add', { reminder: { id: 'walk', schedule: every(30 * MINUTE), priority: 3 } });

    expect(upcomingIds(sut.service.status())).toEqual([
      `water@${30 * MINUTE}`,
      `stretch@${30 * MINUTE}`,
      `walk@${30 * MINUTE}`,
      `rest-eyes@${HOUR}`,
    ]);
    const file = await home.readSettings();
    expect(file?.version).toBe(1);
    expect(file?.reminders.map((r) => [r.id, r.priority])).toEqual([
      ['rest-eyes', 5],
      ['stretch', 3],
      ['water', 1],
      ['walk', 3],
    ]);
    expect(file?.reminders.find((r) => r.id === 'water')?.message).toBe('Drink water');

    // They fire in that order at the shared instant.
    await sut.advance(30 * MINUTE);
    expect(sut.reminderEvents().map((e) => e.id)).toEqual(['water', 'stretch', 'walk']);
    expect(sut.notifier.calls.map((c) => c.title)).toEqual(['Rest your eyes', 'Stretch', 'Rest your eyes']);
    expect(sut.notifier.messages[0]).toBe('Drink water');
  });

  it('edit, disable, enable and remove each persist and reshape upcoming', async () => {
    const sut = await home.open();
    await sut.ok('reminder.add', { reminder: { id: 'stretch', schedule: every(HOUR), priority: 3 } });
    expect(upcomingIds(sut.service.status())).toEqual([`stretch@${HOUR}`, `rest-eyes@${HOUR}`]);

    // Edit without a schedule change keeps the pending occurrence; the new priority reorders.
    await sut.advance(10 * MINUTE);
    const edited = await sut.ok<ReminderView>('reminder.edit', {
      id: 'stretch',
      patch: { priority: 9, message: 'Stand up and stretch' },
    });
    expect(edited).toMatchObject({
      priority: 9,
      displayMessage: 'Stand up and stretch',
      nextDueAt: MONDAY_9AM + HOUR,
    });
    expect(upcomingIds(sut.service.status())).toEqual([`rest-eyes@${HOUR}`, `stretch@${HOUR}`]);
    expect((await home.readSettings())?.reminders[1]).toMatchObject({
      id: 'stretch',
      priority: 9,
      message: 'Stand up and stretch',
    });

    // A new schedule counts from now.
    await sut.ok('reminder.edit', { id: 'stretch', patch: { schedule: every(2 * HOUR) } });
    expect(upcomingIds(sut.service.status())).toEqual([
      `rest-eyes@${HOUR}`,
      `stretch@${10 * MINUTE + 2 * HOUR}`,
    ]);

    const disabled = await sut.ok<ReminderView>('reminder.disable', { id: 'stretch' });
    expect(disabled).toMatchObject({ enabled: false, nextDueAt: null });
    expect(upcomingIds(sut.service.status())).toEqual([`rest-eyes@${HOUR}`]);
    expect((await home.readSettings())?.reminders[1]?.enabled).toBe(false);
    const listed = await sut.ok<ReminderView[]>('reminder.list');
    expect(listed.find((r) => r.id === 'stretch')).toMatchObject({ enabled: false, nextDueAt: null });

    const enabled = await sut.ok<ReminderView>('reminder.enable', { id: 'stretch' });
    expect(enabled.enabled).toBe(true);
    expect(enabled.nextDueAt).toBe(MONDAY_9AM + 10 * MINUTE + 2 * HOUR); // back on its grid
    expect((await home.readSettings())?.reminders[1]?.enabled).toBe(true);

    expect(await sut.ok('reminder.remove', { id: 'stretch' })).toEqual({ removed: true });
    expect(upcomingIds(sut.service.status())).toEqual([`rest-eyes@${HOUR}`]);
    expect((await home.readSettings())?.reminders.map((r) => r.id)).toEqual(['rest-eyes']);
    expect(await sut.request('reminder.remove', { id: 'stretch' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    // A disabled reminder never fires; nothing of the removed one fires either.
    await sut.ok('reminder.disable', { id: 'rest-eyes' });
    await sut.advance(3 * HOUR);
    expect(sut.notifier.calls).toEqual([]);
    expect(sut.service.status().nextReminder).toBeNull();
  });

  // Regression: zod's `.partial()` keeps defaults, so patches are built with `patchOf` (settings.ts).
  it('edit changes only the fields it names', async () => {
    const sut = await home.open();
    await sut.ok('reminder.add', {
      reminder: { id: 'stretch', schedule: every(HOUR), priority: 3, enabled: false, snoozeMinutes: 10 },
    });
    await sut.ok('reminder.edit', { id: 'stretch', patch: { message: 'Stand up' } });
    expect((await home.readSettings())?.reminders[1]).toMatchObject({
      message: 'Stand up',
      priority: 3,
      enabled: false,
      snoozeMinutes: 10,
    });
  });
});

describe('working hours', () => {
  it('stays quiet outside them (Saturday, Sunday) and speaks inside them (Monday 10:00)', async () => {
    await home.writeSettings(
      settingsWith([
        {
          id: 'office',
          name: 'Office break',
          schedule: { kind: 'daily', time: '10:00' },
          workingHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
        },
      ]),
    );
    const saturday9am = Date.UTC(2026, 0, 10, 9, 0, 0);
    const sut = await home.open({ start: saturday9am });
    expect(sut.service.status().nextReminder?.dueAt).toBe(saturday9am + HOUR);

    await sut.advance(HOUR); // Saturday 10:00
    expect(sut.notifier.calls).toEqual([]);
    expect(sut.reminderEvents()).toEqual([]);
    expect(sut.logs).toContainEqual([
      'info',
      'reminder "office" is outside its working hours; staying quiet',
    ]);
    // It did fire (quietly): the next occurrence is Sunday's.
    expect(sut.service.status().nextReminder?.dueAt).toBe(saturday9am + 25 * HOUR);

    await sut.advance(24 * HOUR); // Sunday 10:00
    expect(sut.notifier.calls).toEqual([]);

    await sut.advance(24 * HOUR); // Monday 10:00
    expect(sut.notifier.calls).toEqual([
      expect.objectContaining({ title: 'Office break', message: 'Office break', sound: false }),
    ]);
    expect(sut.reminderEvents()).toMatchObject([
      { id: 'office', firedAt: Date.UTC(2026, 0, 12, 10, 0, 0), missed: 0 },
    ]);
  });

  it('are judged in the settings time zone', async () => {
    // 10:00 in Shanghai on Monday is 02:00 UTC: inside 09:00–17:00 Shanghai, outside it in UTC.
    const reminder = {
      id: 'office',
      schedule: { kind: 'daily' as const, time: '10:00' },
      workingHours: [{ days: [1 as const], start: '09:00', end: '17:00' }],
    };
    await home.writeSettings(settingsWith([reminder], { timeZone: 'Asia/Shanghai' }));
    const sut = await home.open({ start: Date.UTC(2026, 0, 5, 1, 0, 0) });
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
  });
});

describe('suspend and resume', () => {
  it('an 8-hour suspend gives one notification on resume, noting the 8 missed, and no second one that hour', async () => {
    const sut = await home.open();
    sut.clock.suspend(8 * HOUR);
    expect(await sut.ok('host-event', { event: 'resume' })).toEqual({ ok: true });
    await sut.advance(0);
    expect(sut.notifier.messages).toEqual(["Don't code — rest your eyes (missed 8 while away)"]);
    expect(sut.reminderEvents()).toMatchObject([
      {
        id: 'rest-eyes',
        dueAt: MONDAY_9AM + HOUR,
        firedAt: MONDAY_9AM + 8 * HOUR,
        missed: 8,
        delivered: true,
      },
    ]);
    expect(sut.service.status().nextReminder?.dueAt).toBe(MONDAY_9AM + 9 * HOUR);
    await sut.advance(HOUR - 1);
    expect(sut.notifier.calls).toHaveLength(1);
    await sut.advance(1);
    expect(sut.notifier.messages[1]).toBe("Don't code — rest your eyes");
  });

  it('a suspend host event saves state at once', async () => {
    const sut = await home.open();
    await sut.advance(5 * MINUTE);
    await sut.ok('host-event', { event: 'suspend' });
    await sut.flushState();
    const state = JSON.parse(await readFile(home.paths.state, 'utf8')) as {
      reminders: Record<string, unknown>;
    };
    expect(state.reminders['rest-eyes']).toEqual({ nextDueAt: MONDAY_9AM + HOUR, lastFiredDueAt: null });
  });

  it('while the screen is locked a reminder is held (not shown); an hour locked counts as the rest break', async () => {
    const sut = await home.open();
    await sut.ok('host-event', { event: 'lock-screen' });
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toEqual([]);
    expect(sut.reminderEvents()).toMatchObject([{ id: 'rest-eyes', delivered: false, held: ['locked'] }]);
    await sut.ok('host-event', { event: 'unlock-screen' });
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
  });
});

describe('when notifications fail', () => {
  it('reports delivered: false, counts the failure, and keeps firing until delivery recovers', async () => {
    const sut = await home.open();
    sut.notifier.failWith = 'no notification server';
    await sut.advance(HOUR);
    expect(sut.reminderEvents()).toMatchObject([{ id: 'rest-eyes', delivered: false }]);
    expect(sut.service.status().notifications).toEqual({
      delivered: 0,
      failed: 1,
      lastError: 'no notification server',
    });

    await sut.advance(HOUR);
    expect(sut.service.status().notifications.failed).toBe(2);

    sut.notifier.failWith = null;
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(3);
    expect(sut.reminderEvents().map((e) => e.delivered)).toEqual([false, false, true]);
    expect(sut.service.status().notifications).toEqual({
      delivered: 1,
      failed: 2,
      lastError: 'no notification server',
    });
  });
});

describe('pause, resume and rest-now', () => {
  it('pause for 30 minutes reports pausedUntil; resume clears it', async () => {
    const sut = await home.open();
    const paused = await sut.ok<Status>('pause', { durationMs: 30 * MINUTE });
    expect(paused).toMatchObject({ paused: true, pausedUntil: MONDAY_9AM + 30 * MINUTE });
    expect(sut.service.status().paused).toBe(true);
    await sut.advance(10 * MINUTE);
    const resumed = await sut.ok<Status>('resume');
    expect(resumed).toMatchObject({ paused: false, pausedUntil: null });
    await sut.advance(50 * MINUTE);
    expect(sut.notifier.calls).toHaveLength(1);
  });

  it('nothing fires during a pause; it ends by itself and skips what fell inside it', async () => {
    const sut = await home.open();
    await sut.ok('pause', { durationMs: 90 * MINUTE });
    await sut.advance(90 * MINUTE - 1);
    expect(sut.notifier.calls).toEqual([]);
    expect(sut.service.status().paused).toBe(true);
    await sut.advance(1);
    expect(sut.service.status()).toMatchObject({ paused: false, pausedUntil: null });
    expect(sut.notifier.calls).toEqual([]); // the 10:00 occurrence fell in the pause: skipped
    await sut.advance(30 * MINUTE); // 11:00
    expect(sut.reminderEvents()).toMatchObject([{ dueAt: MONDAY_9AM + 2 * HOUR, missed: 0 }]);
  });

  it('an open-ended pause holds until resume', async () => {
    const sut = await home.open();
    expect(await sut.ok<Status>('pause')).toMatchObject({ paused: true, pausedUntil: null });
    await sut.advance(5 * HOUR);
    expect(sut.notifier.calls).toEqual([]);
    await sut.ok('resume');
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
  });

  it('rest-now notifies at once and restarts the hourly count from now', async () => {
    const sut = await home.open();
    await sut.advance(20 * MINUTE);
    expect(await sut.ok('rest-now')).toEqual({ delivered: true });
    expect(sut.notifier.calls).toEqual([
      { title: 'Time for a break', message: "Don't code — rest your eyes", sound: false },
    ]);
    const [reminder] = await sut.ok<ReminderView[]>('reminder.list');
    expect(reminder?.nextDueAt).toBe(MONDAY_9AM + 20 * MINUTE + HOUR);
    await sut.advance(40 * MINUTE); // 10:00: no longer due
    expect(sut.notifier.calls).toHaveLength(1);
    await sut.advance(20 * MINUTE); // 10:20
    expect(sut.reminderEvents()).toMatchObject([{ dueAt: MONDAY_9AM + 80 * MINUTE }]);
  });

  it('pause until an instant already past is refused, naming params.until', async () => {
    const sut = await home.open();
    const reply = await sut.request('pause', { until: MONDAY_9AM - MINUTE });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', field: 'params.until' } });
    expect(sut.service.status().paused).toBe(false);
  });

  it('pause with both durationMs and until is refused', async () => {
    const sut = await home.open();
    const reply = await sut.request('pause', { durationMs: 30 * MINUTE, until: MONDAY_9AM + HOUR });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', field: 'params.until' } });
    expect(sut.service.status().paused).toBe(false);
  });
});

describe('snooze', () => {
  it('postpones the pending occurrence once, then the schedule resumes', async () => {
    const sut = await home.open();
    await sut.advance(58 * MINUTE);
    const snoozed = await sut.ok<ReminderView>('reminder.snooze', { id: 'rest-eyes', minutes: 5 });
    expect(snoozed.nextDueAt).toBe(MONDAY_9AM + 63 * MINUTE);
    expect(sut.service.status().upcoming[0]).toMatchObject({ id: 'rest-eyes', snoozed: true });
    await sut.advance(5 * MINUTE - 1);
    expect(sut.notifier.calls).toEqual([]);
    await sut.advance(1);
    expect(sut.reminderEvents()).toMatchObject([{ dueAt: MONDAY_9AM + 63 * MINUTE, missed: 0 }]);
    expect(sut.service.status().nextReminder?.dueAt).toBe(MONDAY_9AM + 2 * HOUR);
  });

  it('a disabled reminder cannot be snoozed; the error names params.id', async () => {
    const sut = await home.open();
    await sut.ok('reminder.disable', { id: 'rest-eyes' });
    expect(await sut.request('reminder.snooze', { id: 'rest-eyes' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'params.id' },
    });
    expect(await sut.request('reminder.snooze', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});
