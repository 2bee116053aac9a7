import { DAY_MS, MINUTE_MS } from '../../shared/limits.js';
import type { WorkingHours } from '../../shared/settings.js';
import { TimeZoneRules } from '../../shared/time-zone.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local weekday (0 = Sunday) and minute of the day of `instant` in `timeZone`. */
export function localWeekMinute(instant: number, timeZone: string): { weekday: number; minute: number } {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * True when `instant` falls inside one of the spans (local time in `timeZone`). No spans means
 * always. A span whose end is before its start runs past midnight (22:00–06:00 on Friday covers
 * Friday night into Saturday morning); `start === end` means the whole day.
 */
export function isWithinWorkingHours(
  spans: readonly WorkingHours[] | undefined,
  instant: number,
  timeZone: string,
): boolean {
  if (!spans || spans.length === 0) return true;
  const { weekday, minute } = localWeekMinute(instant, timeZone);
  const yesterday = (weekday + 6) % 7;
  return spans.some((span) => {
    const days: readonly number[] = span.days;
    const start = toMinute(span.start);
    const end = toMinute(span.end);
    if (start === end) return days.includes(weekday);
    if (start < end) return days.includes(weekday) && minute >= start && minute < end;
    // Overnight: the evening part belongs to the listed day, the early-morning part to the day after it.
    return (days.includes(weekday) && minute >= start) || (days.includes(yesterday) && minute < end);
  });
}

/**
 * The first instant at or after `instant` inside one of the spans (local time in `timeZone`):
 * `instant` itself when it is inside, else the nearest start of a span (a span's start is inside it;
 * a start skipped by DST counts from the end of the gap). No spans means always.
 */
export function nextWithinWorkingHours(
  spans: readonly WorkingHours[] | undefined,
  instant: number,
  timeZone: string,
): number {
  if (!spans || spans.length === 0 || isWithinWorkingHours(spans, instant, timeZone)) return instant;
  const rules = new TimeZoneRules(timeZone);
  const today = Math.floor(rules.localAt(instant) / DAY_MS) * DAY_MS;
  let best = Infinity;
  // A week and a day ahead covers every weekday once, whatever today is.
  for (let day = 0; day <= 8; day++) {
    const localDay = today + day * DAY_MS;
    const weekday = new Date(localDay).getUTCDay();
    for (const span of spans) {
      const days: readonly number[] = span.days;
      if (!days.includes(weekday)) continue;
      // A span whose start equals its end covers its whole day: it opens at that day's midnight.
      const opensAt = span.start === span.end ? 0 : toMinute(span.start);
      const start = rules.instantOf(localDay + opensAt * MINUTE_MS);
      if (start > instant && start < best && isWithinWorkingHours(spans, start, timeZone)) best = start;
    }
    if (best !== Infinity) return best;
  }
  return instant; // unreachable with valid spans: every listed weekday comes within a week
}

/**
 * When a reminder that is quiet at `at` (outside all its working-hours spans) may speak again: the
 * earliest span opening after `at`, in `timeZone` (see {@link nextWithinWorkingHours}). Null when it may
 * speak at `at` (or has no spans).
 */
export function quietUntil(
  spans: readonly WorkingHours[] | undefined,
  at: number,
  timeZone: string,
): number | null {
  const next = nextWithinWorkingHours(spans, at, timeZone);
  return next === at ? null : next;
}
