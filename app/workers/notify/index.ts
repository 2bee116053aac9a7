export { createNotifier, createDefaultBackend, footerLine } from './notifier.js';
export type {
  Notification,
  NotificationActionId,
  Notifier,
  NotifierActionEvent,
  NotifierOptions,
  NotifyLog,
  NotifyResult,
} from './notifier.js';
export { DeliveryError } from './delivery.js';
export type { DeliveryAction, DeliveryRequest, FailureReason, NotifyBackend, Urgency } from './delivery.js';
export { createNotifySendBackend, REMINDER_SOUND_NAME } from './notify-send.js';
export type { NotifySendBackendOptions } from './notify-send.js';
export { createNodeNotifierBackend } from './node-notifier.js';
export type { NodeNotifierBackendOptions } from './node-notifier.js';
export { BurstCoalescer, BURST_THRESHOLD, summaryNames } from './burst.js';
export type { BurstItem, BurstReport } from './burst.js';
