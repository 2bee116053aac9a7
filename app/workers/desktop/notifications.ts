/**
 * Notifications over org.freedesktop.Notifications, spoken directly on the session bus: buttons (Snooze,
 * Skip, Start break) where the server has "actions", one notification per reminder replaced in place, urgency
 * from the reminder's priority, the app icon and desktop entry. Presses come back as typed `action` events.
 * notify-send / node-notifier stay the fallback: used for any notification D-Bus could not deliver.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { translate, type Locale } from '../../shared/i18n/index.js';
import {
  footerLine,
  REMINDER_SOUND_NAME,
  type Notification,
  type NotificationActionId,
  type Notifier,
  type NotifyLog,
  type NotifyResult,
  type Urgency,
} from '../notify/index.js';
import { connectSessionBus, DBusError, type DBusClient } from './dbus-client.js';

export const NOTIFICATIONS_NAME = 'org.freedesktop.Notifications';
const NOTIFICATIONS_PATH = '/org/freedesktop/Notifications';
const NOTIFICATIONS_IFACE = 'org.freedesktop.Notifications';
const TARGET = { destination: NOTIFICATIONS_NAME, path: NOTIFICATIONS_PATH, interface: NOTIFICATIONS_IFACE };

/** A notification server busy drawing may take a while; a Notify call waits this long before the fallback. */
const NOTIFY_CALL_TIMEOUT_MS = 5_000;
/** Priorities 1 … this are shown critical (they stay until dismissed); the rest normal. */
export const DEFAULT_CRITICAL_PRIORITY = 3;
/** The installed desktop file's name without `.desktop` (electron-builder's `executableName`). */
export const DESKTOP_ENTRY = 'mytimer';
/** The icon name the packages install into the hicolor theme; used when no icon file is readable. */
export const ICON_NAME = 'mytimer';

/** A button pressed on one of our notifications (`default`: the notification itself was clicked). */
export interface NotificationActionEvent {
  /** The notification's key: the reminder id it was sent with. */
  key: string;
  action: NotificationActionId | 'default';
  notificationId: number;
}

/** One of our keyed notifications went away. `reason`: 1 expired, 2 dismissed, 3 closed by a call, 4 other. */
export interface NotificationClosedEvent {
  key: string;
  notificationId: number;
  reason: number;
}

interface DbusNotifierEvents {
  action: [NotificationActionEvent];
  closed: [NotificationClosedEvent];
}

/** What {@link DbusNotifier.notify} reports beyond the Notifier's result. */
export interface DbusNotifyResult extends NotifyResult {
  /** `dbus` or the fallback's name. */
  via: 'dbus' | 'fallback';
  /** The server's id, when delivered over D-Bus. */
  notificationId?: number;
}

export interface DbusNotifierOptions {
  bus: DBusClient;
  /** Shows what D-Bus could not (server gone, bus lost); it logs its own failures. */
  fallback?: Notifier;
  /** Shown in the footer; default `process.pid`, read at each notification. */
  pid?: number;
  /** Shown in the footer; default `process.title`, read at each notification. */
  processName?: string;
  /** Default `myTimer`. */
  appName?: string;
  /** An absolute file path or a theme icon name; default {@link defaultAppIcon}. */
  appIcon?: string;
  /** Default {@link DESKTOP_ENTRY}. */
  desktopEntry?: string;
  /** Priorities 1 … this are critical; default {@link DEFAULT_CRITICAL_PRIORITY}. 0 makes none critical. */
  criticalPriority?: number;
  /** The language of the button labels, read at each notification; default English. */
  locale?: () => Locale;
  /** Default: silent. */
  log?: NotifyLog;
}

/**
 * A {@link Notifier} over D-Bus. Keyed notifications (a reminder's id) are replaced in place: the server's id
 * is kept per key and passed as `replaces_id` until the server reports the notification closed. Button
 * presses on our own notifications (never another app's) are emitted as `action` events.
 */
export class DbusNotifier extends EventEmitter<DbusNotifierEvents> implements Notifier {
  readonly #bus: DBusClient;
  readonly #options: DbusNotifierOptions;
  readonly #appName: string;
  readonly #appIcon: string;
  readonly #criticalPriority: number;
  readonly #idByKey = new Map<string, number>();
  readonly #keyById = new Map<number, string>();
  /** One send at a time per key, so a second notification replaces the first instead of racing it. */
  readonly #tailByKey = new Map<string, Promise<unknown>>();
  #capabilities: Promise<ReadonlySet<string>> | null = null;
  /** The D-Bus failure already logged in the current run of failures. */
  #loggedFailure: string | null = null;

  private constructor(options: DbusNotifierOptions) {
    super();
    this.#bus = options.bus;
    this.#options = options;
    this.#appName = options.appName ?? 'myTimer';
    this.#appIcon = options.appIcon ?? defaultAppIcon();
    this.#criticalPriority = options.criticalPriority ?? DEFAULT_CRITICAL_PRIORITY;
  }

  /** Subscribes to the server's signals on `options.bus`; the server itself may come and go later. */
  static async create(options: DbusNotifierOptions): Promise<DbusNotifier> {
    const notifier = new DbusNotifier(options);
    await notifier.#subscribe();
    return notifier;
  }

  /** The server's capabilities (`actions`, `body-markup`, …), read once per server; empty when none answers. */
  async capabilities(): Promise<ReadonlySet<string>> {
    this.#capabilities ??= this.#bus.call({ ...TARGET, member: 'GetCapabilities' }).then(
      ([caps]) => new Set(Array.isArray(caps) ? caps.map(String) : []),
      (error: unknown) => {
        this.#capabilities = null; // ask again next time: the server may start later
        throw error;
      },
    );
    return this.#capabilities;
  }

  /** Never rejects. Over D-Bus when it answers, else through the fallback. */
  notify(notification: Notification): Promise<DbusNotifyResult> {
    const key = notification.key;
    if (key === undefined) return this.#notifyNow(notification);
    const previous = this.#tailByKey.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#notifyNow(notification));
    this.#tailByKey.set(key, next);
    void next.then(() => {
      if (this.#tailByKey.get(key) === next) this.#tailByKey.delete(key);
    });
    return next;
  }

  /** The server's id of the notification now shown for `key`, if any. */
  notificationIdOf(key: string): number | undefined {
    return this.#idByKey.get(key);
  }

  /**
   * Closes the bus connection. No RemoveMatch round trips: the bus drops a connection's match rules with it,
   * and a daemon shutting down must not wait on a hung bus.
   */
  async close(): Promise<void> {
    this.#bus.close();
    this.removeAllListeners();
  }

  async #notifyNow(notification: Notification): Promise<DbusNotifyResult> {
    try {
      const capabilities = await this.capabilities();
      const notificationId = await this.#send(notification, capabilities);
      this.#loggedFailure = null;
      return { delivered: true, via: 'dbus', notificationId };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const cause = error instanceof DBusError ? error.dbusName : message;
      if (cause !== this.#loggedFailure) {
        this.#loggedFailure = cause;
        const next = this.#options.fallback ? 'using the fallback' : 'no fallback';
        safeLog(this.#options.log, 'warn', `notification over D-Bus failed: ${message}; ${next}`);
      }
      // A server that went away may come back with other capabilities and other ids.
      this.#forgetServer();
      if (!this.#options.fallback) return { delivered: false, error: message, via: 'dbus' };
      const result = await this.#options.fallback.notify(notification);
      return { ...result, via: 'fallback' };
    }
  }

  async #send(notification: Notification, capabilities: ReadonlySet<string>): Promise<number> {
    const footer = footerLine(this.#options.pid ?? process.pid, this.#options.processName ?? process.title);
    const text = notification.message ? `${notification.message}\n${footer}` : footer;
    const key = notification.key;
    const [id] = await this.#bus.call({
      ...TARGET,
      member: 'Notify',
      signature: 'susssasa{sv}i',
      body: [
        this.#appName,
        key !== undefined ? (this.#idByKey.get(key) ?? 0) : 0,
        this.#appIcon,
        withoutNul(notification.title || this.#appName),
        withoutNul(capabilities.has('body-markup') ? escapeMarkup(text) : text),
        capabilities.has('actions') ? this.#actionList(notification) : [],
        this.#hints(notification),
        expireTimeoutMs(notification.timeoutSec),
      ],
    });
    const notificationId = Number(id);
    if (key !== undefined) {
      const previous = this.#idByKey.get(key);
      if (previous !== undefined && previous !== notificationId) this.#keyById.delete(previous);
      this.#idByKey.set(key, notificationId);
      this.#keyById.set(notificationId, key);
    }
    return notificationId;
  }

  /** `[key, label, key, label, …]`; buttons only for keyed notifications, since a press must name a reminder. */
  #actionList(notification: Notification): string[] {
    if (notification.key === undefined || !notification.actions?.length) return [];
    const locale = this.#options.locale?.() ?? 'en';
    const list = ['default', ''];
    for (const action of new Set(notification.actions)) {
      list.push(action, actionLabel(action, locale, notification.snoozeMinutes));
    }
    return list;
  }

  #hints(notification: Notification): Array<[string, [string, unknown]]> {
    const hints: Array<[string, [string, unknown]]> = [
      ['urgency', ['y', URGENCY_LEVEL[urgencyOf(notification, this.#criticalPriority)]]],
      ['desktop-entry', ['s', this.#options.desktopEntry ?? DESKTOP_ENTRY]],
    ];
    if (notification.sound === true) hints.push(['sound-name', ['s', REMINDER_SOUND_NAME]]);
    if (notification.sound === false) hints.push(['suppress-sound', ['b', true]]);
    return hints;
  }

  async #subscribe(): Promise<void> {
    const signal = (member: string) => ({ ...TARGET, sender: NOTIFICATIONS_NAME, member });
    await Promise.all([
      this.#bus.onSignal(signal('ActionInvoked'), ([id, action]) => {
        const notificationId = Number(id);
        const key = this.#keyById.get(notificationId);
        if (key === undefined) return; // another application's notification, or one already closed
        const name = String(action);
        if (!isActionName(name)) return;
        this.emit('action', { key, action: name, notificationId });
      }),
      this.#bus.onSignal(signal('NotificationClosed'), ([id, reason]) => {
        const notificationId = Number(id);
        const key = this.#keyById.get(notificationId);
        if (key === undefined) return;
        this.#keyById.delete(notificationId);
        if (this.#idByKey.get(key) === notificationId) this.#idByKey.delete(key);
        this.emit('closed', { key, notificationId, reason: Number(reason) });
      }),
      this.#bus.onSignal(
        {
          sender: 'org.freedesktop.DBus',
          path: '/org/freedesktop/DBus',
          interface: 'org.freedesktop.DBus',
          member: 'NameOwnerChanged',
          arg0: NOTIFICATIONS_NAME,
        },
        ([name]) => {
          if (name === NOTIFICATIONS_NAME) this.#forgetServer();
        },
      ),
    ]);
  }

  #forgetServer(): void {
    this.#capabilities = null;
    this.#idByKey.clear();
    this.#keyById.clear();
  }
}

const URGENCY_LEVEL: Record<Urgency, number> = { low: 0, normal: 1, critical: 2 };

/**
 * The urgency shown: an explicit `urgency` wins; else critical for priorities 1 … `criticalPriority` (they stay
 * on screen until dismissed instead of vanishing after a few seconds), normal otherwise.
 */
export function urgencyOf(
  notification: Pick<Notification, 'urgency' | 'priority'>,
  criticalPriority = DEFAULT_CRITICAL_PRIORITY,
): Urgency {
  if (notification.urgency !== undefined) return notification.urgency;
  if (notification.priority !== undefined && notification.priority <= criticalPriority) return 'critical';
  return 'normal';
}

/** The label of a button, in `locale`: `Snooze 5 min`, `Skip`, `Start break`. */
export function actionLabel(action: NotificationActionId, locale: Locale, snoozeMinutes?: number): string {
  switch (action) {
    case 'snooze':
      return snoozeMinutes !== undefined
        ? translate(locale, 'notification.action.snooze', { minutes: snoozeMinutes })
        : translate(locale, 'notification.action.snoozeUnknown');
    case 'skip':
      return translate(locale, 'notification.action.skip');
    case 'start-break':
      return translate(locale, 'notification.action.startBreak');
  }
}

/**
 * Escapes text for a server that reads the body as markup (capability `body-markup`), so `<`, `>` and `&` in a
 * reminder's message show as typed instead of being parsed (or making the server drop the body).
 */
export function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const ACTION_NAMES: ReadonlySet<string> = new Set(['default', 'snooze', 'skip', 'start-break']);
function isActionName(name: string): name is NotificationActionEvent['action'] {
  return ACTION_NAMES.has(name);
}

/** `expire_timeout`: -1 leaves it to the server. */
function expireTimeoutMs(timeoutSec: number | undefined): number {
  if (timeoutSec === undefined || !Number.isFinite(timeoutSec)) return -1;
  return Math.min(2 ** 31 - 1, Math.max(0, Math.round(timeoutSec * 1000)));
}

/** D-Bus strings cannot hold NUL. */
function withoutNul(text: string): string {
  return text.replaceAll('\0', '');
}

function safeLog(log: NotifyLog | undefined, level: 'info' | 'warn' | 'error', message: string): void {
  try {
    log?.(level, message);
  } catch {
    // A broken logger must not turn a notification into a failure.
  }
}

/**
 * The app icon to pass: build/icons/icon-256.png as an absolute path when it is a real file (running from a
 * checkout or an unpacked build), else the theme icon name the packages install. A path inside app.asar is
 * never passed: the notification server, another process, cannot read into the archive.
 */
export function defaultAppIcon(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(dir, 'build', 'icons', 'icon-256.png');
    if (!candidate.includes(`app.asar${path.sep}`) && existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return ICON_NAME;
}

/** What {@link createDesktopNotifier} settled on, and why (for one log line). */
export interface DesktopNotifierChoice {
  /** Use this as the daemon's notifier. */
  notifier: Notifier;
  /** Set when D-Bus is used: subscribe to its `action` events. */
  dbus: DbusNotifier | null;
  /** Why, written for a log line. */
  reason: string;
}

/**
 * D-Bus when a session bus answers (the server is asked at each notification, so one that starts later is
 * used then), else `fallback` alone (Windows, macOS, no session bus).
 */
export async function createDesktopNotifier(
  options: Omit<DbusNotifierOptions, 'bus'> & {
    fallback: Notifier;
    address?: string;
    connectTimeoutMs?: number;
  },
): Promise<DesktopNotifierChoice> {
  if (
    process.platform !== 'linux' &&
    options.address === undefined &&
    !process.env.DBUS_SESSION_BUS_ADDRESS
  ) {
    return { notifier: options.fallback, dbus: null, reason: `no session bus on ${process.platform}` };
  }
  const connected = await connectSessionBus({
    ...(options.address !== undefined && { address: options.address }),
    ...(options.connectTimeoutMs !== undefined && { timeoutMs: options.connectTimeoutMs }),
    callTimeoutMs: NOTIFY_CALL_TIMEOUT_MS,
  });
  if (!connected.ok) return { notifier: options.fallback, dbus: null, reason: connected.reason };
  try {
    const dbus = await DbusNotifier.create({ ...options, bus: connected.client });
    const capabilities = await dbus.capabilities().then(
      (caps) => `capabilities: ${[...caps].join(' ') || 'none'}`,
      (error: unknown) => `no server answers yet (${(error as Error).message})`,
    );
    return { notifier: dbus, dbus, reason: `notifications over D-Bus; ${capabilities}` };
  } catch (error) {
    connected.client.close();
    return {
      notifier: options.fallback,
      dbus: null,
      reason: `the session bus refused the signal subscriptions: ${(error as Error).message}`,
    };
  }
}
