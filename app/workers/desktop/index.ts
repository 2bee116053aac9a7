export { connectSessionBus, matchRule } from './dbus-client.js';
export type { CallOptions, ConnectOptions, ConnectResult, SignalMatch } from './dbus-client.js';
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
export { actOnNotification, reminderDetails, requestFor } from './reminder-actions.js';
export type { HandleRequest, ReminderDetails } from './reminder-actions.js';
export { startDaemonNotifier } from './daemon-notifier.js';
export type { DaemonNotifier, DaemonNotifierOptions } from './daemon-notifier.js';
/**
 * The desktop integration's public face: {@link startDesktopSources} connects to the session and
 * system buses (by address), starts every headless source that answers (idle, session, DND,
 * fullscreen on X11, meetings) and feeds them into a {@link Presence}; host events (suspend, resume, lock-screen,
 * unlock-screen, idle, active) are also passed to `onHostEvent`, for the daemon's `host-event`.
 * A missing bus or service is logged once and that source left out; nothing here is fatal.
 */
import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import { DBusClient, sessionBusAddress, systemBusAddress } from './dbus-client.js';
import { watchDnd, type DndWatch } from './dnd.js';
import { IdlePoller, probeIdleReader } from './idle.js';
import { watchFullscreen, type FullscreenReaderOptions } from './fullscreen.js';
import { MeetingDetector, type MeetingDetectorOptions } from './meeting.js';
import type { Presence } from './presence.js';
import { MAX_IDLE_POLL_MS, type PresenceHostEvent } from './presence.js';
import { watchSession, type SessionWatch } from './session.js';

export * from './presence.js';
export { DBusClient, DBusError, sessionBusAddress, systemBusAddress } from './dbus-client.js';
export { IdlePoller, probeIdleReader, type IdleBackend } from './idle.js';
export { watchSession, type SessionEvent } from './session.js';
export { watchDnd } from './dnd.js';
export { createFullscreenReader, watchFullscreen } from './fullscreen.js';
export { MeetingDetector, type MeetingState } from './meeting.js';
export { holdReasonKey } from './hold-reasons.js';

export interface DesktopSourcesOptions {
  presence: Presence;
  onHostEvent: (event: PresenceHostEvent) => void;
  log: (level: 'info' | 'warn', message: string) => void;
  /** Default from DBUS_SESSION_BUS_ADDRESS (or $XDG_RUNTIME_DIR/bus); null: no session bus. */
  sessionAddress?: string | null;
  /** Default DBUS_SYSTEM_BUS_ADDRESS or the well-known socket; null: no system bus. */
  systemAddress?: string | null;
  /** Meeting detection; `{ enabled: false }` turns it off. */
  meetings?: MeetingDetectorOptions;
  /** gsettings binary for GNOME's DND; null: not used. */
  gsettings?: string | null;
  /** The focused window being fullscreen, read with xprop on X11; null: not followed. Default: $DISPLAY, xprop on PATH. */
  fullscreen?: FullscreenReaderOptions | null;
  sessionId?: string;
  clock?: Clock;
  timeoutMs?: number;
  /**
   * The host follows idle, sleep and lock itself (Electron's powerMonitor in the tray app): logind and the
   * idle sources stay off, and only what no host offers (DND, fullscreen, meetings) is followed, on the
   * slow poll.
   */
  hostWatchesPower?: boolean;
}

export interface DesktopSources {
  /** Which sources run, for status and the log: e.g. { idle: 'mutter', session: true, dnd: ['gsettings'], meetings: true }. */
  readonly running: {
    idle: string | null;
    session: boolean;
    dnd: readonly string[];
    fullscreen: boolean;
    meetings: boolean;
  };
  readonly idlePoller: IdlePoller | null;
  close(): void;
}

async function tryConnect(
  address: string | null,
  what: string,
  timeoutMs: number,
  log: DesktopSourcesOptions['log'],
): Promise<DBusClient | null> {
  if (address === null) return null;
  try {
    return await DBusClient.connect(address, timeoutMs);
  } catch (error) {
    log('info', `desktop: no ${what} bus (${(error as Error).message}); its sources are off`);
    return null;
  }
}

/** Starts every source that answers; resolves once they were probed (within a few timeouts). */
export async function startDesktopSources(options: DesktopSourcesOptions): Promise<DesktopSources> {
  const { presence, log } = options;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const clock = options.clock ?? systemClock;
  const [session, system] = await Promise.all([
    tryConnect(
      options.sessionAddress === undefined ? sessionBusAddress() : options.sessionAddress,
      'session',
      timeoutMs,
      log,
    ),
    tryConnect(
      options.systemAddress === undefined ? systemBusAddress() : options.systemAddress,
      'system',
      timeoutMs,
      log,
    ),
  ]);

  const hostEvent = (event: PresenceHostEvent) => {
    presence.hostEvent(event);
    options.onHostEvent(event);
  };

  let sessionWatch: SessionWatch | null = null;
  if (system && options.hostWatchesPower !== true) {
    try {
      sessionWatch = await watchSession({
        system,
        onEvent: hostEvent,
        ...(options.sessionId !== undefined && { sessionId: options.sessionId }),
        timeoutMs,
      });
    } catch (error) {
      log('info', `desktop: no logind (${(error as Error).message}); suspend and lock are not followed`);
    }
  }

  let dnd: DndWatch | null = null;
  try {
    dnd = await watchDnd({
      session,
      onChange: (on) => presence.setDnd(on),
      ...(options.gsettings !== undefined && { gsettings: options.gsettings }),
      timeoutMs,
    });
  } catch (error) {
    log('info', `desktop: do-not-disturb is not followed (${(error as Error).message})`);
  }

  const fullscreen =
    options.fullscreen === null
      ? null
      : await watchFullscreen((on) => presence.setFullscreen(on), options.fullscreen);

  const meetingOptions = options.meetings ?? {};
  const meetings =
    meetingOptions.enabled === false
      ? null
      : new MeetingDetector(meetingOptions, (inMeeting) => presence.setMeeting(inMeeting));

  // Idle, as host events: the presence's own idle reason going on and off.
  let wasIdle = presence.held().includes('idle');
  const onHeld = ({ held }: { held: string[] }) => {
    const idle = held.includes('idle');
    if (idle !== wasIdle) {
      wasIdle = idle;
      options.onHostEvent(idle ? 'idle' : 'active');
    }
  };
  presence.on('held-changed', onHeld);

  const reader =
    options.hostWatchesPower === true
      ? null
      : await probeIdleReader({
          session,
          system,
          ...(sessionWatch?.sessionPath && { logindPath: sessionWatch.sessionPath }),
          clock,
          timeoutMs,
        });
  // DND (gsettings), fullscreen and meetings piggy-back on the idle poll: one wake-up serves all four.
  const sink = {
    idleSample: (idleMs: number) => {
      presence.idleSample(idleMs);
      void dnd?.refresh();
      void fullscreen?.refresh();
      void meetings?.check();
    },
    nextIdlePollDelayMs: (idleMs: number) => presence.nextIdlePollDelayMs(idleMs),
  };
  const idlePoller = reader
    ? new IdlePoller({
        reader,
        sink,
        clock,
        onError: (error) => log('warn', `desktop: idle time unreadable (${error.message})`),
      })
    : null;
  idlePoller?.start();
  // Without an idle source, DND and meetings still get checked, on the slowest poll.
  let fallback: TimerHandle | null = null;
  if (!reader) {
    log('info', 'desktop: no idle source answered (Mutter, ScreenSaver, logind); natural breaks are off');
    if (dnd?.sources.includes('gsettings') || fullscreen || meetings) {
      const tick = () => {
        void dnd?.refresh();
        void fullscreen?.refresh();
        void meetings?.check();
        fallback = clock.setTimer(tick, MAX_IDLE_POLL_MS);
      };
      tick();
    }
  }

  const running = {
    idle: reader?.backend ?? null,
    session: sessionWatch !== null,
    dnd: dnd?.sources ?? [],
    fullscreen: fullscreen !== null,
    meetings: meetings !== null,
  };
  log(
    'info',
    `desktop: idle ${running.idle ?? 'none'}, logind ${running.session ? 'yes' : 'no'}, ` +
      `DND ${running.dnd.join('+') || 'none'}, fullscreen ${running.fullscreen ? 'xprop' : 'none'}, meetings ${running.meetings ? 'on' : 'off'}`,
  );
  return {
    running,
    idlePoller,
    close() {
      idlePoller?.stop();
      if (fallback) clock.clearTimer(fallback);
      presence.off('held-changed', onHeld);
      sessionWatch?.close();
      dnd?.close();
      session?.close();
      system?.close();
    },
  };
}
