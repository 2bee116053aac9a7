export {
  syncReminders,
  reminderNotification,
  reminderTaskId,
  displayName,
  displayMessage,
} from './reminders.js';
export type { ReminderPayload } from './reminders.js';
export {
  isWithinWorkingHours,
  localWeekMinute,
  nextWithinWorkingHours,
  quietUntil,
} from './working-hours.js';
