import type { Command } from 'commander';
import { globalsOf, withDaemon } from '../daemon-or-file.js';
import { localZone } from '../format.js';
import type { CliIO } from '../io.js';
import { t } from '../locale.js';

/** Registers `mytimer status`: what the running daemon is doing. */
export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .description(t(io, 'cli.help.status'))
    .option('--json', 'print the full status object as JSON')
    .addHelpText(
      'after',
      `
Needs a running daemon (start one with \`npx mytimer run\`); without one it says so and exits 1.

Examples:
  mytimer status
  mytimer status --json`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const status = await withDaemon(io, globalsOf(command), (request) => request('status', {}));
      // The report's formatters (and the other commands' modules they use) load only now: `status` with
      // no daemon running answers as fast as Node starts.
      const { formatStatus } = await import('./status-view.js');
      io.stdout(
        options.json
          ? `${JSON.stringify(status, null, 2)}\n`
          : formatStatus(status, localZone(io.env), io.locale),
      );
    });
}
