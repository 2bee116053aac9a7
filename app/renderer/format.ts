/// <reference lib="dom" />
import { MINUTE_MS, SECOND_MS } from '../shared/limits.js';
import { locale, t } from './locale.js';

/** Times and durations as the window shows them, in the current language (Intl does the wording). */

const HOUR_MS = 60 * MINUTE_MS;

function unit(value: number, name: 'day' | 'hour' | 'minute' | 'second'): string {
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
}

/** A span in at most two units: `2 hr 5 min`, `45 min`, `30 sec`. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / SECOND_MS));
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.round(ms / MINUTE_MS);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? unit(days, 'day') : `${unit(days, 'day')} ${unit(restHours, 'hour')}`;
}

/** "in 29 min" / "29分钟后". */
export function formatIn(atMs: number, nowMs: number): string {
  return t('ui.in', { span: formatSpan(atMs - nowMs) });
}

/**
 * A due time: `14:30` today, `Wed 09:00` within a week, `Dec 1, 09:00` beyond. 24-hour clock in both
 * languages, as the schedule syntax is written.
 */
export function formatWhen(atMs: number, nowMs: number): string {
  const at = new Date(atMs);
  const now = new Date(nowMs);
  const sameDay = at.toDateString() === now.toDateString();
  const withinWeek = atMs - nowMs < 6 * 24 * HOUR_MS;
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (!sameDay && withinWeek) options.weekday = 'short';
  if (!sameDay && !withinWeek) Object.assign(options, { month: 'short', day: 'numeric' });
  return new Intl.DateTimeFormat(locale(), options).format(at);
}

/** Short weekday names in the current language, index 0 = Sunday (as `Weekday`). */
export function weekdayNames(): string[] {
  const format = new Intl.DateTimeFormat(locale(), { weekday: 'short', timeZone: 'UTC' });
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, day) => format.format(Date.UTC(2023, 0, 1 + day)));
}

/** A full local date and time for previews: `Tue, Nov 25, 14:30` / `11月25日周二 14:30`. */
export function formatDateTime(atMs: number): string {
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(atMs);
}
