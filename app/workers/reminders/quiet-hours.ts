import { DAY_MS, MINUTE_MS } from '../../shared/limits.js';
import type { WorkingHours } from '../../shared/settings.js';
import { TimeZoneRules } from '../../shared/time-zone.js';
import { isWithinWorkingHours } from './working-hours.js';

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a reminder that is quiet at `at` (outside all its working-hours spans) may speak again: the
 * earliest span start after `at`, in `timeZone`. Null when it may speak at `at` (or has no spans).
 * A span whose start equals its end covers its whole day, so it opens at that day's midnight.
 */
export function quietUntil(
  spans: readonly WorkingHours[] | undefined,
  at: number,
  timeZone: string,
): number | null {
  if (!spans || spans.length === 0 || isWithinWorkingHours(spans, at, timeZone)) return null;
  const rules = new TimeZoneRules(timeZone);
  const today = Math.floor(rules.localAt(at) / DAY_MS) * DAY_MS;
  let earliest: number | null = null;
  // Every span opens at least once a week: eight local days ahead always hold the next opening.
  for (let offset = 0; offset <= 7; offset++) {
    const day = today + offset * DAY_MS;
    const weekday = new Date(day).getUTCDay();
    for (const span of spans) {
      if (!(span.days as readonly number[]).includes(weekday)) continue;
      const opensAt = span.start === span.end ? 0 : toMinute(span.start);
      const instant = rules.instantOf(day + opensAt * MINUTE_MS);
      if (instant > at && (earliest === null || instant < earliest)) earliest = instant;
    }
    if (earliest !== null) return earliest;
  }
  return earliest;
}
