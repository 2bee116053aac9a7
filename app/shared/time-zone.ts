import { ValidationError, describeValue } from './errors.js';
import { DAY_MS, SECOND_MS, TIME_ZONE_MAX_LENGTH } from './limits.js';

/**
 * IANA time zones through `Intl` only (no tz database of our own), so the engine and the renderer
 * share this file. A "local time" here is a wall-clock date and time encoded as if it were UTC
 * (`Date.UTC(year, month, day, hour, minute)`): plain arithmetic and comparison work on it, and
 * `TimeZoneRules` maps it to and from real instants.
 *
 * DST policy (the one rule every calendar schedule follows, see app/workers/scheduler/schedules.ts):
 * - a local time that does not exist (the spring-forward gap) maps to the instant the gap ends:
 *   02:30 on 2026-03-29 in Europe/Berlin is 03:00 CEST = 01:00Z;
 * - a local time that occurs twice (fall back) maps to its first occurrence only:
 *   02:30 on 2026-10-25 in Europe/Berlin is 02:30 CEST = 00:30Z, never 02:30 CET.
 */

/** The zone `new Date()` uses here; "UTC" when the runtime does not say. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether `Intl` knows `timeZone` (an IANA name or alias, any letter case). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === '' || timeZone.length > TIME_ZONE_MAX_LENGTH) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `value` if it is a zone `Intl` knows, else a ValidationError naming `field`. */
export function checkTimeZone(field: string, value: unknown): string {
  if (typeof value === 'string' && isValidTimeZone(value)) return value;
  throw new ValidationError(
    field,
    `unknown time zone ${describeValue(value)} (use an IANA name such as Europe/Berlin, America/New_York or UTC)`,
  );
}

/** {@link TimeZoneRules.offsetAt} remembers offsets by slices of this length, at most this many. */
const OFFSET_SLICE_MS = 15 * 60 * SECOND_MS;
const OFFSET_CACHE_SIZE = 4_096;

/**
 * One zone's UTC offsets, read from `Intl`. Holds one formatter and a bounded offset cache: make one per
 * zone and reuse it; a query costs a few microseconds.
 */
export class TimeZoneRules {
  readonly #formatter: Intl.DateTimeFormat;
  readonly #offsetBySlice = new Map<number, number>();

  /** @throws RangeError when `Intl` does not know `timeZone` (check with {@link checkTimeZone} first). */
  constructor(readonly timeZone: string) {
    this.#formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /**
   * The zone's offset from UTC at an instant, in ms (east positive: CEST is +7 200 000). Remembered per
   * 15-minute slice whose both ends agree: zones change offset at most once in a slice (on a quarter
   * hour today), so such a slice has one offset throughout; a slice holding a change is read exactly.
   */
  offsetAt(instantMs: number): number {
    const slice = Math.floor(instantMs / OFFSET_SLICE_MS);
    const known = this.#offsetBySlice.get(slice);
    if (known !== undefined) return known;
    const start = slice * OFFSET_SLICE_MS;
    const offset = this.#readOffset(start);
    if (offset !== this.#readOffset(start + OFFSET_SLICE_MS - SECOND_MS)) return this.#readOffset(instantMs);
    if (this.#offsetBySlice.size >= OFFSET_CACHE_SIZE) this.#offsetBySlice.clear();
    this.#offsetBySlice.set(slice, offset);
    return offset;
  }

  /** The offset at an instant, read from `Intl` (a few µs). */
  #readOffset(instantMs: number): number {
    const wholeSecond = Math.floor(instantMs / SECOND_MS) * SECOND_MS;
    const field = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    for (const part of this.#formatter.formatToParts(wholeSecond)) {
      if (part.type in field) field[part.type as keyof typeof field] = Number(part.value);
    }
    const local = Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second);
    return local - wholeSecond;
  }

  /** The local time (wall clock, encoded as UTC) at an instant. */
  localAt(instantMs: number): number {
    return instantMs + this.offsetAt(instantMs);
  }

  /**
   * The instant a local time happens, under the DST policy above: its first occurrence when the
   * clock goes back, the end of the gap when the local time is skipped.
   */
  instantOf(localMs: number): number {
    // The offsets a day either side are the ones a transition near localMs switches between.
    const before = this.offsetAt(localMs - DAY_MS);
    const after = this.offsetAt(localMs + DAY_MS);
    let first = Infinity;
    for (const offset of before === after ? [before] : [before, after]) {
      const instant = localMs - offset;
      if (this.offsetAt(instant) === offset) first = Math.min(first, instant);
    }
    if (first !== Infinity) return first;
    return this.#transitionBetween(localMs - Math.max(before, after), localMs - Math.min(before, after));
  }

  /**
   * Every instant the wall clock shows a local time, earliest first: one as a rule, two in the hour
   * repeated when the clock goes back, none in a spring-forward gap. ("Until 02:40" at 02:10 in the
   * repeated hour means the nearest of them still ahead, which {@link instantOf} alone cannot give.)
   */
  instantsOf(localMs: number): number[] {
    const before = this.offsetAt(localMs - DAY_MS);
    const after = this.offsetAt(localMs + DAY_MS);
    const instants = new Set<number>();
    for (const offset of [before, after]) {
      const instant = localMs - offset;
      if (this.offsetAt(instant) === offset) instants.add(instant);
    }
    return [...instants].sort((a, b) => a - b);
  }

  /**
   * The instant the offset changes in (fromMs, toMs], found by bisection to the second (zones
   * change offset on whole seconds). For a skipped local time that is the end of the gap.
   */
  #transitionBetween(fromMs: number, toMs: number): number {
    const offsetBefore = this.offsetAt(fromMs);
    let low = Math.floor(fromMs / SECOND_MS);
    let high = Math.ceil(toMs / SECOND_MS);
    if (this.offsetAt(high * SECOND_MS) === offsetBefore) return toMs; // no change found: stay monotonic
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.offsetAt(middle * SECOND_MS) === offsetBefore) low = middle;
      else high = middle;
    }
    return high * SECOND_MS;
  }
}
