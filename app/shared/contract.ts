import { z } from 'zod';
import {
  instantField,
  languageField,
  patchOf,
  priorityField,
  reminderIdField,
  reminderSchema,
  jobSchema,
  nameTextField,
  scheduleSchema,
  settingsSchema,
  workingHoursSchema,
} from './settings.js';
import {
  ID_MAX_LENGTH,
  LONG_BREAK_EVERY_MAX,
  LONG_BREAK_EVERY_MIN,
  PAUSE_MAX_MS,
  PAUSE_MIN_MS,
  POMODORO_LONG_BREAK_MAX_MS,
  POMODORO_LONG_BREAK_MIN_MS,
  POMODORO_SHORT_BREAK_MAX_MS,
  POMODORO_SHORT_BREAK_MIN_MS,
  POMODORO_WORK_MAX_MS,
  POMODORO_WORK_MIN_MS,
  PREVIEW_COUNT_MAX,
  SNOOZE_MINUTES_MAX,
  SNOOZE_MINUTES_MIN,
  STATS_DAYS_MAX,
  TIMER_DURATION_MAX_MS,
  TIMER_DURATION_MIN_MS,
} from './limits.js';
import { parseWith } from './validate.js';
import { historyEventSchema } from './history-event.js';

/**
 * The one contract between renderer ⇄ main ⇄ daemon ⇄ CLI. Transports differ (Electron IPC,
 * parentPort, process.send, a socket of newline-delimited JSON); these messages do not.
 *
 * A request is `{ id, method, params }`; the reply is `{ id, ok: true, result }` or
 * `{ id, ok: false, error: { code, field?, message } }`. Events are `{ event, data }`, unsolicited.
 *
 * Everything is a schema, and every type is inferred from one: `methods` maps each method to the
 * schemas of its params and its result (`Params<M>`, `Result<M>`), `events` each event to its data
 * (`DaemonEvent`). A new method is one entry in the table; the service's handler table, the CLI's
 * `request` and the renderer's `call` pick its types up from there.
 */

export const CONTRACT_VERSION = 1;

const durationMs = (min: number, max: number, label: string) =>
  z
    .number({ error: `must be a duration in ms from ${min} to ${max} (${label})` })
    .int(`must be a whole number of ms from ${min} to ${max} (${label})`)
    .min(min, `must be from ${min} to ${max} ms (${label})`)
    .max(max, `must be from ${min} to ${max} ms (${label})`);

const timerIdField = z.string().min(1).max(ID_MAX_LENGTH);
const nameField = nameTextField;

/** Host (Electron powerMonitor, or nothing under the CLI) → daemon: what the OS just did. */
export const hostEventSchema = z.enum(
  ['suspend', 'resume', 'lock-screen', 'unlock-screen', 'idle', 'active'],
  {
    error: 'must be one of suspend, resume, lock-screen, unlock-screen, idle, active',
  },
);

/** Why reminders wait for the user (idle, screen locked, do not disturb, a fullscreen window, a meeting), in status order. */
export const holdReasonSchema = z.enum(['idle', 'locked', 'dnd', 'fullscreen', 'meeting']);
export type HoldReasonName = z.infer<typeof holdReasonSchema>;

// ─── What the daemon reports ─────────────────────────────────────────────────

export const upcomingSchema = z.object({
  id: z.string(),
  kind: z.enum(['reminder', 'timer', 'job']),
  name: z.string(),
  priority: priorityField,
  dueAt: z.number(),
  snoozed: z.boolean(),
  /** A reminder due outside its working hours stays quiet then: the instant it may speak again. */
  quietUntil: z.number().nullable().optional(),
  /** A reminder that would be held if it came due now: why (absent when it would be shown). */
  held: z.array(holdReasonSchema).optional(),
});

export const timerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(['countdown', 'stopwatch']),
  state: z.enum(['idle', 'running', 'paused', 'done', 'stopped']),
  /** Countdown: ms left; stopwatch: ms elapsed. As of `at`. */
  remainingMs: z.number().nullable(),
  elapsedMs: z.number(),
  endsAt: z.number().nullable(),
  at: z.number(),
});

export const pomodoroViewSchema = z.object({
  phase: z.enum(['work', 'shortBreak', 'longBreak']),
  round: z.number(),
  timer: timerViewSchema,
});

export const reminderViewSchema = reminderSchema.extend({
  /** The name and message as shown, in the current language. */
  displayName: z.string(),
  displayMessage: z.string(),
  nextDueAt: z.number().nullable(),
  workingHours: z.array(workingHoursSchema).optional(),
  /**
   * Snoozes and skips still allowed today under `maxSnoozesPerDay` / `maxSkipsPerDay` (null: no limit).
   * The notification leaves out Snooze or Skip at 0.
   */
  leftToday: z.object({ snoozes: z.number().nullable(), skips: z.number().nullable() }).optional(),
});

/**
 * The reply to `reminder.snooze`: the reminder, and when it will come. `reason` says what decided
 * `until`: `delay` (now + the minutes), `pending` (its next occurrence was already later: a snooze
 * never brings a reminder earlier) or `working-hours` (moved to the first instant inside them).
 */
export const snoozeResultSchema = reminderViewSchema.extend({
  snooze: z.object({ until: z.number(), reason: z.enum(['delay', 'pending', 'working-hours']) }),
});

/** What a job run left behind: kept in state.json (the last 20 per job) and shown by `status`. */
export const jobResultSchema = z.object({
  jobId: z.string(),
  startedAt: z.number(),
  finishedAt: z.number(),
  seconds: z.number(),
  /** `interrupted`: the daemon was killed while it ran (recorded at the next start, which runs it again). */
  outcome: z.enum(['ok', 'failed', 'cancelled', 'error', 'interrupted']),
  filesCopied: z.number(),
  filesSkipped: z.number(),
  filesFailed: z.number(),
  /** A verify job: copies whose digest matched the manifest (each failure names a damaged or missing one). */
  filesVerified: z.number().optional(),
  bytesCopied: z.number(),
  /** The first failures, each with the reason (unreadable, vanished, no space, mismatch …). */
  failures: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** Set when the job could not run at all (source missing …). */
  error: z.string().nullable(),
});

export const jobProgressSchema = z.object({
  filesDone: z.number(),
  filesTotal: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});

export const jobViewSchema = jobSchema.extend({
  displayName: z.string(),
  state: z.enum(['idle', 'queued', 'running']),
  nextDueAt: z.number().nullable(),
  progress: jobProgressSchema.nullable(),
  lastResult: jobResultSchema.nullable(),
});

export const statusSchema = z.object({
  pid: z.number(),
  processName: z.string(),
  version: z.string(),
  contractVersion: z.number(),
  startedAt: z.number(),
  now: z.number(),
  home: z.string(),
  locale: z.enum(['en', 'zh-CN']),
  language: languageField,
  paused: z.boolean(),
  pausedUntil: z.number().nullable(),
  nextReminder: z
    .object({
      id: z.string(),
      name: z.string(),
      dueAt: z.number(),
      quietUntil: z.number().nullable().optional(),
    })
    .nullable(),
  upcoming: z.array(upcomingSchema),
  timers: z.array(timerViewSchema),
  pomodoro: pomodoroViewSchema.nullable(),
  niceness: z.number().nullable(),
  notifications: z.object({ delivered: z.number(), failed: z.number(), lastError: z.string().nullable() }),
  jobs: z.array(jobViewSchema),
  /** Why reminders are held now (empty: they are shown as they come due). */
  held: z.array(holdReasonSchema).default([]),
});

/** One local day of `stats`: breaks due (shown), taken (button + natural), skipped, snoozed … */
export const statsDaySchema = z.object({
  /** The local date, YYYY-MM-DD, in the user's time zone. */
  date: z.string(),
  due: z.number(),
  taken: z.number(),
  takenButton: z.number(),
  takenNatural: z.number(),
  skipped: z.number(),
  snoozed: z.number(),
  missed: z.number(),
  held: z.number(),
});

/** The reply to `stats`: per day, per reminder, streaks and the busiest hours, over the last `days` days. */
export const statsSchema = z.object({
  range: z.enum(['day', 'week', 'month']),
  timeZone: z.string(),
  /** The first instant counted (local midnight of the first day) and the last (now). */
  from: z.number(),
  to: z.number(),
  days: z.array(statsDaySchema),
  reminders: z.array(
    z.object({
      reminderId: z.string(),
      name: z.string(),
      due: z.number(),
      taken: z.number(),
      skipped: z.number(),
      snoozed: z.number(),
    }),
  ),
  totals: statsDaySchema.omit({ date: true }),
  /**
   * A streak counts consecutive days with at least one break taken and no skip; `current` ends today
   * (or yesterday while today has no break yet and no skip), `longest` is the longest in the last year.
   */
  streak: z.object({ current: z.number(), longest: z.number() }),
  /** Reminders shown per local hour 0–23 over the range. */
  busiestHours: z.array(z.number()).length(24),
});

export type StatsDay = z.infer<typeof statsDaySchema>;
export type Stats = z.infer<typeof statsSchema>;
export type StatsRange = Stats['range'];
export type JobResult = z.infer<typeof jobResultSchema>;
export type JobProgress = z.infer<typeof jobProgressSchema>;
export type JobView = z.infer<typeof jobViewSchema>;
export type Upcoming = z.infer<typeof upcomingSchema>;
export type TimerView = z.infer<typeof timerViewSchema>;
export type PomodoroView = z.infer<typeof pomodoroViewSchema>;
export type ReminderView = z.infer<typeof reminderViewSchema>;
export type SnoozeResult = z.infer<typeof snoozeResultSchema>;
export type Status = z.infer<typeof statusSchema>;

// ─── The method table ────────────────────────────────────────────────────────

/** A method with no parameters takes `{}` (or none). */
const none = z.object({});
const removed = z.object({ removed: z.literal(true) });

/** Every method: the schema of its params (parsed by the daemon) and of its result (parsed by the CLI). */
export const methods = {
  status: { params: none, result: statusSchema },
  shutdown: { params: none, result: z.object({ stopping: z.literal(true) }) },
  ping: { params: none, result: z.object({ pong: z.literal(true), pid: z.number() }) },
  pause: {
    params: z
      .object({
        durationMs: durationMs(PAUSE_MIN_MS, PAUSE_MAX_MS, '1 minute to 7 days').optional(),
        until: instantField.optional(),
      })
      .refine((p) => !(p.durationMs !== undefined && p.until !== undefined), {
        message: 'give durationMs or until, not both',
        path: ['until'],
      }),
    result: statusSchema,
  },
  resume: { params: none, result: statusSchema },
  /** `id`: the reminder whose break this is (the notification's Start break); absent: every break reminder. */
  'rest-now': {
    params: z.object({ id: reminderIdField.optional() }),
    result: z.object({ delivered: z.boolean() }),
  },
  'host-event': {
    params: z.object({
      event: hostEventSchema,
      /** With `idle` / `active`: the user's idle time as the host read it (Electron's powerMonitor). */
      idleMs: z
        .number()
        .min(0)
        .max(366 * 24 * 3_600_000)
        .optional(),
    }),
    result: z.object({ ok: z.literal(true) }),
  },
  'reminder.list': { params: none, result: z.array(reminderViewSchema) },
  'reminder.add': { params: z.object({ reminder: reminderSchema }), result: reminderViewSchema },
  'reminder.edit': {
    params: z.object({
      id: reminderIdField,
      patch: patchOf(reminderSchema.omit({ id: true })),
    }),
    result: reminderViewSchema,
  },
  'reminder.remove': { params: z.object({ id: reminderIdField }), result: removed },
  'reminder.enable': { params: z.object({ id: reminderIdField }), result: reminderViewSchema },
  'reminder.disable': { params: z.object({ id: reminderIdField }), result: reminderViewSchema },
  'reminder.snooze': {
    params: z.object({
      id: reminderIdField,
      minutes: z.number().int().min(SNOOZE_MINUTES_MIN).max(SNOOZE_MINUTES_MAX).optional(),
      /**
       * The notification's Snooze button: show it again in N minutes (GNOME's Delay), even when its next
       * regular time is later. Without it (the CLI), "not before now + N, never earlier than its next time".
       */
      again: z.boolean().optional(),
    }),
    result: snoozeResultSchema,
  },
  /** Dismisses a reminder's current occurrence (the notification's Skip): recorded, and counted against `maxSkipsPerDay`. */
  'reminder.skip': {
    params: z.object({ id: reminderIdField }),
    result: z.object({ id: z.string(), skipped: z.literal(true), skipsLeftToday: z.number().nullable() }),
  },
  /** Break statistics from the history log (`range`: 1, 7 or 30 days unless `days` says otherwise). */
  stats: {
    params: z.object({
      range: z.enum(['day', 'week', 'month']).default('week'),
      days: z.number().int().min(1).max(STATS_DAYS_MAX).optional(),
    }),
    result: statsSchema,
  },
  'timer.start': {
    params: z.object({
      mode: z.enum(['countdown', 'stopwatch']).default('countdown'),
      durationMs: durationMs(TIMER_DURATION_MIN_MS, TIMER_DURATION_MAX_MS, '1 second to 7 days').optional(),
      name: nameField.optional(),
    }),
    result: timerViewSchema,
  },
  /** `id`: a timer's id (t1), its name, or a unique prefix of either. */
  'timer.pause': { params: z.object({ id: timerIdField }), result: timerViewSchema },
  'timer.resume': { params: z.object({ id: timerIdField }), result: timerViewSchema },
  'timer.stop': { params: z.object({ id: timerIdField }), result: timerViewSchema },
  'timer.list': { params: none, result: z.array(timerViewSchema) },
  'pomodoro.start': {
    params: z.object({
      workMs: durationMs(POMODORO_WORK_MIN_MS, POMODORO_WORK_MAX_MS, '1 minute to 4 hours').optional(),
      shortBreakMs: durationMs(
        POMODORO_SHORT_BREAK_MIN_MS,
        POMODORO_SHORT_BREAK_MAX_MS,
        '1 to 60 minutes',
      ).optional(),
      longBreakMs: durationMs(
        POMODORO_LONG_BREAK_MIN_MS,
        POMODORO_LONG_BREAK_MAX_MS,
        '1 to 120 minutes',
      ).optional(),
      longBreakEvery: z.number().int().min(LONG_BREAK_EVERY_MIN).max(LONG_BREAK_EVERY_MAX).optional(),
      /** Replace a running or paused session; without it, starting over one is refused (`conflict`). */
      restart: z.boolean().optional(),
    }),
    result: pomodoroViewSchema,
  },
  'pomodoro.skip': { params: none, result: pomodoroViewSchema },
  /** The session as it stood when stopped, so callers can say what was stopped. */
  'pomodoro.stop': { params: none, result: pomodoroViewSchema },
  'job.list': { params: none, result: z.array(jobViewSchema) },
  'job.add': { params: z.object({ job: jobSchema }), result: jobViewSchema },
  'job.run': {
    params: z.object({ id: reminderIdField }),
    result: z.object({ queued: z.boolean(), job: jobViewSchema }),
  },
  'job.cancel': { params: z.object({ id: reminderIdField }), result: z.object({ cancelled: z.boolean() }) },
  'job.remove': { params: z.object({ id: reminderIdField }), result: removed },
  'job.history': { params: z.object({ id: reminderIdField.optional() }), result: z.array(jobResultSchema) },
  'settings.get': { params: none, result: settingsSchema },
  'settings.set': {
    params: z.object({ patch: patchOf(settingsSchema.omit({ reminders: true })) }),
    result: settingsSchema,
  },
  'schedule.preview': {
    params: z.object({
      schedule: scheduleSchema,
      count: z.number().int().min(1).max(PREVIEW_COUNT_MAX).default(5),
    }),
    result: z.array(z.number()),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export type Method = keyof typeof methods;
/** What a caller sends (defaults not yet applied). */
export type Params<M extends Method> = z.input<(typeof methods)[M]['params']>;
/** What a handler receives: the params after parsing (defaults applied). */
export type ParsedParams<M extends Method> = z.output<(typeof methods)[M]['params']>;
/** What a method resolves to. */
export type Result<M extends Method> = z.output<(typeof methods)[M]['result']>;

export const methodNames = Object.keys(methods) as Method[];

export const requestSchema = z.object({
  id: z.union([z.string().max(ID_MAX_LENGTH), z.number().int()]),
  method: z.enum(methodNames as [Method, ...Method[]], {
    error: `method must be one of ${methodNames.join(', ')}`,
  }),
  params: z.unknown().optional(),
});

export type Request = z.output<typeof requestSchema>;

export const errorCodes = ['invalid', 'not-found', 'conflict', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.object({
  code: z.enum(errorCodes),
  /** The offending field's path, when one is to blame (`params.reminder.priority`). */
  field: z.string().optional(),
  /** English text; clients that speak another language show `key` + `params` from the catalog instead. */
  message: z.string(),
  /** The catalog key of `message`, when it has one (app/shared/i18n); an unknown key falls back to `message`. */
  key: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ErrorBody = z.output<typeof errorBodySchema>;

const replyIdSchema = z.union([z.string(), z.number(), z.null()]);

export const replySchema = z.union([
  z.object({ id: replyIdSchema, ok: z.literal(true), result: z.unknown() }),
  z.object({ id: replyIdSchema, ok: z.literal(false), error: errorBodySchema }),
]);

/** A reply as it crosses a transport; `ReplyOf<M>` once its result is known to fit method M. */
export type Reply = z.output<typeof replySchema>;
export type ReplyOf<M extends Method> =
  { id: string | number | null; ok: true; result: Result<M> } | Extract<Reply, { ok: false }>;

/**
 * Parses a request's params with its method's schema; a problem is a ValidationError naming the
 * field from `root` (`params.reminder.priority`).
 */
export function parseParams<M extends Method>(method: M, params: unknown, root = 'params'): ParsedParams<M> {
  // zod types the parse over the union of every method's params; the schema is M's, so this is ParsedParams<M>.
  return parseWith(methods[method].params, params, root) as ParsedParams<M>;
}

/**
 * Checks a reply's result against its method's schema. A result that does not fit means this
 * program and the daemon that answered are different versions (a plain Error, not bad input).
 */
export function parseResult<M extends Method>(method: M, result: unknown): Result<M> {
  const parsed = methods[method].result.safeParse(result);
  // zod types safeParse over the union of every method's result; the schema is M's, so this is Result<M>.
  if (parsed.success) return parsed.data as Result<M>;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new Error(
    `the daemon's reply to "${method}" does not fit this CLI${where} (${issue?.message ?? 'invalid'}); are both the same version?`,
  );
}

// ─── Events ──────────────────────────────────────────────────────────────────

/** Unsolicited daemon → host messages, by name: the schema of each one's `data`. */
export const events = {
  /** Pushed on every change, so hosts never poll. */
  status: statusSchema,
  reminder: z.object({
    id: z.string(),
    name: z.string(),
    message: z.string(),
    dueAt: z.number(),
    firedAt: z.number(),
    missed: z.number(),
    delivered: z.boolean(),
    /** Set when the reminder asks for the break window (main opens it on every display). */
    window: z.object({ breakMinutes: z.number(), strict: z.boolean(), snoozeMinutes: z.number() }).optional(),
    /** Not shown yet because the user is away (idle, locked, DND, meeting): it is shown once on return. */
    held: z.array(holdReasonSchema).optional(),
  }),
  /** A break happened: `natural` when the user was away at least the break's length (its clock restarted). */
  break: z.object({
    reminderId: z.string(),
    kind: z.enum(['natural']),
    at: z.number(),
    awayMs: z.number(),
  }),
  'timer-done': z.object({ id: z.string(), name: z.string() }),
  job: z.object({
    id: z.string(),
    phase: z.enum(['queued', 'started', 'progress', 'finished']),
    progress: jobProgressSchema.optional(),
    result: jobResultSchema.optional(),
  }),
  log: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** Something to keep in the break history (shown, snoozed, skipped, taken …): the daemon's recorder writes it. */
  history: historyEventSchema,
} as const;

export type EventName = keyof typeof events;

const envelope = <E extends EventName>(event: E) =>
  z.object({ event: z.literal(event), data: events[event] });

export const daemonEventSchema = z.discriminatedUnion('event', [
  envelope('status'),
  envelope('reminder'),
  envelope('break'),
  envelope('timer-done'),
  envelope('job'),
  envelope('log'),
  envelope('history'),
]);

/** `{ event, data }`, one member per entry of `events`. */
export type DaemonEvent = z.output<typeof daemonEventSchema>;
/** The data of one event. */
export type EventData<E extends EventName> = z.output<(typeof events)[E]>;
