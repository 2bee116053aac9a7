import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { HOUR_MS } from './limits.js';
import { TimeZoneRules, checkTimeZone, isValidTimeZone, systemTimeZone } from './time-zone.js';

const local = (text: string): number => Date.parse(`${text}Z`);

describe('zone names', () => {
  it('knows IANA names and the system zone', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone(systemTimeZone())).toBe(true);
    expect(isValidTimeZone('Mars/Base')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('names the field of an unknown zone', () => {
    expect(() => checkTimeZone('--tz', 'Mars/Base')).toThrow(ValidationError);
    expect(() => checkTimeZone('--tz', 42)).toThrow(/^--tz: unknown time zone 42/);
  });
});

describe('TimeZoneRules', () => {
  const berlin = new TimeZoneRules('Europe/Berlin');

  it('reads offsets either side of a transition', () => {
    expect(berlin.offsetAt(Date.UTC(2026, 2, 29, 0, 59, 59))).toBe(HOUR_MS);
    expect(berlin.offsetAt(Date.UTC(2026, 2, 29, 1))).toBe(2 * HOUR_MS);
  });

  it('maps an ordinary local time to its one instant', () => {
    expect(berlin.instantOf(local('2026-06-01T12:00:00'))).toBe(Date.UTC(2026, 5, 1, 10));
  });

  it('maps a skipped local time to the end of the gap', () => {
    expect(berlin.instantOf(local('2026-03-29T02:30:00'))).toBe(Date.UTC(2026, 2, 29, 1));
    expect(berlin.instantOf(local('2026-03-29T02:00:00'))).toBe(Date.UTC(2026, 2, 29, 1));
  });

  it('maps a repeated local time to its first occurrence', () => {
    expect(berlin.instantOf(local('2026-10-25T02:30:00'))).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  it('round-trips every instant of a transition day', () => {
    const newYork = new TimeZoneRules('America/New_York');
    for (let at = Date.UTC(2026, 2, 8); at < Date.UTC(2026, 2, 9); at += 15 * 60_000) {
      expect(newYork.instantOf(newYork.localAt(at))).toBe(at);
    }
  });
});
