import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Reminder } from '../../shared/settings.js';
import { MINUTE, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

it('10,000 reminders keep one armed timer and fire in (due, priority, first-come) order', async () => {
  const reminders: Reminder[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `r${i}`,
    name: `reminder ${i}`,
    message: `message ${i}`,
    schedule: { kind: 'every', intervalMs: (10 + (i % 50)) * MINUTE },
    priority: 1 + (i % 20),
    enabled: true,
    snoozeMinutes: 5,
  }));
  await home.writeSettings(settingsWith(reminders));
  const sut = await home.open();
  await sut.advance(0);
  await sut.flushState();
  // The scheduler's one timer; nothing else is left armed while idle.
  expect(sut.clock.pendingTimers).toBe(1);
  expect(
    sut.service
      .status()
      .upcoming.map((u) => u.id)
      .slice(0, 3),
  ).toEqual(['r0', 'r100', 'r200']);

  await sut.advance(10 * MINUTE);
  const fired = sut.reminderEvents().map((e) => e.id);
  expect(fired).toHaveLength(200);
  // The 200 with a 10-minute interval are due at the same instant: priority 1 (i % 100 = 0) before
  // priority 11, and first-come (by index) among equals.
  const expected = [
    ...reminders.filter((_, i) => i % 100 === 0),
    ...reminders.filter((_, i) => i % 100 === 50),
  ].map((r) => r.id);
  expect(fired).toEqual(expected);
  expect(sut.clock.pendingTimers).toBeLessThanOrEqual(2); // the scheduler + a pending coalesced state save
});

it('300 reminders due in the same check give one summary notification, and a reminder event each', async () => {
  const reminders: Reminder[] = Array.from({ length: 300 }, (_, i) => ({
    id: `r${i}`,
    name: `Reminder ${i}`,
    message: `message ${i}`,
    schedule: { kind: 'every', intervalMs: 10 * MINUTE },
    priority: 5,
    enabled: true,
    snoozeMinutes: 5,
  }));
  await home.writeSettings(settingsWith(reminders));
  const sut = await home.open();
  await sut.advance(0);
  await sut.advance(10 * MINUTE);
  expect(sut.reminderEvents()).toHaveLength(300);
  expect(sut.notifier.calls).toHaveLength(1);
  expect(sut.notifier.calls[0]!.title).toBe('300 reminders');
  expect(sut.notifier.calls[0]!.message).toBe(
    'Reminder 0, Reminder 1, Reminder 2, Reminder 3, Reminder 4, …',
  );
  expect(sut.reminderEvents().every((event) => event.delivered)).toBe(true);
});

it('up to 3 reminders due together are still shown one by one', async () => {
  const reminders: Reminder[] = ['Water', 'Stretch', 'Walk'].map((name, i) => ({
    id: `r${i}`,
    name,
    message: `${name} now`,
    schedule: { kind: 'every', intervalMs: 10 * MINUTE },
    priority: 5,
    enabled: true,
    snoozeMinutes: 5,
  }));
  await home.writeSettings(settingsWith(reminders));
  const sut = await home.open();
  await sut.advance(0);
  await sut.advance(10 * MINUTE);
  expect(sut.notifier.calls.map((call) => call.title)).toEqual(['Water', 'Stretch', 'Walk']);
  expect(sut.reminderEvents()).toHaveLength(3);
});
