import type { Command } from 'commander';
import { settingsSchema, patchOf, type Settings } from '../../shared/settings.js';
import { parseWith } from '../../shared/validate.js';
import { globalsOf, parseReply, withSettings } from '../daemon-or-file.js';
import { UsageError, type CliIO } from '../io.js';

/** The settings a command line may set (reminders and jobs have their own commands). */
const patchSchema = patchOf(settingsSchema.omit({ reminders: true, jobs: true }));
const KEYS = Object.keys(patchSchema.shape) as Array<keyof typeof patchSchema.shape>;

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
    .description('Show or change general settings (language, niceness, timeZone, sound, jobsConcurrency …)')
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
    .description('Print the general settings as JSON')
    .action(async (_options: unknown, command: Command) => {
      const value = await withSettings(io, globalsOf(command), {
        viaDaemon: async (request) =>
          parseReply(settingsSchema, await request('settings.get'), 'settings.get'),
      });
      const { reminders: _r, jobs: _j, ...general } = value;
      io.stdout(`${JSON.stringify(general, null, 2)}\n`);
    });

  settings
    .command('set')
    .description('Change settings: key=value …')
    .argument('<key=value...>')
    .action(async (pairs: string[], _options: unknown, command: Command) => {
      const patch = parseAssignments(pairs);
      await withSettings(io, globalsOf(command), {
        viaDaemon: async (request) => void (await request('settings.set', { patch })),
      });
      io.stdout(
        `Saved: ${Object.entries(patch)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}\n`,
      );
    });
}
