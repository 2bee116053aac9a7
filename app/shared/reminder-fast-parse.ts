/**
 * A precompiled check for the common shape of a reminder, giving exactly what `reminderSchema.parse`
 * gives (same fields, same order, same defaults) or `undefined` when in any doubt — then the caller
 * parses with zod, which also words the error. Why: zod parses an object in ~4 µs and leaves a few
 * hundred bytes of garbage behind; 10,000 reminders at every load and save made that 40 ms and a
 * young generation that grows by 16 MB (see bench/suites/reminder-kinds.ts). This check does no
 * more than build the result.
 *
 * It mirrors app/shared/settings.ts field by field; settings-fast-parse.test.ts holds the two equal on
 * generated documents, valid and not. Anything rare (unknown fields, working hours, an `undefined`
 * value) is left to zod.
 */
import {
  BREAK_MINUTES_MAX,
  BREAK_MINUTES_MIN,
  INSTANT_MAX_MS,
  INSTANT_MIN_MS,
  INTERVAL_MAX_MS,
  INTERVAL_MIN_MS,
  PRIORITY_MAX,
  PRIORITY_MIN,
} from './limits.js';
import { hasControlCharacter } from './terminal-text.js';

/** As settings.ts: `reminderIdField`, `hhmmField`. */
const REMINDER_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The keys `reminderSchema` knows (working hours are left to zod). */
const KNOWN_KEYS = new Set([
  'id',
  'name',
  'message',
  'schedule',
  'priority',
  'enabled',
  'snoozeMinutes',
  'sound',
  'break',
  'breakMinutes',
]);

type Plain = Record<string, unknown>;
/** The parsed shape; typed loosely here, the caller casts it to `Reminder`. */
type Parsed = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && value >= min && value <= max;

const isTimeZone = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 64;

function isText(value: unknown, max: number, allowNewlines: boolean): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= max &&
    !hasControlCharacter(value, { allowNewlines })
  );
}

/** `scheduleSchema` (a strict object per kind: unknown fields are dropped, as zod drops them). */
function schedule(value: unknown): Parsed | undefined {
  if (!isPlain(value)) return undefined;
  const { timeZone } = value;
  if (timeZone !== undefined && !isTimeZone(timeZone)) return undefined;
  switch (value.kind) {
    case 'once':
      return inRange(value.at, INSTANT_MIN_MS, INSTANT_MAX_MS) ? { kind: 'once', at: value.at } : undefined;
    case 'every': {
      const { intervalMs, anchor } = value;
      if (!inRange(intervalMs, INTERVAL_MIN_MS, INTERVAL_MAX_MS)) return undefined;
      if (anchor === undefined) return 'anchor' in value ? undefined : { kind: 'every', intervalMs };
      return inRange(anchor, INSTANT_MIN_MS, INSTANT_MAX_MS)
        ? { kind: 'every', intervalMs, anchor }
        : undefined;
    }
    case 'daily': {
      const { time, weekdays } = value;
      if (typeof time !== 'string' || !HHMM.test(time)) return undefined;
      const parsed: Parsed = { kind: 'daily', time };
      if (weekdays !== undefined) {
        if (!Array.isArray(weekdays) || weekdays.length < 1 || weekdays.length > 7) return undefined;
        for (const day of weekdays) if (!(Number.isInteger(day) && day >= 0 && day <= 6)) return undefined;
        parsed.weekdays = weekdays.slice();
      } else if ('weekdays' in value) return undefined;
      if (timeZone !== undefined) parsed.timeZone = timeZone;
      else if ('timeZone' in value) return undefined;
      return parsed;
    }
    case 'cron': {
      const { expression } = value;
      if (typeof expression !== 'string' || expression.length < 1 || expression.length > 200)
        return undefined;
      const parsed: Parsed = { kind: 'cron', expression };
      if (timeZone !== undefined) parsed.timeZone = timeZone;
      else if ('timeZone' in value) return undefined;
      return parsed;
    }
    default:
      return undefined;
  }
}

/**
 * `reminderSchema.parse(value)` for the common shape, or `undefined`: then parse with zod (it may
 * still accept the value, or it names the bad field).
 */
export function fastParseReminder(value: unknown): Parsed | undefined {
  if (!isPlain(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  for (const key in value) {
    // Unknown fields (kept in input order by zod) and explicit `undefined`s are zod's business.
    if (!KNOWN_KEYS.has(key) || value[key] === undefined) return undefined;
  }
  const { id, name, message, priority, enabled, snoozeMinutes, sound } = value;
  if (typeof id !== 'string' || !REMINDER_ID.test(id)) return undefined;
  if (name !== undefined && !isText(name, 100, false)) return undefined;
  if (message !== undefined && !isText(message, 500, true)) return undefined;
  const parsedSchedule = schedule(value.schedule);
  if (parsedSchedule === undefined) return undefined;
  if (priority !== undefined && !inRange(priority, PRIORITY_MIN, PRIORITY_MAX)) return undefined;
  if (enabled !== undefined && typeof enabled !== 'boolean') return undefined;
  if (snoozeMinutes !== undefined && !(Number.isInteger(snoozeMinutes) && inRange(snoozeMinutes, 1, 240)))
    return undefined;
  if (sound !== undefined && typeof sound !== 'boolean') return undefined;
  if (value.break !== undefined && typeof value.break !== 'boolean') return undefined;
  const { breakMinutes } = value;
  if (
    breakMinutes !== undefined &&
    !(Number.isInteger(breakMinutes) && inRange(breakMinutes, BREAK_MINUTES_MIN, BREAK_MINUTES_MAX))
  )
    return undefined;
  // The schema's field order: known fields first, in its order, defaults filled in.
  const parsed: Parsed = { id };
  if (name !== undefined) parsed.name = name;
  if (message !== undefined) parsed.message = message;
  parsed.schedule = parsedSchedule;
  parsed.priority = priority ?? 5;
  parsed.enabled = enabled ?? true;
  parsed.snoozeMinutes = snoozeMinutes ?? 5;
  if (sound !== undefined) parsed.sound = sound;
  if (value.break !== undefined) parsed.break = value.break;
  if (breakMinutes !== undefined) parsed.breakMinutes = breakMinutes;
  return parsed;
}
