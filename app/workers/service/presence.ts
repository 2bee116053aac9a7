import { breakLengthMs, isBreakReminder, type Reminder, type Settings } from '../../shared/settings.js';
import { reminderDetails, type HeldReminder, type NaturalBreakEvent } from '../desktop/index.js';
import { reminderNotification, reminderTaskId } from '../reminders/index.js';
import type { FireEvent } from '../scheduler/index.js';
import type { TaskPayload } from '../tasks.js';
import { leftToday } from './history.js';
import type { ReminderBurstItem, ServiceContext } from './context.js';

/**
 * The presence's outputs, wired into the service: held reminders are
 * shown once when the user is back (through the burst coalescer, so several come as one summary), a
 * natural break restarts its reminder's clock and is reported as a `break` event, and a change of hold
 * reasons pushes status.
 */
export function wirePresence(ctx: ServiceContext): void {
  const { presence } = ctx;
  presence.on('release', (event) => releaseHeld(ctx, event.reminders, event.at, event.quiet));
  presence.on('natural-break', (event) => naturalBreak(ctx, event));
  presence.on('held-changed', ({ held }) => {
    ctx.log('info', `reminders ${held.length > 0 ? `held: ${held.join(', ')}` : 'no longer held'}`);
    ctx.changed();
  });
}

/** The settings' share of the presence: DND policy, meetings, idle threshold, and every break's length. */
export function applyPresenceSettings(ctx: ServiceContext, settings: Settings): void {
  const { presence } = ctx;
  presence.setDndPolicy(settings.dndPolicy);
  presence.setMeetingsHold(settings.meetingsHold);
  presence.setIdleThresholdMs(settings.idleThresholdMinutes * 60_000);
  const breaks: { reminderId: string; lengthMs: number }[] = [];
  const enabled = new Set<string>();
  for (const reminder of settings.reminders) {
    if (!reminder.enabled) continue;
    enabled.add(reminder.id);
    const lengthMs = breakLengthMs(reminder);
    if (lengthMs !== null) breaks.push({ reminderId: reminder.id, lengthMs });
  }
  presence.setBreaks(breaks);
  // A held reminder removed or disabled meanwhile is not shown on return.
  for (const held of presence.state().heldReminders) {
    if (!enabled.has(held.reminderId)) presence.forget(held.reminderId);
  }
}

/** What a reminder's notification shows and carries: its text, sound, key, priority and buttons. */
export function reminderItem(
  ctx: ServiceContext,
  reminder: Reminder,
  shown: { title: string; message: string },
  quiet: boolean,
): ReminderBurstItem {
  // A daily limit used up leaves its button out (reminderDetails reads `leftToday`).
  const left = { snoozes: leftToday(ctx, reminder, 'snoozed'), skips: leftToday(ctx, reminder, 'skipped') };
  return {
    ...shown,
    sound: quiet ? false : reminder.sound,
    details: {
      ...reminderDetails({ ...reminder, leftToday: left }),
      ...(quiet && { urgency: 'low' as const }),
    },
  };
}

/** Shows each held reminder once (several occurrences of one reminder as one, "missed N while away"). */
function releaseHeld(ctx: ServiceContext, held: readonly HeldReminder[], at: number, quiet: boolean): void {
  if (ctx.closed) return;
  // Joined synchronously, so everything released at this instant is one burst.
  const members = held.map((entry) => ({ entry, report: ctx.bursts.join() }));
  for (const { entry, report } of members) {
    const reminder = ctx.settings.reminders.find((r) => r.id === entry.reminderId && r.enabled);
    if (!reminder) {
      void report(null);
      continue;
    }
    const event: FireEvent<TaskPayload> = {
      id: reminderTaskId(reminder.id),
      name: reminder.id,
      priority: reminder.priority,
      payload: { kind: 'reminder', reminderId: reminder.id },
      dueAt: entry.firstDueAt,
      firedAt: at,
      missed: entry.occurrences,
      nextDueAt: null,
    };
    const shown = reminderNotification(reminder, event, ctx.locale, ctx.timeZone);
    if (!shown) {
      void report(null);
      continue;
    }
    ctx.log('info', `reminder "${reminder.id}" released (held ${entry.occurrences}×)`);
    void report(reminderItem(ctx, reminder, shown, quiet)).then((delivered) =>
      ctx.emit({
        event: 'reminder',
        data: {
          id: reminder.id,
          name: shown.title,
          message: shown.message,
          dueAt: entry.lastDueAt,
          firedAt: at,
          missed: entry.occurrences,
          delivered,
        },
      }),
    );
  }
}

/**
 * The user was away at least a break's length: that break counts as taken. An interval reminder counts
 * again from the return (as `rest-now` does); the break is reported for a history to record.
 */
function naturalBreak(ctx: ServiceContext, event: NaturalBreakEvent): void {
  if (ctx.closed) return;
  const reminder = ctx.settings.reminders.find((r) => r.id === event.reminderId);
  if (!reminder?.enabled || !isBreakReminder(reminder)) return;
  if (reminder.schedule.kind === 'every') {
    ctx.scheduler.update(reminderTaskId(reminder.id), { schedule: { ...reminder.schedule } });
  }
  ctx.log(
    'info',
    `natural break for "${reminder.id}": away ${Math.round(event.awayMs / 60_000)} min (${event.source})` +
      (event.heldDueAt !== null ? '; its held occurrence is satisfied' : ''),
  );
  ctx.emit({
    event: 'break',
    data: { reminderId: reminder.id, kind: 'natural', at: event.endedAt, awayMs: event.awayMs },
  });
}
