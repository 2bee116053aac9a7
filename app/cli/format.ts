import { ValidationError, describeValue } from '../shared/errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../shared/limits.js';
import type { Weekday } from '../shared/schedule.js';
import type { WorkingHours } from '../shared/settings.js';
import { escapeControl } from '../shared/terminal-text.js';
import { formatClock } from '../shared/time-format.js';
import { checkTimeZone, systemTimeZone, TimeZoneRules } from '../shared/time-zone.js';

/**
 * Reading what people type (durations, clock times, working hours) and writing what they read
 * (clock times, countdowns, tables) for the CLI. Everything that depends on "now" or the zone takes
 * them as arguments, so output is the same on every machine in tests.
 */

const DURATION_UNITS = [
  ['d', DAY_MS],
  ['h', HOUR_MS],
  ['m', MINUTE_MS],
  ['s', SECOND_MS],
] as const;

/** The same unit order as schedule-text's `every` intervals, without ms: nobody pauses for 500 ms. */
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * `30m`, `1h`, `90s`, `1h30m`, `2d`, `1h 30m` → ms. Whole numbers with units d, h, m, s, largest
 * first; a bare number is refused because "30" could mean seconds or minutes.
 * @throws ValidationError naming `field`
 */
export function parseDuration(text: string, field: string): number {
  const compact = text.replace(/\s+/g, '').toLowerCase();
  const match = DURATION_PATTERN.exec(compact);
  if (!compact || !match) {
    throw new ValidationError(
      field,
      `${describeValue(text)} is not a duration (write whole numbers with units d, h, m, s, e.g. 30m, 1h, 90s, 1h30m)`,
    );
  }
  let ms = 0;
  DURATION_UNITS.forEach(([, size], index) => (ms += Number(match[index + 1] ?? 0) * size));
  return ms;
}

/** `parseDuration`, then a range check whose message states the range in the same units. */
export function parseDurationInRange(text: string, field: string, minMs: number, maxMs: number): number {
  const ms = parseDuration(text, field);
  if (ms < minMs || ms > maxMs) {
    throw new ValidationError(
      field,
      `must be from ${formatSpan(minMs, 4)} to ${formatSpan(maxMs, 4)} (got ${describeValue(text)})`,
    );
  }
  return ms;
}

/** `9:00` / `09:00` → `{ hour: 9, minute: 0 }`, or a ValidationError naming `field`. */
export function parseClockTime(text: string, field: string): { hour: number; minute: number } {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match)
    throw new ValidationError(field, `${describeValue(text)} must be a time HH:MM from 00:00 to 23:59`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * The next time the local clock in `zone` shows `text` (HH:MM) strictly after `nowMs`: today if that
 * is still ahead, else tomorrow. In the hour repeated when the clock goes back, that includes the
 * second pass (02:40 at 02:10 CET on the night of the change is 30 minutes away, not a day). A time
 * skipped by DST maps to the end of the gap (time-zone.ts).
 */
export function nextClockTime(text: string, field: string, nowMs: number, zone: string): number {
  const { hour, minute } = parseClockTime(text, field);
  const rules = new TimeZoneRules(zone);
  const today = Math.floor(rules.localAt(nowMs) / DAY_MS) * DAY_MS;
  for (const day of [today, today + DAY_MS, today + 2 * DAY_MS]) {
    const local = day + hour * HOUR_MS + minute * MINUTE_MS;
    // Both passes of a time the clock shows twice (fall back); the end of the gap for a skipped one.
    const passes = rules.instantsOf(local);
    for (const at of passes.length > 0 ? passes : [rules.instantOf(local)]) if (at > nowMs) return at;
  }
  // Unreachable: a local time two days ahead is always in the future.
  throw new ValidationError(field, `${describeValue(text)} could not be placed after now`);
}

/** The zone to show local times in: `TZ` from the CLI's environment when valid, else the system's. */
export function localZone(env: NodeJS.ProcessEnv): string {
  const tz = env.TZ;
  if (tz) {
    try {
      return checkTimeZone('TZ', tz);
    } catch {
      // An odd TZ (POSIX rule strings like "EST5EDT,M3.2.0") is not an IANA name; fall back quietly.
    }
  }
  return systemTimeZone();
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/**
 * A local time for listings, as short as stays unambiguous: `09:45` today, `Tue 09:45` within the
 * next six days, `2026-02-14 09:45` beyond (or in the past, on another day).
 */
export function formatWhen(atMs: number, nowMs: number, zone: string): string {
  const rules = new TimeZoneRules(zone);
  const local = rules.localAt(atMs);
  const days = Math.floor(local / DAY_MS) - Math.floor(rules.localAt(nowMs) / DAY_MS);
  const date = new Date(local);
  const clock = formatClock(atMs, rules);
  if (days === 0) return clock;
  if (days > 0 && days < 7) return `${WEEKDAY_SHORT[date.getUTCDay()]} ${clock}`;
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${clock}`;
}

/**
 * A span for people, the largest `parts` units: `12m 30s`, `2h 5m`, `3d 4h`, `45s`. Rounded down to
 * the second; under a second reads `0s`.
 */
export function formatSpan(ms: number, parts = 2): string {
  let rest = Math.max(0, Math.floor(ms / SECOND_MS)) * SECOND_MS;
  const out: string[] = [];
  for (const [unit, size] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || out.length > 0) out.push(`${count}${unit}`);
    if (out.length === parts) break;
  }
  // Drop trailing zero parts: `2h 0m` says no more than `2h`.
  while (out.length > 1 && /^0\D/.test(out[out.length - 1] as string)) out.pop();
  return out.join(' ') || '0s';
}

/** `in 12m 30s`, or `5m ago` for an instant already past. */
export function formatRelative(atMs: number, nowMs: number): string {
  return atMs >= nowMs ? `in ${formatSpan(atMs - nowMs)}` : `${formatSpan(nowMs - atMs)} ago`;
}

/** `HH:MM (in 12m 30s)`-style: a local time with how far away it is. */
export function formatDue(atMs: number, nowMs: number, zone: string): string {
  return `${formatWhen(atMs, nowMs, zone)} (${formatRelative(atMs, nowMs)})`;
}

/** East Asian wide characters (CJK, Hangul, full-width forms) take two terminal columns. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** How many terminal columns `text` takes: wide characters count two (so Chinese headers align). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/**
 * Rows as aligned columns, two spaces apart, no trailing spaces. The last column is not padded, so
 * put free text (names, which may be wide CJK) there. Control characters in cells show as escapes.
 */
export function formatTable(table: readonly (readonly string[])[]): string {
  const rows = table.map((row) => row.map((cell) => escapeControl(cell)));
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, displayWidth(cell))));
  return rows
    .map((row) => {
      const cells = row.map((cell, index) =>
        index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - displayWidth(cell)),
      );
      return `${cells.join('  ').trimEnd()}\n`;
    })
    .join('');
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_WORDS: Record<string, Weekday[]> = {
  daily: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
};
const HOURS_HELP =
  'write days and a span, e.g. "mon-fri 09:00-18:00", "mon,wed,fri 10:00-12:00", "daily 22:00-06:00"';

/** `mon-fri` / `mon,wed,fri` / `fri-mon` (wraps) / `weekdays` → sorted weekday numbers (0 = Sunday). */
function parseDays(text: string, field: string): Weekday[] {
  const named = DAY_WORDS[text.toLowerCase()];
  if (named) return [...named];
  const dayOf = (name: string): Weekday => {
    const index = DAY_NAMES.indexOf(name.toLowerCase() as (typeof DAY_NAMES)[number]);
    if (index < 0) {
      throw new ValidationError(
        field,
        `unknown day ${describeValue(name)} (use mon,tue,wed,thu,fri,sat,sun)`,
      );
    }
    return index as Weekday;
  };
  const days = new Set<Weekday>();
  for (const item of text.split(',')) {
    const [from, to, extra] = item.split('-');
    if (!from || extra !== undefined || to === '') {
      throw new ValidationError(field, `${describeValue(item)} is not a day or a range like mon-fri`);
    }
    const start = dayOf(from);
    const end = to === undefined ? start : dayOf(to);
    for (let day = start; ; day = ((day + 1) % 7) as Weekday) {
      days.add(day);
      if (day === end) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * `--hours` text → a working-hours span: `<days> HH:MM-HH:MM`, days as `mon-fri`, `mon,wed,fri`,
 * `weekdays`, `weekends` or `daily`. An end before the start runs past midnight; an end equal to the
 * start is refused (an empty span, not a whole day, is what `09:00-09:00` reads as).
 * @throws ValidationError naming `field`
 */
export function parseWorkingHours(text: string, field: string): WorkingHours {
  const parts = text.trim().split(/\s+/);
  const [daysText, spanText] = parts;
  if (parts.length !== 2 || daysText === undefined || spanText === undefined) {
    throw new ValidationError(field, `${describeValue(text)} — ${HOURS_HELP}`);
  }
  const times = spanText.split('-');
  const [startText, endText] = times;
  if (times.length !== 2 || startText === undefined || endText === undefined) {
    throw new ValidationError(field, `${describeValue(spanText)} is not a span HH:MM-HH:MM — ${HOURS_HELP}`);
  }
  const clock = (value: string) => {
    const { hour, minute } = parseClockTime(value, field);
    return `${pad(hour)}:${pad(minute)}`;
  };
  const start = clock(startText);
  const end = clock(endText);
  if (start === end) {
    throw new ValidationError(
      field,
      `${describeValue(`${start}-${end}`)} is an empty span (its start is its end); to speak at any hour, leave out --hours`,
    );
  }
  return { days: parseDays(daysText, field), start, end };
}

/** A working-hours span back in `--hours` syntax: `mon-fri 09:00-18:00`. */
export function formatWorkingHours(span: WorkingHours): string {
  const sorted = [...span.days].sort((a, b) => a - b);
  const key = sorted.join(',');
  const word = Object.entries(DAY_WORDS).find(([, days]) => days.join(',') === key)?.[0];
  let days = word;
  if (days === undefined) {
    // Monday first, runs of three or more as ranges, like schedule-text's weekday lists.
    const order = ([1, 2, 3, 4, 5, 6, 0] as const).filter((day) => sorted.includes(day));
    const parts: string[] = [];
    for (let start = 0; start < order.length;) {
      let end = start;
      const position = (index: number) => ((order[index] as number) + 6) % 7;
      while (end + 1 < order.length && position(end + 1) === position(end) + 1) end++;
      const first = DAY_NAMES[order[start] as number] as string;
      const last = DAY_NAMES[order[end] as number] as string;
      if (end - start >= 2) parts.push(`${first}-${last}`);
      else
        for (let index = start; index <= end; index++)
          parts.push(DAY_NAMES[order[index] as number] as string);
      start = end + 1;
    }
    days = parts.join(',');
  }
  return `${days} ${span.start}-${span.end}`;
}
