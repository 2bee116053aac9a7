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

// ─── Bounds of the settings document and the contract (the renderer's maxlengths and the CLI's checks too) ───

/** Ids of reminders and jobs (`rest-eyes`), timer references, request ids and zone names: at most this long. */
export const ID_MAX_LENGTH = 64;
/** A reminder, job or timer name: one line of plain text. */
export const NAME_MAX_LENGTH = 100;
/** A notification message. */
export const MESSAGE_MAX_LENGTH = 500;
/** An IANA zone name (`America/Argentina/ComodRivadavia` is 32). */
export const TIME_ZONE_MAX_LENGTH = 64;
/** A cron expression, as written. */
export const CRON_EXPRESSION_MAX_LENGTH = 200;
/** Reminders in one settings document: generous, the engine keeps one armed timer whatever the count (tested with 10,000). */
export const REMINDERS_MAX = 10_000;
/** Jobs in one settings document. */
export const JOBS_MAX = 200;
/** Worker threads of one copy job. */
export const JOB_WORKERS_MAX = 64;
/** OS niceness the daemon may ask for: 0 normal … 19 lowest (raising priority needs privileges, so it is not offered). */
export const NICENESS_MIN = 0;
export const NICENESS_MAX = 19;
/** Jobs running at once. */
export const JOBS_CONCURRENCY_MAX = 16;
/** Working-hours spans of one reminder (two a day). */
export const WORKING_HOURS_MAX = 14;

/** A snooze, in whole minutes (the reminder's own `snoozeMinutes` and `reminder.snooze --minutes`). */
export const SNOOZE_MINUTES_MIN = 1;
export const SNOOZE_MINUTES_MAX = 240;

/** A break reminder's break length (idle this long counts as the break taken), in whole minutes. */
export const BREAK_MINUTES_MIN = 1;
export const BREAK_MINUTES_MAX = 120;
/** The default reminder's break length: a 5-minute idle resets the hourly rest reminder. */
export const BREAK_MINUTES_DEFAULT = 5;
/** Idle for this many minutes counts as away: reminders wait for the user's return. */
export const IDLE_THRESHOLD_MINUTES_MIN = 1;
export const IDLE_THRESHOLD_MINUTES_MAX = 60;
export const IDLE_THRESHOLD_MINUTES_DEFAULT = 2;
/** The break window's emergency exit in strict mode: Ctrl+Alt+X held this long. */
export const EMERGENCY_HOLD_MS = 3_000;

/** `pause` for a duration: 1 minute to 7 days. */
export const PAUSE_MIN_MS = MINUTE_MS;
export const PAUSE_MAX_MS = 7 * DAY_MS;

/** A countdown timer: 1 second to 7 days. */
export const TIMER_DURATION_MIN_MS = SECOND_MS;
export const TIMER_DURATION_MAX_MS = 7 * DAY_MS;

/** Pomodoro phases and the long-break rhythm. */
export const POMODORO_WORK_MIN_MS = MINUTE_MS;
export const POMODORO_WORK_MAX_MS = 4 * HOUR_MS;
export const POMODORO_SHORT_BREAK_MIN_MS = MINUTE_MS;
export const POMODORO_SHORT_BREAK_MAX_MS = HOUR_MS;
export const POMODORO_LONG_BREAK_MIN_MS = MINUTE_MS;
export const POMODORO_LONG_BREAK_MAX_MS = 2 * HOUR_MS;
export const LONG_BREAK_EVERY_MIN = 1;
export const LONG_BREAK_EVERY_MAX = 12;

/** `schedule.preview`: how many next times one request may ask for. */
export const PREVIEW_COUNT_MAX = 50;

// ─── Break history and statistics (issue 12) ───

/** History events wait at most this long to be written and fsynced as one batch (a crash loses at most these). */
export const HISTORY_FLUSH_DELAY_MS = 2 * SECOND_MS;
/** Whole months of history kept, the current one included. */
export const HISTORY_KEEP_MONTHS_DEFAULT = 12;
/** A month's history file is continued in a new part past this size. */
export const HISTORY_MAX_FILE_BYTES = 8 * 1024 * 1024;
/** `stats`: days one request may cover (`days`), and how far back streaks look. */
export const STATS_DAYS_MAX = 366;
/** A reminder's `maxSkipsPerDay` / `maxSnoozesPerDay`: 0 (never) to this. */
export const DAILY_LIMIT_MAX = 100;

/** node-notifier (macOS, Windows): notifications with buttons waiting for a press at once (one helper process each); more go without buttons. */
export const NOTIFY_MAX_WAITING_HELPERS = 3;
/** node-notifier: how long a notification with buttons waits for a press before its helper exits (seconds). */
export const NOTIFY_ACTION_WAIT_SEC = 10 * 60;
