import type { Command } from 'commander';
import { PAUSE_MAX_MS, PAUSE_MIN_MS } from '../../shared/limits.js';
import { globalsOf, withDaemon } from '../daemon-or-file.js';
import { localZone, nextClockTime, parseDurationInRange } from '../format.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';
import { describeNext } from './status-view.js';

/** The pause lengths the daemon accepts (contract.ts, `pause.durationMs`). */

/** Registers `mytimer pause` and `mytimer resume`: hold all reminders back, and let them go again. */
export function registerPause(program: Command, io: CliIO): void {
  program
    .command('pause')
    .description(t(io, 'cli.help.pause'))
    .argument('[duration]', 'how long, e.g. 30m, 1h, 1h30m (1m to 7d)')
    .option('--until <HH:MM>', 'pause until the next time the local clock shows HH:MM (today or tomorrow)')
    .option('--json', 'print the daemon status after pausing as JSON')
    .addHelpText(
      'after',
      `
Without a duration or --until the pause lasts until \`mytimer resume\`.

Examples:
  mytimer pause 30m
  mytimer pause 1h
  mytimer pause --until 13:30
  mytimer pause`,
    )
    .action(
      async (duration: string | undefined, options: { until?: string; json?: boolean }, command: Command) => {
        if (duration !== undefined && options.until !== undefined) {
          throw UsageError.of('cli.error.pauseBoth');
        }
        const zone = localZone(io.env);
        const params =
          duration !== undefined
            ? { durationMs: parseDurationInRange(duration, 'duration', PAUSE_MIN_MS, PAUSE_MAX_MS) }
            : options.until !== undefined
              ? { until: nextClockTime(options.until, '--until', io.now(), zone) }
              : {};
        const status = await withDaemon(io, globalsOf(command), (request) => request('pause', params));
        io.stdout(
          options.json
            ? `${JSON.stringify(status, null, 2)}\n`
            : `${describeNext(status, zone, io.locale)}\n`,
        );
      },
    );

  program
    .command('resume')
    .description(t(io, 'cli.help.resume'))
    .option('--json', 'print the daemon status after resuming as JSON')
    .addHelpText(
      'after',
      `
Examples:
  mytimer resume`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const status = await withDaemon(io, globalsOf(command), (request) => request('resume', {}));
      io.stdout(
        options.json
          ? `${JSON.stringify(status, null, 2)}\n`
          : `${t(io, 'cli.pause.resumed', { next: describeNext(status, localZone(io.env), io.locale) })}\n`,
      );
    });
}
