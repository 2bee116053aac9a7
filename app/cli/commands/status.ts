import type { Command } from 'commander';
import { globalsOf, parseReply, withDaemon } from '../daemon-or-file.js';
import { localZone } from '../format.js';
import type { CliIO } from '../io.js';

/** Registers `mytimer status`: what the running daemon is doing. */
export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .description('Show what the running daemon is doing: next reminder, pause, timers, notifications')
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
      const result = await withDaemon(io, globalsOf(command), (request) => request('status', {}));
      // The reply's schema and the report's formatters (zod among them) load only now: `status` with
      // no daemon running answers as fast as Node starts.
      const [{ statusSchema }, { formatStatus }] = await Promise.all([
        import('../../shared/contract.js'),
        import('./status-view.js'),
      ]);
      const status = parseReply(statusSchema, result, 'status');
      io.stdout(
        options.json ? `${JSON.stringify(result, null, 2)}\n` : formatStatus(status, localZone(io.env)),
      );
    });
}
