/** Bounds shared by the engine, the contract and the UI, so every layer names the same range. */
export const PRIORITY_MIN = 1;
export const PRIORITY_MAX = 20;

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** `every` schedules: at least 1 s, at most a year. */
export const INTERVAL_MIN_MS = SECOND_MS;
export const INTERVAL_MAX_MS = 366 * DAY_MS;

/** Longest delay ever handed to setTimeout: the wall clock is re-checked at least this often. */
export const MAX_TIMER_DELAY_MS = 30 * SECOND_MS;

/** Wall and elapsed clocks that disagree by more than this between two readings mean the wall clock was set. */
export const WALL_CHANGE_TOLERANCE_MS = SECOND_MS;

/** Instants accepted anywhere: 1970 … 2200, far inside Date's range. */
export const INSTANT_MIN_MS = 0;
export const INSTANT_MAX_MS = Date.UTC(2200, 0, 1);
