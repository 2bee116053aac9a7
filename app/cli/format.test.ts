import { describe, expect, it } from 'vitest';
import {
  formatDue,
  formatSpan,
  formatTable,
  formatWhen,
  formatWorkingHours,
  localZone,
  nextClockTime,
  parseDuration,
  parseDurationInRange,
  parseWorkingHours,
} from './format.js';

/** Monday 2026-01-05 09:00 UTC (10:00 in Berlin). */
const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * MINUTE],
    ['1h', 60 * MINUTE],
    ['90s', 90_000],
    ['1h30m', 90 * MINUTE],
    ['1h 30m', 90 * MINUTE],
    ['2D', 2 * 24 * 60 * MINUTE],
  ])('reads %s', (text, ms) => expect(parseDuration(text, 'duration')).toBe(ms));

  it.each(['30', '', 'm', '30 minutes', '1m1h', '1.5h', '-5m'])('refuses %j naming the field', (text) => {
    expect(() => parseDuration(text, 'duration')).toThrow(
      /^duration: .* is not a duration \(write whole numbers/,
    );
  });

  it('states the range in the same units', () => {
    expect(() => parseDurationInRange('30s', 'duration', MINUTE, 7 * 24 * 60 * MINUTE)).toThrow(
      'duration: must be from 1m to 7d (got "30s")',
    );
  });
});

describe('nextClockTime', () => {
  it('is today when the time is still ahead, in the given zone', () => {
    expect(nextClockTime('13:30', '--until', NOW, 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 5, 12, 30));
  });

  it('is tomorrow when the time has passed (or is now)', () => {
    expect(nextClockTime('9:00', '--until', NOW, 'UTC')).toBe(Date.UTC(2026, 0, 6, 9, 0));
    expect(nextClockTime('08:59', '--until', NOW, 'UTC')).toBe(Date.UTC(2026, 0, 6, 8, 59));
  });

  it('maps a time skipped by DST to the end of the gap', () => {
    const saturdayNight = Date.UTC(2026, 2, 28, 23, 0); // 00:00 CET on the night of the change
    expect(nextClockTime('02:30', '--until', saturdayNight, 'Europe/Berlin')).toBe(
      Date.UTC(2026, 2, 29, 1, 0),
    );
  });

  it('in the repeated fall-back hour, picks the nearest pass of the time after now (30 min, not 24.5 h)', () => {
    // Europe/Berlin, 2026-10-25: 02:00–03:00 happens twice, CEST (00:00Z–01:00Z) then CET (01:00Z–02:00Z).
    const secondPass0210 = Date.UTC(2026, 9, 25, 1, 10);
    expect(nextClockTime('02:40', '--until', secondPass0210, 'Europe/Berlin')).toBe(
      Date.UTC(2026, 9, 25, 1, 40),
    );
    const firstPass0210 = Date.UTC(2026, 9, 25, 0, 10);
    expect(nextClockTime('02:40', '--until', firstPass0210, 'Europe/Berlin')).toBe(
      Date.UTC(2026, 9, 25, 0, 40),
    );
    // 02:05 already passed in the first pass: its second pass, 55 minutes on, is the next one.
    expect(nextClockTime('02:05', '--until', firstPass0210, 'Europe/Berlin')).toBe(
      Date.UTC(2026, 9, 25, 1, 5),
    );
  });

  it('refuses a time that is not HH:MM', () => {
    expect(() => nextClockTime('25:00', '--until', NOW, 'UTC')).toThrow(
      '--until: "25:00" must be a time HH:MM from 00:00 to 23:59',
    );
  });
});

describe('formatting', () => {
  it('spans use the two largest units, without trailing zeros', () => {
    expect(formatSpan(12 * MINUTE + 30_000)).toBe('12m 30s');
    expect(formatSpan(65 * MINUTE)).toBe('1h 5m');
    expect(formatSpan(2 * 60 * MINUTE + 20_000)).toBe('2h');
    expect(formatSpan(3 * 24 * 60 * MINUTE + 4 * 60 * MINUTE)).toBe('3d 4h');
    expect(formatSpan(999)).toBe('0s');
  });

  it('local times are as short as stays unambiguous', () => {
    expect(formatWhen(NOW + 12 * MINUTE, NOW, 'UTC')).toBe('09:12');
    expect(formatWhen(NOW + 24 * 60 * MINUTE, NOW, 'UTC')).toBe('Tue 09:00');
    expect(formatWhen(NOW + 10 * 24 * 60 * MINUTE, NOW, 'UTC')).toBe('2026-01-15 09:00');
    expect(formatWhen(NOW, NOW, 'Asia/Shanghai')).toBe('17:00');
    expect(formatDue(NOW + 12 * MINUTE + 30_000, NOW, 'UTC')).toBe('09:12 (in 12m 30s)');
    expect(formatDue(NOW - 5 * MINUTE, NOW, 'UTC')).toBe('08:55 (5m ago)');
  });

  it('tables align every column but the last, with no trailing spaces', () => {
    expect(
      formatTable([
        ['ID', 'NAME'],
        ['rest-eyes', '休息眼睛'],
        ['a', ''],
      ]),
    ).toBe('ID         NAME\nrest-eyes  休息眼睛\na\n');
  });

  it('takes the zone from TZ when it is an IANA name', () => {
    expect(localZone({ TZ: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
    expect(localZone({ TZ: 'EST5EDT,M3.2.0,M11.1.0' })).toBe(
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
  });
});

describe('working hours', () => {
  it.each([
    ['mon-fri 09:00-18:00', { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
    ['mon,wed,fri 9:00-12:30', { days: [1, 3, 5], start: '09:00', end: '12:30' }],
    ['fri-mon 22:00-06:00', { days: [0, 1, 5, 6], start: '22:00', end: '06:00' }],
    ['Weekends 10:00-16:00', { days: [0, 6], start: '10:00', end: '16:00' }],
  ])('reads %j', (text, span) => {
    expect(parseWorkingHours(text, '--hours')).toEqual(span);
  });

  it.each([
    ['mon-fri', /^--hours: "mon-fri" — write days and a span/],
    ['mox 09:00-10:00', /^--hours: unknown day "mox"/],
    ['mon-fri 09:00', /^--hours: "09:00" is not a span HH:MM-HH:MM/],
    ['mon 09:00-24:00', /^--hours: "24:00" must be a time HH:MM/],
  ])('refuses %j naming --hours', (text, message) => {
    expect(() => parseWorkingHours(text, '--hours')).toThrow(message);
  });

  it('refuses a span that starts when it ends (09:00-09:00 is no time at all)', () => {
    expect(() => parseWorkingHours('mon-fri 09:00-09:00', '--hours')).toThrow(
      '--hours: "09:00-09:00" is an empty span (its start is its end); to speak at any hour, leave out --hours',
    );
    expect(() => parseWorkingHours('daily 9:00-09:00', '--hours')).toThrow(/empty span/);
    // Overnight spans are fine: the end is on the next day.
    expect(parseWorkingHours('daily 22:00-06:00', '--hours')).toMatchObject({ start: '22:00', end: '06:00' });
  });

  it('writes spans back in the same syntax', () => {
    expect(formatWorkingHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' })).toBe(
      'weekdays 09:00-18:00',
    );
    expect(formatWorkingHours({ days: [0, 1, 3, 4, 5], start: '09:00', end: '18:00' })).toBe(
      'mon,wed-fri,sun 09:00-18:00',
    );
  });
});
