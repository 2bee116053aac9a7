import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { formatClock, formatCountdown, formatIsoInstant, parseIsoInstant } from './time-format.js';
import { TimeZoneRules } from './time-zone.js';

describe('formatIsoInstant', () => {
  it('writes local time with the zone offset of that instant', () => {
    expect(formatIsoInstant(Date.UTC(2026, 2, 30, 7), 'Europe/Berlin')).toBe('2026-03-30T09:00:00+02:00');
    expect(formatIsoInstant(Date.UTC(2026, 0, 5, 8), 'Europe/Berlin')).toBe('2026-01-05T09:00:00+01:00');
    expect(formatIsoInstant(Date.UTC(2026, 10, 1, 6, 30), 'America/New_York')).toBe(
      '2026-11-01T01:30:00-05:00',
    );
    expect(formatIsoInstant(Date.UTC(2026, 0, 1, 0, 0, 0, 250), 'UTC')).toBe('2026-01-01T00:00:00.250+00:00');
  });

  it('writes half-hour offsets', () => {
    const rules = new TimeZoneRules('Australia/Lord_Howe');
    expect(formatIsoInstant(Date.UTC(2026, 6, 1, 0), rules)).toBe('2026-07-01T10:30:00+10:30');
    expect(formatIsoInstant(Date.UTC(2026, 0, 1, 0), 'Asia/Kolkata')).toBe('2026-01-01T05:30:00+05:30');
  });
});

describe('parseIsoInstant', () => {
  it('reads Z and numeric offsets', () => {
    expect(parseIsoInstant('2026-12-01T08:00Z', 'at')).toBe(Date.UTC(2026, 11, 1, 8));
    expect(parseIsoInstant('2026-12-01T09:00:30.5+01:00', 'at')).toBe(Date.UTC(2026, 11, 1, 8, 0, 30, 500));
    expect(parseIsoInstant('2026-12-01 03:00-0500', 'at')).toBe(Date.UTC(2026, 11, 1, 8));
  });

  it('reads a local time in the given zone, by the DST policy', () => {
    expect(parseIsoInstant('2026-03-30T09:00', 'at', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 30, 7));
    expect(parseIsoInstant('2026-03-30', 'at', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 22));
    expect(parseIsoInstant('2026-03-29T02:30', 'at', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1));
  });

  it.each([
    ['2026-12-01T09:00', 'needs a UTC offset'],
    ['2026-13-01T09:00Z', 'not a valid date'],
    ['2026-02-29T09:00Z', 'not a valid date'],
    ['2026-12-01T24:00Z', 'not a valid date'],
    ['2026-12-01T09:00+25:00', 'invalid UTC offset'],
    ['next tuesday', 'is not a date-time'],
    ['1969-12-31T23:00Z', 'from 1970-01-01 to 2200-01-01'],
  ])('refuses %j: %s', (text, reason) => {
    expect(() => parseIsoInstant(text, '--from')).toThrow(ValidationError);
    expect(() => parseIsoInstant(text, '--from')).toThrow(new RegExp(`^--from: .*${reason}`));
  });
});

const MINUTE = 60_000;

describe('formatCountdown', () => {
  it('timer readings in the CLI are H:MM:SS, rounded down', () => {
    const HMS = { alwaysHours: true, roundDown: true };
    expect(formatCountdown(4 * MINUTE + 5_999, HMS)).toBe('0:04:05');
    expect(formatCountdown(26 * 60 * MINUTE, HMS)).toBe('26:00:00');
  });
});

describe('formatClock', () => {
  it('is the 24-hour HH:MM of an instant in the given zone', () => {
    expect(formatClock(Date.UTC(2026, 0, 5, 9, 5), 'UTC')).toBe('09:05');
    expect(formatClock(Date.UTC(2026, 0, 5, 9, 5), 'Asia/Shanghai')).toBe('17:05');
    expect(formatClock(Date.UTC(2026, 6, 1, 23, 59), new TimeZoneRules('Europe/Berlin'))).toBe('01:59');
  });
});
