import { describe, expect, it } from 'vitest';
import type { WorkingHours } from '../../shared/settings.js';
import { isWithinWorkingHours, nextWithinWorkingHours } from './working-hours.js';

const office: WorkingHours[] = [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }];
// 2026-01-05 is a Monday.
const at = (iso: string) => Date.parse(iso);

describe('working hours', () => {
  it('no spans means always', () => {
    expect(isWithinWorkingHours(undefined, at('2026-01-04T03:00:00Z'), 'UTC')).toBe(true);
    expect(isWithinWorkingHours([], at('2026-01-04T03:00:00Z'), 'UTC')).toBe(true);
  });

  it('office hours on weekdays, start inclusive, end exclusive', () => {
    expect(isWithinWorkingHours(office, at('2026-01-05T09:00:00Z'), 'UTC')).toBe(true);
    expect(isWithinWorkingHours(office, at('2026-01-05T17:59:00Z'), 'UTC')).toBe(true);
    expect(isWithinWorkingHours(office, at('2026-01-05T18:00:00Z'), 'UTC')).toBe(false);
    expect(isWithinWorkingHours(office, at('2026-01-05T08:59:00Z'), 'UTC')).toBe(false);
    expect(isWithinWorkingHours(office, at('2026-01-10T10:00:00Z'), 'UTC')).toBe(false); // Saturday
  });

  it('is judged in the given time zone', () => {
    // 01:30Z Monday is 09:30 Monday in Shanghai, but still Sunday evening in New York.
    expect(isWithinWorkingHours(office, at('2026-01-05T01:30:00Z'), 'Asia/Shanghai')).toBe(true);
    expect(isWithinWorkingHours(office, at('2026-01-05T01:30:00Z'), 'America/New_York')).toBe(false);
  });

  it('an overnight span runs into the next morning', () => {
    const nights: WorkingHours[] = [{ days: [5], start: '22:00', end: '06:00' }]; // Friday night
    expect(isWithinWorkingHours(nights, at('2026-01-09T23:00:00Z'), 'UTC')).toBe(true); // Fri 23:00
    expect(isWithinWorkingHours(nights, at('2026-01-10T05:59:00Z'), 'UTC')).toBe(true); // Sat 05:59
    expect(isWithinWorkingHours(nights, at('2026-01-10T06:00:00Z'), 'UTC')).toBe(false);
    expect(isWithinWorkingHours(nights, at('2026-01-08T23:00:00Z'), 'UTC')).toBe(false); // Thu
  });

  describe('the next instant inside them', () => {
    it('is the instant itself when inside, else the next start (the next weekday after Friday evening)', () => {
      expect(nextWithinWorkingHours(office, at('2026-01-05T10:00:00Z'), 'UTC')).toBe(
        at('2026-01-05T10:00:00Z'),
      );
      expect(nextWithinWorkingHours(office, at('2026-01-05T18:05:00Z'), 'UTC')).toBe(
        at('2026-01-06T09:00:00Z'),
      );
      expect(nextWithinWorkingHours(office, at('2026-01-09T18:00:00Z'), 'UTC')).toBe(
        at('2026-01-12T09:00:00Z'),
      );
      expect(nextWithinWorkingHours(undefined, at('2026-01-10T03:00:00Z'), 'UTC')).toBe(
        at('2026-01-10T03:00:00Z'),
      );
    });

    it('follows the time zone and an overnight span', () => {
      // 18:30 Monday in Berlin (17:30Z): the next start is 09:00 CET Tuesday = 08:00Z.
      expect(nextWithinWorkingHours(office, at('2026-01-05T17:30:00Z'), 'Europe/Berlin')).toBe(
        at('2026-01-06T08:00:00Z'),
      );
      const nights: WorkingHours[] = [{ days: [5], start: '22:00', end: '06:00' }];
      expect(nextWithinWorkingHours(nights, at('2026-01-10T07:00:00Z'), 'UTC')).toBe(
        at('2026-01-16T22:00:00Z'),
      );
    });
  });
});
