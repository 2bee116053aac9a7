import type { Command } from 'commander';
import { settingsSchema, patchOf, type Settings } from '../../shared/settings.js';
import { escapeControl } from '../../shared/terminal-text.js';
import { parseWith } from '../../shared/validate.js';
import { globalsOf, withSettings } from '../daemon-or-file.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';

/** The settings a command line may set (reminders and jobs have their own commands). */
const patchSchema = patchOf(settingsSchema.omit({ reminders: true, jobs: true }));
const KEYS = Object.keys(patchSchema.shape) as Array<keyof typeof patchSchema.shape>;

/** What each key takes, for `settings set --help` (the schema in shared/settings.ts is the rule). */
const KEY_HELP: Record<(typeof KEYS)[number], string> = {
  language: 'auto, en or zh-CN (auto follows the OS)',
  niceness: '0 to 19: how far the daemon lowers its own OS priority (default 10)',
  timeZone: "an IANA zone for calendar schedules, e.g. Europe/Berlin (default: the system's)",
  sound: 'true or false: play a sound with notifications',
  startAtLogin: 'true or false: start the desktop app at login',
  dndPolicy: 'hold, quiet or ignore: what do not disturb does to reminders (default hold)',
  meetingsHold: 'true or false: a camera or microphone in use holds break reminders (default true)',
  idleThresholdMinutes: '1 to 60: idle this long counts as away, reminders wait (default 2)',
  jobsConcurrency: '1 to 16: how many jobs may run at once (default 1)',
};

/** `key=value` pairs to a validated patch: numbers and true/false are read as such, the rest as text. */
export function parseAssignments(pairs: readonly string[]): Partial<Settings> {
  const raw: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`expected key=value, got ${JSON.stringify(pair)} (keys: ${KEYS.join(', ')})`);
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    if (!(KEYS as string[]).includes(key))
      throw new UsageError(`unknown setting "${key}" (keys: ${KEYS.join(', ')})`);
    raw[key] =
      text === 'true'
        ? true
        : text === 'false'
          ? false
          : text !== '' && Number.isFinite(Number(text))
            ? Number(text)
            : text;
  }
  return parseWith(patchSchema, raw, 'settings');
}

export function registerSettings(program: Command, io: CliIO): void {
  const settings = program
    .command('settings')
    .description(t(io, 'cli.help.settings'))
    .addHelpText(
      'after',
      `
Through the running daemon when there is one, else straight in the settings file (under a lock).

Examples:
  mytimer settings get
  mytimer settings set language=zh-CN
  mytimer settings set niceness=15 jobsConcurrency=2 timeZone=Europe/Berlin`,
    );

  settings
    .command('get')
    .description(t(io, 'cli.help.settings.get'))
    .action(async (_options: unknown, command: Command) => {
      const value = await withSettings(io, globalsOf(command), {
        viaDaemon: (request) => request('settings.get'),
      });
      const { reminders: _r, jobs: _j, ...general } = value;
      io.stdout(`${JSON.stringify(general, null, 2)}\n`);
    });

  const width = Math.max(...KEYS.map((key) => key.length));
  settings
    .command('set')
    .description(t(io, 'cli.help.settings.set'))
    .argument('<key=value...>')
    .option('--json', 'print the general settings after the change as JSON')
    .addHelpText(
      'after',
      `
Keys:
${KEYS.map((key) => `  ${key.padEnd(width)}  ${KEY_HELP[key]}`).join('\n')}

Examples:
  mytimer settings set sound=true
  mytimer settings set niceness=15 jobsConcurrency=2 timeZone=Europe/Berlin`,
    )
    .action(async (pairs: string[], options: { json?: boolean }, command: Command) => {
      const patch = parseAssignments(pairs);
      const saved = await withSettings(io, globalsOf(command), {
        viaDaemon: (request) => request('settings.set', { patch }),
      });
      if (options.json) {
        const { reminders: _r, jobs: _j, ...general } = saved;
        io.stdout(`${JSON.stringify(general, null, 2)}\n`);
        return;
      }
      io.stdout(
        escapeControl(
          `Saved: ${Object.entries(patch)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', ')}`,
        ) + '\n',
      );
    });
}
