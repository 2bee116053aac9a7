export {
  syncReminders,
  reminderNotification,
  reminderTaskId,
  displayName,
  displayMessage,
} from './reminders.js';
export type { ReminderPayload } from './reminders.js';
export { isWithinWorkingHours, localWeekMinute, nextWithinWorkingHours } from './working-hours.js';
export { quietUntil } from './quiet-hours.js';
