import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { DAY_MS, INSTANT_MAX_MS } from '../../shared/limits.js';
import { validateSchedule } from './schedules.js';

/** The error validateSchedule throws for `value`, as "field: reason". */
function messageFor(value: unknown, field?: string): string {
  try {
    validateSchedule(value, field);
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

describe('accepts', () => {
  it.each([
    ['a one-shot instant', { kind: 'once', at: Date.UTC(2026, 11, 1) }],
    ['the shortest interval (1 s)', { kind: 'every', intervalMs: 1000 }],
    [
      'the longest interval (366 days) with an anchor',
      { kind: 'every', intervalMs: 366 * DAY_MS, anchor: 0 },
    ],
    ['a daily time at midnight', { kind: 'daily', time: '00:00' }],
    [
      'the last minute of the day on chosen weekdays in a zone',
      { kind: 'daily', time: '23:59', weekdays: [0, 6], timeZone: 'America/New_York' },
    ],
    ['a five-field cron expression', { kind: 'cron', expression: '*/15 9-17 * * 1-5' }],
    [
      'a six-field cron expression with names, in a half-hour-DST zone',
      { kind: 'cron', expression: '0 30 9 * * MON-FRI', timeZone: 'Australia/Lord_Howe' },
    ],
    ['a cron nickname (@hourly)', { kind: 'cron', expression: '@hourly' }],
  ])('%s, unchanged', (_description, schedule) => {
    expect(validateSchedule(schedule)).toEqual(schedule);
  });

  it('returns a copy without unknown fields', () => {
    const input = { kind: 'every', intervalMs: 60_000, extra: 'ignored' };
    const output = validateSchedule(input);
    expect(output).toEqual({ kind: 'every', intervalMs: 60_000 });
    expect(output).not.toBe(input);
  });
});

describe('refuses, naming the field and what is allowed', () => {
  it.each([
    [null, 'schedule: must be an object with a kind: once, every, daily or cron (got null)'],
    [[], 'schedule: must be an object with a kind: once, every, daily or cron (got an array)'],
    [{ kind: 'weekly' }, 'schedule.kind: must be one of once, every, daily, cron (got "weekly")'],
    [{ kind: 'once', at: Number.NaN }, 'schedule.at: must be an instant in ms since the epoch, from 0'],
    [{ kind: 'once', at: INSTANT_MAX_MS + 1 }, 'schedule.at: must be an instant'],
    [
      { kind: 'every', intervalMs: 0 },
      'schedule.intervalMs: must be from 1000 ms (1s) to 31622400000 ms (366d) (got 0)',
    ],
    [{ kind: 'every', intervalMs: Number.POSITIVE_INFINITY }, 'schedule.intervalMs: must be from 1000 ms'],
    [{ kind: 'every', intervalMs: '60000' }, 'schedule.intervalMs: must be from 1000 ms'],
    [{ kind: 'every', intervalMs: 60_000, anchor: Number.NaN }, 'schedule.anchor: must be an instant'],
    [
      { kind: 'daily', time: '24:00' },
      'schedule.time: must be a time HH:MM from 00:00 to 23:59 (got "24:00")',
    ],
    [{ kind: 'daily', time: '9:00' }, 'schedule.time: must be a time HH:MM'],
    [{ kind: 'daily', time: '09:00', weekdays: [] }, 'schedule.weekdays: must list at least one weekday'],
    [
      { kind: 'daily', time: '09:00', weekdays: [1, 7] },
      'schedule.weekdays[1]: must be a weekday from 0 (Sunday) to 6',
    ],
    [{ kind: 'daily', time: '09:00', weekdays: [1.5] }, 'schedule.weekdays[0]: must be a weekday'],
    [{ kind: 'daily', time: '09:00', weekdays: [1, 3, 1] }, 'schedule.weekdays[2]: repeats weekday 1'],
    [
      { kind: 'daily', time: '09:00', timeZone: 'Mars/Base' },
      'schedule.timeZone: unknown time zone "Mars/Base"',
    ],
    [{ kind: 'cron', expression: '' }, 'schedule.expression: must be a cron expression of 5 or 6 fields'],
    [
      { kind: 'cron', expression: '61 * * * *' },
      'schedule.expression: "61 * * * *" is not a valid cron expression',
    ],
    [
      { kind: 'cron', expression: '* * * *' },
      'schedule.expression: "* * * *" is not a valid cron expression',
    ],
    [
      { kind: 'cron', expression: '0 0 1 1 * 2030' },
      'schedule.expression: "0 0 1 1 * 2030" is not a valid cron',
    ],
    [
      { kind: 'cron', expression: '2026-01-01T00:00:00' },
      'schedule.expression: "2026-01-01T00:00:00" is not a cron',
    ],
    [{ kind: 'cron', expression: '0 0 30 2 *' }, 'schedule.expression: "0 0 30 2 *" never matches a date'],
    [{ kind: 'cron', expression: '* * * * *', timeZone: '' }, 'schedule.timeZone: unknown time zone ""'],
  ])('%j, saying %s', (schedule, expected) => {
    expect(messageFor(schedule)).toContain(expected);
  });

  it('nests the field under the caller’s path', () => {
    expect(messageFor({ kind: 'every', intervalMs: 5 }, 'reminders[2].schedule')).toMatch(
      /^reminders\[2\]\.schedule\.intervalMs: /,
    );
  });
});
