import {
  CONTRACT_VERSION,
  type PomodoroView,
  type ReminderView,
  type Status,
  type TimerView,
  type Upcoming,
} from '../../shared/contract.js';
import { isBreakReminder, type Reminder } from '../../shared/settings.js';
import { displayMessage, displayName, quietUntil, reminderTaskId } from '../reminders/index.js';
import type { Pomodoro, Timer } from '../timer/index.js';
import type { ServiceContext } from './context.js';
import { leftToday } from './history.js';

/** How many entries `status.upcoming` lists. */
const STATUS_UPCOMING = 10;

/** What the daemon is doing, as `status` replies and the `status` event pushes. */
export function statusView(ctx: ServiceContext): Status {
  const now = ctx.clock.now();
  const upcoming = upcomingView(ctx, STATUS_UPCOMING);
  const nextReminder = upcoming.find((u) => u.kind === 'reminder');
  return {
    pid: ctx.pid,
    processName: ctx.processName,
    version: ctx.version,
    contractVersion: CONTRACT_VERSION,
    startedAt: ctx.startedAt,
    now,
    home: ctx.home,
    locale: ctx.locale,
    language: ctx.settings.language,
    paused: ctx.scheduler.paused,
    pausedUntil: ctx.scheduler.pausedUntil,
    nextReminder: nextReminder
      ? {
          id: nextReminder.id,
          name: nextReminder.name,
          dueAt: nextReminder.dueAt,
          ...(nextReminder.quietUntil != null && { quietUntil: nextReminder.quietUntil }),
        }
      : null,
    upcoming,
    timers: [...ctx.timers.values()].map((t) => timerView(t, now)),
    pomodoro: ctx.pomodoro ? pomodoroView(ctx.pomodoro, now) : null,
    niceness: ctx.niceness,
    notifications: { ...ctx.notifications },
    jobs: ctx.settings.jobs.map((job) => ctx.jobs.view(job)),
    held: ctx.presence.held(),
  };
}

/** A reminder as listed: its settings, its name and message in the current language, its next time. */
export function reminderView(ctx: ServiceContext, reminder: Reminder): ReminderView {
  const task = ctx.scheduler.get(reminderTaskId(reminder.id));
  return {
    ...reminder,
    displayName: displayName(reminder, ctx.locale),
    displayMessage: displayMessage(reminder, ctx.locale),
    nextDueAt: task?.nextDueAt ?? null,
    ...((reminder.maxSkipsPerDay !== undefined || reminder.maxSnoozesPerDay !== undefined) && {
      leftToday: { snoozes: leftToday(ctx, reminder, 'snoozed'), skips: leftToday(ctx, reminder, 'skipped') },
    }),
  };
}

export function timerView(timer: Timer, now: number): TimerView {
  return {
    id: timer.id,
    name: timer.name,
    mode: timer.mode,
    state: timer.state,
    remainingMs: timer.remainingMs(),
    elapsedMs: timer.elapsedMs(),
    endsAt: timer.endsAt,
    at: now,
  };
}

export function pomodoroView(pomodoro: Pomodoro, now: number): PomodoroView {
  const snapshot = pomodoro.toJSON();
  return {
    phase: pomodoro.phase,
    round: pomodoro.round,
    timer: {
      id: pomodoro.id,
      name: pomodoro.name,
      mode: 'countdown',
      state: pomodoro.state,
      remainingMs: pomodoro.remainingMs(),
      elapsedMs: pomodoro.durationOf(pomodoro.phase) - pomodoro.remainingMs(),
      endsAt: snapshot.timer.endsAt,
      at: now,
    },
  };
}

/** The next `limit` things due: scheduled reminders and jobs, and running countdowns. */
export function upcomingView(ctx: ServiceContext, limit: number): Upcoming[] {
  const reminders: Upcoming[] = ctx.scheduler.upcoming(limit).map((task) => {
    const dueAt = task.nextDueAt ?? 0;
    const reminderId = task.payload?.kind === 'reminder' ? task.payload.reminderId : null;
    const reminder =
      reminderId === null ? undefined : ctx.settings.reminders.find((r) => r.id === reminderId);
    const spans = reminder?.workingHours;
    // A reminder that would wait for the user if it came due now (idle, locked, DND, meeting).
    const held = reminder ? ctx.presence.reasonsFor(isBreakReminder(reminder)) : [];
    // Set only for a reminder due outside its working hours (it stays quiet then).
    const quietAt = spans ? quietUntil(spans, dueAt, ctx.timeZone) : null;
    return {
      id: task.payload?.kind === 'job' ? task.payload.jobId : (task.payload?.reminderId ?? task.id),
      kind: task.payload?.kind ?? 'reminder',
      name: task.name,
      priority: task.priority,
      dueAt,
      snoozed: task.snoozed,
      ...(quietAt !== null && { quietUntil: quietAt }),
      ...(held.length > 0 && { held }),
    };
  });
  const timers: Upcoming[] = [];
  for (const t of ctx.timers.values()) {
    if (t.state !== 'running' || t.endsAt === null) continue;
    timers.push({ id: t.id, kind: 'timer', name: t.name, priority: 1, dueAt: t.endsAt, snoozed: false });
  }
  // Stable merge by due time: same order rule as the scheduler (timers count as priority 1).
  return [...reminders, ...timers]
    .map((u, index) => ({ u, index }))
    .sort((a, b) => a.u.dueAt - b.u.dueAt || a.u.priority - b.u.priority || a.index - b.index)
    .slice(0, limit)
    .map(({ u }) => u);
}
