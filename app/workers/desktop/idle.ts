/**
 * The user's idle time, headless on Linux, over D-Bus: GNOME's Mutter IdleMonitor, the
 * org.freedesktop.ScreenSaver interface (KDE on X11), or logind's IdleHint — whichever answers,
 * chosen once at start. A poller reads it at most once per 10 s, less often while the next
 * threshold that matters (a break length, the idle threshold) is far away (see idlePollDelayMs).
 */
import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import type { DBusClient } from './dbus-client.js';

export type IdleBackend = 'mutter' | 'screensaver' | 'logind';

/** One way of reading the idle time, in ms. */
export interface IdleReader {
  readonly backend: IdleBackend;
  read(): Promise<number>;
}

export const MUTTER_IDLE = {
  name: 'org.gnome.Mutter.IdleMonitor',
  path: '/org/gnome/Mutter/IdleMonitor/Core',
  iface: 'org.gnome.Mutter.IdleMonitor',
} as const;
export const SCREENSAVER = {
  name: 'org.freedesktop.ScreenSaver',
  path: '/org/freedesktop/ScreenSaver',
  iface: 'org.freedesktop.ScreenSaver',
} as const;
export const LOGIND = {
  name: 'org.freedesktop.login1',
  path: '/org/freedesktop/login1',
  manager: 'org.freedesktop.login1.Manager',
  session: 'org.freedesktop.login1.Session',
} as const;

function asMs(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${what} answered ${JSON.stringify(value)}, not a number of ms`);
  }
  return value;
}

/** Mutter's GetIdletime: ms since the last input (uint64). */
export function mutterReader(session: DBusClient, timeoutMs?: number): IdleReader {
  return {
    backend: 'mutter',
    async read() {
      const [idle] = await session.call({
        destination: MUTTER_IDLE.name,
        path: MUTTER_IDLE.path,
        interface: MUTTER_IDLE.iface,
        member: 'GetIdletime',
        ...(timeoutMs !== undefined && { timeoutMs }),
      });
      return asMs(idle, 'GetIdletime');
    },
  };
}

/**
 * org.freedesktop.ScreenSaver's GetSessionIdleTime. KDE's kscreenlocker answers KIdleTime's idle time,
 * which is in ms (the old draft spec said seconds; KDE is the implementation that exists), and refuses
 * on Wayland (NotSupported), so the probe moves on to logind there.
 */
export function screenSaverReader(session: DBusClient, timeoutMs?: number): IdleReader {
  return {
    backend: 'screensaver',
    async read() {
      const [idle] = await session.call({
        destination: SCREENSAVER.name,
        path: SCREENSAVER.path,
        interface: SCREENSAVER.iface,
        member: 'GetSessionIdleTime',
        ...(timeoutMs !== undefined && { timeoutMs }),
      });
      return asMs(idle, 'GetSessionIdleTime');
    },
  };
}

/**
 * logind's IdleHint / IdleSinceHint (µs, wall clock) on a session, or on the Manager (all sessions).
 * Coarse: the desktop sets the hint only after its own idle delay, so short breaks go unseen.
 */
export function logindReader(
  system: DBusClient,
  options: { path?: string; clock?: Clock; timeoutMs?: number } = {},
): IdleReader {
  const path = options.path ?? LOGIND.path;
  const iface = path === LOGIND.path ? LOGIND.manager : LOGIND.session;
  const clock = options.clock ?? systemClock;
  return {
    backend: 'logind',
    async read() {
      const hint = await system.getProperty(LOGIND.name, path, iface, 'IdleHint', options.timeoutMs);
      if (hint !== true) return 0;
      const sinceUs = asMs(
        await system.getProperty(LOGIND.name, path, iface, 'IdleSinceHint', options.timeoutMs),
        'IdleSinceHint',
      );
      return sinceUs === 0 ? 0 : Math.max(0, clock.now() - Math.floor(sinceUs / 1_000));
    },
  };
}

/**
 * Tries every source at once and keeps the first, in order of preference (Mutter, ScreenSaver,
 * logind), that answered a first read; null when none did. Chosen once: a desktop does not change
 * its idle source while it runs.
 */
export async function probeIdleReader(options: {
  session: DBusClient | null;
  system: DBusClient | null;
  logindPath?: string;
  clock?: Clock;
  timeoutMs?: number;
}): Promise<IdleReader | null> {
  const candidates: IdleReader[] = [];
  if (options.session) {
    candidates.push(mutterReader(options.session, options.timeoutMs));
    candidates.push(screenSaverReader(options.session, options.timeoutMs));
  }
  if (options.system) {
    candidates.push(
      logindReader(options.system, {
        ...(options.logindPath !== undefined && { path: options.logindPath }),
        ...(options.clock !== undefined && { clock: options.clock }),
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      }),
    );
  }
  const answers = await Promise.allSettled(candidates.map((reader) => reader.read()));
  const index = answers.findIndex((answer) => answer.status === 'fulfilled');
  return index >= 0 ? (candidates[index] ?? null) : null;
}

/** What the poller feeds: a sink for samples and the schedule (Presence implements both). */
export interface IdleSink {
  idleSample(idleMs: number): void;
  nextIdlePollDelayMs(idleMs: number): number;
}

/** After a failed read, wait this long before trying again. */
const RETRY_AFTER_ERROR_MS = 30_000;

/**
 * Reads the idle time on a schedule the sink chooses (at most once per 10 s) and feeds every reading
 * to it. One timer at a time; `pollNow()` reads at once (e.g. before deciding on a due reminder) and
 * reschedules from there.
 */
export class IdlePoller {
  readonly #reader: IdleReader;
  readonly #sink: IdleSink;
  readonly #clock: Clock;
  readonly #onError: (error: Error) => void;
  #timer: TimerHandle | null = null;
  #running = false;
  #reading: Promise<number | null> | null = null;
  #polls = 0;
  #failedBefore = false;

  constructor(options: {
    reader: IdleReader;
    sink: IdleSink;
    clock?: Clock;
    onError?: (error: Error) => void;
  }) {
    this.#reader = options.reader;
    this.#sink = options.sink;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onError ?? (() => undefined);
  }

  get backend(): IdleBackend {
    return this.#reader.backend;
  }

  /** How many reads were made (the bench counts wake-ups with it). */
  get polls(): number {
    return this.#polls;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.pollNow();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  /** Reads now (joining a read in flight), feeds the sink, schedules the next read; null on error. */
  pollNow(): Promise<number | null> {
    this.#reading ??= this.#poll().finally(() => (this.#reading = null));
    return this.#reading;
  }

  async #poll(): Promise<number | null> {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#polls++;
    let idleMs: number | null = null;
    try {
      idleMs = await this.#reader.read();
      this.#failedBefore = false;
      this.#sink.idleSample(idleMs);
    } catch (error) {
      // Reported once per run of failures: a desktop that went away must not flood the log.
      if (!this.#failedBefore) this.#onError(error as Error);
      this.#failedBefore = true;
    }
    if (this.#running) {
      const delay = idleMs === null ? RETRY_AFTER_ERROR_MS : this.#sink.nextIdlePollDelayMs(idleMs);
      this.#timer = this.#clock.setTimer(() => void this.pollNow(), delay);
    }
    return idleMs;
  }
}
