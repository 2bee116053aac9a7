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

/**
 * The one contract between renderer ⇄ main ⇄ daemon ⇄ CLI. Transports differ (Electron IPC,
 * parentPort, process.send, a socket of newline-delimited JSON); these messages do not.
 *
 * A request is `{ id, method, params }`; the reply is `{ id, ok: true, result }` or
 * `{ id, ok: false, error: { code, field?, message } }`. Events are `{ event, data }`, unsolicited.
 */

export const CONTRACT_VERSION = 1;

const durationMs = (min: number, max: number, label: string) =>
  z
    .number({ error: `must be a duration in ms from ${min} to ${max} (${label})` })
    .int(`must be a whole number of ms from ${min} to ${max} (${label})`)
    .min(min, `must be from ${min} to ${max} ms (${label})`)
    .max(max, `must be from ${min} to ${max} ms (${label})`);

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

const timerIdField = z.string().min(1).max(64);
const nameField = nameTextField;

/** Host (Electron powerMonitor, or nothing under the CLI) → daemon: what the OS just did. */
export const hostEventSchema = z.enum(
  ['suspend', 'resume', 'lock-screen', 'unlock-screen', 'idle', 'active'],
  {
    error: 'must be one of suspend, resume, lock-screen, unlock-screen, idle, active',
  },
);

/** Parameters of every method. A method with no parameters takes `{}` (or none). */
export const methods = {
  status: z.object({}),
  shutdown: z.object({}),
  ping: z.object({}),
  pause: z
    .object({
      durationMs: durationMs(MINUTE, 7 * DAY, '1 minute to 7 days').optional(),
      until: instantField.optional(),
    })
    .refine((p) => !(p.durationMs !== undefined && p.until !== undefined), {
      message: 'give durationMs or until, not both',
      path: ['until'],
    }),
  resume: z.object({}),
  'rest-now': z.object({}),
  'host-event': z.object({ event: hostEventSchema }),
  'reminder.list': z.object({}),
  'reminder.add': z.object({ reminder: reminderSchema }),
  'reminder.edit': z.object({
    id: reminderIdField,
    patch: patchOf(reminderSchema.omit({ id: true })),
  }),
  'reminder.remove': z.object({ id: reminderIdField }),
  'reminder.enable': z.object({ id: reminderIdField }),
  'reminder.disable': z.object({ id: reminderIdField }),
  'reminder.snooze': z.object({ id: reminderIdField, minutes: z.number().int().min(1).max(240).optional() }),
  'timer.start': z.object({
    mode: z.enum(['countdown', 'stopwatch']).default('countdown'),
    durationMs: durationMs(SECOND, 7 * DAY, '1 second to 7 days').optional(),
    name: nameField.optional(),
  }),
  /** `id`: a timer's id (t1), its name, or a unique prefix of either. */
  'timer.pause': z.object({ id: timerIdField }),
  'timer.resume': z.object({ id: timerIdField }),
  'timer.stop': z.object({ id: timerIdField }),
  'timer.list': z.object({}),
  'pomodoro.start': z.object({
    workMs: durationMs(MINUTE, 4 * 60 * MINUTE, '1 minute to 4 hours').optional(),
    shortBreakMs: durationMs(MINUTE, 60 * MINUTE, '1 to 60 minutes').optional(),
    longBreakMs: durationMs(MINUTE, 2 * 60 * MINUTE, '1 to 120 minutes').optional(),
    longBreakEvery: z.number().int().min(1).max(12).optional(),
    /** Replace a running or paused session; without it, starting over one is refused (`conflict`). */
    restart: z.boolean().optional(),
  }),
  'pomodoro.skip': z.object({}),
  'pomodoro.stop': z.object({}),
  'job.list': z.object({}),
  'job.add': z.object({ job: jobSchema }),
  'job.run': z.object({ id: reminderIdField }),
  'job.cancel': z.object({ id: reminderIdField }),
  'job.remove': z.object({ id: reminderIdField }),
  'job.history': z.object({ id: reminderIdField.optional() }),
  'settings.get': z.object({}),
  'settings.set': z.object({
    patch: patchOf(settingsSchema.omit({ reminders: true })),
  }),
  'schedule.preview': z.object({
    schedule: scheduleSchema,
    count: z.number().int().min(1).max(50).default(5),
  }),
} as const;

export type Method = keyof typeof methods;
export type Params<M extends Method> = z.input<(typeof methods)[M]>;
export type ParsedParams<M extends Method> = z.output<(typeof methods)[M]>;

export const methodNames = Object.keys(methods) as Method[];

export const requestSchema = z.object({
  id: z.union([z.string().max(64), z.number().int()]),
  method: z.enum(methodNames as [Method, ...Method[]], {
    error: `method must be one of ${methodNames.join(', ')}`,
  }),
  params: z.unknown().optional(),
});

export type Request = { id: string | number; method: Method; params?: unknown };

export const errorCodes = ['invalid', 'not-found', 'conflict', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorBody {
  code: ErrorCode;
  /** The offending field's path, when one is to blame (`params.reminder.priority`). */
  field?: string;
  /** English text; clients that speak another language show `key` + `params` from the catalog instead. */
  message: string;
  /** The catalog key of `message`, when it has one (app/shared/i18n); an unknown key falls back to `message`. */
  key?: string;
  params?: Record<string, string | number>;
}

export type Reply =
  | { id: string | number | null; ok: true; result: unknown }
  | { id: string | number | null; ok: false; error: ErrorBody };

export const replySchema = z.union([
  z.object({ id: z.union([z.string(), z.number(), z.null()]), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.union([z.string(), z.number(), z.null()]),
    ok: z.literal(false),
    error: z.object({
      code: z.enum(errorCodes),
      field: z.string().optional(),
      message: z.string(),
      key: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  }),
]);

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
  outcome: z.enum(['ok', 'failed', 'cancelled', 'error']),
  filesCopied: z.number(),
  filesSkipped: z.number(),
  filesFailed: z.number(),
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

export type JobResult = z.infer<typeof jobResultSchema>;
export type JobProgress = z.infer<typeof jobProgressSchema>;
export type JobView = z.infer<typeof jobViewSchema>;

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
});

export type Upcoming = z.infer<typeof upcomingSchema>;
export type TimerView = z.infer<typeof timerViewSchema>;
export type PomodoroView = z.infer<typeof pomodoroViewSchema>;
export type ReminderView = z.infer<typeof reminderViewSchema>;
export type SnoozeResult = z.infer<typeof snoozeResultSchema>;
export type Status = z.infer<typeof statusSchema>;

/** Unsolicited daemon → host messages. `status` is pushed on every change so hosts never poll. */
export type DaemonEvent =
  | { event: 'status'; data: Status }
  | {
      event: 'reminder';
      data: {
        id: string;
        name: string;
        message: string;
        dueAt: number;
        firedAt: number;
        missed: number;
        delivered: boolean;
      };
    }
  | { event: 'timer-done'; data: { id: string; name: string } }
  | {
      event: 'job';
      data: {
        id: string;
        phase: 'queued' | 'started' | 'progress' | 'finished';
        progress?: JobProgress;
        result?: JobResult;
      };
    }
  | { event: 'log'; data: { level: 'info' | 'warn' | 'error'; message: string } };

export const daemonEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('status'), data: statusSchema }),
  z.object({
    event: z.literal('reminder'),
    data: z.object({
      id: z.string(),
      name: z.string(),
      message: z.string(),
      dueAt: z.number(),
      firedAt: z.number(),
      missed: z.number(),
      delivered: z.boolean(),
    }),
  }),
  z.object({ event: z.literal('timer-done'), data: z.object({ id: z.string(), name: z.string() }) }),
  z.object({
    event: z.literal('job'),
    data: z.object({
      id: z.string(),
      phase: z.enum(['queued', 'started', 'progress', 'finished']),
      progress: jobProgressSchema.optional(),
      result: jobResultSchema.optional(),
    }),
  }),
  z.object({
    event: z.literal('log'),
    data: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  }),
]);
