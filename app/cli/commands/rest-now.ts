import type { Command } from 'commander';
import { globalsOf, withDaemon } from '../daemon-or-file.js';
import type { CliIO } from '../io.js';
import { t } from '../locale.js';

/** Registers `mytimer rest-now`: take a break now, without waiting for the next reminder. */
export function registerRestNow(program: Command, io: CliIO): void {
  program
    .command('rest-now')
    .description(t(io, 'cli.help.restNow'))
    .option('--json', 'print the daemon reply as JSON ({"delivered": true|false})')
    .addHelpText(
      'after',
      `
Exits 1 when the desktop notification could not be shown (\`mytimer status\` has the reason).

Examples:
  mytimer rest-now`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const reply = await withDaemon(io, globalsOf(command), (request) => request('rest-now', {}));
      const { delivered } = reply;
      if (options.json) io.stdout(`${JSON.stringify(reply)}\n`);
      else if (delivered) io.stdout(`${t(io, 'cli.restNow.shown')}\n`);
      if (!delivered) {
        throw new Error(t(io, 'cli.restNow.failed'));
      }
    });
}
