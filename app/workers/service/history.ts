import { DAY_MS } from '../../shared/limits.js';
import type { Reminder } from '../../shared/settings.js';
import { computeStats } from '../history/index.js';
import type { Handlers, ServiceContext } from './context.js';
import { ConflictError } from './errors.js';

/** `stats`: the break statistics, from the history log. */
export function historyHandlers(ctx: ServiceContext): Pick<Handlers, 'stats'> {
  return {
    stats: async ({ range, days }) => {
      const now = ctx.clock.now();
      await ctx.history?.flush();
      // A year back, for the streaks; the range itself is at most that long.
      const events = (await ctx.history?.read(now - 367 * DAY_MS)) ?? [];
      return computeStats(events, {
        range,
        ...(days !== undefined && { days }),
        timeZone: ctx.timeZone,
        now,
      });
    },
  };
}

/** Today's skips and snoozes from the log, so a restarted daemon keeps counting the day where it was. */
export async function seedDailyCounts(ctx: ServiceContext): Promise<void> {
  if (!ctx.history) return;
  try {
    for (const event of await ctx.history.read(ctx.clock.now() - 2 * DAY_MS)) ctx.dailyCounts.add(event);
  } catch (error) {
    ctx.log('warn', `break history not read: ${(error as Error).message}`);
  }
}

/** Skips or snoozes still allowed today under the reminder's limit; null without a limit. */
export function leftToday(
  ctx: ServiceContext,
  reminder: Reminder,
  kind: 'skipped' | 'snoozed',
): number | null {
  const max = kind === 'skipped' ? reminder.maxSkipsPerDay : reminder.maxSnoozesPerDay;
  if (max === undefined) return null;
  return Math.max(0, max - ctx.dailyCounts.count(reminder.id, kind, ctx.clock.now(), ctx.timeZone));
}

/** Refuses a skip or snooze past the reminder's daily limit (a `conflict`: the request is fine, the day's quota is spent). */
export function checkDailyLimit(ctx: ServiceContext, reminder: Reminder, kind: 'skipped' | 'snoozed'): void {
  const left = leftToday(ctx, reminder, kind);
  if (left !== 0) return;
  const max = (kind === 'skipped' ? reminder.maxSkipsPerDay : reminder.maxSnoozesPerDay) ?? 0;
  throw new ConflictError(kind === 'skipped' ? 'error.reminder.skipLimit' : 'error.reminder.snoozeLimit', {
    id: reminder.id,
    max,
  });
}
