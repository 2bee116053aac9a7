import type { Command } from 'commander';
import { statusSchema } from '../../shared/contract.js';
import { DAY_MS, MINUTE_MS } from '../../shared/limits.js';
import { globalsOf, parseReply, withDaemon } from '../daemon-or-file.js';
import { localZone, nextClockTime, parseDurationInRange } from '../format.js';
import { UsageError, type CliIO } from '../io.js';
import { describeNext } from './status-view.js';

/** The pause lengths the daemon accepts (contract.ts, `pause.durationMs`). */
const PAUSE_MIN_MS = MINUTE_MS;
const PAUSE_MAX_MS = 7 * DAY_MS;

/** Registers `mytimer pause` and `mytimer resume`: hold all reminders back, and let them go again. */
export function registerPause(program: Command, io: CliIO): void {
  program
    .command('pause')
    .description('Pause all reminders: for a while, until a time, or until you resume')
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
          throw new UsageError('give a duration or --until, not both');
        }
        const zone = localZone(io.env);
        const params =
          duration !== undefined
            ? { durationMs: parseDurationInRange(duration, 'duration', PAUSE_MIN_MS, PAUSE_MAX_MS) }
            : options.until !== undefined
              ? { until: nextClockTime(options.until, '--until', io.now(), zone) }
              : {};
        const result = await withDaemon(io, globalsOf(command), (request) => request('pause', params));
        const status = parseReply(statusSchema, result, 'pause');
        io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${describeNext(status, zone)}\n`);
      },
    );

  program
    .command('resume')
    .description('End a pause: reminders fire again from now')
    .option('--json', 'print the daemon status after resuming as JSON')
    .addHelpText(
      'after',
      `
Examples:
  mytimer resume`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const result = await withDaemon(io, globalsOf(command), (request) => request('resume', {}));
      const status = parseReply(statusSchema, result, 'resume');
      io.stdout(
        options.json
          ? `${JSON.stringify(result, null, 2)}\n`
          : `Resumed. ${describeNext(status, localZone(io.env))}\n`,
      );
    });
}
