import { z } from 'zod';
import {
  BREAK_MINUTES_DEFAULT,
  BREAK_MINUTES_MAX,
  BREAK_MINUTES_MIN,
  CRON_EXPRESSION_MAX_LENGTH,
  DAILY_LIMIT_MAX,
  IDLE_THRESHOLD_MINUTES_DEFAULT,
  IDLE_THRESHOLD_MINUTES_MAX,
  IDLE_THRESHOLD_MINUTES_MIN,
  ID_MAX_LENGTH,
  INSTANT_MAX_MS,
  INSTANT_MIN_MS,
  INTERVAL_MAX_MS,
  INTERVAL_MIN_MS,
  JOB_WORKERS_MAX,
  JOBS_CONCURRENCY_MAX,
  JOBS_MAX,
  MESSAGE_MAX_LENGTH,
  NAME_MAX_LENGTH,
  NICENESS_MAX,
  NICENESS_MIN,
  PRIORITY_MAX,
  PRIORITY_MIN,
  REMINDERS_MAX,
  SNOOZE_MINUTES_MAX,
  SNOOZE_MINUTES_MIN,
  TIME_ZONE_MAX_LENGTH,
  WORKING_HOURS_MAX,
} from './limits.js';
import { fastParseReminder } from './reminder-fast-parse.js';
import { hasControlCharacter } from './terminal-text.js';

/**
 * The settings document (settings.json) and the pieces it shares with the contract. Bounds are
 * stated in every message so a bad value reads as "field: must be … (got …)".
 */

export const SETTINGS_VERSION = 1;

const range = (min: number, max: number, unit = '') =>
  `must be a number from ${min} to ${max}${unit ? ` ${unit}` : ''}`;

const finite = (min: number, max: number, unit = '') =>
  z
    .number({ error: range(min, max, unit) })
    .min(min, range(min, max, unit))
    .max(max, range(min, max, unit));

const integer = (min: number, max: number, unit = '') =>
  z
    .number({ error: range(min, max, unit) })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, range(min, max, unit))
    .max(max, range(min, max, unit));

export const priorityField = finite(PRIORITY_MIN, PRIORITY_MAX);
/** An on/off setting; `sound=yes` reads "must be true or false", not zod's type jargon. */
const switchField = z.boolean({ error: 'must be true or false' });

/** A name (reminder, job, timer): one line of plain text, nothing a terminal would act on. */
export const nameTextField = z
  .string()
  .min(1, 'must not be empty')
  .max(NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`)
  .refine(
    (text) => !hasControlCharacter(text),
    'must not contain control characters (ESC, CR, line breaks, tabs) or bidi overrides',
  );

/** A notification message: may span lines (a notification shows them), but holds no other control. */
const messageTextField = z
  .string()
  .min(1, 'must not be empty')
  .max(MESSAGE_MAX_LENGTH, `must be at most ${MESSAGE_MAX_LENGTH} characters`)
  .refine(
    (text) => !hasControlCharacter(text, { allowNewlines: true }),
    'must not contain control characters (ESC, CR, tabs) or bidi overrides; line breaks are fine',
  );
export const instantField = finite(INSTANT_MIN_MS, INSTANT_MAX_MS, 'ms since the epoch');
export const hhmmField = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM from 00:00 to 23:59');
export const weekdayField = z.literal([0, 1, 2, 3, 4, 5, 6], {
  error: 'must be a weekday number from 0 (Sunday) to 6 (Saturday)',
});
const timeZoneField = z.string().min(1).max(TIME_ZONE_MAX_LENGTH);

export const scheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('once'), at: instantField }),
    z.object({
      kind: z.literal('every'),
      intervalMs: finite(INTERVAL_MIN_MS, INTERVAL_MAX_MS, 'ms (1 s to 366 days)'),
      anchor: instantField.optional(),
    }),
    z.object({
      kind: z.literal('daily'),
      time: hhmmField,
      weekdays: z.array(weekdayField).min(1, 'must list at least one day').max(7).optional(),
      timeZone: timeZoneField.optional(),
    }),
    z.object({
      kind: z.literal('cron'),
      expression: z.string().min(1, 'must not be empty').max(CRON_EXPRESSION_MAX_LENGTH),
      timeZone: timeZoneField.optional(),
    }),
  ],
  { error: 'kind must be one of once, every, daily, cron' },
);

/** A span of the week when a reminder may speak; outside every span it stays silent. */
export const workingHoursSchema = z.object({
  days: z.array(weekdayField).min(1, 'must list at least one day').max(7),
  start: hhmmField,
  end: hhmmField,
});

export const reminderIdField = z
  .string()
  .regex(
    new RegExp(`^[a-z0-9][a-z0-9_-]{0,${ID_MAX_LENGTH - 1}}$`),
    `must be 1-${ID_MAX_LENGTH} characters: lowercase letters, digits, "-" or "_"`,
  );

// Reminders, jobs and the document are loose objects: a field this version does not know (added by
// hand, or by a newer myTimer) is kept through every save instead of vanishing (see unknownFields).
export const reminderSchema = z.looseObject({
  id: reminderIdField,
  /** Absent: the built-in localized name (the default reminder has none, so it follows the language). */
  name: nameTextField.optional(),
  /** Absent: the built-in localized message, "Don't code — rest your eyes", for the default reminder; else its name. */
  message: messageTextField.optional(),
  schedule: scheduleSchema,
  priority: priorityField.default(5),
  enabled: switchField.default(true),
  snoozeMinutes: integer(SNOOZE_MINUTES_MIN, SNOOZE_MINUTES_MAX, 'minutes').default(5),
  workingHours: z.array(workingHoursSchema).max(WORKING_HOURS_MAX).optional(),
  sound: switchField.optional(),
  /**
   * A break reminder (rest your eyes, stretch): `rest-now` counts it again from now. Absent: only the
   * default reminder (`rest-eyes`) is one — see {@link isBreakReminder}.
   */
  break: switchField.optional(),
  /** At most this many skips a day (the user's day, in their zone); absent: no limit. */
  maxSkipsPerDay: integer(0, DAILY_LIMIT_MAX).optional(),
  /** At most this many snoozes a day; absent: no limit. */
  maxSnoozesPerDay: integer(0, DAILY_LIMIT_MAX).optional(),
  /**
   * A break reminder's break length: idle (or locked, or asleep) this long counts as the break taken and
   * restarts its clock. Absent: {@link BREAK_MINUTES_DEFAULT} for a break reminder (see {@link breakLengthMs}).
   */
  breakMinutes: integer(BREAK_MINUTES_MIN, BREAK_MINUTES_MAX, 'minutes').optional(),
  /**
   * How it is shown: `notification` (absent: the default) or `window`, a full-screen break window on
   * every display with a countdown of `breakMinutes` (in the app; headless hosts show the notification).
   */
  alert: z.enum(['notification', 'window'], { error: 'must be "notification" or "window"' }).optional(),
  /** Strict break window: no Postpone or Skip; the only way out early is Ctrl+Alt+X held 3 s. */
  strict: switchField.optional(),
});

/** Ids name things in commands and files: two of the same would make one unreachable. */
function uniqueIds(items: readonly { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id))
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id "${item.id}"` });
    seen.add(item.id);
  });
}

/**
 * A scheduled background job: `copy`, a verified folder copy (a backup users can trust), or
 * `verify`, a scrub that re-reads the copy in `destination` against its manifest's SHA-512 (bit
 * rot) and marks what is damaged, so the next copy copies it again.
 */
export const jobSchema = z.looseObject({
  id: reminderIdField,
  name: nameTextField.optional(),
  kind: z.enum(['copy', 'verify'], { error: 'must be "copy" or "verify"' }),
  /** The folder copied (a copy job needs it; a verify job reads only the destination and its manifest). */
  source: z.string().min(1, 'must be a folder path').max(4096).optional(),
  destination: z.string().min(1, 'must be a folder path').max(4096),
  /** Worker threads for this job; absent: one per CPU core. */
  workers: integer(1, JOB_WORKERS_MAX, 'workers').optional(),
  schedule: scheduleSchema,
  priority: priorityField.default(5),
  enabled: z.boolean().default(true),
});

export const languageField = z.enum(['auto', 'en', 'zh-CN'], { error: 'must be one of auto, en, zh-CN' });

/** The settings document's body; the store adds and checks `version` (SETTINGS_VERSION) around it. */
export const settingsSchema = z.looseObject({
  language: languageField.default('auto'),
  /** OS niceness the daemon asks for (0 normal … 19 lowest); raising priority (< 0) needs privileges, so it is not offered. */
  niceness: integer(NICENESS_MIN, NICENESS_MAX).default(10),
  /** IANA zone for calendar schedules; absent: the system's. */
  timeZone: timeZoneField.optional(),
  sound: switchField.default(false),
  startAtLogin: switchField.default(false),
  jobs: z
    .array(jobSchema)
    .max(JOBS_MAX, `must hold at most ${JOBS_MAX} jobs`)
    .superRefine(uniqueIds)
    .default([]),
  /** Do not disturb: hold reminders until it ends, deliver them quietly, or ignore it. */
  dndPolicy: z
    .enum(['hold', 'quiet', 'ignore'], { error: 'must be one of hold, quiet, ignore' })
    .default('hold'),
  /** A camera or microphone in use holds break reminders until it is free. */
  meetingsHold: switchField.default(true),
  /** Idle this many minutes counts as away: reminders wait until the user is back. */
  idleThresholdMinutes: integer(IDLE_THRESHOLD_MINUTES_MIN, IDLE_THRESHOLD_MINUTES_MAX, 'minutes').default(
    IDLE_THRESHOLD_MINUTES_DEFAULT,
  ),
  /** How many jobs may run at once; the rest wait in the queue by (due, priority, first-come). */
  jobsConcurrency: integer(1, JOBS_CONCURRENCY_MAX).default(1),
  reminders: z
    .array(reminderSchema)
    .max(REMINDERS_MAX, `must hold at most ${REMINDERS_MAX} reminders`)
    .superRefine(uniqueIds),
});

/**
 * `settingsSchema.safeParse(value)`, with the reminders (up to 10,000 of them) checked by a
 * precompiled fast path instead of zod when every one has the common shape — the same result, at a
 * fraction of the time and garbage (see reminder-fast-parse.ts). Anything else, bad values included,
 * goes through zod alone, so the errors are zod's.
 */
export function safeParseSettings(value: unknown): ReturnType<typeof settingsSchema.safeParse> {
  const fast = fastParseSettings(value);
  return fast === undefined ? settingsSchema.safeParse(value) : { success: true, data: fast };
}

function fastParseSettings(value: unknown): Settings | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { reminders } = value as { reminders?: unknown };
  if (!Array.isArray(reminders) || reminders.length > REMINDERS_MAX) return undefined;
  const parsed: Reminder[] = new Array<Reminder>(reminders.length);
  const ids = new Set<string>();
  for (let index = 0; index < reminders.length; index++) {
    const reminder = fastParseReminder(reminders[index]) as Reminder | undefined;
    if (reminder === undefined || ids.has(reminder.id)) return undefined;
    ids.add(reminder.id);
    parsed[index] = reminder;
  }
  // The rest of the document (a few fields, the jobs) by zod, with the reminders' place kept.
  const rest = settingsSchema.safeParse({ ...value, reminders: [] });
  if (!rest.success) return undefined;
  rest.data.reminders = parsed;
  return rest.data;
}

/**
 * The fields of a settings document this version does not know, as paths (`theme`,
 * `reminders[2].colour`): they are kept as they are, and worth one warning per load.
 */
export function unknownFields(settings: Settings): string[] {
  const extra = (value: object, known: object, at: string) =>
    Object.keys(value)
      .filter((key) => !(key in known))
      .map((key) => `${at}${key}`);
  return [
    ...extra(settings, settingsSchema.shape, ''),
    ...settings.reminders.flatMap((r, i) => extra(r, reminderSchema.shape, `reminders[${i}].`)),
    ...settings.jobs.flatMap((j, i) => extra(j, jobSchema.shape, `jobs[${i}].`)),
  ];
}

/**
 * A patch schema: every field optional and NO defaults filled in. (`.partial()` alone keeps zod's
 * defaults, so `{ sound: true }` would silently reset every other setting to its default.)
 */
export function patchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      field instanceof z.ZodDefault ? field.unwrap() : field,
    ]),
  ) as { [K in keyof Shape]: Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K] };
  return z.object(shape).partial();
}

export type ScheduleInput = z.input<typeof scheduleSchema>;
export type WorkingHours = z.infer<typeof workingHoursSchema>;
export type Reminder = z.infer<typeof reminderSchema>;
export type ReminderInput = z.input<typeof reminderSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type Language = z.infer<typeof languageField>;
export type Job = z.infer<typeof jobSchema>;
export type JobInput = z.input<typeof jobSchema>;

export const DEFAULT_REMINDER_ID = 'rest-eyes';

/**
 * Whether a reminder is a break reminder (taking a break with `rest-now` restarts it): its `break`
 * flag when set; without one, only the default reminder is.
 */
export function isBreakReminder(reminder: Pick<Reminder, 'id' | 'break'>): boolean {
  return reminder.break ?? reminder.id === DEFAULT_REMINDER_ID;
}

/** A break reminder's break length in ms (its `breakMinutes`, default 5), or null for other reminders. */
export function breakLengthMs(reminder: Pick<Reminder, 'id' | 'break' | 'breakMinutes'>): number | null {
  if (!isBreakReminder(reminder)) return null;
  return (reminder.breakMinutes ?? BREAK_MINUTES_DEFAULT) * 60_000;
}

/** Fresh defaults: one reminder, every 60 minutes, priority 5, "Don't code — rest your eyes". */
export function defaultSettings(): Settings {
  return settingsSchema.parse({
    reminders: [
      { id: DEFAULT_REMINDER_ID, schedule: { kind: 'every', intervalMs: 60 * 60_000 }, priority: 5 },
    ],
  });
}
