import { translate, type Locale } from '../../shared/i18n/index.js';
import { formatClock } from '../../shared/time-format.js';
import { DEFAULT_REMINDER_ID, type Reminder } from '../../shared/settings.js';
import type { FireEvent, Scheduler, TaskProgress } from '../scheduler/index.js';
import { syncTasks, type TaskPayload } from '../tasks.js';
import { isWithinWorkingHours } from './working-hours.js';

/** A reminder's scheduler task payload. */
export type ReminderPayload = Extract<TaskPayload, { kind: 'reminder' }>;

const TASK_PREFIX = 'reminder:';

/** The scheduler task id of a reminder (reminders share the scheduler with future job tasks). */
export const reminderTaskId = (reminderId: string): string => `${TASK_PREFIX}${reminderId}`;

/** The name a reminder is shown under: its own, else the built-in one in the user's language. */
export function displayName(reminder: Reminder, locale: Locale): string {
  return reminder.name ?? translate(locale, 'reminder.default.name');
}

/**
 * The message a reminder shows: its own; else, for a custom reminder with a name, that name (Water
 * must not say "Don't code — rest your eyes"); else that rest message in the user's language.
 */
export function displayMessage(reminder: Reminder, locale: Locale): string {
  if (reminder.message !== undefined) return reminder.message;
  if (reminder.id !== DEFAULT_REMINDER_ID && reminder.name !== undefined) return reminder.name;
  return translate(locale, 'reminder.default.message');
}

/**
 * Brings the scheduler's reminder tasks in line with the settings: adds new ones, updates changed
 * ones in place (keeping their pending occurrence unless the schedule changed) and removes the rest.
 * Everything is validated first, so a bad reminder leaves the scheduler untouched.
 */
export function syncReminders(
  scheduler: Scheduler<TaskPayload>,
  reminders: readonly Reminder[],
  locale: Locale,
  progress: Readonly<Record<string, TaskProgress>> = {},
): void {
  syncTasks(
    scheduler,
    'reminder',
    reminders.map((reminder) => ({
      id: reminderTaskId(reminder.id),
      name: displayName(reminder, locale),
      priority: reminder.priority,
      schedule: reminder.schedule,
      payload: { kind: 'reminder', reminderId: reminder.id },
      enabled: reminder.enabled,
      ...(progress[reminder.id] && { progress: progress[reminder.id] }),
    })),
  );
}

/**
 * The notification a reminder firing shows, or null when it falls outside the reminder's working hours.
 * A catch-up says so: "(missed N while away)" for several occurrences, "(late: was due at HH:MM)" for one.
 */
export function reminderNotification(
  reminder: Reminder,
  event: FireEvent<TaskPayload>,
  locale: Locale,
  timeZone: string,
): { title: string; message: string } | null {
  if (!isWithinWorkingHours(reminder.workingHours, event.firedAt, timeZone)) return null;
  let message = displayMessage(reminder, locale);
  if (event.missed > 1) message += ` ${translate(locale, 'reminder.missed', { count: event.missed })}`;
  else if (event.missed === 1)
    message += ` ${translate(locale, 'reminder.late', { time: formatClock(event.dueAt, timeZone) })}`;
  return { title: displayName(reminder, locale), message };
}
