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

/** Control socket: connections at once; at the cap the longest-idle one is closed, so the CLI always gets in. */
export const CONTROL_MAX_CONNECTIONS = 32;
/** Control socket: replies buffered for one client that does not read; past this the daemon stops reading it. */
export const CONTROL_MAX_BUFFERED_BYTES = 1024 * 1024;
/** Control socket: requests of one connection being handled at once; the rest wait unread in the socket. */
export const CONTROL_MAX_PENDING_REQUESTS = 32;
/** Control socket: a connection with no traffic for this long is closed (subscribers of events excepted). */
export const CONTROL_IDLE_TIMEOUT_MS = 60 * SECOND_MS;

/** Host ⇄ daemon heartbeat: the host pings over the IPC channel this often. */
export const HEARTBEAT_INTERVAL_MS = 5 * SECOND_MS;
/** Pings in a row left unanswered before the host declares the daemon hung, kills it and restarts it. */
export const HEARTBEAT_MISSED_LIMIT = 4;
