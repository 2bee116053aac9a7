import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../shared/limits.js';
import type { Schedule } from '../../shared/schedule.js';
import { formatIsoInstant } from '../../shared/time-format.js';
import { compileSchedule, type CompiledSchedule } from './schedules.js';

/**
 * The DST policy (see schedules.ts): a skipped local time fires when the gap ends; a repeated one
 * fires once, at its first occurrence. Checked in zones with different rules and shifts:
 * Europe/Berlin (02:00→03:00 on 2026-03-29, 03:00→02:00 on 2026-10-25), America/New_York
 * (02:00→03:00 on 2026-03-08, 02:00→01:00 on 2026-11-01) and Australia/Lord_Howe, which moves
 * by 30 minutes (02:00→02:30 on 2026-10-04, 02:00→01:30 on 2026-04-05).
 */

const utc = (text: string): number => Date.parse(`${text}Z`);

/** The next `count` occurrences strictly after `from`, as local ISO with offsets in `zone`. */
function upcoming(compiled: CompiledSchedule, from: number, count: number, zone: string): string[] {
  const out: string[] = [];
  for (let at = compiled.nextAfter(from); at !== null && out.length < count; at = compiled.nextAfter(at)) {
    out.push(formatIsoInstant(at, zone));
  }
  return out;
}

const daily = (time: string, timeZone: string) =>
  compileSchedule({ kind: 'daily', time, timeZone }, { anchor: 0 });
const cron = (expression: string, timeZone: string) =>
  compileSchedule({ kind: 'cron', expression, timeZone }, { anchor: 0 });

describe('Europe/Berlin', () => {
  const zone = 'Europe/Berlin';

  it('fires a daily time on an ordinary day', () => {
    expect(upcoming(daily('02:30', zone), utc('2026-06-14T12:00:00'), 1, zone)).toEqual([
      '2026-06-15T02:30:00+02:00',
    ]);
  });

  it('gap: daily 02:30 fires at 03:00 CEST (01:00Z) on the spring-forward day', () => {
    expect(upcoming(daily('02:30', zone), utc('2026-03-27T12:00:00'), 3, zone)).toEqual([
      '2026-03-28T02:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
    expect(daily('02:30', zone).nextAfter(utc('2026-03-28T12:00:00'))).toBe(utc('2026-03-29T01:00:00'));
  });

  it('overlap: daily 02:30 fires once, on the first (CEST) pass', () => {
    expect(upcoming(daily('02:30', zone), utc('2026-10-24T12:00:00'), 2, zone)).toEqual([
      '2026-10-25T02:30:00+02:00',
      '2026-10-26T02:30:00+01:00',
    ]);
    // Asked during the second pass (02:10 CET), it does not fire again at 02:30 CET.
    expect(daily('02:30', zone).nextAfter(utc('2026-10-25T01:10:00'))).toBe(utc('2026-10-26T01:30:00'));
  });

  it('gap: the skipped times of a cron coalesce into one firing at the gap end', () => {
    const halfHourly = cron('*/30 2 * * *', zone);
    expect(upcoming(halfHourly, utc('2026-03-28T12:00:00'), 3, zone)).toEqual([
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
    expect(halfHourly.countBetween(utc('2026-03-28T12:00:00'), utc('2026-03-29T12:00:00'))).toBe(1);
  });

  it('overlap: a cron fires each repeated local time once', () => {
    const quarterly = cron('*/15 2 * * *', zone);
    expect(upcoming(quarterly, utc('2026-10-24T12:00:00'), 5, zone)).toEqual([
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:15:00+02:00',
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:45:00+02:00',
      '2026-10-26T02:00:00+01:00',
    ]);
    expect(quarterly.countBetween(utc('2026-10-24T12:00:00'), utc('2026-10-25T12:00:00'))).toBe(4);
  });
});

describe('America/New_York', () => {
  const zone = 'America/New_York';

  it('gap: daily 02:30 fires at 03:00 EDT (07:00Z)', () => {
    expect(upcoming(daily('02:30', zone), utc('2026-03-06T12:00:00'), 3, zone)).toEqual([
      '2026-03-07T02:30:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
  });

  it('overlap: daily 01:30 fires once, on the first (EDT) pass', () => {
    expect(upcoming(daily('01:30', zone), utc('2026-10-31T12:00:00'), 2, zone)).toEqual([
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
  });

  it('gap: a cron with a list of minutes fires once at the gap end', () => {
    // croner treats a list as an interval job and would skip both times; the policy does not.
    expect(upcoming(cron('15,45 2 * * *', zone), utc('2026-03-07T12:00:00'), 3, zone)).toEqual([
      '2026-03-08T03:00:00-04:00',
      '2026-03-09T02:15:00-04:00',
      '2026-03-09T02:45:00-04:00',
    ]);
  });

  it('overlap: an hourly cron fires 01:00 once, then 02:00 EST', () => {
    expect(upcoming(cron('0 * * * *', zone), utc('2026-11-01T03:30:00'), 4, zone)).toEqual([
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T02:00:00-05:00',
      '2026-11-01T03:00:00-05:00',
    ]);
  });

  it('never repeats a local time and never goes back, every 10 minutes across both transitions', () => {
    const tenMinutes = cron('*/10 * * * *', zone);
    // Local days (midnight to midnight): 23 hours in March, 25 in November.
    for (const [start, end, expected] of [
      // 144 wall-clock slots; the gap's 6 coalesce into 03:00, itself a slot.
      ['2026-03-08T05:00:00', '2026-03-09T04:00:00', 144 - 6],
      // 144 slots, each repeated one once: the second 01:00–01:50 stays silent.
      ['2026-11-01T04:00:00', '2026-11-02T05:00:00', 144],
    ] as const) {
      const seen = new Set<string>();
      let previous = utc(start);
      for (
        let at = tenMinutes.nextAfter(previous);
        at !== null && at <= utc(end);
        at = tenMinutes.nextAfter(at)
      ) {
        expect(at).toBeGreaterThan(previous);
        const local = formatIsoInstant(at, zone).slice(0, 19);
        expect(seen.has(local)).toBe(false);
        seen.add(local);
        previous = at;
      }
      expect(seen.size).toBe(expected);
      expect(tenMinutes.countBetween(utc(start), utc(end))).toBe(expected);
    }
  });
});

describe('Australia/Lord_Howe (30-minute shift)', () => {
  const zone = 'Australia/Lord_Howe';

  it('gap: daily 02:15 fires at 02:30 +11:00, the end of the half-hour gap', () => {
    expect(upcoming(daily('02:15', zone), utc('2026-10-02T12:00:00'), 3, zone)).toEqual([
      '2026-10-03T02:15:00+10:30',
      '2026-10-04T02:30:00+11:00',
      '2026-10-05T02:15:00+11:00',
    ]);
  });

  it('overlap: daily 01:45 fires once, on the first (+11:00) pass', () => {
    expect(upcoming(daily('01:45', zone), utc('2026-04-03T12:00:00'), 3, zone)).toEqual([
      '2026-04-04T01:45:00+11:00',
      '2026-04-05T01:45:00+11:00',
      '2026-04-06T01:45:00+10:30',
    ]);
  });
});

describe('agreement with croner', () => {
  // For fixed-time patterns croner 11 applies the same policy itself (within a day), so both must
  // agree on every day of a year with transitions in every zone above.
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'])(
    'daily times through 2026 in %s',
    (zone) => {
      for (const time of ['00:00', '01:30', '02:00', '02:30', '09:00']) {
        const schedule: Schedule = { kind: 'daily', time, timeZone: zone };
        const ours = compileSchedule(schedule, { anchor: 0 });
        const [hour, minute] = time.split(':').map(Number);
        const theirs = new Cron(`0 ${minute} ${hour} * * *`, { timezone: zone, paused: true });
        for (let from = utc('2026-01-01T00:00:00'); from < utc('2027-01-01T00:00:00'); from += DAY_MS) {
          expect(ours.nextAfter(from)).toBe(theirs.nextRun(new Date(from))?.getTime());
        }
      }
    },
  );
});
