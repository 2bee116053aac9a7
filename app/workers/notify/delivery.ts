import type { NotificationActionId, NotifierActionEvent } from './notifier.js';

/** How insistent a notification is; maps onto the freedesktop urgency levels. */
export type Urgency = 'low' | 'normal' | 'critical';

/**
 * One notification as a backend receives it: the footer is already part of `body`, and both texts must reach
 * the user exactly as given (a backend does whatever escaping its transport needs, never the caller).
 */
export interface DeliveryRequest {
  appName: string;
  title: string;
  body: string;
  urgency: Urgency;
  /** How long the notification stays on screen; undefined leaves it to the notification server. */
  timeoutSec?: number;
  /** true asks for a sound, false asks for silence, undefined leaves it to the server. */
  sound?: boolean;
  iconPath?: string;
  /** The reminder the notification stands for; presses on its buttons are reported with it. */
  key?: string;
  /** Buttons, labelled in the user's language; a backend that cannot report a press leaves them out. */
  actions?: readonly DeliveryAction[];
}

/** One button of a notification: what it does and its label. */
export interface DeliveryAction {
  id: NotificationActionId;
  label: string;
}

/** Something that shows notifications: node-notifier or notify-send by default, a fake in unit tests. */
export interface NotifyBackend {
  /** A short name for logs, e.g. `notify-send`. */
  readonly name: string;
  /** Resolves once the notification server took the notification; rejects (ideally with a DeliveryError) if not. */
  send(request: DeliveryRequest): Promise<void>;
  /** Where the backend reports button presses (node-notifier on macOS and Windows); returns the unsubscribe. */
  onAction?(listener: (event: NotifierActionEvent) => void): () => void;
}

/**
 * Why a delivery failed. The notifier logs a hint once per reason, so the kinds are coarse on purpose:
 * the user can fix each one with a single action.
 */
export type FailureReason = 'notifier-missing' | 'no-server' | 'timed-out' | 'failed';

/** A failed delivery, with what the user can do about it (`hint`, written for a log line). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
