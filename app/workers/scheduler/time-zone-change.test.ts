import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Scheduler } from './scheduler.js';

const MONDAY_9AM = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('Scheduler.setTimeZone', () => {
  it('moves calendar tasks without a zone of their own, and leaves every other task as it was', () => {
    const clock = new VirtualClock(MONDAY_9AM);
    const scheduler = new Scheduler<null>({ clock, timeZone: 'UTC' });
    scheduler.add({ id: 'daily', name: 'Daily', priority: 5, schedule: { kind: 'daily', time: '10:00' } });
    scheduler.add({
      id: 'berlin',
      name: 'Berlin',
      priority: 5,
      schedule: { kind: 'cron', expression: '0 12 * * *', timeZone: 'Europe/Berlin' },
    });
    scheduler.add({
      id: 'every',
      name: 'Every',
      priority: 5,
      schedule: { kind: 'every', intervalMs: HOUR_MS },
    });
    scheduler.snoozeUntil('every', MONDAY_9AM + 90 * MINUTE_MS);
    const berlinBefore = scheduler.get('berlin')?.nextDueAt;

    scheduler.setTimeZone('Asia/Tokyo');

    // 10:00 in Tokyo is 01:00 UTC, so the next one is Tuesday's.
    expect(scheduler.get('daily')?.nextDueAt).toBe(Date.UTC(2026, 0, 6, 1, 0, 0));
    expect(scheduler.get('berlin')?.nextDueAt).toBe(berlinBefore);
    expect(scheduler.get('every')).toMatchObject({ nextDueAt: MONDAY_9AM + 90 * MINUTE_MS, snoozed: true });
    scheduler.dispose();
  });

  it('refuses an unknown zone and keeps the one it had', () => {
    const clock = new VirtualClock(MONDAY_9AM);
    const scheduler = new Scheduler<null>({ clock, timeZone: 'UTC' });
    scheduler.add({ id: 'daily', name: 'Daily', priority: 5, schedule: { kind: 'daily', time: '10:00' } });
    expect(() => scheduler.setTimeZone('Mars/Olympus')).toThrow(/timeZone/);
    expect(scheduler.get('daily')?.nextDueAt).toBe(Date.UTC(2026, 0, 5, 10, 0, 0));
    scheduler.dispose();
  });
});
