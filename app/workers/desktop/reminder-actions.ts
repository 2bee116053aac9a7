/**
 * The daemon's side of notification buttons: a reminder's notification gets its key (the reminder id),
 * priority, snooze minutes and buttons; a press becomes a request to the service's public `handle()`.
 * The service passes {@link reminderDetails} with every reminder's notification; a timer, a job or a burst
 * summary has no key and no buttons.
 */
import type { ReminderView, Reply, Request } from '../../shared/contract.js';
import { isBreakReminder } from '../../shared/settings.js';
import type { Notification, NotificationActionId, NotifyLog } from '../notify/index.js';
import type { NotificationActionEvent } from './notifications.js';

/** What a reminder's notification carries beyond its text: exactly what the service should pass. */
export type ReminderDetails = Required<Pick<Notification, 'key' | 'priority' | 'actions' | 'snoozeMinutes'>>;

/** The key, priority, snooze minutes and buttons of `reminder`'s notification; break reminders add Start break. */
export function reminderDetails(
  reminder: Pick<ReminderView, 'id' | 'break' | 'priority' | 'snoozeMinutes' | 'leftToday'>,
): ReminderDetails {
  // A daily limit used up (`maxSnoozesPerDay`, `maxSkipsPerDay`): its button is not offered.
  const actions: NotificationActionId[] = [];
  if (reminder.leftToday?.snoozes !== 0) actions.push('snooze');
  if (reminder.leftToday?.skips !== 0) actions.push('skip');
  if (isBreakReminder(reminder)) actions.push('start-break');
  return { key: reminder.id, priority: reminder.priority, actions, snoozeMinutes: reminder.snoozeMinutes };
}

/** The service's public entry, as the daemon holds it (null while it starts). */
export type HandleRequest = (request: Request) => Promise<Reply | null>;

/**
 * The request a press asks for: Snooze → `reminder.snooze` with `again` (the reminder that just fired comes
 * back in its own snooze minutes, GNOME's Delay, even when its next regular time is later), Skip →
 * `reminder.skip` (recorded in the history, counted against `maxSkipsPerDay`), Start break → `rest-now` for
 * that reminder; a click on the notification itself asks for nothing.
 */
export function requestFor(event: NotificationActionEvent, id: string): Request | null {
  switch (event.action) {
    case 'snooze':
      return { id, method: 'reminder.snooze', params: { id: event.key, again: true } };
    case 'start-break':
      return { id, method: 'rest-now', params: { id: event.key } };
    case 'skip':
      return { id, method: 'reminder.skip', params: { id: event.key } };
    case 'default':
      return null;
  }
}

let requestCounter = 0;

/** Carries out one press through `handle`, logging what happened; never rejects. */
export async function actOnNotification(
  event: NotificationActionEvent,
  handle: HandleRequest,
  log: NotifyLog,
): Promise<Reply | null> {
  const request = requestFor(event, `desktop-${++requestCounter}`);
  if (!request) {
    log('info', `notification of "${event.key}": ${event.action}`);
    return null;
  }
  try {
    const reply = await handle(request);
    if (!reply)
      log('warn', `notification of "${event.key}": ${event.action} ignored, the daemon is starting`);
    else if (!reply.ok)
      log('warn', `notification of "${event.key}": ${event.action} failed: ${reply.error.message}`);
    else log('info', `notification of "${event.key}": ${event.action}`);
    return reply;
  } catch (error) {
    log('warn', `notification of "${event.key}": ${event.action} failed: ${(error as Error).message}`);
    return null;
  }
}
