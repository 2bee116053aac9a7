export { connectSessionBus, DbusError, matchRule, SessionBus } from './bus.js';
export type { ConnectOptions, ConnectResult, MethodCall, SignalMatch } from './bus.js';
export {
  actionLabel,
  createDesktopNotifier,
  DbusNotifier,
  DEFAULT_CRITICAL_PRIORITY,
  defaultAppIcon,
  DESKTOP_ENTRY,
  escapeMarkup,
  ICON_NAME,
  urgencyOf,
} from './notifications.js';
export type {
  DbusNotifierOptions,
  DbusNotifyResult,
  DesktopNotifierChoice,
  NotificationActionEvent,
  NotificationClosedEvent,
} from './notifications.js';
export {
  actOnNotification,
  reminderDetails,
  reminderForTitle,
  requestFor,
  withReminderDetails,
} from './reminder-actions.js';
export type { HandleRequest, ReminderDetails } from './reminder-actions.js';
export { startDaemonNotifier } from './daemon-notifier.js';
export type { DaemonNotifier, DaemonNotifierOptions } from './daemon-notifier.js';
