import type { Stats, StatsDay, StatsRange } from '../../shared/contract.js';
import type { HistoryEvent } from '../../shared/history-event.js';
import { DAY_MS, HOUR_MS, STATS_DAYS_MAX } from '../../shared/limits.js';
import { TimeZoneRules } from '../../shared/time-zone.js';

/** Days each range covers unless `days` says otherwise. */
export const RANGE_DAYS: Record<StatsRange, number> = { day: 1, week: 7, month: 30 };

export interface StatsOptions {
  range: StatsRange;
  /** Overrides the range's own number of days. */
  days?: number;
  timeZone: string;
  now: number;
}

/** The local date (YYYY-MM-DD) of a local time encoded as UTC (see time-zone.ts). */
const dateOf = (localMs: number): string => new Date(localMs).toISOString().slice(0, 10);

/** Local midnight (encoded as UTC) of the day holding `localMs`. */
const midnightOf = (localMs: number): number => Math.floor(localMs / DAY_MS) * DAY_MS;

const emptyCounts = (): Omit<StatsDay, 'date'> => ({
  due: 0,
  taken: 0,
  takenButton: 0,
  takenNatural: 0,
  skipped: 0,
  snoozed: 0,
  missed: 0,
  held: 0,
});

function count(counts: Omit<StatsDay, 'date'>, event: HistoryEvent): void {
  switch (event.kind) {
    case 'shown':
      counts.due++;
      break;
    case 'taken':
      counts.taken++;
      counts.takenButton++;
      break;
    case 'natural':
      counts.taken++;
      counts.takenNatural++;
      break;
    case 'skipped':
      counts.skipped++;
      break;
    case 'snoozed':
      counts.snoozed++;
      break;
    case 'missed':
      counts.missed += event.count ?? 1;
      break;
    case 'held':
      counts.held++;
      break;
  }
}

/**
 * Break statistics from history events, by local day in `timeZone` (a day is midnight to midnight on
 * the wall clock, so 23 or 25 hours long on DST days). `events` may reach further back than the range:
 * the streaks look at all of them, the rest only at the range's days.
 */
export function computeStats(events: readonly HistoryEvent[], options: StatsOptions): Stats {
  const rules = new TimeZoneRules(options.timeZone);
  const dayCount = Math.min(options.days ?? RANGE_DAYS[options.range], STATS_DAYS_MAX);
  const today = midnightOf(rules.localAt(options.now));
  const firstDay = today - (dayCount - 1) * DAY_MS;
  const from = rules.instantOf(firstDay);

  const byDate = new Map<string, StatsDay>();
  for (let day = firstDay; day <= today; day += DAY_MS)
    byDate.set(dateOf(day), { date: dateOf(day), ...emptyCounts() });
  const totals = emptyCounts();
  const reminders = new Map<string, Stats['reminders'][number]>();
  const busiestHours = new Array<number>(24).fill(0);
  /** Per local date over every event: breaks taken and skips, for the streaks. */
  const streakDays = new Map<string, { taken: number; skipped: number }>();

  for (const event of events) {
    if (event.at > options.now) continue;
    const local = rules.localAt(event.at);
    const date = dateOf(local);
    const streakDay = streakDays.get(date) ?? { taken: 0, skipped: 0 };
    if (event.kind === 'taken' || event.kind === 'natural') streakDay.taken++;
    if (event.kind === 'skipped') streakDay.skipped++;
    streakDays.set(date, streakDay);

    const day = byDate.get(date);
    if (event.at < from || !day) continue;
    count(day, event);
    count(totals, event);
    if (event.kind === 'shown') busiestHours[Math.floor((local - midnightOf(local)) / HOUR_MS)]!++;
    const perReminder = reminders.get(event.reminderId) ?? {
      reminderId: event.reminderId,
      name: event.name ?? event.reminderId,
      due: 0,
      taken: 0,
      skipped: 0,
      snoozed: 0,
    };
    if (event.name !== undefined) perReminder.name = event.name; // the latest name it was shown under
    if (event.kind === 'shown') perReminder.due++;
    if (event.kind === 'taken' || event.kind === 'natural') perReminder.taken++;
    if (event.kind === 'skipped') perReminder.skipped++;
    if (event.kind === 'snoozed') perReminder.snoozed++;
    reminders.set(event.reminderId, perReminder);
  }

  return {
    range: options.range,
    timeZone: options.timeZone,
    from,
    to: options.now,
    days: [...byDate.values()],
    reminders: [...reminders.values()].sort((a, b) => a.reminderId.localeCompare(b.reminderId)),
    totals,
    streak: streaks(streakDays, today),
    busiestHours,
  };
}

/**
 * A good day has at least one break taken (button or natural) and no skip. `current`: good days in a
 * row ending today — or ending yesterday while today is still open (no break yet, no skip either).
 * `longest`: the longest run of good days over the events given.
 */
function streaks(days: Map<string, { taken: number; skipped: number }>, today: number): Stats['streak'] {
  const good = (date: string) => {
    const day = days.get(date);
    return day !== undefined && day.taken > 0 && day.skipped === 0;
  };
  let current = 0;
  let day = today;
  const todayEntry = days.get(dateOf(today));
  if (!good(dateOf(today)) && (todayEntry?.skipped ?? 0) === 0) day -= DAY_MS;
  for (; good(dateOf(day)) && current < STATS_DAYS_MAX; day -= DAY_MS) current++;

  let longest = 0;
  let run = 0;
  let previous: number | null = null;
  for (const date of [...days.keys()].sort()) {
    const at = Date.parse(`${date}T00:00:00Z`);
    if (!good(date)) {
      run = 0;
    } else {
      run = previous !== null && at - previous === DAY_MS && run > 0 ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    previous = at;
  }
  return { current, longest: Math.max(longest, current) };
}
