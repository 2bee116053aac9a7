import type { Command } from 'commander';
import { methods, type TimerView } from '../../shared/contract.js';
import {
  TIMER_DURATION_MAX_MS as COUNTDOWN_MAX_MS,
  TIMER_DURATION_MIN_MS as COUNTDOWN_MIN_MS,
} from '../../shared/limits.js';
import { escapeControl } from '../../shared/terminal-text.js';
import { parseWith } from '../../shared/validate.js';
import { globalsOf, withDaemon } from '../daemon-or-file.js';
import { formatCountdown } from '../../shared/time-format.js';
import { formatTable, formatWhen, localZone, parseDurationInRange } from '../format.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';
import { translate, type Locale, type MessageKey } from '../../shared/i18n/index.js';

/** Timer readings in the CLI: a fixed `H:MM:SS` column, rounded down to the second. */
const HMS = { alwaysHours: true, roundDown: true } as const;

/** The countdown lengths the daemon accepts (contract.ts, `timer.start.durationMs`). */

/** What a timer reads: time left on a countdown, time elapsed on a stopwatch. */
export function timerReading(timer: TimerView, locale: Locale = 'en'): string {
  if (timer.mode === 'stopwatch')
    return translate(locale, 'cli.timer.elapsed', { time: formatCountdown(timer.elapsedMs, HMS) });
  return timer.remainingMs === null
    ? '—'
    : translate(locale, 'cli.timer.left', { time: formatCountdown(timer.remainingMs, HMS) });
}

/** Table rows for timers: id, mode, state, reading, name (last, as names may be wide). */
export function timerRows(timers: readonly TimerView[], locale: Locale = 'en'): string[][] {
  return timers.map((timer) => [timer.id, timer.mode, timer.state, timerReading(timer, locale), timer.name]);
}

/** `t1 "Tea" (countdown, running, 0:04:05 left, ends at 09:04)`. */
export function describeTimer(timer: TimerView, zone: string, locale: Locale = 'en'): string {
  const ends =
    timer.state === 'running' && timer.endsAt !== null
      ? translate(locale, 'cli.timer.endsAt', { time: formatWhen(timer.endsAt, timer.at, zone) })
      : '';
  return `${timer.id} "${escapeControl(timer.name)}" (${timer.mode}, ${timer.state}, ${timerReading(timer, locale)}${ends})`;
}

type TimerMethod = 'timer.pause' | 'timer.resume' | 'timer.stop';

interface StartOptions {
  name?: string;
  stopwatch?: boolean;
  json?: boolean;
}

/** Registers `mytimer timer start|list|pause|resume|stop`: countdowns and stopwatches run by the daemon. */
export function registerTimer(program: Command, io: CliIO): void {
  const timer = program
    .command('timer')
    .description(t(io, 'cli.help.timer'))
    .addHelpText(
      'after',
      `
Timers run in the daemon, so they need one running (\`mytimer run\`). Timers get short ids (t1,
t2 …); pause, resume and stop also take a timer's name or a unique start of its id or name.

Examples:
  mytimer timer start 25m --name Focus
  mytimer timer start --stopwatch
  mytimer timer list
  mytimer timer pause t1`,
    );

  timer
    .command('start')
    .description(t(io, 'cli.help.timer.start'))
    .argument('[duration]', 'countdown length, e.g. 25m, 1h30m, 90s (1s to 7d)')
    .option('--name <name>', 'what the timer is for; shown in the list and the notification')
    .option('--stopwatch', 'count up instead of down (takes no duration)')
    .option('--json', 'print the new timer as JSON')
    .addHelpText(
      'after',
      `
Examples:
  mytimer timer start 25m
  mytimer timer start 1h30m --name "Bread in the oven"
  mytimer timer start --stopwatch --name Meeting`,
    )
    .action(async (duration: string | undefined, options: StartOptions, command: Command) => {
      if (options.stopwatch && duration !== undefined) throw UsageError.of('cli.error.stopwatchDuration');
      if (!options.stopwatch && duration === undefined) {
        throw UsageError.of('cli.error.timerNeedsDuration');
      }
      const params = {
        mode: options.stopwatch ? ('stopwatch' as const) : ('countdown' as const),
        ...(duration !== undefined && {
          durationMs: parseDurationInRange(duration, 'duration', COUNTDOWN_MIN_MS, COUNTDOWN_MAX_MS),
        }),
        ...(options.name !== undefined && { name: options.name }),
      };
      // Checked here too so the error names the option as typed: `--name: must not be empty`.
      parseWith(methods['timer.start'].params.shape.name, options.name, '--name');
      const view = await withDaemon(io, globalsOf(command), (request) => request('timer.start', params));
      io.stdout(
        options.json
          ? `${JSON.stringify(view, null, 2)}\n`
          : `${t(io, 'cli.timer.started', { timer: describeTimer(view, localZone(io.env), io.locale) })}\n`,
      );
    });

  timer
    .command('list')
    .description(t(io, 'cli.help.timer.list'))
    .option('--json', 'print the timers as a JSON array')
    .addHelpText(
      'after',
      `
Examples:
  mytimer timer list
  mytimer timer list --json`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const timers = await withDaemon(io, globalsOf(command), (request) => request('timer.list', {}));
      if (options.json) io.stdout(`${JSON.stringify(timers, null, 2)}\n`);
      else if (timers.length === 0) io.stdout(`${t(io, 'cli.timer.none')}\n`);
      else {
        const header = (
          ['cli.table.id', 'cli.table.mode', 'cli.table.state', 'cli.table.time', 'cli.table.name'] as const
        ).map((key) => t(io, key));
        io.stdout(formatTable([header, ...timerRows(timers, io.locale)]));
      }
    });

  const actions: [verb: string, method: TimerMethod, done: MessageKey, description: MessageKey][] = [
    ['pause', 'timer.pause', 'cli.timer.paused', 'cli.help.timer.pause'],
    ['resume', 'timer.resume', 'cli.timer.resumed', 'cli.help.timer.resume'],
    ['stop', 'timer.stop', 'cli.timer.stopped', 'cli.help.timer.stop'],
  ];
  for (const [verb, method, done, description] of actions) {
    timer
      .command(verb)
      .description(t(io, description))
      .argument('<id>', 'the timer: its id (t1), its name, or a unique start of either')
      .option('--json', 'print the timer as JSON')
      .addHelpText(
        'after',
        `
Examples:
  mytimer timer ${verb} t1
  mytimer timer ${verb} tea`,
      )
      .action(async (id: string, options: { json?: boolean }, command: Command) => {
        const view = await withDaemon(io, globalsOf(command), (request) => request(method, { id }));
        io.stdout(
          options.json
            ? `${JSON.stringify(view, null, 2)}\n`
            : `${t(io, done, { timer: describeTimer(view, localZone(io.env), io.locale) })}\n`,
        );
      });
  }
}
