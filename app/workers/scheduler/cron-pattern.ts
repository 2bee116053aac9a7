/**
 * Wall-clock matchers for calendar schedules: "the first local time strictly after this one that the
 * schedule names". A local time is a wall-clock date and time encoded as if it were UTC (see
 * app/shared/time-zone.ts); the zone and its DST policy are applied by the caller.
 *
 * Why not one croner `Cron` per schedule: each holds a 10,000-entry year table (~80 KB) and takes
 * ~0.1 ms to build, so 10,000 cron reminders cost 0.8 GB and seconds of start. Instead:
 * - `daily` is closed form ({@link DailyMatcher}): a time of day on a set of weekdays.
 * - `cron` in the plain syntax (numbers, `*`, ranges, steps, lists, month and day names, the
 *   `@daily`-style nicknames) is parsed here into bit masks ({@link CronMatcher}, ~100 bytes).
 * - Anything else croner accepts (`L`, `W`, `#`, `?`, `+`) is matched by croner itself
 *   ({@link CronerMatcher}), from a small cache of `Cron` objects shared by expression.
 * Matchers are shared by expression ({@link cronMatcher}), so identical schedules cost one.
 * Both paths follow croner's rules exactly (cron-pattern.test.ts checks them against croner): 5 or
 * 6 fields, and a day matches day-of-month OR day-of-week unless one of them is `*`.
 */
import { Cron } from 'croner';
import { DAY_MS, SECOND_MS } from '../../shared/limits.js';

/** Answers "the next local time this schedule names". */
export interface LocalMatcher {
  /** The first matching local time strictly after `localMs` (whole seconds), or null if none (within croner's range). */
  nextLocalAfter(localMs: number): number | null;
}

/** 5 fields (minute precision) or 6 (with seconds); croner's 7th (year) field is not offered. */
const CRON_MODE = '5-or-6-parts';

/** How many croner-matched expressions stay built; each `Cron` holds ~80 KB. */
const CRONER_CACHE_SIZE = 32;
/** How many matchers are remembered by expression so that equal schedules share one. */
const MATCHER_CACHE_SIZE = 4_096;
/** Like croner: a pattern that matches nothing within 400 years of the start matches nothing. */
const SEARCH_YEARS = 400;

/** Weekday of a local time, 0 = Sunday (1970-01-01 was a Thursday). */
function weekdayOf(localMs: number): number {
  return (((Math.floor(localMs / DAY_MS) + 4) % 7) + 7) % 7;
}

/** `daily HH:MM [weekdays]` in closed form: at most 8 steps a query, no allocation. */
export class DailyMatcher implements LocalMatcher {
  /**
   * @param timeOfDayMs the local time of day, ms after midnight
   * @param weekdayMask bit d set for weekday d (0 = Sunday); 0x7f for every day
   */
  constructor(
    readonly timeOfDayMs: number,
    readonly weekdayMask: number,
  ) {}

  nextLocalAfter(localMs: number): number {
    let candidate = Math.floor(localMs / DAY_MS) * DAY_MS + this.timeOfDayMs;
    if (candidate <= localMs) candidate += DAY_MS;
    for (let day = 0; day < 7 && (this.weekdayMask & (1 << weekdayOf(candidate))) === 0; day++)
      candidate += DAY_MS;
    return candidate;
  }
}

/** `daily` at `time` (HH:MM) on `weekdays` (0 = Sunday; absent or empty: every day). */
export function dailyMatcher(time: string, weekdays: readonly number[] | undefined): DailyMatcher {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const mask = weekdays && weekdays.length > 0 ? weekdays.reduce((bits, day) => bits | (1 << day), 0) : 0x7f;
  // Shared by value (1,440 times × 127 day sets at most): 10,000 daily reminders mostly repeat a few.
  const key = (hour * 60 + minute) * 128 + mask;
  let matcher = dailyMatchers.get(key);
  if (matcher === undefined) {
    if (dailyMatchers.size >= SHARED_DAILY_MAX) dailyMatchers.clear();
    matcher = new DailyMatcher((hour * 60 + minute) * 60 * SECOND_MS, mask);
    dailyMatchers.set(key, matcher);
  }
  return matcher;
}

const dailyMatchers = new Map<number, DailyMatcher>();
const SHARED_DAILY_MAX = 4_096;

// ─── plain cron syntax, parsed into bit masks ────────────────────────────────

/** A field: which values are allowed, as two 30-bit masks (values 0–29 and 30–59). */
interface FieldMask {
  low: number;
  high: number;
}

interface FieldSpec {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTH_NAMES = Object.fromEntries(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name, i) => [
    name,
    i + 1,
  ]),
);
const DAY_NAMES = Object.fromEntries(
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((name, i) => [name, i]),
);
// Day of week accepts 7 for Sunday, as croner does.
const FIELDS: readonly FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 7, names: DAY_NAMES },
];
const PART = /^(\*|(\w+)(?:-(\w+))?)(?:\/(\d+))?$/;

/** A field value: digits, or a name where the field has names (case-insensitive; `-sun` ends a range as 7). */
function valueOf(token: string, spec: FieldSpec, rangeEnd: boolean): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  const named = spec.names?.[token.toLowerCase()];
  if (named === undefined) return null;
  return rangeEnd && named === 0 && spec.max === 7 ? 7 : named;
}

/** Parses one field into a mask, or null when it is not plain syntax (left to croner). */
function parseField(text: string, spec: FieldSpec): FieldMask | null {
  const mask: FieldMask = { low: 0, high: 0 };
  // croner caps a step at the field's size; day of week has 7 values (its 7 is an alias of 0).
  const span = spec.max === 7 ? 7 : spec.max - spec.min + 1;
  for (const part of text.split(',')) {
    const match = PART.exec(part);
    if (match === null) return null;
    const [, whole, fromText, toText, stepText] = match;
    let from = spec.min;
    let to = spec.max === 7 ? 6 : spec.max; // `*` in day of week is 0–6
    if (whole !== '*') {
      const first = valueOf(fromText!, spec, false);
      const last = toText === undefined ? first : valueOf(toText, spec, true);
      if (first === null || last === null || first > last || first < spec.min || last > spec.max) return null;
      // croner refuses a step on a single value (`5/15`).
      if (toText === undefined && stepText !== undefined) return null;
      from = first;
      to = last;
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1 || step > span) return null;
    for (let value = from; value <= to; value += step) {
      const bit = spec.max === 7 && value === 7 ? 0 : value;
      if (bit < 30) mask.low |= 1 << bit;
      else mask.high |= 1 << (bit - 30);
    }
  }
  return mask;
}

/** Masks shared by value: 10,000 distinct expressions hold a few hundred distinct field masks between them. */
const sharedMasks = new Map<string, FieldMask>();
const SHARED_MASKS_MAX = 4_096;

function shared(mask: FieldMask): FieldMask {
  const key = `${mask.low}:${mask.high}`;
  const known = sharedMasks.get(key);
  if (known !== undefined) return known;
  if (sharedMasks.size >= SHARED_MASKS_MAX) sharedMasks.clear();
  sharedMasks.set(key, mask);
  return mask;
}

function has(mask: FieldMask, value: number): boolean {
  return value < 30 ? ((mask.low >>> value) & 1) === 1 : ((mask.high >>> (value - 30)) & 1) === 1;
}

/** The smallest allowed value ≥ `from` and ≤ `max`, or -1. */
function nextIn(mask: FieldMask, from: number, max: number): number {
  for (let value = from; value <= max; value++) if (has(mask, value)) return value;
  return -1;
}

/** A cron pattern in plain syntax as bit masks: no year table, no allocation per query beyond a Date. */
export class CronMatcher implements LocalMatcher {
  constructor(
    private readonly second: FieldMask,
    private readonly minute: FieldMask,
    private readonly hour: FieldMask,
    private readonly dayOfMonth: FieldMask,
    private readonly month: FieldMask,
    private readonly dayOfWeek: FieldMask,
    /** How day of month and day of week combine: croner's rule (OR, unless one of them is `*`). */
    private readonly dayRule: 'month' | 'week' | 'either',
  ) {}

  /** The matcher for `expression`, or null if it uses syntax beyond the plain one (or is invalid). */
  static parse(expression: string): CronMatcher | null {
    let text = expression.trim();
    if (text.startsWith('@')) {
      const expanded = NICKNAMES[text.toLowerCase()];
      if (expanded === undefined) return null;
      text = expanded;
    }
    const fields = text.split(/\s+/);
    if (fields.length === 5) fields.unshift('0');
    if (fields.length !== 6) return null;
    const masks: FieldMask[] = [];
    for (const [index, field] of fields.entries()) {
      const mask = parseField(field, FIELDS[index]!);
      if (mask === null) return null;
      masks.push(shared(mask));
    }
    const [second, minute, hour, dayOfMonth, month, dayOfWeek] = masks as [
      FieldMask,
      FieldMask,
      FieldMask,
      FieldMask,
      FieldMask,
      FieldMask,
    ];
    const dayRule = fields[5] === '*' ? 'month' : fields[3] === '*' ? 'week' : 'either';
    return new CronMatcher(second, minute, hour, dayOfMonth, month, dayOfWeek, dayRule);
  }

  #dayMatches(localDayMs: number, dayOfMonth: number): boolean {
    if (this.dayRule === 'month') return has(this.dayOfMonth, dayOfMonth);
    const inWeek = has(this.dayOfWeek, weekdayOf(localDayMs));
    return this.dayRule === 'week' ? inWeek : inWeek || has(this.dayOfMonth, dayOfMonth);
  }

  nextLocalAfter(localMs: number): number | null {
    let cursor = Math.floor(localMs / SECOND_MS) * SECOND_MS + SECOND_MS;
    const lastYear = new Date(cursor).getUTCFullYear() + SEARCH_YEARS;
    // Each step moves the cursor forward to the next candidate month, day, hour, minute or second.
    for (;;) {
      const date = new Date(cursor);
      const year = date.getUTCFullYear();
      if (year > lastYear) return null;
      const month = date.getUTCMonth();
      const day = date.getUTCDate();
      if (!has(this.month, month + 1)) {
        cursor = Date.UTC(year, month + 1, 1);
        continue;
      }
      if (!this.#dayMatches(cursor, day)) {
        cursor = Date.UTC(year, month, day + 1);
        continue;
      }
      const hour = date.getUTCHours();
      const nextHour = nextIn(this.hour, hour, 23);
      if (nextHour !== hour) {
        cursor = nextHour < 0 ? Date.UTC(year, month, day + 1) : Date.UTC(year, month, day, nextHour);
        continue;
      }
      const minute = date.getUTCMinutes();
      const nextMinute = nextIn(this.minute, minute, 59);
      if (nextMinute !== minute) {
        cursor =
          nextMinute < 0
            ? Date.UTC(year, month, day, hour + 1)
            : Date.UTC(year, month, day, hour, nextMinute);
        continue;
      }
      const second = date.getUTCSeconds();
      const nextSecond = nextIn(this.second, second, 59);
      if (nextSecond === second) return cursor;
      cursor =
        nextSecond < 0
          ? Date.UTC(year, month, day, hour, minute + 1)
          : Date.UTC(year, month, day, hour, minute, nextSecond);
    }
  }
}

// ─── croner, for the rest of its syntax ──────────────────────────────────────

/** Least recently used first: a Map keeps insertion order, and a hit is re-inserted at the end. */
class LruCache<V> {
  readonly #entries = new Map<string, V>();
  constructor(readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

const cronerCache = new LruCache<Cron>(CRONER_CACHE_SIZE);
let cronersBuilt = 0;

/**
 * croner's matcher for a pattern, on a clock without DST (see schedules.ts). Created without a
 * callback, so croner schedules nothing. Shared by expression from a small cache: a `Cron` holds
 * ~80 KB. Throws croner's error for a bad pattern.
 */
function sharedCron(expression: string): Cron {
  let cron = cronerCache.get(expression);
  if (cron === undefined) {
    cron = new Cron(expression, { utcOffset: 0, mode: CRON_MODE, paused: true });
    cronersBuilt++;
    cronerCache.set(expression, cron);
  }
  return cron;
}

/** croner's own matching, for the syntax {@link CronMatcher} leaves out: holds only the expression. */
export class CronerMatcher implements LocalMatcher {
  /** @throws croner's error when `expression` is not a valid pattern */
  constructor(readonly expression: string) {
    sharedCron(expression);
  }

  nextLocalAfter(localMs: number): number | null {
    return sharedCron(this.expression).nextRun(new Date(localMs))?.getTime() ?? null;
  }
}

const matcherCache = new LruCache<LocalMatcher>(MATCHER_CACHE_SIZE);

/**
 * The matcher for a cron expression, shared with every schedule of the same expression.
 * @throws croner's error when the expression is not a valid pattern
 */
export function cronMatcher(expression: string): LocalMatcher {
  let matcher = matcherCache.get(expression);
  if (matcher === undefined) {
    matcher = CronMatcher.parse(expression) ?? new CronerMatcher(expression);
    matcherCache.set(expression, matcher);
  }
  return matcher;
}

/** How many croner `Cron` objects this process has built for matching (for tests and benchmarks). */
export function cronerObjectsBuilt(): number {
  return cronersBuilt;
}
