import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Stats, StatsRange } from '../../shared/contract.js';
import { DAY_MS, STATS_DAYS_MAX } from '../../shared/limits.js';
import { historyDir } from '../../shared/paths.js';
import { escapeControl } from '../../shared/terminal-text.js';
import { isValidTimeZone, systemTimeZone } from '../../shared/time-zone.js';
import { DaemonNotRunningError } from '../client.js';
import { globalsOf, locate, withDaemon, type GlobalOptions } from '../daemon-or-file.js';
import { formatTable } from '../format.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';

/** What `mytimer stats` was asked for. */
export interface StatsCommandOptions {
  range: StatsRange;
  format: 'table' | 'json' | 'csv';
}

interface StatsFlags {
  day?: boolean;
  week?: boolean;
  month?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** The range and output format from the flags: one range at most (default a week), --json or --csv. */
export function parseStats(flags: StatsFlags): StatsCommandOptions {
  const ranges = (['day', 'week', 'month'] as const).filter((range) => flags[range] === true);
  if (ranges.length > 1) throw UsageError.of('cli.error.statsRange');
  if (flags.json && flags.csv) throw UsageError.of('cli.error.statsFormat');
  return { range: ranges[0] ?? 'week', format: flags.json ? 'json' : flags.csv ? 'csv' : 'table' };
}

/**
 * The statistics: the running daemon's (it flushes its log first), else the same aggregation run here on
 * the log files beside settings.json, in the settings' time zone.
 */
export async function loadStats(io: CliIO, globals: GlobalOptions, range: StatsRange): Promise<Stats> {
  try {
    return await withDaemon(io, globals, (request) => request('stats', { range }));
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
  }
  const { paths } = await locate(io, globals);
  const { computeStats, readHistory } = await import('../../workers/history/index.js');
  const now = io.now();
  const { events } = await readHistory(historyDir(paths.home), {
    fromMs: now - (STATS_DAYS_MAX + 1) * DAY_MS,
  });
  return computeStats(events, { range, timeZone: await settingsTimeZone(paths.settings, io), now });
}

/** The settings' `timeZone`, else the system's (as the daemon decides it). */
async function settingsTimeZone(settingsFile: string, io: CliIO): Promise<string> {
  try {
    const { timeZone } = JSON.parse(await readFile(settingsFile, 'utf8')) as { timeZone?: unknown };
    if (typeof timeZone === 'string' && isValidTimeZone(timeZone)) return timeZone;
  } catch {
    // no settings yet: the system zone
  }
  return io.env.TZ && isValidTimeZone(io.env.TZ) ? io.env.TZ : systemTimeZone();
}

const BAR_WIDTH = 20;

/** A bar of `due` cells scaled to `max`: the taken part solid, the rest light. */
function bar(taken: number, due: number, max: number): string {
  if (max === 0) return '';
  const total = Math.round((Math.max(due, taken) / max) * BAR_WIDTH);
  const solid = Math.min(total, Math.round((taken / max) * BAR_WIDTH));
  return '█'.repeat(solid) + '░'.repeat(total - solid);
}

/** The statistics as a table per day with a bar chart, the streak, the busiest hour and the reminders. */
export function formatStats(stats: Stats, io: CliIO): string {
  const title =
    stats.days.length === 1
      ? t(io, 'cli.stats.titleDay', { zone: stats.timeZone })
      : t(io, 'cli.stats.titleDays', { days: stats.days.length, zone: stats.timeZone });
  const max = Math.max(0, ...stats.days.map((day) => Math.max(day.due, day.taken)));
  const header = ['date', 'due', 'taken', 'skipped', 'snoozed'] as const;
  const rows = [
    [...header.map((key) => t(io, `cli.stats.${key}`)), ''],
    ...stats.days.map((day) => [
      day.date,
      String(day.due),
      String(day.taken),
      String(day.skipped),
      String(day.snoozed),
      bar(day.taken, day.due, max),
    ]),
    [
      t(io, 'cli.stats.total'),
      String(stats.totals.due),
      String(stats.totals.taken),
      String(stats.totals.skipped),
      String(stats.totals.snoozed),
      '',
    ],
  ];
  const lines = [`${title}\n`, formatTable(rows), `${t(io, 'cli.stats.legend')}\n`];
  if (stats.totals.due + stats.totals.taken + stats.totals.skipped + stats.totals.snoozed === 0) {
    lines.push(`${t(io, 'cli.stats.empty')}\n`);
  }
  lines.push(`${t(io, 'cli.stats.streak', stats.streak)}\n`);
  const busiest = stats.busiestHours.reduce(
    (best, count, hour) => (count > stats.busiestHours[best]! ? hour : best),
    0,
  );
  if (stats.busiestHours[busiest]! > 0) {
    const hour = `${String(busiest).padStart(2, '0')}:00`;
    lines.push(`${t(io, 'cli.stats.busiest', { hour, count: stats.busiestHours[busiest]! })}\n`);
  }
  if (stats.reminders.length > 0) {
    lines.push(`${t(io, 'cli.stats.byReminder')}\n`);
    for (const reminder of stats.reminders) {
      const line = t(io, 'cli.stats.reminderLine', { ...reminder, name: escapeControl(reminder.name) });
      lines.push(`  ${line}\n`);
    }
  }
  return lines.join('');
}

const CSV_COLUMNS = [
  'date',
  'due',
  'taken',
  'takenButton',
  'takenNatural',
  'skipped',
  'snoozed',
  'missed',
  'held',
] as const;

/** One row per day, machine-readable: the column names are the JSON field names, in any language. */
export function statsCsv(stats: Stats): string {
  const rows = stats.days.map((day) => CSV_COLUMNS.map((column) => String(day[column])).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** Registers `mytimer stats` and `mytimer stats export`. */
export function registerStats(program: Command, io: CliIO): void {
  const stats = program
    .command('stats')
    .description(t(io, 'cli.help.stats'))
    .option('--day', 'today only')
    .option('--week', 'the last 7 days (the default)')
    .option('--month', 'the last 30 days')
    .option('--json', 'print the statistics as JSON')
    .option('--csv', 'print one CSV row per day')
    .addHelpText(
      'after',
      `
Recorded, beside settings.json in history-YYYY-MM.jsonl: reminders shown, missed while away, held,
snoozed and skipped, and breaks taken (rest-now, Start break, or a natural break). Nothing leaves
the machine. Works without a running daemon too.

Examples:
  mytimer stats
  mytimer stats --month --csv
  mytimer stats export --output breaks.csv`,
    )
    .action(async (flags: StatsFlags, command: Command) => {
      const options = parseStats(flags);
      const result = await loadStats(io, globalsOf(command), options.range);
      if (options.format === 'json') io.stdout(`${JSON.stringify(result)}\n`);
      else if (options.format === 'csv') io.stdout(statsCsv(result));
      else io.stdout(formatStats(result, io));
    });
  stats
    .command('export')
    .description(t(io, 'cli.help.stats.export'))
    .option('--day', 'today only')
    .option('--week', 'the last 7 days')
    .option('--month', 'the last 30 days (the default)')
    .option('--output <file>', 'write the CSV to this file instead of standard output')
    .action(async (flags: StatsFlags & { output?: string }, command: Command) => {
      const ranges = (['day', 'week', 'month'] as const).filter((range) => flags[range] === true);
      if (ranges.length > 1) throw UsageError.of('cli.error.statsRange');
      const result = await loadStats(io, globalsOf(command), ranges[0] ?? 'month');
      const csv = statsCsv(result);
      if (flags.output === undefined) {
        io.stdout(csv);
        return;
      }
      await writeFile(flags.output, csv);
      io.stdout(
        `${t(io, 'cli.stats.exported', { rows: result.days.length, file: escapeControl(flags.output) })}\n`,
      );
    });
}
