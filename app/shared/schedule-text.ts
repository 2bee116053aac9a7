import { ValidationError, describeValue } from './errors.js';
import { DAY_MS, HOUR_MS, INTERVAL_MAX_MS, INTERVAL_MIN_MS, MINUTE_MS, SECOND_MS } from './limits.js';
import type { DailySchedule, Schedule, Weekday } from './schedule.js';
import { formatIsoInstant, parseIsoInstant } from './time-format.js';
import { isValidTimeZone } from './time-zone.js';

/**
 * The human syntax for schedules, shared by the CLI (`mytimer next "daily 09:00 mon,wed"`) and the
 * settings UI. Keywords and day names are case-insensitive.
 *
 *   every 45m | every 1h30m | every 90s | every 2d      units d h m s ms, largest first, each once
 *   daily 09:00                                         every day
 *   daily 09:00 mon,wed | daily 9:00 mon-fri,sun        listed days; ranges may wrap (fri-mon)
 *   weekdays 09:00 | weekends 10:00                     Mon–Fri | Sat, Sun
 *   once 2026-12-01T09:00+01:00 | once 2026-12-01T08:00Z
 *   *\/15 9-17 * * 1-5 | 0 30 9 * * mon | @hourly        cron, 5 or 6 fields (croner syntax)
 *
 * daily, weekdays, weekends and cron accept a zone suffix, `daily 09:00 in Europe/Berlin`; without
 * it they follow the user's zone. `once` needs an explicit offset (Z or ±HH:MM): it is an absolute
 * instant, so the text must not mean different moments on different machines. Cron expressions
 * are only checked for shape here (no croner in app/shared); `validateSchedule` in the engine
 * parses them for real. An `every` schedule's anchor is not part of the text.
 */

/** Cron order: index 0 is Sunday, as `Weekday`. */
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Monday first, the order a person lists days in. */
const LISTING_ORDER: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];
const WORKWEEK: readonly Weekday[] = [1, 2, 3, 4, 5];
const WEEKEND: readonly Weekday[] = [0, 6];

const FORMS =
  'use "every 45m", "daily 09:00", "daily 09:00 mon,wed", "weekdays 09:00", "weekends 10:00", ' +
  '"once 2026-12-01T09:00+01:00" or a cron expression such as "*/15 9-17 * * 1-5"';

const DURATION_UNITS = [
  ['d', DAY_MS],
  ['h', HOUR_MS],
  ['m', MINUTE_MS],
  ['s', SECOND_MS],
  ['ms', 1],
] as const;

/** `1d2h`, `1h30m`, `45m`, `1m30s`, `1s500ms`: the largest units first, zero parts left out. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || '0s';
}

const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;
const INTERVAL_RANGE = `interval must be from ${formatDuration(INTERVAL_MIN_MS)} to ${formatDuration(INTERVAL_MAX_MS)}`;

/** True for "HH:MM" from 00:00 to 23:59, the shape `DailySchedule.time` has. */
export function isClockTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}

/**
 * Reads a schedule written in the syntax above.
 * @param field names the value in errors (`schedule`, `reminders[2].schedule`)
 * @throws ValidationError naming `field`, saying what is allowed
 */
export function parseScheduleText(text: string, field = 'schedule'): Schedule {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const fail = (reason: string): never => {
    throw new ValidationError(field, reason);
  };
  const [first, ...rest] = tokens;
  if (first === undefined) return fail(`is empty (${FORMS})`);
  const keyword = first.toLowerCase();

  let timeZone: string | undefined;
  const zoneAt = rest.length - 2;
  if (zoneAt >= 0 && rest[zoneAt]?.toLowerCase() === 'in') {
    timeZone = rest[zoneAt + 1] as string;
    if (keyword === 'every' || keyword === 'once') {
      fail(`a time zone ("in ${timeZone}") applies only to daily, weekdays, weekends and cron schedules`);
    }
    if (!isValidTimeZone(timeZone)) {
      fail(`unknown time zone ${describeValue(timeZone)} (use an IANA name such as Europe/Berlin or UTC)`);
    }
    rest.splice(zoneAt, 2);
  }
  const zoned = <S extends Schedule>(schedule: S): S =>
    timeZone === undefined ? schedule : { ...schedule, timeZone };

  switch (keyword) {
    case 'every':
      return { kind: 'every', intervalMs: parseInterval(text.trim(), rest.join(''), fail) };
    case 'once':
      if (rest.length === 0) return fail(`"once" needs a date-time (e.g. once 2026-12-01T09:00+01:00)`);
      return { kind: 'once', at: parseIsoInstant(rest.join(' '), field) };
    case 'daily':
    case 'weekdays':
    case 'weekends': {
      const [time, ...days] = rest;
      if (time === undefined) return fail(`"${keyword}" needs a time HH:MM (e.g. ${keyword} 09:00)`);
      const daily: DailySchedule = { kind: 'daily', time: parseTime(time, fail) };
      if (keyword !== 'daily') {
        if (days.length > 0) {
          fail(
            `"${keyword}" takes only a time (e.g. ${keyword} 09:00); for other days write daily 09:00 mon,wed`,
          );
        }
        daily.weekdays = [...(keyword === 'weekdays' ? WORKWEEK : WEEKEND)];
      } else if (days.length > 0) {
        daily.weekdays = parseWeekdays(days.join(','), fail);
      }
      return zoned(daily);
    }
    default:
      return zoned({ kind: 'cron', expression: parseCronShape(text.trim(), [first, ...rest], fail) });
  }
}

/** `1h30m` (spaces already removed) → ms, within the interval bounds. */
function parseInterval(whole: string, compact: string, fail: (reason: string) => never): number {
  const match = DURATION_PATTERN.exec(compact.toLowerCase());
  if (!compact || !match) {
    return fail(
      `${describeValue(whole)} — write the interval as whole numbers with units d, h, m, s, largest first (e.g. every 45m, every 1h30m)`,
    );
  }
  let intervalMs = 0;
  DURATION_UNITS.forEach(([, size], index) => (intervalMs += Number(match[index + 1] ?? 0) * size));
  if (intervalMs < INTERVAL_MIN_MS || intervalMs > INTERVAL_MAX_MS) {
    fail(`${describeValue(whole)} — ${INTERVAL_RANGE}`);
  }
  return intervalMs;
}

/** `9:00` / `09:00` → `09:00`. */
function parseTime(text: string, fail: (reason: string) => never): string {
  const padded = /^\d:\d\d$/.test(text) ? `0${text}` : text;
  if (!isClockTime(padded)) fail(`time ${describeValue(text)} must be HH:MM from 00:00 to 23:59`);
  return padded;
}

/** `mon,wed`, `mon-fri`, `fri-mon` (wraps), `Sat,SUN` → sorted unique weekday numbers. */
function parseWeekdays(text: string, fail: (reason: string) => never): Weekday[] {
  const day = (name: string): Weekday => {
    const index = WEEKDAY_NAMES.indexOf(name.toLowerCase() as (typeof WEEKDAY_NAMES)[number]);
    if (index < 0)
      fail(`unknown weekday ${describeValue(name)} (use ${WEEKDAY_NAMES.slice(1).join(',')},sun)`);
    return index as Weekday;
  };
  const days = new Set<Weekday>();
  for (const item of text.split(',').filter(Boolean)) {
    const [from, to, extra] = item.split('-');
    if (extra !== undefined || from === undefined || from === '') {
      fail(`weekday range ${describeValue(item)} must be like mon-fri`);
    }
    if (to === undefined) {
      days.add(day(from as string));
      continue;
    }
    const start = day(from as string);
    const end = day(to);
    for (let current = start; ; current = ((current + 1) % 7) as Weekday) {
      days.add(current);
      if (current === end) break;
    }
  }
  if (days.size === 0) fail(`needs at least one weekday (e.g. daily 09:00 mon,wed)`);
  return [...days].sort((a, b) => a - b);
}

/** A cron expression's shape: 5 or 6 fields of cron characters, or a nickname like @hourly. */
function parseCronShape(whole: string, fields: string[], fail: (reason: string) => never): string {
  const cronField = /^[\w*?,/#-]+$/;
  const isNickname = fields.length === 1 && /^@[a-z]+$/i.test(fields[0] as string);
  const isCron = (fields.length === 5 || fields.length === 6) && fields.every((item) => cronField.test(item));
  if (!isNickname && !isCron) fail(`${describeValue(whole)} is not a schedule (${FORMS})`);
  return fields.join(' ');
}

/** `mon,wed`, `mon-fri`, `mon-wed,sat`: runs of three or more days become ranges, Monday first. */
function formatWeekdays(weekdays: readonly Weekday[]): string {
  // Positions in the Monday-first week: consecutive positions are consecutive days.
  const positions = LISTING_ORDER.flatMap((day, position) => (weekdays.includes(day) ? [position] : []));
  const name = (position: number) => WEEKDAY_NAMES[LISTING_ORDER[position] as Weekday];
  const parts: string[] = [];
  for (let start = 0; start < positions.length;) {
    let end = start;
    while (positions[end + 1] === (positions[end] as number) + 1) end++;
    const first = positions[start] as number;
    const last = positions[end] as number;
    if (last - first >= 2) parts.push(`${name(first)}-${name(last)}`);
    else for (let position = first; position <= last; position++) parts.push(name(position));
    start = end + 1;
  }
  return parts.join(',');
}

const sameDays = (a: readonly Weekday[], b: readonly Weekday[]): boolean =>
  a.length === b.length && b.every((day) => a.includes(day));

/**
 * A schedule in the text syntax, for listings; `parseScheduleText` reads it back to the same
 * schedule (an `every` anchor is left out). `once` is written as local time in `options.timeZone`
 * with that zone's offset (default: UTC, `+00:00`). Expects a valid schedule.
 */
export function formatSchedule(schedule: Schedule, options: { timeZone?: string } = {}): string {
  switch (schedule.kind) {
    case 'once':
      return `once ${formatIsoInstant(schedule.at, options.timeZone ?? 'UTC')}`;
    case 'every':
      return `every ${formatDuration(schedule.intervalMs)}`;
    case 'daily': {
      const days = schedule.weekdays ?? [];
      let text: string;
      if (days.length === 0 || sameDays(days, LISTING_ORDER)) text = `daily ${schedule.time}`;
      else if (sameDays(days, WORKWEEK)) text = `weekdays ${schedule.time}`;
      else if (sameDays(days, WEEKEND)) text = `weekends ${schedule.time}`;
      else text = `daily ${schedule.time} ${formatWeekdays(days)}`;
      return schedule.timeZone === undefined ? text : `${text} in ${schedule.timeZone}`;
    }
    case 'cron':
      return schedule.timeZone === undefined
        ? schedule.expression
        : `${schedule.expression} in ${schedule.timeZone}`;
  }
}
