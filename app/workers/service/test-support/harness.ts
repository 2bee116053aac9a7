// Shared by the DaemonService tests only: a temp home, a fake notifier, a virtual clock, and helpers
// that wait for the service's async work (notifications, coalesced state saves) deterministically.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DaemonEvent, Method, Params, Reply } from '../../../shared/contract.js';
import {
  defaultSettings,
  settingsSchema,
  type ReminderInput,
  type Settings,
} from '../../../shared/settings.js';
import { VirtualClock } from '../../../shared/virtual-clock.js';
import type { Notification, Notifier, NotifyResult } from '../../notify/index.js';
import { DaemonService } from '../index.js';
import type { StartJob } from '../../jobs/index.js';
import type { HistoryStore } from '../context.js';
import { appPaths, openSettingsStore, openStateStore, type AppPaths } from '../../store/index.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
/** Monday 2026-01-05 09:00 UTC, the VirtualClock's default start. */
export const MONDAY_9AM = Date.UTC(2026, 0, 5, 9, 0, 0);
export const STATE_FLUSH_DELAY_MS = 10;

/** A notifier that records every notification and fails on cue (`failWith`), as the real one does: never rejecting. */
export class FakeNotifier implements Notifier {
  readonly calls: Notification[] = [];
  /** Set to a reason to make deliveries fail with it; null delivers. */
  failWith: string | null = null;

  notify(notification: Notification): Promise<NotifyResult> {
    this.calls.push(notification);
    return Promise.resolve(
      this.failWith === null ? { delivered: true } : { delivered: false, error: this.failWith },
    );
  }

  get messages(): string[] {
    return this.calls.map((c) => c.message);
  }
}

type LogLine = [level: 'info' | 'warn' | 'error', message: string];

export interface OpenOptions {
  /** Wall clock start (default Monday 2026-01-05 09:00 UTC). */
  start?: number;
  osLocale?: string;
  applyNiceness?: (niceness: number) => number | null;
  startJob?: StartJob;
  history?: HistoryStore;
}

/** One open DaemonService on a home, with everything it emitted and logged. */
export interface ServiceUnderTest {
  service: DaemonService;
  clock: VirtualClock;
  notifier: FakeNotifier;
  events: DaemonEvent[];
  logs: LogLine[];
  /** Sends a request; `ok` unwraps the result or throws with the error body. */
  request<M extends Method>(method: M, params?: Params<M>): Promise<Reply>;
  ok<T = unknown, M extends Method = Method>(method: M, params?: Params<M>): Promise<T>;
  /** Moves virtual time, then lets the async work it started (notification replies) finish. */
  advance(ms: number): Promise<void>;
  /** Lets the coalesced state save run and waits until every state write has reached the disk. */
  flushState(): Promise<void>;
  close(): Promise<void>;
  reminderEvents(): Extract<DaemonEvent, { event: 'reminder' }>['data'][];
  timerDoneEvents(): Extract<DaemonEvent, { event: 'timer-done' }>['data'][];
}

/** Waits for pending promise callbacks and one turn of the event loop. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A temp home dir and the services opened on it; `cleanup()` closes them and removes the dir. */
export class TestHome {
  readonly paths: AppPaths;
  readonly #open: ServiceUnderTest[] = [];

  private constructor(readonly dir: string) {
    this.paths = appPaths(dir);
  }

  static async create(): Promise<TestHome> {
    return new TestHome(await mkdtemp(path.join(os.tmpdir(), 'mytimer-service-')));
  }

  /** Writes settings.json as the store would (so a test can start from given reminders). */
  async writeSettings(settings: Settings): Promise<void> {
    await openSettingsStore(this.paths).save(settings);
  }

  /** settings.json parsed, or null when it does not exist. */
  async readSettings(): Promise<(Settings & { version: number }) | null> {
    const bytes = await this.settingsBytes();
    return bytes === null ? null : (JSON.parse(bytes) as Settings & { version: number });
  }

  /** settings.json's exact text, or null when it does not exist. */
  async settingsBytes(): Promise<string | null> {
    try {
      return await readFile(this.paths.settings, 'utf8');
    } catch {
      return null;
    }
  }

  async writeRaw(file: string, text: string): Promise<void> {
    await writeFile(path.join(this.dir, file), text);
  }

  async open(options: OpenOptions = {}): Promise<ServiceUnderTest> {
    const clock = new VirtualClock(options.start ?? MONDAY_9AM);
    const notifier = new FakeNotifier();
    const logs: LogLine[] = [];
    const events: DaemonEvent[] = [];
    const stateStore = openStateStore(this.paths);
    // Track every state write so tests (and cleanup) can wait for the disk instead of sleeping.
    const pendingWrites = new Set<Promise<void>>();
    const save = stateStore.save.bind(stateStore);
    stateStore.save = (value) => {
      const write = save(value);
      pendingWrites.add(write);
      void write.finally(() => pendingWrites.delete(write)).catch(() => undefined);
      return write;
    };
    const service = await DaemonService.open({
      settingsStore: openSettingsStore(this.paths),
      stateStore,
      notifier,
      clock,
      log: (level, message) => logs.push([level, message]),
      pid: 4242,
      processName: 'mytimer-daemon',
      home: this.dir,
      osLocale: options.osLocale ?? 'en_US.UTF-8',
      stateFlushDelayMs: STATE_FLUSH_DELAY_MS,
      ...(options.applyNiceness && { applyNiceness: options.applyNiceness }),
      ...(options.startJob && { startJob: options.startJob }),
      ...(options.history && { history: options.history }),
    });
    service.on('event', (event) => events.push(event));
    let nextId = 1;
    const waitForWrites = async () => {
      while (pendingWrites.size > 0) await Promise.allSettled([...pendingWrites]);
    };
    const sut: ServiceUnderTest = {
      service,
      clock,
      notifier,
      events,
      logs,
      request: (method, params) => service.handle({ id: nextId++, method, params }),
      ok: async <T, M extends Method>(method: M, params?: Params<M>): Promise<T> => {
        const reply = await service.handle({ id: nextId++, method, params });
        if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
        return reply.result as T;
      },
      async advance(ms) {
        clock.advance(ms);
        // A firing saves state before it notifies: let those writes land, then the notifications.
        await settle();
        await waitForWrites();
        await settle();
      },
      async flushState() {
        clock.advance(STATE_FLUSH_DELAY_MS);
        await settle();
        await waitForWrites();
      },
      async close() {
        await service.close();
        await waitForWrites();
      },
      reminderEvents: () => events.flatMap((e) => (e.event === 'reminder' ? [e.data] : [])),
      timerDoneEvents: () => events.flatMap((e) => (e.event === 'timer-done' ? [e.data] : [])),
    };
    this.#open.push(sut);
    return sut;
  }

  async cleanup(): Promise<void> {
    for (const sut of this.#open) await sut.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The default settings with the given reminders instead of `rest-eyes`, and the zone fixed to UTC. */
export function settingsWith(reminders: ReminderInput[], patch: Partial<Settings> = {}): Settings {
  return settingsSchema.parse({ ...defaultSettings(), timeZone: 'UTC', ...patch, reminders });
}
