import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './limits.js';
import type { Schedule } from './schedule.js';
import { formatDuration, formatSchedule, parseScheduleText } from './schedule-text.js';

const errorOf = (text: string, field?: string): ValidationError => {
  try {
    parseScheduleText(text, field);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`parsed ${JSON.stringify(text)} without an error`);
};

describe('every', () => {
  it.each([
    ['every 45m', 45 * MINUTE_MS],
    ['every 1h30m', HOUR_MS + 30 * MINUTE_MS],
    ['every 90s', 90 * SECOND_MS],
    ['every 2h', 2 * HOUR_MS],
    ['every 1d12h', DAY_MS + 12 * HOUR_MS],
    ['EVERY 1H 30M', HOUR_MS + 30 * MINUTE_MS],
    ['every 1s500ms', 1500],
    ['every 366d', 366 * DAY_MS],
  ])('reads %s', (text, intervalMs) => {
    expect(parseScheduleText(text)).toEqual({ kind: 'every', intervalMs });
  });

  it('refuses an interval out of range, saying the range', () => {
    expect(errorOf('every 0m').message).toBe('schedule: "every 0m" — interval must be from 1s to 366d');
    expect(errorOf('every 999ms').message).toContain('from 1s to 366d');
    expect(errorOf('every 367d').message).toContain('from 1s to 366d');
  });

  it.each(['every', 'every 30m1h', 'every 1h1h', 'every 1.5h', 'every 45', 'every -5m', 'every 5 minutes'])(
    'refuses the malformed %j',
    (text) => {
      expect(errorOf(text).message).toMatch(/^schedule: .*largest first/);
    },
  );
});

describe('daily, weekdays, weekends', () => {
  it('reads a time for every day, padding the hour', () => {
    expect(parseScheduleText('daily 09:00')).toEqual({ kind: 'daily', time: '09:00' });
    expect(parseScheduleText('daily 9:05')).toEqual({ kind: 'daily', time: '09:05' });
  });

  it('reads weekdays and weekends', () => {
    expect(parseScheduleText('weekdays 09:00')).toEqual({
      kind: 'daily',
      time: '09:00',
      weekdays: [1, 2, 3, 4, 5],
    });
    expect(parseScheduleText('weekends 10:00')).toEqual({ kind: 'daily', time: '10:00', weekdays: [0, 6] });
  });

  it('reads day lists and ranges in any case, sorted and unique', () => {
    expect(parseScheduleText('daily 09:00 mon,wed')).toEqual({
      kind: 'daily',
      time: '09:00',
      weekdays: [1, 3],
    });
    expect(parseScheduleText('daily 09:00 Wed, MON')).toMatchObject({ weekdays: [1, 3] });
    expect(parseScheduleText('daily 09:00 mon-fri')).toMatchObject({ weekdays: [1, 2, 3, 4, 5] });
    expect(parseScheduleText('daily 09:00 mon-wed,tue,sun')).toMatchObject({ weekdays: [0, 1, 2, 3] });
    expect(parseScheduleText('daily 09:00 fri-mon')).toMatchObject({ weekdays: [0, 1, 5, 6] });
  });

  it('names an unknown weekday and the allowed names', () => {
    expect(errorOf('daily 09:00 mon,mox').message).toBe(
      'schedule: unknown weekday "mox" (use mon,tue,wed,thu,fri,sat,sun)',
    );
    expect(errorOf('daily 09:00 mon-fri-sat').message).toContain('must be like mon-fri');
  });

  it('refuses a time outside 00:00…23:59', () => {
    expect(errorOf('daily 25:00').message).toBe('schedule: time "25:00" must be HH:MM from 00:00 to 23:59');
    expect(errorOf('weekdays 9:60').message).toContain('must be HH:MM');
    expect(errorOf('daily 09:00:30').message).toContain('must be HH:MM');
    expect(errorOf('daily').message).toContain('needs a time');
  });

  it('refuses days after weekdays or weekends', () => {
    expect(errorOf('weekdays 09:00 sat').message).toContain('takes only a time');
  });
});

describe('once', () => {
  it('reads an instant with its offset', () => {
    expect(parseScheduleText('once 2026-12-01T09:00+01:00')).toEqual({
      kind: 'once',
      at: Date.UTC(2026, 11, 1, 8),
    });
    expect(parseScheduleText('once 2026-12-01T08:00:30Z')).toEqual({
      kind: 'once',
      at: Date.UTC(2026, 11, 1, 8, 0, 30),
    });
  });

  it('requires an offset, so the text means one instant everywhere', () => {
    expect(errorOf('once 2026-12-01T09:00').message).toContain('needs a UTC offset');
    expect(errorOf('once 2026-02-30T09:00Z').message).toContain('not a valid date');
  });
});

describe('cron', () => {
  it('passes 5- and 6-field expressions and nicknames through', () => {
    expect(parseScheduleText('*/15 9-17 * * 1-5')).toEqual({ kind: 'cron', expression: '*/15 9-17 * * 1-5' });
    expect(parseScheduleText('  0 30  9 * * MON ')).toEqual({ kind: 'cron', expression: '0 30 9 * * MON' });
    expect(parseScheduleText('@hourly')).toEqual({ kind: 'cron', expression: '@hourly' });
  });

  it('refuses what is neither a keyword form nor cron-shaped, listing the forms', () => {
    const error = errorOf('evry 45m', 'reminders[0].schedule');
    expect(error.field).toBe('reminders[0].schedule');
    expect(error.message).toContain('is not a schedule (use "every 45m"');
    expect(errorOf('* * * *').message).toContain('is not a schedule');
    expect(errorOf('* * * * * * *').message).toContain('is not a schedule');
    expect(errorOf('   ').message).toContain('is empty');
  });
});

describe('time zone suffix', () => {
  it('attaches a zone to calendar schedules', () => {
    expect(parseScheduleText('daily 09:00 mon in Europe/Berlin')).toEqual({
      kind: 'daily',
      time: '09:00',
      weekdays: [1],
      timeZone: 'Europe/Berlin',
    });
    expect(parseScheduleText('0 9 * * * in America/New_York')).toEqual({
      kind: 'cron',
      expression: '0 9 * * *',
      timeZone: 'America/New_York',
    });
  });

  it('refuses an unknown zone and a zone on every/once', () => {
    expect(errorOf('daily 09:00 in Mars/Base').message).toContain('unknown time zone "Mars/Base"');
    expect(errorOf('every 45m in Europe/Berlin').message).toContain('applies only to');
  });
});

describe('formatSchedule', () => {
  it.each([
    'every 45m',
    'every 1h30m',
    'every 1m30s',
    'daily 09:00',
    'weekdays 09:00',
    'weekends 10:00',
    'daily 09:00 mon,wed',
    'daily 07:30 mon-thu,sat',
    'daily 09:00 mon,tue,thu,sat,sun',
    'daily 09:00 mon in Europe/Berlin',
    '*/15 9-17 * * 1-5',
    '0 9 * * * in America/New_York',
    'once 2026-12-01T08:00:00+00:00',
  ])('writes %j back as it reads', (text) => {
    expect(formatSchedule(parseScheduleText(text))).toBe(text);
  });

  it('writes the canonical form of looser input', () => {
    expect(formatSchedule(parseScheduleText('every 90s'))).toBe('every 1m30s');
    expect(formatSchedule(parseScheduleText('daily 9:00 sun-sat'))).toBe('daily 09:00');
    expect(formatSchedule(parseScheduleText('daily 9:00 mon-fri'))).toBe('weekdays 09:00');
  });

  it('writes a once in the given zone, and that text reads back to the same instant', () => {
    const once: Schedule = { kind: 'once', at: Date.UTC(2026, 11, 1, 8) };
    const text = formatSchedule(once, { timeZone: 'Europe/Berlin' });
    expect(text).toBe('once 2026-12-01T09:00:00+01:00');
    expect(parseScheduleText(text)).toEqual(once);
  });

  it('formats durations largest unit first', () => {
    expect(formatDuration(DAY_MS + 2 * HOUR_MS + 5 * SECOND_MS)).toBe('1d2h5s');
    expect(formatDuration(0)).toBe('0s');
  });
});
