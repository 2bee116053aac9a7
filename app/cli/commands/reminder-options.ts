import type { Command } from 'commander';
import { translate, type Locale, type MessageKey } from '../../shared/i18n/index.js';
import { methods, type ReminderView } from '../../shared/contract.js';
import type { Reminder, ReminderInput } from '../../shared/settings.js';
import { isBreakReminder, reminderSchema } from '../../shared/settings.js';
import { formatSchedule, parseScheduleText } from '../../shared/schedule-text.js';
import { escapeControl } from '../../shared/terminal-text.js';
import { parseWith } from '../../shared/validate.js';
import { validateSchedule } from '../../workers/scheduler/index.js';
import { formatDue, formatTable, formatWorkingHours, parseWorkingHours } from '../format.js';
import { UsageError } from '../io.js';

/**
 * The options `reminder add` and `reminder edit` share, and how they become a reminder or a patch.
 * Text options (schedule, hours) are read here and their errors name the option (`--hours: …`);
 * the rest is checked by the settings schema, whose errors name the field (`reminder.priority: …`),
 * the same words the daemon and the settings file use.
 */

/** What commander hands the action: strings as typed, flags as booleans. */
export interface ReminderOptions {
  schedule?: string;
  name?: string;
  message?: string;
  priority?: string;
  snooze?: string;
  /** Repeated `--hours`; `false` from `--no-hours` (edit: clear them). */
  hours?: string[] | false;
  sound?: boolean;
  /** `--break` / `--no-break`: whether `rest-now` restarts it. */
  break?: boolean;
  enabled?: boolean;
  disabled?: boolean;
  id?: string;
  json?: boolean;
}

/** The reminder fields an invocation sets, unchecked, for a new reminder or a patch. */
export type ReminderFields = Omit<ReminderInput, 'id' | 'schedule' | 'priority' | 'snoozeMinutes'> & {
  schedule?: ReminderInput['schedule'];
  /** A number when the text is one; the text itself otherwise, so the schema's message says what is allowed. */
  priority?: number | string;
  snoozeMinutes?: number | string;
};

const collect = (value: string, previous: string[] | false | undefined): string[] => [
  ...(Array.isArray(previous) ? previous : []),
  value,
];

/** Declares the shared options; `edit` adds the ones that undo a setting (--no-hours, --enabled). */
export function addReminderOptions(command: Command, { edit }: { edit: boolean }): Command {
  const scheduleHelp = 'when it fires: "every 45m", "daily 09:00 mon-fri", "weekdays 10:30", a cron line';
  if (edit) command.option('--schedule <text>', scheduleHelp);
  else command.requiredOption('--schedule <text>', scheduleHelp);
  command
    .option('--name <name>', 'the notification title (default: the localized "Rest your eyes")')
    .option(
      '--message <text>',
      'the notification text (default: its name; rest-eyes says the localized "Don\'t code — rest your eyes")',
    )
    .option('--priority <1-20>', `1 is the most urgent, 20 the least${edit ? '' : ' (default: 5)'}`)
    .option('--snooze <minutes>', `how long a snooze lasts, 1 to 240 minutes${edit ? '' : ' (default: 5)'}`)
    .option(
      '--hours <spec>',
      'only speak in these hours, e.g. "mon-fri 09:00-18:00"; repeat for more spans',
      collect,
    );
  if (edit) command.option('--no-hours', 'remove the working hours: speak at any time');
  command
    .option('--sound', 'play a sound with the notification')
    .option('--no-sound', 'never play a sound with this one')
    .option('--break', 'a break reminder: `mytimer rest-now` counts it again from now')
    .option('--no-break', 'not a break: `rest-now` leaves it alone (default, except for rest-eyes)');
  if (edit) command.option('--enabled', 'turn it on');
  command.option('--disabled', edit ? 'turn it off' : 'add it turned off');
  return command;
}

/** `"5"` → 5; anything else stays text, for the schema to refuse with its range. */
const numberOrText = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/** The fields the options set, with schedule and hours already parsed. Absent options are absent keys. */
export function reminderFields(options: ReminderOptions): ReminderFields {
  if (options.enabled && options.disabled) throw UsageError.of('cli.error.enabledBoth');
  const fields: ReminderFields = {};
  if (options.schedule !== undefined) {
    fields.schedule = validateSchedule(parseScheduleText(options.schedule, '--schedule'), '--schedule');
  }
  if (options.name !== undefined) fields.name = options.name;
  if (options.message !== undefined) fields.message = options.message;
  if (options.priority !== undefined) fields.priority = numberOrText(options.priority);
  if (options.snooze !== undefined) fields.snoozeMinutes = numberOrText(options.snooze);
  if (options.hours === false) fields.workingHours = [];
  else if (options.hours !== undefined) {
    fields.workingHours = options.hours.map((spec) => parseWorkingHours(spec, '--hours'));
  }
  if (options.sound !== undefined) fields.sound = options.sound;
  if (options.break !== undefined) fields.break = options.break;
  if (options.enabled) fields.enabled = true;
  if (options.disabled) fields.enabled = false;
  return fields;
}

/** A complete, checked reminder: errors name `reminder.<field>`. */
export function checkReminder(id: string, fields: ReminderFields): Reminder {
  return parseWith(reminderSchema, { ...fields, id }, 'reminder');
}

const patchSchema = methods['reminder.edit'].params.shape.patch;

/**
 * A checked patch holding only the keys the user set. The schema's output is not sent as is: its
 * `.partial()` still fills defaults (priority 5, enabled), which would overwrite the reminder's own.
 */
export function checkPatch(fields: ReminderFields): Partial<Omit<Reminder, 'id'>> {
  const parsed = parseWith(patchSchema, fields, 'reminder') as Record<string, unknown>;
  return Object.fromEntries(Object.keys(fields).map((key) => [key, parsed[key]])) as Partial<
    Omit<Reminder, 'id'>
  >;
}

/** `rest-legs "Stretch" — every 45m, priority 5, next 09:45 (in 45m)`. */
export function describeReminder(
  view: ReminderView,
  now: number,
  zone: string,
  locale: Locale = 'en',
): string {
  const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const parts = [
    formatSchedule(view.schedule, { timeZone: zone }),
    say('cli.reminder.priority', { priority: view.priority }),
  ];
  if (view.workingHours && view.workingHours.length > 0) {
    parts.push(say('cli.reminder.hours', { hours: view.workingHours.map(formatWorkingHours).join(' + ') }));
  }
  if (isBreakReminder(view)) parts.push(say('cli.reminder.break'));
  if (!view.enabled) parts.push(say('cli.reminder.disabledPart'));
  else if (view.nextDueAt !== null)
    parts.push(say('cli.reminder.next', { due: formatDue(view.nextDueAt, now, zone) }));
  return say('cli.reminder.describe', {
    id: view.id,
    name: escapeControl(view.displayName),
    details: parts.join(', '),
  });
}

const REMINDER_COLUMNS = [
  'cli.table.id',
  'cli.table.enabled',
  'cli.table.priority',
  'cli.table.schedule',
  'cli.table.next',
  'cli.table.name',
] as const satisfies readonly MessageKey[];

/** The `reminder list` table; NEXT is "—" when unknown (no daemon) or not scheduled (disabled). */
export function reminderTable(
  views: readonly ReminderView[],
  now: number,
  zone: string,
  locale: Locale = 'en',
): string {
  const rows = views.map((view) => [
    view.id,
    translate(locale, view.enabled ? 'cli.yes' : 'cli.no'),
    String(view.priority),
    formatSchedule(view.schedule, { timeZone: zone }),
    view.nextDueAt === null ? '—' : formatDue(view.nextDueAt, now, zone),
    view.displayName,
  ]);
  const header = REMINDER_COLUMNS.map((key) => translate(locale, key));
  return formatTable([header, ...rows]);
}
