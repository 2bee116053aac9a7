import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReminderView } from '../../shared/contract.js';
import { isBreakReminder, reminderSchema } from '../../shared/settings.js';
import { MINUTE, MONDAY_9AM, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

const every = (minutes: number) => ({ kind: 'every' as const, intervalMs: minutes * MINUTE });

describe('rest-now', () => {
  it('restarts only break reminders: Water keeps its due time, rest-eyes counts again from now', async () => {
    await home.writeSettings(
      settingsWith([
        { id: 'rest-eyes', schedule: every(60) },
        { id: 'water', name: 'Water', schedule: every(45) },
        { id: 'stretch', name: 'Stretch', schedule: every(50), break: true },
      ]),
    );
    const sut = await home.open();
    await sut.advance(30 * MINUTE);
    await sut.ok('rest-now');
    const views = await sut.ok<ReminderView[]>('reminder.list');
    const next = Object.fromEntries(views.map((v) => [v.id, v.nextDueAt]));
    expect(next).toEqual({
      'rest-eyes': MONDAY_9AM + 30 * MINUTE + 60 * MINUTE,
      water: MONDAY_9AM + 45 * MINUTE,
      stretch: MONDAY_9AM + 30 * MINUTE + 50 * MINUTE,
    });
  });

  it('leaves the default reminder alone once it is marked as not a break', async () => {
    await home.writeSettings(settingsWith([{ id: 'rest-eyes', schedule: every(60), break: false }]));
    const sut = await home.open();
    await sut.advance(30 * MINUTE);
    await sut.ok('rest-now');
    const [view] = await sut.ok<ReminderView[]>('reminder.list');
    expect(view?.nextDueAt).toBe(MONDAY_9AM + 60 * MINUTE);
  });
});

describe('isBreakReminder', () => {
  it('is the `break` flag, and without it only the default rest-eyes reminder', () => {
    const parse = (input: object) => reminderSchema.parse({ schedule: every(10), ...input });
    expect(isBreakReminder(parse({ id: 'rest-eyes' }))).toBe(true);
    expect(isBreakReminder(parse({ id: 'water' }))).toBe(false);
    expect(isBreakReminder(parse({ id: 'water', break: true }))).toBe(true);
    expect(isBreakReminder(parse({ id: 'rest-eyes', break: false }))).toBe(false);
  });
});
