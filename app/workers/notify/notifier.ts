import { release } from 'node:os';
import {
  DeliveryError,
  type DeliveryRequest,
  type FailureReason,
  type NotifyBackend,
  type Urgency,
} from './delivery.js';
import { createNodeNotifierBackend } from './node-notifier.js';
import { createNotifySendBackend } from './notify-send.js';

/** What a caller wants shown. */
export interface Notification {
  title: string;
  message: string;
  /** true asks for a sound, false for silence; left out, the desktop decides. */
  sound?: boolean;
  /** Default `normal`. */
  urgency?: Urgency;
  /** How long the notification stays on screen; left out, the desktop decides. */
  timeoutSec?: number;
  /**
   * What the notification stands for (a reminder's id): a backend that can replace notifications in place shows
   * one per key, and reports the buttons pressed on it with this key. Left out, every notification stands alone.
   */
  key?: string;
  /** The reminder's priority (1 most urgent … 20); a backend that knows urgency maps it (see app/workers/desktop). */
  priority?: number;
  /** Buttons to offer where the desktop allows them; ignored by backends that cannot report a press. */
  actions?: readonly NotificationActionId[];
  /** Minutes a Snooze button delays by, for its label (the reminder's `snoozeMinutes`). */
  snoozeMinutes?: number;
}

/** A button on a notification: Snooze, Skip, Start break. */
export type NotificationActionId = 'snooze' | 'skip' | 'start-break';

/**
 * A button pressed on one of our notifications (`default`: the notification itself was clicked), as the D-Bus
 * notifier and the node-notifier backend both report it. `notificationId` is the server's id (D-Bus) or the
 * backend's own count (node-notifier).
 */
export interface NotifierActionEvent {
  /** The notification's key: the reminder id it was sent with. */
  key: string;
  action: NotificationActionId | 'default';
  notificationId: number;
}

/** The outcome of one notification. `error` is set when `delivered` is false. */
export interface NotifyResult {
  delivered: boolean;
  error?: string;
}

/** Where log lines go; the daemon passes its own logger. */
export type NotifyLog = (level: 'info' | 'warn' | 'error', msg: string) => void;

/** Options of {@link createNotifier}; every one has a default fit for the daemon. */
export interface NotifierOptions {
  /** Shown in the footer; read at each notification when left out (default `process.pid`). */
  pid?: number;
  /** Shown in the footer; read at each notification when left out (default `process.title`). */
  processName?: string;
  /** Default `console`. */
  log?: NotifyLog;
  /** Default: {@link createDefaultBackend}. */
  backend?: NotifyBackend;
  /** Default `myTimer`. */
  appName?: string;
  iconPath?: string;
  /** Passed to the default backend: a delivery taking longer fails (and a hung notify-send is killed). */
  deliveryTimeoutMs?: number;
  /** Deliveries in flight at once (notify-send processes, by default); the rest wait their turn. Default 3. */
  maxInFlight?: number;
  /** Button labels in the user's language (`Snooze 5 min`); without it no buttons are offered. */
  actionLabel?: (action: NotificationActionId, snoozeMinutes?: number) => string;
}

/** Shows desktop notifications. */
export interface Notifier {
  /** Never rejects: a failed delivery resolves to `{ delivered: false, error }`, and is logged once per cause. */
  notify(notification: Notification): Promise<NotifyResult>;
  /** Button presses, where the backend reports them (node-notifier on macOS and Windows); returns the unsubscribe. */
  onAction?(listener: (event: NotifierActionEvent) => void): () => void;
}

const DEFAULT_APP_NAME = 'myTimer';

/**
 * A notifier whose failures never reach the caller as exceptions: a reminder fires whether or not the
 * desktop shows it. A failure is logged with a hint the first time its cause appears, then stays quiet while
 * it repeats; each notification tries again, so fixing the cause (installing notify-send, starting a
 * notification server) takes effect at the next reminder, without a restart.
 */
export function createNotifier(options: NotifierOptions = {}): Notifier {
  const appName = options.appName ?? DEFAULT_APP_NAME;
  const log = options.log ?? logToConsole;
  const backend =
    options.backend ??
    createDefaultBackend({ timeoutMs: options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS });
  // The cause already logged in the current run of failures; null once a delivery succeeds.
  let loggedReason: FailureReason | null = null;
  const send = limitConcurrency(
    (request: DeliveryRequest) => backend.send(request),
    options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
  );

  return {
    async notify(notification) {
      try {
        const footer = footerLine(options.pid ?? process.pid, options.processName ?? process.title);
        await send({
          appName,
          // notify-send refuses an empty summary, and an untitled notification helps no one.
          title: notification.title || appName,
          body: notification.message ? `${notification.message}\n${footer}` : footer,
          urgency: notification.urgency ?? 'normal',
          timeoutSec: notification.timeoutSec,
          sound: notification.sound,
          iconPath: options.iconPath,
          ...deliveryActions(notification, options.actionLabel),
        });
        loggedReason = null;
        return { delivered: true };
      } catch (error) {
        const failure =
          error instanceof DeliveryError
            ? error
            : new DeliveryError('failed', error instanceof Error ? error.message : String(error));
        if (failure.reason !== loggedReason) {
          loggedReason = failure.reason;
          const hint = failure.hint ? ` — ${failure.hint}` : '';
          safeLog(
            log,
            'warn',
            `desktop notifications failed: ${failure.message}${hint}; reminders still run`,
          );
        }
        return { delivered: false, error: failure.message };
      }
    },
    ...(backend.onAction && { onAction: (listener) => backend.onAction?.(listener) ?? (() => undefined) }),
  };
}

/** The key and labelled buttons of a keyed notification with actions; nothing otherwise. */
function deliveryActions(
  notification: Notification,
  label: NotifierOptions['actionLabel'],
): Pick<DeliveryRequest, 'key' | 'actions'> {
  if (notification.key === undefined) return {};
  if (!label || !notification.actions?.length) return { key: notification.key };
  const actions = [...new Set(notification.actions)].map((id) => ({
    id,
    label: label(id, notification.snoozeMinutes),
  }));
  return { key: notification.key, actions };
}

/** The line under every message, naming the process that sent it: `pid 4242 · mytimer-daemon`. */
export function footerLine(pid: number, processName: string): string {
  return `pid ${pid} · ${processName}`;
}

const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** A burst of 300 reminders once started 131 notify-send processes at once; a few in flight is plenty. */
const DEFAULT_MAX_IN_FLIGHT = 3;

/**
 * Wraps `run` so that at most `limit` calls are in flight; the others wait, first come first served.
 * @throws RangeError when `limit` is not a whole number from 1 to 64
 */
export function limitConcurrency<A, R>(run: (arg: A) => Promise<R>, limit: number): (arg: A) => Promise<R> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 64)
    throw new RangeError(`maxInFlight must be a whole number from 1 to 64 (got ${String(limit)})`);
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return async (arg) => {
    if (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else inFlight++;
    try {
      return await run(arg);
    } finally {
      // Hand the slot straight to the next waiter (inFlight stays the same), or free it.
      const next = waiting.shift();
      if (next) next();
      else inFlight--;
    }
  };
}

/**
 * The backend for this platform: notify-send run directly on Linux and the BSDs, node-notifier elsewhere
 * (NotificationCenter on macOS, WindowsToaster on Windows and WSL, as node-notifier picks).
 */
export function createDefaultBackend(options: { timeoutMs?: number } = {}): NotifyBackend {
  // notify-send cannot report a press (only D-Bus can, see app/workers/desktop); node-notifier can.
  const usesNotifySend = ['linux', 'freebsd', 'openbsd', 'netbsd'].includes(process.platform) && !isWsl();
  return usesNotifySend ? createNotifySendBackend(options) : createNodeNotifierBackend(options);
}

/** WSL reports itself in the kernel release; node-notifier then uses Windows toasts, and so do we. */
function isWsl(): boolean {
  return process.platform === 'linux' && release().toLowerCase().includes('microsoft');
}

function safeLog(log: NotifyLog, level: 'info' | 'warn' | 'error', msg: string): void {
  try {
    log(level, msg);
  } catch {
    // A broken logger must not turn a failed notification into a failed reminder.
  }
}

function logToConsole(level: 'info' | 'warn' | 'error', msg: string): void {
  console[level](msg);
}
