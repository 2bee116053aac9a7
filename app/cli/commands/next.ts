import type { Command } from 'commander';
import { ValidationError } from '../../shared/errors.js';
import { parseScheduleText } from '../../shared/schedule-text.js';
import { formatIsoInstant, parseIsoInstant } from '../../shared/time-format.js';
import { TimeZoneRules, checkTimeZone, systemTimeZone } from '../../shared/time-zone.js';
import { compileSchedule, validateSchedule } from '../../workers/scheduler/index.js';
import type { CliIO } from '../io.js';
import { t } from '../locale.js';

/** How many instants `next` prints at most, so a typo cannot flood a terminal. */
const COUNT_MAX = 1000;
const COUNT_DEFAULT = 5;

interface NextOptions {
  count?: string;
  from?: string;
  tz?: string;
  json?: boolean;
}

function parseCount(text: string | undefined): number {
  if (text === undefined) return COUNT_DEFAULT;
  const count = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1 && count <= COUNT_MAX)) {
    throw new ValidationError(
      '--count',
      `must be a whole number from 1 to ${COUNT_MAX} (got ${JSON.stringify(text)})`,
    );
  }
  return count;
}

/**
 * The next `count` instants of a schedule strictly after `fromMs`, as ISO-8601 in `zone` with its
 * offset. Fewer when the schedule ends (a `once`). `zone` is also the zone of calendar schedules
 * that name none; an `every` schedule counts from `fromMs`.
 */
export function nextInstants(scheduleText: string, fromMs: number, count: number, zone: string): string[] {
  const schedule = validateSchedule(parseScheduleText(scheduleText, 'schedule'), 'schedule');
  const rules = new TimeZoneRules(zone);
  const compiled = compileSchedule(schedule, { anchor: fromMs, defaultTimeZone: zone });
  const lines: string[] = [];
  for (
    let at = compiled.nextAfter(fromMs);
    at !== null && lines.length < count;
    at = compiled.nextAfter(at)
  ) {
    lines.push(formatIsoInstant(at, rules));
  }
  return lines;
}

/** Registers `mytimer next <schedule>`: when a schedule fires next, to check one before using it. */
export function registerNext(program: Command, io: CliIO): void {
  program
    .command('next')
    .description(t(io, 'cli.help.next'))
    .argument('<schedule...>', 'the schedule, e.g. "every 45m", "daily 09:00 mon,wed" or "*/15 9-17 * * 1-5"')
    .option('-n, --count <n>', `how many instants to print, 1 to ${COUNT_MAX}`, String(COUNT_DEFAULT))
    .option(
      '--from <iso>',
      'list instants strictly after this one (default: now); without an offset it is local time in --tz',
    )
    .option('--tz <zone>', 'IANA time zone to compute and print in (default: the system zone)')
    .option('--json', 'print a JSON array of the instants')
    .addHelpText(
      'after',
      `
Schedules:
  every 45m | every 1h30m | every 90s         from --from (default: now), first one interval later
  daily 09:00 | daily 09:00 mon,wed | daily 09:00 mon-fri
  weekdays 09:00 | weekends 10:00
  once 2026-12-01T09:00+01:00                 an offset (or Z) is required
  */15 9-17 * * 1-5 | 0 30 9 * * mon          cron, 5 or 6 fields
  ... in Europe/Berlin                        a calendar schedule in its own zone
Quote the schedule so the shell leaves * alone. Daylight saving: a skipped local time fires when
the gap ends (02:30 -> 03:00); a repeated one fires once, the first time. Output is empty once a
schedule has no more occurrences.

Examples:
  mytimer next "daily 09:00 mon,wed" --tz Europe/Berlin
  mytimer next "every 45m" --count 3 --from 2026-03-30T09:00Z
  mytimer next "*/15 9-17 * * 1-5" --json`,
    )
    .action(async (words: string[], options: NextOptions) => {
      const zone = options.tz === undefined ? systemTimeZone() : checkTimeZone('--tz', options.tz);
      const count = parseCount(options.count);
      const fromMs = options.from === undefined ? io.now() : parseIsoInstant(options.from, '--from', zone);
      const lines = nextInstants(words.join(' '), fromMs, count, zone);
      io.stdout(options.json ? `${JSON.stringify(lines)}\n` : lines.map((line) => `${line}\n`).join(''));
    });
}
