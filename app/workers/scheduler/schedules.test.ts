import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/limits.js';
import type { Schedule } from '../../shared/schedule.js';
import { compileSchedule, type CompiledSchedule } from './schedules.js';

/** A UTC instant from ISO text without the Z. */
const utc = (text: string): number => Date.parse(`${text}Z`);

/** The next `count` occurrences strictly after `from`, as ISO strings in UTC. */
function upcoming(compiled: CompiledSchedule, from: number, count: number): string[] {
  const out: string[] = [];
  for (let at = compiled.nextAfter(from); at !== null && out.length < count; at = compiled.nextAfter(at)) {
    out.push(new Date(at).toISOString());
  }
  return out;
}

const compile = (schedule: Schedule, anchor = 0, defaultTimeZone = 'UTC') =>
  compileSchedule(schedule, { anchor, defaultTimeZone });

describe('once', () => {
  const at = utc('2026-12-01T08:00:00');
  const once = compile({ kind: 'once', at });

  it('fires at its instant and never again', () => {
    expect(once.recurring).toBe(false);
    expect(once.nextAfter(at - 1)).toBe(at);
    expect(once.nextAfter(at)).toBeNull();
    expect(once.nextAfter(at + DAY_MS)).toBeNull();
  });

  it('counts itself only inside (after, upto]', () => {
    expect(once.countBetween(at - 1, at)).toBe(1);
    expect(once.countBetween(at, at + 1)).toBe(0);
    expect(once.countBetween(at - 1, at, 0)).toBe(0);
  });
});

describe('every', () => {
  const anchor = utc('2026-03-30T10:00:00');
  const hourly = compile({ kind: 'every', intervalMs: 60 * MINUTE_MS }, anchor);

  it('first fires one interval after the anchor, not at it', () => {
    expect(hourly.nextAfter(anchor)).toBe(anchor + HOUR_MS);
    expect(hourly.nextAfter(anchor - DAY_MS)).toBe(anchor + HOUR_MS);
  });

  it('stays on the anchor grid after a late query: the n-th is anchor + n·interval', () => {
    const late = anchor + 5 * HOUR_MS + 17 * MINUTE_MS;
    expect(hourly.nextAfter(late)).toBe(anchor + 6 * HOUR_MS);
    expect(hourly.nextAfter(anchor + 6 * HOUR_MS)).toBe(anchor + 7 * HOUR_MS);
    expect(hourly.nextAfter(anchor + 1000 * HOUR_MS - 1)).toBe(anchor + 1000 * HOUR_MS);
  });

  it('prefers its own anchor to the compile-time one', () => {
    const own = compile({ kind: 'every', intervalMs: HOUR_MS, anchor: anchor + 30 * MINUTE_MS }, anchor);
    expect(own.nextAfter(anchor)).toBe(anchor + 90 * MINUTE_MS);
  });

  it('counts 10 occurrences of every 45m in 8 hours', () => {
    const every45 = compile({ kind: 'every', intervalMs: 45 * MINUTE_MS }, anchor);
    expect(every45.countBetween(anchor, anchor + 8 * HOUR_MS)).toBe(10);
    expect(every45.countBetween(anchor, anchor + 8 * HOUR_MS, 3)).toBe(3);
    // (after, upto]: an occurrence exactly at `after` is not counted, one exactly at `upto` is.
    expect(every45.countBetween(anchor + 45 * MINUTE_MS, anchor + 90 * MINUTE_MS)).toBe(1);
    expect(every45.countBetween(anchor + HOUR_MS, anchor)).toBe(0);
  });

  it('counts in constant time, even across years', () => {
    const everySecond = compile({ kind: 'every', intervalMs: 1000 }, anchor);
    expect(everySecond.countBetween(anchor, anchor + 365 * DAY_MS, Infinity)).toBe(365 * 86_400);
  });
});

describe('daily', () => {
  it('fires at the local time on an ordinary day', () => {
    const nine = compile({ kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' });
    expect(upcoming(nine, utc('2026-06-01T12:00:00'), 2)).toEqual([
      '2026-06-02T07:00:00.000Z',
      '2026-06-03T07:00:00.000Z',
    ]);
  });

  it('fires on Monday and Wednesday only, across a week', () => {
    const monWed = compile({ kind: 'daily', time: '09:00', weekdays: [1, 3], timeZone: 'Europe/Berlin' });
    // Friday 2026-03-27: next are Mon 30 Mar, Wed 1 Apr (both CEST), Mon 6 Apr.
    expect(upcoming(monWed, utc('2026-03-27T12:00:00'), 3)).toEqual([
      '2026-03-30T07:00:00.000Z',
      '2026-04-01T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
  });

  it('skips the weekend for weekdays', () => {
    const weekdays = compile({ kind: 'daily', time: '09:00', weekdays: [1, 2, 3, 4, 5] });
    // Friday 2026-04-03 09:00 UTC, then Monday.
    expect(upcoming(weekdays, utc('2026-04-03T08:00:00'), 2)).toEqual([
      '2026-04-03T09:00:00.000Z',
      '2026-04-06T09:00:00.000Z',
    ]);
  });

  it('is strictly after: a query at the occurrence gets the next day', () => {
    const nine = compile({ kind: 'daily', time: '09:00' });
    expect(nine.nextAfter(utc('2026-06-01T09:00:00'))).toBe(utc('2026-06-02T09:00:00'));
    expect(nine.nextAfter(utc('2026-06-01T08:59:59.999'))).toBe(utc('2026-06-01T09:00:00'));
  });

  it('uses the default zone, then the system zone, when it names none', () => {
    const nine: Schedule = { kind: 'daily', time: '09:00' };
    const inTokyo = compileSchedule(nine, { anchor: 0, defaultTimeZone: 'Asia/Tokyo' });
    expect(inTokyo.nextAfter(utc('2026-06-01T12:00:00'))).toBe(utc('2026-06-02T00:00:00'));
    expect(compileSchedule(nine, { anchor: 0 }).nextAfter(0)).not.toBeNull();
  });

  it('counts 3 occurrences over 3 days', () => {
    const nine = compile({ kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' });
    const start = utc('2026-06-01T00:00:00');
    expect(nine.recurring).toBe(true);
    expect(nine.countBetween(start, start + 3 * DAY_MS)).toBe(3);
    expect(nine.countBetween(start, start + 3 * DAY_MS, 2)).toBe(2);
  });
});

describe('cron', () => {
  it('fires every 15 minutes in office hours on weekdays', () => {
    const office = compile({ kind: 'cron', expression: '*/15 9-17 * * 1-5', timeZone: 'Europe/Berlin' });
    // Friday 17:45 CEST is the last of the week; Monday 09:00 the next.
    expect(upcoming(office, utc('2026-04-03T15:40:00'), 2)).toEqual([
      '2026-04-03T15:45:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
    expect(office.countBetween(utc('2026-04-06T00:00:00'), utc('2026-04-07T00:00:00'))).toBe(36);
  });

  it('honours a seconds field', () => {
    const everyTenSeconds = compile({ kind: 'cron', expression: '*/10 * * * * *' });
    expect(everyTenSeconds.nextAfter(utc('2026-06-01T12:00:05'))).toBe(utc('2026-06-01T12:00:10'));
  });
});
