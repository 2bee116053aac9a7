/**
 * The daemon's notifier, composed: D-Bus first (fallback otherwise), and button presses (D-Bus's, and
 * node-notifier's on macOS and Windows) turned into service requests (the service passes each reminder's key, priority and buttons). daemon.ts calls this one function.
 */
import type { Locale } from '../../shared/i18n/index.js';
import type { Notifier, NotifyLog } from '../notify/index.js';
import { createDesktopNotifier } from './notifications.js';
import { actOnNotification, type HandleRequest } from './reminder-actions.js';

export interface DaemonNotifierOptions {
  /** notify-send / node-notifier: used where D-Bus is not, and for what D-Bus fails to deliver. */
  fallback: Notifier;
  /** The service's `handle()`; null while it starts. */
  handle: HandleRequest;
  locale: () => Locale;
  log: NotifyLog;
  pid?: number;
  processName?: string;
  /** Priorities 1 … this are critical. Default 3. */
  criticalPriority?: number;
}

export interface DaemonNotifier {
  notifier: Notifier;
  /** Stops listening for presses and closes the bus connection. */
  close(): Promise<void>;
}

/** Builds the daemon's notifier and logs which path it took. */
export async function startDaemonNotifier(options: DaemonNotifierOptions): Promise<DaemonNotifier> {
  const { handle, log } = options;
  const choice = await createDesktopNotifier({
    fallback: options.fallback,
    locale: options.locale,
    log,
    ...(options.pid !== undefined && { pid: options.pid }),
    ...(options.processName !== undefined && { processName: options.processName }),
    ...(options.criticalPriority !== undefined && { criticalPriority: options.criticalPriority }),
  });
  log(
    'info',
    choice.dbus ? choice.reason : `notifications through notify-send / node-notifier: ${choice.reason}`,
  );
  // node-notifier reports presses too (buttons on macOS and Windows): the same events, handled the same way.
  const stopFallback = options.fallback.onAction?.((event) => void actOnNotification(event, handle, log));
  const dbus = choice.dbus;
  if (!dbus) return { notifier: choice.notifier, close: async () => stopFallback?.() };
  dbus.on('action', (event) => void actOnNotification(event, handle, log));
  return {
    notifier: dbus,
    close: async () => {
      stopFallback?.();
      await dbus.close();
    },
  };
}
