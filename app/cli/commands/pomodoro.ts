import type { Command } from 'commander';
import type { PomodoroView } from '../../shared/contract.js';
import { ValidationError, describeValue } from '../../shared/errors.js';
import {
  LONG_BREAK_EVERY_MAX,
  LONG_BREAK_EVERY_MIN,
  POMODORO_LONG_BREAK_MAX_MS,
  POMODORO_LONG_BREAK_MIN_MS,
  POMODORO_SHORT_BREAK_MAX_MS,
  POMODORO_SHORT_BREAK_MIN_MS,
  POMODORO_WORK_MAX_MS,
  POMODORO_WORK_MIN_MS,
} from '../../shared/limits.js';
import { globalsOf, withDaemon } from '../daemon-or-file.js';
import { formatWhen, localZone, parseDurationInRange } from '../format.js';
import type { CliIO } from '../io.js';
import { translate, type Locale, type MessageKey } from '../../shared/i18n/index.js';
import { t } from '../locale.js';
import { timerReading } from './timer.js';

const PHASE_LABELS: Record<PomodoroView['phase'], MessageKey> = {
  work: 'cli.pomodoro.phase.work',
  shortBreak: 'cli.pomodoro.phase.shortBreak',
  longBreak: 'cli.pomodoro.phase.longBreak',
};

/** `work, round 2, 0:12:00 left`, plus `(ends at 09:25)` when a zone is given and it is running. */
export function describePomodoro(view: PomodoroView, zone?: string, locale: Locale = 'en'): string {
  const { timer } = view;
  const ends =
    zone !== undefined && timer.state === 'running' && timer.endsAt !== null
      ? translate(locale, 'cli.pomodoro.endsAt', { time: formatWhen(timer.endsAt, timer.at, zone) })
      : '';
  return translate(locale, 'cli.pomodoro.describe', {
    phase: translate(locale, PHASE_LABELS[view.phase]),
    round: view.round,
    reading: timerReading(timer, locale),
    ends,
  });
}

interface StartOptions {
  work?: string;
  short?: string;
  long?: string;
  every?: string;
  restart?: boolean;
  json?: boolean;
}

/** `--every`: a whole number of work rounds from 1 to 12 (contract.ts, `longBreakEvery`). */
function parseEvery(text: string): number {
  const rounds = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(rounds >= LONG_BREAK_EVERY_MIN && rounds <= LONG_BREAK_EVERY_MAX)) {
    throw new ValidationError(
      '--every',
      `must be a whole number of rounds from 1 to 12 (got ${describeValue(text)})`,
    );
  }
  return rounds;
}

/** Registers `mytimer pomodoro start|skip|stop`: work and break phases run by the daemon. */
export function registerPomodoro(program: Command, io: CliIO): void {
  const pomodoro = program
    .command('pomodoro')
    .description(t(io, 'cli.help.pomodoro'))
    .addHelpText(
      'after',
      `
Needs a running daemon (\`npx mytimer run\`). \`mytimer status\` shows the current phase.

Examples:
  mytimer pomodoro start
  mytimer pomodoro start --work 50m --short 10m --long 30m --every 3
  mytimer pomodoro skip
  mytimer pomodoro stop`,
    );

  pomodoro
    .command('start')
    .description(t(io, 'cli.help.pomodoro.start'))
    .option('--work <duration>', 'work phase length, 1m to 4h (daemon default: 25m)')
    .option('--short <duration>', 'short break length, 1m to 60m (daemon default: 5m)')
    .option('--long <duration>', 'long break length, 1m to 2h (daemon default: 15m)')
    .option('--every <n>', 'a long break after every n work rounds, 1 to 12 (daemon default: 4)')
    .option('--restart', 'replace a pomodoro that is already running (without it, that is refused)')
    .option('--json', 'print the pomodoro as JSON')
    .addHelpText(
      'after',
      `
Starting while a pomodoro runs is refused (exit 2): stop it first, or pass --restart.

Examples:
  mytimer pomodoro start
  mytimer pomodoro start --work 50m --short 10m
  mytimer pomodoro start --restart`,
    )
    .action(async (options: StartOptions, command: Command) => {
      const params = {
        ...(options.work !== undefined && {
          workMs: parseDurationInRange(options.work, '--work', POMODORO_WORK_MIN_MS, POMODORO_WORK_MAX_MS),
        }),
        ...(options.short !== undefined && {
          shortBreakMs: parseDurationInRange(
            options.short,
            '--short',
            POMODORO_SHORT_BREAK_MIN_MS,
            POMODORO_SHORT_BREAK_MAX_MS,
          ),
        }),
        ...(options.long !== undefined && {
          longBreakMs: parseDurationInRange(
            options.long,
            '--long',
            POMODORO_LONG_BREAK_MIN_MS,
            POMODORO_LONG_BREAK_MAX_MS,
          ),
        }),
        ...(options.every !== undefined && { longBreakEvery: parseEvery(options.every) }),
        ...(options.restart && { restart: true }),
      };
      const view = await withDaemon(io, globalsOf(command), (request) => request('pomodoro.start', params));
      io.stdout(
        options.json
          ? `${JSON.stringify(view, null, 2)}\n`
          : `${t(io, 'cli.pomodoro.started', { description: describePomodoro(view, localZone(io.env), io.locale) })}\n`,
      );
    });

  pomodoro
    .command('skip')
    .description(t(io, 'cli.help.pomodoro.skip'))
    .option('--json', 'print the pomodoro as JSON')
    .addHelpText('after', '\nExamples:\n  mytimer pomodoro skip')
    .action(async (options: { json?: boolean }, command: Command) => {
      const view = await withDaemon(io, globalsOf(command), (request) => request('pomodoro.skip', {}));
      if (options.json) io.stdout(`${JSON.stringify(view, null, 2)}\n`);
      else
        io.stdout(
          `${t(io, 'cli.status.pomodoro', { description: describePomodoro(view, localZone(io.env), io.locale) })}\n`,
        );
    });

  pomodoro
    .command('stop')
    .description(t(io, 'cli.help.pomodoro.stop'))
    .option('--json', 'print the stopped pomodoro as JSON')
    .addHelpText(
      'after',
      '\nWith no pomodoro running, says so and exits 2.\n\nExamples:\n  mytimer pomodoro stop',
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      // The daemon answers with the session it stopped, or not-found (exit 2) when none runs.
      const view = await withDaemon(io, globalsOf(command), (request) => request('pomodoro.stop', {}));
      if (options.json) io.stdout(`${JSON.stringify(view, null, 2)}\n`);
      else
        io.stdout(
          `${t(io, 'cli.pomodoro.stopped', { phase: t(io, PHASE_LABELS[view.phase]), round: view.round })}\n`,
        );
    });
}
