/**
 * Schedules → occurrences. `validateSchedule` checks plain data from any boundary;
 * `compileSchedule` turns a valid schedule into something that answers "when next?" and
 * "how many in between?".
 *
 * Occurrences:
 * - `once`: the instant `at`, nothing after it.
 * - `every`: `anchor + n·intervalMs` for n ≥ 1. The anchor itself is not an occurrence: a reminder
 *   "every 60m" added at 10:00 (its anchor) first fires at 11:00. Closed form, O(1), no drift.
 * - `daily` and `cron`: local wall-clock times in the schedule's IANA zone (`timeZone`, else
 *   `defaultTimeZone`, else the system's zone). `daily` is a time of day on a set of weekdays, in
 *   closed form; `cron` is matched by cron-pattern.ts (croner's syntax and rules).
 *
 * DST policy, for `daily` and `cron` alike:
 * - A local time that does not exist (spring forward) fires at the instant the gap ends:
 *   daily 02:30 on 2026-03-29 in Europe/Berlin fires at 03:00 CEST (01:00Z). Several skipped
 *   times (`*\/15 2 * * *`) coalesce into that one firing.
 * - A local time that occurs twice (fall back) fires once, at its first occurrence: daily 02:30 on
 *   2026-10-25 in Europe/Berlin fires at 02:30 CEST (00:30Z), not again at 02:30 CET. For a cron
 *   that fires every few minutes, the repeated hour is therefore silent the second time round.
 *
 * Why the matchers work on local times: croner 11 applies this very policy only to "fixed-time"
 * patterns (a single second, minute and hour, like `0 30 2 * * *`). Any other pattern (lists,
 * ranges, steps: `30 2,14 * * *`, `*\/15 2 * * *`) is an "interval" job to croner: it skips
 * times in the gap and fires on both passes of a repeated hour. Croner also drops a gap time
 * whose gap end falls on the next day. So patterns are matched on a clock without DST (local
 * wall-clock times), and `TimeZoneRules.instantOf` maps each matching local time to its instant by
 * the policy above: one rule for every pattern, and each matcher is zone-free.
 *
 * Cost: a compiled calendar schedule is a small object pointing at a matcher and a zone's rules, both
 * shared (by expression, by zone): ~100 bytes a schedule, whatever the kind. No croner `Cron` (~80 KB)
 * is built per schedule (see cron-pattern.ts). `nextAfter` for calendar kinds is one matcher step
 * plus a few `Intl` offset reads (~20 µs); `countBetween` walks occurrence by occurrence, so it is
 * O(min(count, cap)).
 */
import { ValidationError, describeValue } from '../../shared/errors.js';
import {
  CRON_EXPRESSION_MAX_LENGTH,
  INSTANT_MAX_MS,
  INSTANT_MIN_MS,
  INTERVAL_MAX_MS,
  INTERVAL_MIN_MS,
} from '../../shared/limits.js';
import type { Schedule, Weekday } from '../../shared/schedule.js';
import { formatDuration, isClockTime } from '../../shared/schedule-text.js';
import { TimeZoneRules, checkTimeZone, systemTimeZone } from '../../shared/time-zone.js';
import { cronMatcher, dailyMatcher, type LocalMatcher } from './cron-pattern.js';

/** A schedule ready to answer queries; built once per task by {@link compileSchedule}. */
export interface CompiledSchedule {
  /** The first occurrence strictly after `instantMs`; null when there is none (a past `once`). */
  nextAfter(instantMs: number): number | null;
  /** Occurrences in (afterMs, uptoMs] — counted, capped at cap (default {@link DEFAULT_COUNT_CAP}). */
  countBetween(afterMs: number, uptoMs: number, cap?: number): number;
  /** False for `once`: it never comes back. */
  readonly recurring: boolean;
}

/** What {@link compileSchedule} needs besides the schedule. */
export interface CompileOptions {
  /** Where an `every` schedule without its own anchor counts from (usually when the task was added). */
  anchor: number;
  /** Zone for calendar schedules that name none; default: the system's. */
  defaultTimeZone?: string;
}

/** countBetween's default cap: enough to say "many", small enough to stay fast for calendar kinds. */
export const DEFAULT_COUNT_CAP = 10_000;

/** Longest cron expression accepted, as in the settings schema. */
const EXPRESSION_MAX_LENGTH = CRON_EXPRESSION_MAX_LENGTH;

const INSTANT_RANGE = `an instant in ms since the epoch, from ${INSTANT_MIN_MS} (1970-01-01) to ${INSTANT_MAX_MS} (2200-01-01)`;

function checkInstant(field: string, value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < INSTANT_MIN_MS ||
    value > INSTANT_MAX_MS
  ) {
    throw new ValidationError(field, `must be ${INSTANT_RANGE} (got ${describeValue(value)})`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Refuses a `once` whose instant is not ahead of `now`, for a reminder being added (or given a new
 * time): accepted, it would fire at once, as a catch-up of something that never was. A one-shot that
 * is already in the settings keeps its past time (it fired, or fires once late after a restart).
 * @throws ValidationError naming `field` (`params.reminder.schedule.at`)
 */
export function checkOnceAhead(schedule: Schedule, now: number, field: string): void {
  if (schedule.kind !== 'once' || schedule.at > now) return;
  throw new ValidationError(
    field,
    `${new Date(schedule.at).toISOString()} is in the past (now ${new Date(now).toISOString()}); a one-shot reminder needs a time still ahead`,
  );
}

/**
 * Checks a schedule from outside (settings file, contract, CLI): structure and ranges. Returns a
 * fresh copy holding only the known fields. Non-finite numbers, unknown kinds, unknown zones, bad
 * times and cron expressions that croner rejects or that never match a date are all refused.
 * @param field the path errors are named under (`schedule`, `reminders[2].schedule`)
 * @throws ValidationError naming the offending field (`schedule.intervalMs`) and what is allowed
 */
export function validateSchedule(schedule: unknown, field = 'schedule'): Schedule {
  if (!isRecord(schedule)) {
    throw new ValidationError(
      field,
      `must be an object with a kind: once, every, daily or cron (got ${describeValue(schedule)})`,
    );
  }
  const optionalZone = (): { timeZone?: string } =>
    schedule.timeZone === undefined
      ? {}
      : { timeZone: checkTimeZone(`${field}.timeZone`, schedule.timeZone) };

  switch (schedule.kind) {
    case 'once':
      return { kind: 'once', at: checkInstant(`${field}.at`, schedule.at) };

    case 'every': {
      const { intervalMs, anchor } = schedule;
      if (
        typeof intervalMs !== 'number' ||
        !Number.isFinite(intervalMs) ||
        intervalMs < INTERVAL_MIN_MS ||
        intervalMs > INTERVAL_MAX_MS
      ) {
        throw new ValidationError(
          `${field}.intervalMs`,
          `must be from ${INTERVAL_MIN_MS} ms (${formatDuration(INTERVAL_MIN_MS)}) to ${INTERVAL_MAX_MS} ms (${formatDuration(INTERVAL_MAX_MS)}) (got ${describeValue(intervalMs)})`,
        );
      }
      return anchor === undefined
        ? { kind: 'every', intervalMs }
        : { kind: 'every', intervalMs, anchor: checkInstant(`${field}.anchor`, anchor) };
    }

    case 'daily': {
      const { time, weekdays } = schedule;
      if (typeof time !== 'string' || !isClockTime(time)) {
        throw new ValidationError(
          `${field}.time`,
          `must be a time HH:MM from 00:00 to 23:59 (got ${describeValue(time)})`,
        );
      }
      if (weekdays === undefined) return { kind: 'daily', time, ...optionalZone() };
      if (!Array.isArray(weekdays) || weekdays.length === 0) {
        throw new ValidationError(
          `${field}.weekdays`,
          `must list at least one weekday, 0 (Sunday) to 6 (Saturday) (got ${describeValue(weekdays)})`,
        );
      }
      const seen = new Set<Weekday>();
      weekdays.forEach((day: unknown, index) => {
        if (typeof day !== 'number' || !Number.isInteger(day) || day < 0 || day > 6) {
          throw new ValidationError(
            `${field}.weekdays[${index}]`,
            `must be a weekday from 0 (Sunday) to 6 (Saturday) (got ${describeValue(day)})`,
          );
        }
        if (seen.has(day as Weekday)) {
          throw new ValidationError(
            `${field}.weekdays[${index}]`,
            `repeats weekday ${day}; list each day once`,
          );
        }
        seen.add(day as Weekday);
      });
      return { kind: 'daily', time, weekdays: [...seen], ...optionalZone() };
    }

    case 'cron': {
      const { expression } = schedule;
      const expressionField = `${field}.expression`;
      if (
        typeof expression !== 'string' ||
        expression.trim() === '' ||
        expression.length > EXPRESSION_MAX_LENGTH
      ) {
        throw new ValidationError(
          expressionField,
          `must be a cron expression of 5 or 6 fields, at most ${EXPRESSION_MAX_LENGTH} characters (got ${describeValue(expression)})`,
        );
      }
      // croner reads a string with ":" as a one-off ISO date, not a pattern.
      let matcher: LocalMatcher | undefined;
      try {
        if (!expression.includes(':')) matcher = cronMatcher(expression.trim());
      } catch (error) {
        const detail = error instanceof Error ? `: ${error.message.replace(/^CronPattern: /, '')}` : '';
        throw new ValidationError(
          expressionField,
          `${describeValue(expression)} is not a valid cron expression ([second] minute hour day month weekday)${detail}`,
        );
      }
      if (matcher === undefined) {
        throw new ValidationError(
          expressionField,
          `${describeValue(expression)} is not a cron expression ([second] minute hour day month weekday)`,
        );
      }
      // Every matchable date repeats within 28 years, so no match by then means never (e.g. 30 February).
      const firstMatch = matcher.nextLocalAfter(INSTANT_MIN_MS);
      if (firstMatch === null) {
        throw new ValidationError(expressionField, `${describeValue(expression)} never matches a date`);
      }
      return { kind: 'cron', expression: expression.trim(), ...optionalZone() };
    }

    default:
      throw new ValidationError(
        `${field}.kind`,
        `must be one of once, every, daily, cron (got ${describeValue(schedule.kind)})`,
      );
  }
}

/**
 * {@link validateSchedule}, returning `schedule` itself when it already is exactly what the check
 * returns (the same fields, in the same order, with the same values): a scheduler of 10,000 tasks
 * then shares its callers' schedule objects (already parsed settings) instead of holding a copy of
 * each. The caller must not mutate it afterwards (settings never are: every change is a new object).
 */
export function validateScheduleShared(schedule: unknown, field = 'schedule'): Schedule {
  const valid = validateSchedule(schedule, field);
  return sameFields(valid, schedule as Record<string, unknown>) ? (schedule as Schedule) : valid;
}

function sameFields(valid: Schedule, given: Record<string, unknown>): boolean {
  const validKeys = Object.keys(valid);
  const givenKeys = Object.keys(given);
  if (validKeys.length !== givenKeys.length) return false;
  return validKeys.every((key, index) => {
    if (givenKeys[index] !== key) return false;
    const mine = (valid as unknown as Record<string, unknown>)[key];
    const theirs = given[key];
    if (!Array.isArray(mine)) return Object.is(mine, theirs);
    return (
      Array.isArray(theirs) &&
      Object.getPrototypeOf(theirs) === Array.prototype &&
      theirs.length === mine.length &&
      Object.keys(theirs).length === mine.length &&
      mine.every((value, i) => Object.is(value, theirs[i]))
    );
  });
}

/**
 * Compiles a valid schedule (see {@link validateSchedule}) into its occurrence queries.
 * @param options.anchor where an `every` without its own anchor counts from
 * @param options.defaultTimeZone zone for calendar schedules that name none (default: the system's)
 */
export function compileSchedule(schedule: Schedule, options: CompileOptions): CompiledSchedule {
  switch (schedule.kind) {
    case 'once':
      return compileOnce(schedule.at);
    case 'every':
      return compileEvery(schedule.anchor ?? options.anchor, schedule.intervalMs);
    case 'daily':
    case 'cron': {
      const timeZone = schedule.timeZone ?? options.defaultTimeZone ?? systemTimeZone();
      const matcher =
        schedule.kind === 'daily'
          ? dailyMatcher(schedule.time, schedule.weekdays)
          : cronMatcher(schedule.expression);
      return new CalendarSchedule(matcher, rulesOf(timeZone));
    }
  }
}

// One-shot and interval schedules are plain classes, not closures: a scheduler may hold 100,000 of
// them, and a class instance is a couple of fields where two closures and their context cost far more.

class OnceSchedule implements CompiledSchedule {
  readonly recurring = false;
  constructor(private readonly at: number) {}

  nextAfter(instantMs: number): number | null {
    return this.at > instantMs ? this.at : null;
  }

  countBetween(afterMs: number, uptoMs: number, cap = DEFAULT_COUNT_CAP): number {
    return afterMs < this.at && this.at <= uptoMs ? Math.min(1, cap) : 0;
  }
}

class EverySchedule implements CompiledSchedule {
  readonly recurring = true;
  constructor(
    private readonly anchor: number,
    private readonly intervalMs: number,
  ) {}

  /** How many occurrences (n ≥ 1) are at or before `instantMs`. */
  #countUpTo(instantMs: number): number {
    const { anchor, intervalMs } = this;
    if (instantMs < anchor + intervalMs) return 0;
    let count = Math.floor((instantMs - anchor) / intervalMs);
    // Guard the float division at exact multiples, in both directions.
    if (anchor + count * intervalMs > instantMs) count--;
    else if (anchor + (count + 1) * intervalMs <= instantMs) count++;
    return count;
  }

  nextAfter(instantMs: number): number {
    return this.anchor + (this.#countUpTo(instantMs) + 1) * this.intervalMs;
  }

  countBetween(afterMs: number, uptoMs: number, cap = DEFAULT_COUNT_CAP): number {
    return uptoMs <= afterMs ? 0 : Math.min(cap, this.#countUpTo(uptoMs) - this.#countUpTo(afterMs));
  }
}

function compileOnce(at: number): CompiledSchedule {
  return new OnceSchedule(at);
}

function compileEvery(anchor: number, intervalMs: number): CompiledSchedule {
  return new EverySchedule(anchor, intervalMs);
}

/** One TimeZoneRules per zone (it holds an `Intl` formatter): every schedule in a zone shares it. */
const rulesByZone = new Map<string, TimeZoneRules>();

function rulesOf(timeZone: string): TimeZoneRules {
  let rules = rulesByZone.get(timeZone);
  if (rules === undefined) {
    rules = new TimeZoneRules(timeZone);
    rulesByZone.set(timeZone, rules);
  }
  return rules;
}

/** `daily` and `cron`: local times from a shared matcher, mapped to instants by the zone's DST policy. */
class CalendarSchedule implements CompiledSchedule {
  readonly recurring = true;
  constructor(
    private readonly matcher: LocalMatcher,
    private readonly rules: TimeZoneRules,
  ) {}

  nextAfter(instantMs: number): number | null {
    const { matcher, rules } = this;
    let cursor = rules.localAt(instantMs);
    for (;;) {
      const local = matcher.nextLocalAfter(cursor);
      if (local === null) return null;
      const at = rules.instantOf(local);
      if (at > instantMs) return at;
      // Only on the second pass of a repeated hour: this local time already fired on the first
      // pass. Skip every local time whose first occurrence is past (offset = local - at).
      cursor = Math.max(local, instantMs + (local - at));
    }
  }

  countBetween(afterMs: number, uptoMs: number, cap = DEFAULT_COUNT_CAP): number {
    let count = 0;
    for (
      let at = this.nextAfter(afterMs);
      at !== null && at <= uptoMs && count < cap;
      at = this.nextAfter(at)
    )
      count++;
    return count;
  }
}
