import { describe, expect, it } from 'vitest';
import type { WorkingHours } from '../../shared/settings.js';
import { quietUntil } from './working-hours.js';

const officeHours: WorkingHours[] = [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }];
/** Monday 2026-01-05, UTC. */
const monday = (hour: number, minute = 0) => Date.UTC(2026, 0, 5, hour, minute);

describe('quietUntil', () => {
  it('is null inside the hours, or without any', () => {
    expect(quietUntil(officeHours, monday(10), 'UTC')).toBeNull();
    expect(quietUntil(undefined, monday(3), 'UTC')).toBeNull();
  });

  it('is the next opening: later today, tomorrow, or after the weekend', () => {
    expect(quietUntil(officeHours, monday(7, 30), 'UTC')).toBe(monday(9));
    expect(quietUntil(officeHours, monday(20), 'UTC')).toBe(Date.UTC(2026, 0, 6, 9));
    expect(quietUntil(officeHours, Date.UTC(2026, 0, 9, 18), 'UTC')).toBe(Date.UTC(2026, 0, 12, 9));
  });

  it('follows the zone and overnight spans', () => {
    // 07:00 UTC is 08:00 in Berlin in winter: an hour before the office opens there.
    expect(quietUntil(officeHours, monday(7), 'Europe/Berlin')).toBe(monday(8));
    const nights: WorkingHours[] = [{ days: [1], start: '22:00', end: '06:00' }];
    expect(quietUntil(nights, monday(12), 'UTC')).toBe(monday(22));
  });
});
