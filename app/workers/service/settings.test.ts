import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, MONDAY_9AM, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(() => home.cleanup());

describe('a zone or language change updates the scheduler in place', () => {
  it('a snoozed interval reminder stays snoozed, and a pause stays, across a zone change', async () => {
    await home.writeSettings(
      settingsWith([
        { id: 'water', schedule: { kind: 'every', intervalMs: 10 * MINUTE } },
        { id: 'standup', schedule: { kind: 'daily', time: '10:00' } },
      ]),
    );
    const sut = await home.open();
    await sut.ok('reminder.snooze', { id: 'water', minutes: 30 });
    await sut.ok('pause', { durationMs: 2 * HOUR });
    await sut.ok('settings.set', { patch: { timeZone: 'Asia/Tokyo' } });
    const status = sut.service.status();
    expect(status.paused).toBe(true);
    expect(status.pausedUntil).toBe(MONDAY_9AM + 2 * HOUR);
    expect(status.upcoming.find((u) => u.id === 'water')).toMatchObject({
      dueAt: MONDAY_9AM + 30 * MINUTE,
      snoozed: true,
    });
    // 10:00 in Tokyo is 01:00 UTC: the daily reminder moved to the new zone.
    expect(status.upcoming.find((u) => u.id === 'standup')?.dueAt).toBe(Date.UTC(2026, 0, 6, 1, 0, 0));
  });

  it('a language change renames the tasks and keeps a snooze', async () => {
    const sut = await home.open();
    await sut.ok('reminder.snooze', { id: 'rest-eyes', minutes: 90 });
    await sut.ok('settings.set', { patch: { language: 'zh-CN' } });
    const [next] = sut.service.status().upcoming;
    expect(next).toMatchObject({ id: 'rest-eyes', dueAt: MONDAY_9AM + 90 * MINUTE, snoozed: true });
    expect(next?.name).not.toBe('Rest your eyes');
  });
});
