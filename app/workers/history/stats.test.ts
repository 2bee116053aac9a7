import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../shared/history-event.js';
import { computeStats } from './stats.js';

const BERLIN = 'Europe/Berlin';
const H = 3_600_000;
const ev = (
  at: number,
  kind: HistoryEvent['kind'],
  reminderId = 'rest-eyes',
  extra: Partial<HistoryEvent> = {},
) => ({
  at,
  reminderId,
  kind,
  ...extra,
});

describe('stats by local day', () => {
  it('counts due, taken (button and natural), skipped and snoozed per day and per reminder', () => {
    const now = Date.UTC(2026, 5, 10, 16, 0); // 18:00 CEST
    const today = Date.UTC(2026, 5, 10, 7, 0); // 09:00 CEST
    const stats = computeStats(
      [
        ev(today, 'shown', 'rest-eyes', { name: 'Rest your eyes' }),
        ev(today + 1, 'taken', 'rest-eyes', { reason: 'button' }),
        ev(today + H, 'shown', 'water', { name: 'Water' }),
        ev(today + H + 1, 'snoozed', 'water'),
        ev(today + 2 * H, 'shown', 'water', { name: 'Water' }),
        ev(today + 2 * H + 1, 'skipped', 'water'),
        ev(today + 3 * H, 'natural', 'rest-eyes'),
        ev(today - 24 * H, 'shown'),
      ],
      { range: 'week', timeZone: BERLIN, now },
    );
    expect(stats.days).toHaveLength(7);
    expect(stats.days.at(-1)).toEqual({
      date: '2026-06-10',
      due: 3,
      taken: 2,
      takenButton: 1,
      takenNatural: 1,
      skipped: 1,
      snoozed: 1,
      missed: 0,
      held: 0,
    });
    expect(stats.days.at(-2)).toMatchObject({ date: '2026-06-09', due: 1 });
    expect(stats.reminders).toEqual([
      { reminderId: 'rest-eyes', name: 'Rest your eyes', due: 2, taken: 2, skipped: 0, snoozed: 0 },
      { reminderId: 'water', name: 'Water', due: 2, taken: 0, skipped: 1, snoozed: 1 },
    ]);
    expect(stats.totals.due).toBe(4);
    // Shown at 09:00, 10:00 and 11:00 CEST today, 09:00 yesterday.
    expect(stats.busiestHours[9]).toBe(2);
    expect(stats.busiestHours[10]).toBe(1);
    expect(stats.busiestHours.reduce((a, b) => a + b)).toBe(4);
  });

  it('a fall-back day in Berlin is 25 hours: 23:30 CET still counts on that day', () => {
    // 2026-10-25: clocks go back 03:00 CEST → 02:00 CET. 23:30 CET = 22:30Z.
    const now = Date.UTC(2026, 9, 25, 22, 45);
    const stats = computeStats(
      [
        ev(Date.UTC(2026, 9, 24, 22, 5), 'shown'), // 00:05 CEST on the 25th
        ev(Date.UTC(2026, 9, 25, 0, 30), 'shown'), // 02:30 CEST (first pass)
        ev(Date.UTC(2026, 9, 25, 1, 30), 'shown'), // 02:30 CET (second pass)
        ev(Date.UTC(2026, 9, 25, 22, 30), 'shown'), // 23:30 CET
        ev(Date.UTC(2026, 9, 24, 21, 55), 'shown'), // 23:55 CEST on the 24th
      ],
      { range: 'day', timeZone: BERLIN, now },
    );
    expect(stats.days).toEqual([expect.objectContaining({ date: '2026-10-25', due: 4 })]);
    expect(stats.from).toBe(Date.UTC(2026, 9, 24, 22, 0)); // local midnight, CEST
    expect(stats.busiestHours[2]).toBe(2); // the repeated hour counts both passes
  });

  it('a spring-forward day is 23 hours: 00:10 and 23:50 CEST both count on it, 00:10 the next day does not', () => {
    // 2026-03-29: 02:00 CET → 03:00 CEST.
    const now = Date.UTC(2026, 2, 29, 21, 55); // 23:55 CEST
    const stats = computeStats(
      [
        ev(Date.UTC(2026, 2, 28, 23, 10), 'taken'), // 00:10 CET on the 29th
        ev(Date.UTC(2026, 2, 29, 21, 50), 'taken'), // 23:50 CEST
        ev(Date.UTC(2026, 2, 28, 22, 50), 'taken'), // 23:50 CET on the 28th
      ],
      { range: 'week', timeZone: BERLIN, now },
    );
    expect(stats.days.map((d) => [d.date, d.taken])).toEqual([
      ['2026-03-23', 0],
      ['2026-03-24', 0],
      ['2026-03-25', 0],
      ['2026-03-26', 0],
      ['2026-03-27', 0],
      ['2026-03-28', 1],
      ['2026-03-29', 2],
    ]);
  });

  it('streak: consecutive days with a break taken and no skip; today still open does not break it', () => {
    const day = (n: number, hour = 10) => Date.UTC(2026, 5, n, hour - 2); // local hour, CEST
    const events = [
      ev(day(1), 'taken'),
      ev(day(2), 'taken'),
      ev(day(3), 'taken'),
      ev(day(3, 11), 'skipped'), // the 3rd is spoiled
      ev(day(4), 'taken'),
      ev(day(5), 'natural'),
      ev(day(6), 'taken'),
      ev(day(7), 'shown'), // today: nothing taken yet, no skip
    ];
    const stats = computeStats(events, { range: 'week', timeZone: BERLIN, now: day(7, 12) });
    expect(stats.streak).toEqual({ current: 3, longest: 3 });
    const skippedToday = computeStats([...events, ev(day(7, 11), 'skipped')], {
      range: 'week',
      timeZone: BERLIN,
      now: day(7, 12),
    });
    expect(skippedToday.streak.current).toBe(0);
  });

  it('missed occurrences add their count; days = 30 for a month', () => {
    const now = Date.UTC(2026, 5, 30, 12);
    const stats = computeStats([ev(now - H, 'missed', 'rest-eyes', { count: 4 })], {
      range: 'month',
      timeZone: 'UTC',
      now,
    });
    expect(stats.days).toHaveLength(30);
    expect(stats.totals.missed).toBe(4);
  });
});
