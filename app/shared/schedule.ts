/**
 * When a task fires. Plain data: it crosses every boundary (settings file, daemon contract,
 * CLI) unchanged; the engine compiles it (app/workers/scheduler/schedules.ts).
 */

/** 0 = Sunday … 6 = Saturday, as in `Date#getDay()` and cron. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Fires once at an absolute instant (ms since the epoch). */
export interface OnceSchedule {
  kind: 'once';
  at: number;
}

/**
 * Fires every `intervalMs`, anchored: the n-th occurrence is `anchor + n·intervalMs`, so it never
 * drifts however late a firing was. Without an anchor, the instant the task is added is the anchor.
 */
export interface EverySchedule {
  kind: 'every';
  intervalMs: number;
  anchor?: number;
}

/** Fires at local `time` ("HH:MM", 24 h) in `timeZone`, on the given weekdays (default: every day). */
export interface DailySchedule {
  kind: 'daily';
  time: string;
  weekdays?: Weekday[];
  timeZone?: string;
}

/** Fires on a cron expression (5 or 6 fields, croner syntax) in `timeZone`. */
export interface CronSchedule {
  kind: 'cron';
  expression: string;
  timeZone?: string;
}

export type Schedule = OnceSchedule | EverySchedule | DailySchedule | CronSchedule;
