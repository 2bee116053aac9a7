import type { ReminderView, SnoozeResult } from '../../shared/contract.js';
import { ValidationError } from '../../shared/errors.js';
import { translate } from '../../shared/i18n/index.js';
import { isBreakReminder, reminderSchema, type Reminder } from '../../shared/settings.js';
import { parseWith } from '../../shared/validate.js';
import { BREAK_MINUTES_DEFAULT } from '../../shared/limits.js';
import type { BurstReport } from '../notify/index.js';
import { nextWithinWorkingHours, reminderNotification, reminderTaskId } from '../reminders/index.js';
import { checkOnceAhead, validateSchedule, type FireEvent } from '../scheduler/index.js';
import type { TaskPayload } from '../tasks.js';
import type { Handlers, ServiceContext } from './context.js';
import { NotFoundError, inParams } from './errors.js';
import { checkDailyLimit, leftToday } from './history.js';
import { saveStateNow } from './persistence.js';
import { reminderItem } from './presence.js';
import { reminderView } from './views.js';

/** `reminder.*` and `rest-now`. */
export function reminderHandlers(
  ctx: ServiceContext,
): Pick<
  Handlers,
  | 'reminder.list'
  | 'reminder.add'
  | 'reminder.edit'
  | 'reminder.remove'
  | 'reminder.enable'
  | 'reminder.disable'
  | 'reminder.snooze'
  | 'reminder.skip'
  | 'rest-now'
> {
  const setEnabled = (id: string, enabled: boolean) =>
    replaceReminder(ctx, { ...requireReminder(ctx, id), enabled });
  return {
    'reminder.list': () => ctx.settings.reminders.map((r) => reminderView(ctx, r)),
    'reminder.add': async ({ reminder }) => {
      if (ctx.settings.reminders.some((r) => r.id === reminder.id)) {
        throw ValidationError.of('params.reminder.id', 'error.reminder.exists', { id: reminder.id });
      }
      validateSchedule(reminder.schedule, 'params.reminder.schedule');
      checkOnceAhead(reminder.schedule, ctx.clock.now(), 'params.reminder.schedule.at');
      await ctx.saveSettings({ ...ctx.settings, reminders: [...ctx.settings.reminders, reminder] });
      return reminderView(ctx, reminder);
    },
    'reminder.edit': ({ id, patch }) => {
      const current = requireReminder(ctx, id);
      const edited = parseWith(reminderSchema, { ...current, ...patch, id }, 'params.patch');
      validateSchedule(edited.schedule, 'params.patch.schedule');
      // A new time for a one-shot must be ahead; keeping the (past) time of a fired one is fine.
      if (JSON.stringify(edited.schedule) !== JSON.stringify(current.schedule))
        checkOnceAhead(edited.schedule, ctx.clock.now(), 'params.patch.schedule.at');
      return replaceReminder(ctx, edited);
    },
    'reminder.enable': ({ id }) => setEnabled(id, true),
    'reminder.disable': ({ id }) => setEnabled(id, false),
    'reminder.remove': async ({ id }) => {
      requireReminder(ctx, id);
      await ctx.saveSettings({
        ...ctx.settings,
        reminders: ctx.settings.reminders.filter((r) => r.id !== id),
      });
      return { removed: true };
    },
    'reminder.snooze': ({ id, minutes, again }) => {
      const reminder = requireReminder(ctx, id);
      checkDailyLimit(ctx, reminder, 'snoozed');
      // A notification's Snooze (`again`) shows the one that just fired again in N minutes; the CLI's
      // snooze is "not before now + N", never earlier than its next time.
      const result = again === true ? snoozeAgain(ctx, reminder, minutes) : snooze(ctx, reminder, minutes);
      ctx.record({ reminderId: reminder.id, name: result.displayName, kind: 'snoozed' });
      return result;
    },
    'reminder.skip': ({ id }) => {
      const reminder = requireReminder(ctx, id);
      checkDailyLimit(ctx, reminder, 'skipped');
      ctx.record({ reminderId: reminder.id, name: reminderView(ctx, reminder).displayName, kind: 'skipped' });
      // The recorder counted it synchronously (the service's `event` listeners run in emit).
      return { id: reminder.id, skipped: true as const, skipsLeftToday: leftToday(ctx, reminder, 'skipped') };
    },
    'rest-now': async ({ id }) => {
      const chosen = id === undefined ? undefined : requireReminder(ctx, id);
      const delivered = await ctx.notify(
        translate(ctx.locale, 'restNow.title'),
        translate(ctx.locale, 'reminder.default.message'),
      );
      // A break taken by hand: for the reminder whose Start break was pressed, else for every enabled break reminder.
      const takenFor = chosen
        ? [chosen]
        : ctx.settings.reminders.filter((reminder) => reminder.enabled && isBreakReminder(reminder));
      for (const reminder of takenFor) {
        ctx.record({
          reminderId: reminder.id,
          name: reminderView(ctx, reminder).displayName,
          kind: 'taken',
          reason: 'button',
        });
      }
      // A break just happened: break reminders on an interval count again from now instead of nagging
      // minutes later. Others (Water) keep their time: the break did not water anyone.
      for (const reminder of ctx.settings.reminders) {
        if (reminder.schedule.kind === 'every' && reminder.enabled && isBreakReminder(reminder)) {
          ctx.scheduler.update(reminderTaskId(reminder.id), { schedule: { ...reminder.schedule } });
        }
      }
      return { delivered };
    },
  };
}

/** A reminder fired: persist that, then show it (joined to this check's burst) and tell the hosts. */
export async function onReminderFire(ctx: ServiceContext, event: FireEvent<TaskPayload>): Promise<void> {
  const payload = event.payload;
  if (payload?.kind !== 'reminder') return;
  const reminder = ctx.settings.reminders.find((r) => r.id === payload.reminderId);
  if (!reminder) return;
  // Joined synchronously, so every reminder of this scheduler check is in one burst (see notify/burst.ts).
  const showInBurst = ctx.bursts.join();
  try {
    await showFired(ctx, reminder, event, showInBurst);
  } finally {
    void showInBurst(null); // no-op once reported; keeps the burst from waiting on a failed member
  }
}

async function showFired(
  ctx: ServiceContext,
  reminder: Reminder,
  event: FireEvent<TaskPayload>,
  showInBurst: BurstReport,
): Promise<void> {
  // Persist "this occurrence fired" before showing it: a crash right after can lose a notification
  // but never repeat one after the restart.
  await saveStateNow(ctx);
  const shown = reminderNotification(reminder, event, ctx.locale, ctx.timeZone);
  if (!shown) {
    ctx.log('info', `reminder "${reminder.id}" is outside its working hours; staying quiet`);
    void showInBurst(null);
    return;
  }
  // Away (idle, locked, asleep), in do-not-disturb or in a meeting: held, and shown once on return
  // (presence.ts in this folder), never dropped.
  const decision = ctx.presence.decide({
    reminderId: reminder.id,
    dueAt: event.dueAt,
    isBreak: isBreakReminder(reminder),
  });
  const data = {
    id: reminder.id,
    name: shown.title,
    message: shown.message,
    dueAt: event.dueAt,
    firedAt: event.firedAt,
    missed: event.missed,
    ...(reminder.alert === 'window' && {
      window: {
        breakMinutes: reminder.breakMinutes ?? BREAK_MINUTES_DEFAULT,
        strict: reminder.strict ?? false,
        snoozeMinutes: reminder.snoozeMinutes,
      },
    }),
  };
  if (decision.action === 'hold') {
    void showInBurst(null);
    ctx.log('info', `reminder "${reminder.id}" held (${decision.reasons.join(', ')})`);
    ctx.emit({ event: 'reminder', data: { ...data, delivered: false, held: decision.reasons } });
    ctx.record({
      at: event.firedAt,
      reminderId: reminder.id,
      name: shown.title,
      kind: 'held',
      reason: decision.reasons.join(','),
    });
    return;
  }
  ctx.record({ at: event.firedAt, reminderId: reminder.id, name: shown.title, kind: 'shown' });
  if (event.missed > 0) {
    ctx.record({
      at: event.firedAt,
      reminderId: reminder.id,
      name: shown.title,
      kind: 'missed',
      count: event.missed,
    });
  }
  const delivered = await showInBurst(reminderItem(ctx, reminder, shown, decision.quiet));
  ctx.emit({ event: 'reminder', data: { ...data, delivered } });
}

/**
 * Snooze = "not before now + N minutes": never earlier than the pending occurrence, and, when that
 * instant falls outside the reminder's working hours (where it would be dropped), the first instant
 * inside them. The reply says which of the three decided.
 */
function snooze(ctx: ServiceContext, reminder: Reminder, minutes: number | undefined): SnoozeResult {
  const taskId = reminderTaskId(reminder.id);
  const pending = ctx.scheduler.get(taskId);
  if (!pending?.enabled || pending.nextDueAt === null) {
    throw ValidationError.of('params.id', 'error.reminder.nothingToSnooze', { id: reminder.id });
  }
  const delayed = ctx.clock.now() + (minutes ?? reminder.snoozeMinutes) * 60_000;
  const notBefore = Math.max(pending.nextDueAt, delayed);
  const until = nextWithinWorkingHours(reminder.workingHours, notBefore, ctx.timeZone);
  inParams(() => ctx.scheduler.snoozeUntil(taskId, until));
  const reason = until > notBefore ? 'working-hours' : pending.nextDueAt >= delayed ? 'pending' : 'delay';
  return { ...reminderView(ctx, reminder), snooze: { until, reason } };
}

/**
 * The notification's Snooze (GNOME's Delay): the reminder that just fired comes back in N minutes (or the
 * first instant inside its working hours after), even when its next regular time is later; then its
 * schedule goes on as before.
 */
function snoozeAgain(ctx: ServiceContext, reminder: Reminder, minutes: number | undefined): SnoozeResult {
  if (!reminder.enabled) {
    throw ValidationError.of('params.id', 'error.reminder.nothingToSnooze', { id: reminder.id });
  }
  const delayed = ctx.clock.now() + (minutes ?? reminder.snoozeMinutes) * 60_000;
  const until = nextWithinWorkingHours(reminder.workingHours, delayed, ctx.timeZone);
  inParams(() => ctx.scheduler.showAgainAt(reminderTaskId(reminder.id), until));
  const reason = until > delayed ? 'working-hours' : 'delay';
  return { ...reminderView(ctx, reminder), snooze: { until, reason } };
}

function requireReminder(ctx: ServiceContext, id: string): Reminder {
  const reminder = ctx.settings.reminders.find((r) => r.id === id);
  if (!reminder) throw new NotFoundError('error.reminder.notFound', { id });
  return reminder;
}

async function replaceReminder(ctx: ServiceContext, edited: Reminder): Promise<ReminderView> {
  const reminders = ctx.settings.reminders.map((r) => (r.id === edited.id ? edited : r));
  await ctx.saveSettings({ ...ctx.settings, reminders });
  return reminderView(ctx, edited);
}
