import { ValidationError, describeValue } from './errors.js';
import { INSTANT_MAX_MS, INSTANT_MIN_MS, MINUTE_MS, SECOND_MS } from './limits.js';
import { TimeZoneRules, systemTimeZone } from './time-zone.js';

/**
 * ISO-8601 text ⇄ instants, with the zone's offset written out (`2026-03-30T09:00:00+02:00`), so a
 * listing is both readable in local time and exact. Shared by the CLI and the settings UI.
 */

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `+02:00`, `-04:00`, `+10:30`; seconds only for the rare historical offset that has them. */
function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const totalSeconds = Math.round(Math.abs(offsetMs) / SECOND_MS);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${sign}${pad(hours)}:${pad(minutes)}${seconds ? `:${pad(seconds)}` : ''}`;
}

/**
 * An instant as local ISO-8601 with the zone's offset: `2026-03-30T09:00:00+02:00`. Milliseconds
 * appear only when not zero. `zone` is an IANA name or prepared rules; default: the system's zone.
 */
export function formatIsoInstant(instantMs: number, zone: string | TimeZoneRules = systemTimeZone()): string {
  const rules = typeof zone === 'string' ? new TimeZoneRules(zone) : zone;
  const offsetMs = rules.offsetAt(instantMs);
  // toISOString of the local time gives the local fields; its "Z" is replaced by the real offset.
  const local = new Date(instantMs + offsetMs).toISOString();
  const withoutZone = local.endsWith('.000Z') ? local.slice(0, -5) : local.slice(0, -1);
  return withoutZone + formatOffset(offsetMs);
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const ISO_HELP = 'use YYYY-MM-DDTHH:MM[:SS] with Z or an offset, e.g. 2026-12-01T09:00+01:00';

/**
 * Reads an ISO-8601 date-time: `2026-12-01T09:00+01:00`, `2026-12-01T08:00:00Z`,
 * `2026-12-01 09:00:30.250-05:00`. Without an offset (or for a date alone, read as midnight) the
 * text is a local time in `zone`, resolved by the DST policy of time-zone.ts; without `zone` an
 * offset is required. Stricter than `Date.parse`, which guesses. Must lie in 1970…2200.
 * @throws ValidationError naming `field`
 */
export function parseIsoInstant(text: string, field: string, zone?: string | TimeZoneRules): number {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) throw new ValidationError(field, `${describeValue(text)} is not a date-time (${ISO_HELP})`);
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    ms: Number((fraction ?? '').padEnd(3, '0')),
  };
  const local = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
    fields.ms,
  );
  // Date.UTC rolls 2026-02-30 over to March; reading the fields back catches every out-of-range one.
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== fields.year ||
    check.getUTCMonth() !== fields.month - 1 ||
    check.getUTCDate() !== fields.day ||
    check.getUTCHours() !== fields.hour ||
    check.getUTCMinutes() !== fields.minute
  ) {
    throw new ValidationError(field, `${describeValue(text)} is not a valid date and time`);
  }
  let instant: number;
  if (offset !== undefined) {
    const offsetMs = parseOffset(offset);
    if (Number.isNaN(offsetMs)) {
      throw new ValidationError(field, `${describeValue(text)} has an invalid UTC offset (${ISO_HELP})`);
    }
    instant = local - offsetMs;
  } else if (zone !== undefined) {
    instant = (typeof zone === 'string' ? new TimeZoneRules(zone) : zone).instantOf(local);
  } else {
    throw new ValidationError(
      field,
      `${describeValue(text)} needs a UTC offset (e.g. 2026-12-01T09:00+01:00 or 2026-12-01T08:00Z)`,
    );
  }
  if (instant < INSTANT_MIN_MS || instant > INSTANT_MAX_MS) {
    throw new ValidationError(field, `${describeValue(text)} must be from 1970-01-01 to 2200-01-01`);
  }
  return instant;
}

/** `Z` → 0, `+05:30` / `+0530` → 19 800 000 ms; NaN past ±23:59. */
function parseOffset(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return NaN;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * MINUTE_MS;
}

/**
 * A countdown or a timer reading: `4:59`, `1:02:03`, never negative. Rounded up by default (a
 * countdown shows 0:00 only when it is done); `roundDown` for elapsed time and timer readings, and
 * `alwaysHours` for the CLI's fixed `H:MM:SS` column (`0:04:05`, `26:00:00`). The one formatter of
 * countdowns: the tray, the status line, the settings window and the CLI all use it.
 */
export function formatCountdown(
  ms: number,
  { roundDown = false, alwaysHours = false }: { roundDown?: boolean; alwaysHours?: boolean } = {},
): string {
  const seconds = ms / SECOND_MS;
  const total = Math.max(0, roundDown ? Math.floor(seconds) : Math.ceil(seconds));
  const hours = Math.floor(total / 3600);
  const withHours = alwaysHours || hours > 0;
  const mmss = `${String(Math.floor((total % 3600) / 60)).padStart(withHours ? 2 : 1, '0')}:${pad(total % 60)}`;
  return withHours ? `${hours}:${mmss}` : mmss;
}

/**
 * `HH:MM`, 24-hour, of an instant in `zone` (default: the system's zone). The one clock-time
 * formatter: notifications, the tray, `mytimer run` and the CLI's listings use it.
 */
export function formatClock(atMs: number, zone: string | TimeZoneRules = systemTimeZone()): string {
  const rules = typeof zone === 'string' ? new TimeZoneRules(zone) : zone;
  const local = new Date(rules.localAt(atMs));
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}
