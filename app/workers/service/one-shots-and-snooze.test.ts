// Reminders against the clock, through the service's messages: one-shots that fired stay fired,
// snooze never moves a reminder earlier, a restart after the clock went back, missed counts, and a
// one-shot in the past is refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReminderView, SnoozeResult } from '../../shared/contract.js';
import { DAY_MS } from '../../shared/limits.js';
import {
  HOUR,
  MINUTE,
  MONDAY_9AM,
  SECOND,
  STATE_FLUSH_DELAY_MS,
  TestHome,
  settingsWith,
} from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

const every = (intervalMs: number) => ({ kind: 'every' as const, intervalMs });
const once = (at: number) => ({ kind: 'once' as const, at });

describe('a one-shot that fired', () => {
  it('a fired one-shot stays fired after a settings change', async () => {
    await home.writeSettings(settingsWith([]));
    const sut = await home.open();
    await sut.ok('reminder.add', { reminder: { id: 'call', schedule: once(MONDAY_9AM + 3 * SECOND) } });
    await sut.advance(3 * SECOND);
    expect(sut.reminderEvents().map((e) => e.id)).toEqual(['call']);

    await sut.ok('settings.set', { patch: { sound: false } });
    await sut.advance(SECOND);
    await sut.ok('settings.set', { patch: { sound: true } });
    await sut.ok('settings.set', { patch: { language: 'zh-CN' } }); // rebuilds the scheduler
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
    const [call] = await sut.ok<ReminderView[]>('reminder.list');
    expect(call).toMatchObject({ id: 'call', nextDueAt: null });
  });

  it('a fired one-shot stays fired across a restart', async () => {
    await home.writeSettings(settingsWith([{ id: 'call', schedule: once(MONDAY_9AM + 3 * SECOND) }]));
    const first = await home.open();
    await first.advance(3 * SECOND);
    expect(first.notifier.calls).toHaveLength(1);
    await first.close();

    const second = await home.open({ start: MONDAY_9AM + MINUTE });
    await second.advance(HOUR);
    expect(second.notifier.calls).toEqual([]);
    await second.close();
    const third = await home.open({ start: MONDAY_9AM + 2 * HOUR });
    await third.advance(HOUR);
    expect(third.notifier.calls).toEqual([]);
  });

  it('editing the time of a fired one-shot schedules it again', async () => {
    await home.writeSettings(settingsWith([{ id: 'call', schedule: once(MONDAY_9AM + 3 * SECOND) }]));
    const sut = await home.open();
    await sut.advance(3 * SECOND);
    // A rename of a fired one-shot (whose time is now past) is an edit, not an add: accepted, stays fired.
    await sut.ok('reminder.edit', { id: 'call', patch: { name: 'Call back' } });
    await sut.advance(MINUTE);
    expect(sut.notifier.calls).toHaveLength(1);
    const edited = await sut.ok<ReminderView>('reminder.edit', {
      id: 'call',
      patch: { schedule: once(MONDAY_9AM + 10 * MINUTE) },
    });
    expect(edited.nextDueAt).toBe(MONDAY_9AM + 10 * MINUTE);
    await sut.advance(10 * MINUTE);
    expect(sut.notifier.calls.map((c) => c.title)).toEqual(['Rest your eyes', 'Call back']);
  });
});

describe('a one-shot in the past', () => {
  it('reminder.add refuses a one-shot in the past, naming params.reminder.schedule.at', async () => {
    const sut = await home.open();
    const reply = await sut.request('reminder.add', {
      reminder: { id: 'late', schedule: once(MONDAY_9AM - MINUTE) },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'params.reminder.schedule.at' },
    });
    expect(JSON.stringify(reply)).toContain('in the past');
    expect((await home.readSettings())?.reminders.map((r) => r.id) ?? []).not.toContain('late');
    await sut.advance(HOUR);
    expect(sut.reminderEvents().map((e) => e.id)).toEqual(['rest-eyes']);
  });
});

describe('snooze', () => {
  it('snooze never moves a reminder earlier than its pending occurrence', async () => {
    const sut = await home.open();
    await sut.advance(10 * MINUTE); // 09:10, rest-eyes due 10:00
    const snoozed = await sut.ok<SnoozeResult>('reminder.snooze', { id: 'rest-eyes', minutes: 10 });
    expect(snoozed.nextDueAt).toBe(MONDAY_9AM + HOUR);
    expect(snoozed.snooze).toEqual({ until: MONDAY_9AM + HOUR, reason: 'pending' });
    await sut.advance(10 * MINUTE);
    expect(sut.notifier.calls).toEqual([]);
    await sut.advance(40 * MINUTE);
    expect(sut.reminderEvents()).toMatchObject([{ dueAt: MONDAY_9AM + HOUR }]);
  });

  it('a snooze past the end of working hours moves to the next allowed instant and says so', async () => {
    await home.writeSettings(
      settingsWith([
        {
          id: 'office',
          schedule: every(15 * MINUTE),
          workingHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
        },
      ]),
    );
    const sut = await home.open({ start: MONDAY_9AM + 8 * HOUR + 55 * MINUTE }); // Monday 17:55
    const snoozed = await sut.ok<SnoozeResult>('reminder.snooze', {
      id: 'office',
      minutes: 10,
    });
    const tuesday9am = MONDAY_9AM + DAY_MS;
    expect(snoozed.nextDueAt).toBe(tuesday9am);
    expect(snoozed.snooze).toEqual({ until: tuesday9am, reason: 'working-hours' });
    await sut.advance(tuesday9am - sut.clock.now());
    expect(sut.reminderEvents()).toMatchObject([{ id: 'office', firedAt: tuesday9am }]);
  });
});

describe('restart after the clock was set back', () => {
  it('a minutely reminder saved a day ahead is due within a minute, not in a day', async () => {
    await home.writeSettings(settingsWith([{ id: 'water', schedule: every(MINUTE) }]));
    const first = await home.open();
    await first.advance(5 * MINUTE + 30 * SECOND);
    await first.flushState();
    await first.close();

    // Down, and the clock set back a day meanwhile.
    const second = await home.open({ start: MONDAY_9AM - DAY_MS });
    const [water] = await second.ok<ReminderView[]>('reminder.list');
    expect(water?.nextDueAt).toBeGreaterThan(second.clock.now());
    expect(water?.nextDueAt).toBeLessThanOrEqual(second.clock.now() + MINUTE);
    await second.advance(MINUTE);
    expect(second.reminderEvents()).toHaveLength(1);
  });

  it('without a clock change, a saved due time is kept', async () => {
    await home.writeSettings(settingsWith([{ id: 'water', schedule: every(HOUR) }]));
    const first = await home.open();
    await first.advance(STATE_FLUSH_DELAY_MS);
    await first.close();
    const second = await home.open({ start: MONDAY_9AM + 10 * MINUTE });
    const [water] = await second.ok<ReminderView[]>('reminder.list');
    expect(water?.nextDueAt).toBe(MONDAY_9AM + HOUR);
  });
});

describe('missed occurrences', () => {
  it('a minutely reminder across an 8 h suspend reports all 480 missed', async () => {
    await home.writeSettings(settingsWith([{ id: 'water', schedule: every(MINUTE) }]));
    const sut = await home.open();
    await sut.advance(30 * SECOND);
    sut.clock.suspend(8 * HOUR); // 09:00:30 → 17:00:30: 09:01 … 17:00 are 480 occurrences
    await sut.ok('host-event', { event: 'resume' });
    await sut.advance(0);
    expect(sut.reminderEvents()).toMatchObject([{ id: 'water', missed: 480 }]);
    expect(sut.notifier.messages).toEqual(["Don't code — rest your eyes (missed 480 while away)"]);
  });

  it('a catch-up of a single missed occurrence says it is late', async () => {
    await home.writeSettings(settingsWith([{ id: 'lunch', message: 'Lunch', schedule: every(HOUR) }]));
    const sut = await home.open();
    await sut.advance(50 * MINUTE);
    sut.clock.suspend(20 * MINUTE); // 09:50 → 10:10: the 10:00 one was missed, by 10 minutes
    await sut.ok('host-event', { event: 'resume' });
    await sut.advance(0);
    expect(sut.reminderEvents()).toMatchObject([{ id: 'lunch', dueAt: MONDAY_9AM + HOUR, missed: 1 }]);
    expect(sut.notifier.messages).toEqual(['Lunch (late: was due at 10:00)']);
  });

  it('an on-time firing says nothing about being late', async () => {
    await home.writeSettings(settingsWith([{ id: 'lunch', message: 'Lunch', schedule: every(HOUR) }]));
    const sut = await home.open();
    await sut.advance(HOUR);
    expect(sut.reminderEvents()).toMatchObject([{ missed: 0 }]);
    expect(sut.notifier.messages).toEqual(['Lunch']);
  });

  it('a one-shot that came due while the daemon was down says it is late', async () => {
    await home.writeSettings(
      settingsWith([{ id: 'call', message: 'Call', schedule: once(MONDAY_9AM + HOUR) }]),
    );
    const first = await home.open();
    await first.close();
    const second = await home.open({ start: MONDAY_9AM + 3 * HOUR });
    await second.advance(0);
    expect(second.reminderEvents()).toMatchObject([{ id: 'call', missed: 1 }]);
    expect(second.notifier.messages).toEqual(['Call (late: was due at 10:00)']);
  });
});
