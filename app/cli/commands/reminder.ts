import type { Command } from 'commander';
import type { ReminderView } from '../../shared/contract.js';
import { ValidationError, describeValue } from '../../shared/errors.js';
import { SNOOZE_MINUTES_MAX, SNOOZE_MINUTES_MIN } from '../../shared/limits.js';
import { globalsOf, withDaemon, withSettings, type DaemonRequest } from '../daemon-or-file.js';
import { idFromName } from '../../shared/ids.js';
import { formatDue, localZone } from '../format.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';
import { checkOnceAhead } from '../../workers/scheduler/index.js';
import {
  addReminderOptions,
  checkPatch,
  checkReminder,
  describeReminder,
  reminderFields,
  reminderTable,
  type ReminderOptions,
} from './reminder-options.js';

/** What a settings command did, and whether it went through the daemon or the file. */
interface Outcome<T> {
  value: T;
  offline: boolean;
}

/** The reminder list from the daemon; also how `add` learns which ids are taken. */
async function listViaDaemon(request: DaemonRequest): Promise<ReminderView[]> {
  return request('reminder.list', {});
}

/** Registers `mytimer reminder list|add|edit|remove|enable|disable|snooze|skip`. */
export function registerReminder(program: Command, io: CliIO): void {
  const reminder = program
    .command('reminder')
    .description(t(io, 'cli.help.reminder'))
    .addHelpText(
      'after',
      `
Reminder commands go through the running daemon; without one, the daemon's own code checks and
saves the change in this process (under a lock, one writer at a time) and it takes effect when a
daemon starts. \`snooze\` is
the exception: it needs a running daemon.

Examples:
  mytimer reminder list
  mytimer reminder add --schedule "every 45m" --name Stretch --priority 3
  mytimer reminder edit stretch --hours "mon-fri 09:00-18:00"
  mytimer reminder disable rest-eyes`,
    );

  const print = (json: boolean | undefined, value: unknown, human: string) =>
    io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
  // Added to offline confirmations: the change is saved, and nothing is scheduling it yet.
  const offlineNote = (offline: boolean) => (offline ? t(io, 'cli.reminder.offline') : '');
  const described = (view: ReminderView) => describeReminder(view, io.now(), localZone(io.env), io.locale);

  reminder
    .command('list')
    .description(t(io, 'cli.help.reminder.list'))
    .option('--json', 'print the reminders as a JSON array')
    .addHelpText(
      'after',
      `
NEXT comes from the running daemon; without one it shows "—".

Examples:
  mytimer reminder list
  mytimer reminder list --json`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const views = await withSettings(io, globalsOf(command), {
        viaDaemon: listViaDaemon,
      });
      if (options.json) io.stdout(`${JSON.stringify(views, null, 2)}\n`);
      else if (views.length === 0) io.stdout(`${t(io, 'cli.reminder.none')}\n`);
      else io.stdout(reminderTable(views, io.now(), localZone(io.env), io.locale));
    });

  addReminderOptions(
    reminder
      .command('add')
      .description(t(io, 'cli.help.reminder.add'))
      .option(
        '--id <id>',
        'its id: lowercase letters, digits, - and _ (default: from the name, else reminder-N)',
      ),
    { edit: false },
  )
    .option('--json', 'print the new reminder as JSON')
    .addHelpText(
      'after',
      `
Working hours (--hours): "<days> HH:MM-HH:MM", days as mon-fri, mon,wed,fri, weekdays, weekends or
daily; an end before the start runs past midnight. Outside every span the reminder stays silent.

Examples:
  mytimer reminder add --schedule "every 45m" --name Stretch --message "Stand up and stretch"
  mytimer reminder add --schedule "daily 12:30 mon-fri" --name Lunch --priority 2
  mytimer reminder add --schedule "every 20m" --name "20-20-20" --hours "mon-fri 09:00-18:00" --sound`,
    )
    .action(async (options: ReminderOptions, command: Command) => {
      const fields = reminderFields(options);
      // Checked before anything else happens, with a stand-in id when the real one is not known yet.
      checkReminder(options.id ?? 'new', fields);
      // A new one-shot in the past would fire at once (the daemon refuses it too; so does this, offline).
      if (fields.schedule) checkOnceAhead(fields.schedule, io.now(), '--schedule');
      const pickId = (taken: Set<string>): string => {
        if (options.id !== undefined && taken.has(options.id)) {
          throw UsageError.of('cli.error.reminderExists', { id: options.id });
        }
        return options.id ?? idFromName(options.name, taken);
      };
      const outcome = await withSettings<Outcome<ReminderView>>(io, globalsOf(command), {
        viaDaemon: async (request, offline) => {
          const taken = new Set((await listViaDaemon(request)).map((item) => item.id));
          const added = checkReminder(pickId(taken), fields);
          return { value: await request('reminder.add', { reminder: added }), offline };
        },
      });
      const line = t(io, 'cli.reminder.added', { reminder: described(outcome.value) });
      print(options.json, outcome.value, line + offlineNote(outcome.offline));
    });

  addReminderOptions(
    reminder
      .command('edit')
      .description(t(io, 'cli.help.reminder.edit'))
      .argument('<id>', 'the reminder id, as `mytimer reminder list` shows it'),
    { edit: true },
  )
    .option('--json', 'print the changed reminder as JSON')
    .addHelpText(
      'after',
      `
Examples:
  mytimer reminder edit rest-eyes --schedule "every 50m" --priority 2
  mytimer reminder edit stretch --hours "mon-fri 09:00-12:00" --hours "mon-fri 13:00-18:00"
  mytimer reminder edit stretch --no-hours --no-sound`,
    )
    .action(async (id: string, options: ReminderOptions, command: Command) => {
      const fields = reminderFields(options);
      if (Object.keys(fields).length === 0) {
        throw UsageError.of('cli.error.nothingToChange');
      }
      const patch = checkPatch(fields);
      const outcome = await withSettings<Outcome<ReminderView>>(io, globalsOf(command), {
        viaDaemon: async (request, offline) => {
          return { value: await request('reminder.edit', { id, patch }), offline };
        },
      });
      const line = t(io, 'cli.reminder.changed', { reminder: described(outcome.value) });
      print(options.json, outcome.value, line + offlineNote(outcome.offline));
    });

  const toggles = [
    ['enable', 'reminder.enable', 'cli.help.reminder.enable', 'cli.reminder.enabled'],
    ['disable', 'reminder.disable', 'cli.help.reminder.disable', 'cli.reminder.disabled'],
  ] as const;
  for (const [verb, method, description, done] of toggles) {
    reminder
      .command(verb)
      .description(t(io, description))
      .argument('<id>', 'the reminder id, as `mytimer reminder list` shows it')
      .option('--json', 'print the reminder as JSON')
      .addHelpText('after', `\nExamples:\n  mytimer reminder ${verb} rest-eyes`)
      .action(async (id: string, options: { json?: boolean }, command: Command) => {
        const outcome = await withSettings<Outcome<ReminderView>>(io, globalsOf(command), {
          viaDaemon: async (request, offline) => ({
            value: await request(method, { id }),
            offline,
          }),
        });
        const line = t(io, done, { reminder: described(outcome.value) });
        print(options.json, outcome.value, line + offlineNote(outcome.offline));
      });
  }

  reminder
    .command('remove')
    .description(t(io, 'cli.help.reminder.remove'))
    .argument('<id>', 'the reminder id, as `mytimer reminder list` shows it')
    .option('--json', 'print {"removed": true} as JSON')
    .addHelpText('after', '\nExamples:\n  mytimer reminder remove stretch')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const offline = await withSettings(io, globalsOf(command), {
        viaDaemon: async (request, offline) => {
          await request('reminder.remove', { id });
          return offline;
        },
      });
      print(options.json, { removed: true }, t(io, 'cli.reminder.removed', { id }) + offlineNote(offline));
    });

  reminder
    .command('snooze')
    .description(t(io, 'cli.help.reminder.snooze'))
    .argument('<id>', 'the reminder id, as `mytimer reminder list` shows it')
    .option('--minutes <n>', "how long, 1 to 240 (default: the reminder's own snooze length)")
    .option('--json', 'print the daemon reply as JSON')
    .addHelpText(
      'after',
      `
Snooze means "not before now + the minutes": a reminder whose next time is already later keeps it,
and one that would land outside its working hours comes at the first time inside them.

Examples:
  mytimer reminder snooze rest-eyes
  mytimer reminder snooze rest-eyes --minutes 15`,
    )
    .action(async (id: string, options: { minutes?: string; json?: boolean }, command: Command) => {
      const params = options.minutes === undefined ? { id } : { id, minutes: parseMinutes(options.minutes) };
      const result = await withDaemon(io, globalsOf(command), (request) =>
        request('reminder.snooze', params),
      );
      const next =
        result.nextDueAt !== null
          ? t(io, 'cli.reminder.snoozedUntil', {
              due: formatDue(result.nextDueAt, io.now(), localZone(io.env)),
            })
          : options.minutes === undefined
            ? ''
            : t(io, 'cli.reminder.snoozedFor', { minutes: options.minutes });
      // A snooze never brings a reminder earlier, and never parks it outside its working hours: say which.
      const reason =
        result.snooze.reason === 'pending'
          ? t(io, 'cli.reminder.snoozePending', { minutes: params.minutes ?? result.snoozeMinutes })
          : result.snooze.reason === 'working-hours'
            ? t(io, 'cli.reminder.snoozeHours')
            : '';
      print(options.json, result, t(io, 'cli.reminder.snoozed', { id, next, reason }));
    });

  reminder
    .command('skip')
    .description(t(io, 'cli.help.reminder.skip'))
    .argument('<id>', 'the reminder id, as `mytimer reminder list` shows it')
    .option('--json', 'print the daemon reply as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const result = await withDaemon(io, globalsOf(command), (request) => request('reminder.skip', { id }));
      const text =
        result.skipsLeftToday === null
          ? t(io, 'cli.reminder.skipped', { id })
          : t(io, 'cli.reminder.skipsLeft', { id, left: result.skipsLeftToday });
      print(options.json, result, text);
    });
}

/** `--minutes`: whole minutes from 1 to 240 (contract.ts, `reminder.snooze.minutes`). */
function parseMinutes(text: string): number {
  const minutes = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(minutes >= SNOOZE_MINUTES_MIN && minutes <= SNOOZE_MINUTES_MAX)) {
    throw new ValidationError(
      '--minutes',
      `must be a whole number from 1 to 240 (got ${describeValue(text)})`,
    );
  }
  return minutes;
}
