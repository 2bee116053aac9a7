import { ValidationError, checkNumberInRange, describeValue } from '../../shared/errors.js';
import {
  ID_MAX_LENGTH,
  NAME_MAX_LENGTH,
  TIMER_DURATION_MAX_MS,
  TIMER_DURATION_MIN_MS,
} from '../../shared/limits.js';

/**
 * Checks of the options given to `new Timer()` and `new Pomodoro()` (a programming interface; the
 * snapshots read from state.json are checked by the zod schemas in snapshot.ts).
 */

/** Shortest and longest countdown: shared/limits.ts. */
export { TIMER_DURATION_MAX_MS, TIMER_DURATION_MIN_MS };
/** Ids and names are shown in notifications and the tray menu, so they stay short. */
export const TIMER_ID_MAX_LENGTH = ID_MAX_LENGTH;
/** See {@link TIMER_ID_MAX_LENGTH}. */
export const TIMER_NAME_MAX_LENGTH = NAME_MAX_LENGTH;

/** A countdown length: a whole number of ms within the timer bounds. */
export function checkDurationMs(field: string, value: unknown): number {
  const ms = checkNumberInRange(field, value, TIMER_DURATION_MIN_MS, TIMER_DURATION_MAX_MS, 'ms');
  return checkWholeMs(field, ms);
}

/** A string of `minLength` … `maxLength` characters. */
export function checkString(field: string, value: unknown, minLength: number, maxLength: number): string {
  if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) {
    throw new ValidationError(
      field,
      `must be a string of ${minLength} to ${maxLength} characters (got ${describeValue(value)})`,
    );
  }
  return value;
}

/** One of `allowed`, or a ValidationError listing them. */
export function checkOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${allowed.join(', ')} (got ${describeValue(value)})`);
  }
  return value as T;
}

/** An integer in [min, max]. */
export function checkInteger(field: string, value: unknown, min: number, max: number): number {
  const n = checkNumberInRange(field, value, min, max);
  if (!Number.isInteger(n)) throw new ValidationError(field, `must be a whole number (got ${n})`);
  return n;
}

/** Requires `value` to be null or absent: the field does not apply in this mode or state. */
export function checkAbsent(field: string, value: unknown, why: string): null {
  if (value !== null && value !== undefined) {
    throw new ValidationError(field, `must be null ${why} (got ${describeValue(value)})`);
  }
  return null;
}

/** Requires a plain object (options from JavaScript may be anything). */
export function checkObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field || '(input)', `must be an object (got ${describeValue(value)})`);
  }
  return value as Record<string, unknown>;
}

function checkWholeMs(field: string, ms: number): number {
  if (!Number.isInteger(ms)) throw new ValidationError(field, `must be a whole number of ms (got ${ms})`);
  return ms;
}
