import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonEvent, ReminderView, SnoozeResult } from '../../shared/contract.js';
import { HOUR, MINUTE, MONDAY_9AM, SECOND, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

const every = (minutes: number) => ({ kind: 'every' as const, intervalMs: minutes * MINUTE });
const breakEvents = (events: DaemonEvent[]) => events.flatMap((e) => (e.event === 'break' ? [e.data] : []));
const nextDue = async (sut: { ok: <T>(m: 'reminder.list') => Promise<T> }, id: string) =>
  (await sut.ok<ReminderView[]>('reminder.list')).find((v) => v.id === id)?.nextDueAt;

describe('reminders while the user is away', () => {
  it('a reminder due while the screen is locked is held, then shown once on unlock with how many were missed', async () => {
    await home.writeSettings(settingsWith([{ id: 'water', name: 'Water', schedule: every(10) }]));
    const sut = await home.open();
    await sut.advance(5 * MINUTE);
    await sut.ok('host-event', { event: 'lock-screen' });
    await sut.advance(30 * MINUTE); // due at 9:10, 9:20, 9:30: all held
    expect(sut.notifier.calls).toEqual([]);
    expect(sut.reminderEvents()).toMatchObject([
      { id: 'water', delivered: false, held: ['locked'] },
      { id: 'water', delivered: false, held: ['locked'] },
      { id: 'water', delivered: false, held: ['locked'] },
    ]);
    await sut.ok('host-event', { event: 'unlock-screen' });
    await sut.advance(0);
    expect(sut.notifier.calls).toHaveLength(1);
    expect(sut.notifier.calls[0]).toMatchObject({ title: 'Water', key: 'water' });
    expect(sut.notifier.messages[0]).toContain('(missed 3 while away)');
    expect(sut.reminderEvents().at(-1)).toMatchObject({ id: 'water', delivered: true, missed: 3 });
    // …and it goes on as usual: 9:40 is shown at 9:40.
    await sut.advance(5 * MINUTE);
    expect(sut.notifier.calls).toHaveLength(2);
  });

  it('several reminders released at once come as one summary (the burst rule)', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await home.writeSettings(
      settingsWith(ids.map((id) => ({ id, name: id.toUpperCase(), schedule: every(10) }))),
    );
    const sut = await home.open();
    await sut.ok('host-event', { event: 'lock-screen' });
    await sut.advance(10 * MINUTE);
    await sut.ok('host-event', { event: 'unlock-screen' });
    await sut.advance(0);
    expect(sut.notifier.calls).toHaveLength(1);
    expect(sut.notifier.calls[0]?.title).toContain('5');
  });

  it('status names why reminders are held, also per upcoming reminder', async () => {
    const sut = await home.open();
    expect(sut.service.status().held).toEqual([]);
    await sut.ok('host-event', { event: 'lock-screen' });
    const status = sut.service.status();
    expect(status.held).toEqual(['locked']);
    expect(status.upcoming[0]).toMatchObject({ id: 'rest-eyes', held: ['locked'] });
    await sut.ok('host-event', { event: 'unlock-screen' });
    expect(sut.service.status().held).toEqual([]);
    expect(sut.service.status().upcoming[0]?.held).toBeUndefined();
  });

  it('under do-not-disturb with the quiet policy a reminder is shown silently, at low urgency', async () => {
    await home.writeSettings(
      settingsWith([{ id: 'water', schedule: every(10), sound: true }], { dndPolicy: 'quiet' }),
    );
    const sut = await home.open();
    sut.service.presence.setDnd(true);
    await sut.advance(10 * MINUTE);
    expect(sut.notifier.calls).toMatchObject([{ sound: false, urgency: 'low' }]);
    expect(sut.service.status().held).toEqual([]);
  });

  it('under do-not-disturb with the hold policy a reminder waits for DND to end', async () => {
    await home.writeSettings(settingsWith([{ id: 'water', schedule: every(10) }]));
    const sut = await home.open();
    sut.service.presence.setDnd(true);
    await sut.advance(10 * MINUTE);
    expect(sut.notifier.calls).toEqual([]);
    expect(sut.service.status().held).toEqual(['dnd']);
    sut.service.presence.setDnd(false);
    await sut.advance(0);
    expect(sut.notifier.calls).toHaveLength(1);
  });
});

describe('natural breaks', () => {
  it('a 5-minute idle resets the hourly rest reminder (idle time read by the host)', async () => {
    const sut = await home.open();
    await sut.advance(30 * MINUTE);
    await sut.ok('host-event', { event: 'idle', idleMs: 3 * MINUTE }); // away since 9:27
    await sut.advance(3 * MINUTE);
    await sut.ok('host-event', { event: 'idle', idleMs: 6 * MINUTE });
    await sut.advance(10 * SECOND);
    await sut.ok('host-event', { event: 'active', idleMs: 2 * SECOND }); // back at 9:33:08
    const back = MONDAY_9AM + 33 * MINUTE + 10 * SECOND;
    expect(await nextDue(sut, 'rest-eyes')).toBe(back + HOUR);
    expect(breakEvents(sut.events)).toEqual([
      { reminderId: 'rest-eyes', kind: 'natural', at: back - 2 * SECOND, awayMs: 6 * MINUTE },
    ]);
    // No rest reminder at 10:00: the break was taken.
    await sut.advance(HOUR - 1);
    expect(sut.notifier.calls).toEqual([]);
  });

  it('idle and active host events without a reading count the same way (an idle stretch of the break length)', async () => {
    const sut = await home.open();
    await sut.advance(20 * MINUTE);
    await sut.ok('host-event', { event: 'idle' });
    await sut.advance(5 * MINUTE);
    await sut.ok('host-event', { event: 'active' });
    expect(await nextDue(sut, 'rest-eyes')).toBe(MONDAY_9AM + 25 * MINUTE + HOUR);
    expect(breakEvents(sut.events)).toMatchObject([{ reminderId: 'rest-eyes', awayMs: 5 * MINUTE }]);
  });

  it('a shorter idle, or a reminder that is not a break, keeps its time', async () => {
    await home.writeSettings(
      settingsWith([
        { id: 'rest-eyes', schedule: every(60), breakMinutes: 10 },
        { id: 'water', schedule: every(45) },
      ]),
    );
    const sut = await home.open();
    await sut.advance(20 * MINUTE);
    await sut.ok('host-event', { event: 'idle' });
    await sut.advance(6 * MINUTE);
    await sut.ok('host-event', { event: 'active' });
    expect(await nextDue(sut, 'rest-eyes')).toBe(MONDAY_9AM + HOUR);
    expect(await nextDue(sut, 'water')).toBe(MONDAY_9AM + 45 * MINUTE);
    expect(breakEvents(sut.events)).toEqual([]);
  });

  it('a break reminder due during a long enough lock is satisfied by it: not shown on unlock, counted again', async () => {
    const sut = await home.open();
    await sut.advance(50 * MINUTE);
    await sut.ok('host-event', { event: 'lock-screen' });
    await sut.advance(20 * MINUTE);
    await sut.ok('host-event', { event: 'unlock-screen' });
    await sut.advance(0);
    expect(sut.notifier.calls).toEqual([]);
    expect(await nextDue(sut, 'rest-eyes')).toBe(MONDAY_9AM + 70 * MINUTE + HOUR);
  });

  it('breakMinutes is checked: a clear error names the field and the range', async () => {
    const sut = await home.open();
    const reply = await sut.request('reminder.edit', { id: 'rest-eyes', patch: { breakMinutes: 0 } });
    expect(reply).toMatchObject({ ok: false, error: { field: 'params.patch.breakMinutes' } });
    expect(JSON.stringify(reply)).toContain('1 to 120');
  });
});

describe("the notification's Snooze", () => {
  it('shows a reminder that just fired again in its snooze minutes, though its next time is an hour away', async () => {
    const sut = await home.open();
    await sut.advance(HOUR);
    expect(sut.notifier.calls).toHaveLength(1);
    const reply = await sut.ok<SnoozeResult>('reminder.snooze', { id: 'rest-eyes', again: true });
    expect(reply.snooze).toEqual({ until: MONDAY_9AM + HOUR + 5 * MINUTE, reason: 'delay' });
    await sut.advance(5 * MINUTE);
    expect(sut.notifier.calls).toHaveLength(2);
    // Then the schedule goes on from its own grid: 11:00.
    expect(await nextDue(sut, 'rest-eyes')).toBe(MONDAY_9AM + 2 * HOUR);
  });

  it("the CLI's snooze (no again) never brings it earlier than its next time", async () => {
    const sut = await home.open();
    await sut.advance(HOUR);
    const reply = await sut.ok<SnoozeResult>('reminder.snooze', { id: 'rest-eyes' });
    expect(reply.snooze).toEqual({ until: MONDAY_9AM + 2 * HOUR, reason: 'pending' });
  });
});
