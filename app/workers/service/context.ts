import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import type { DaemonEvent, JobResult, Method, ParsedParams, Result, Status } from '../../shared/contract.js';
import { resolveLocale, translate, type Locale } from '../../shared/i18n/index.js';
import type { Job, Reminder, Settings } from '../../shared/settings.js';
import { systemTimeZone } from '../../shared/time-zone.js';
import type { HistoryEvent } from '../../shared/history-event.js';
import { DailyCounts } from '../history/index.js';
import type { JobsManager, StartJob } from '../jobs/index.js';
import {
  BurstCoalescer,
  summaryNames,
  type BurstItem,
  type Notification,
  type Notifier,
} from '../notify/index.js';
import { syncReminders } from '../reminders/index.js';
import { Scheduler, compileSchedule, validateSchedule, type FireEvent } from '../scheduler/index.js';
import { Presence } from '../desktop/index.js';
import type { DaemonState, JsonStore } from '../store/index.js';
import type { TaskPayload } from '../tasks.js';
import type { Pomodoro, Timer } from '../timer/index.js';

/** What a reminder's notification carries beyond its text (see desktop/reminder-actions.ts reminderDetails). */
export type NotificationDetails = Omit<Notification, 'title' | 'message' | 'sound'>;

/** A burst member: a reminder's notification, with its details (a summary carries none). */
export interface ReminderBurstItem extends BurstItem {
  details?: NotificationDetails;
}

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** One method's handler: it receives the params as the contract parsed them and returns the method's result. */
export type Handler<M extends Method> = (params: ParsedParams<M>) => Result<M> | Promise<Result<M>>;

/** Every method of the contract and its handler: the table `DaemonService.handle` dispatches on. */
export type Handlers = { [M in Method]: Handler<M> };

/** Where the break history goes and comes from: the daemon passes the log beside settings.json. */
export interface HistoryStore {
  append(event: HistoryEvent): void;
  /** The events at or after `fromMs`, oldest first. */
  read(fromMs: number): Promise<HistoryEvent[]>;
  /** Writes what is queued (on shutdown). */
  flush(): Promise<void>;
}

export interface ServiceOptions {
  settingsStore: JsonStore<Settings>;
  stateStore: JsonStore<DaemonState>;
  notifier: Notifier;
  clock?: Clock;
  log?: Log;
  pid?: number;
  processName?: string;
  home?: string;
  version?: string;
  /** The OS locale, for `language: auto`. */
  osLocale?: string;
  /** Applies the niceness setting (the daemon entry passes os.setPriority); returns what took effect. */
  applyNiceness?: (niceness: number) => number | null;
  /** Starts a background job (the daemon passes the verified-copy engine); absent: jobs cannot run. */
  startJob?: StartJob;
  /** How long state changes may wait before they are written (they are always flushed on shutdown). */
  stateFlushDelayMs?: number;
  /** The break history (absent: events are still counted for the daily limits, but not kept). */
  history?: HistoryStore;
}

/**
 * The context's engine parts call back into the handlers' modules (a firing, a status push, a state
 * save, presence settings). service.ts passes these in, so the context imports none of those modules
 * and the folder has no import cycle.
 */
export interface ContextReactions {
  onReminderFire(ctx: ServiceContext, event: FireEvent<TaskPayload>): Promise<void>;
  statusView(ctx: ServiceContext): Status;
  saveState(ctx: ServiceContext): Promise<void>;
  applyPresenceSettings(ctx: ServiceContext, settings: Settings): void;
  /** One notification per finished job run (jobs.ts). */
  announceJob(ctx: ServiceContext, job: Job, result: JobResult): Promise<void>;
}

/**
 * What every handler shares: the settings in use, the engine parts (scheduler, jobs, timers,
 * pomodoro), and the ways to say that something changed. The handlers per area, persistence and
 * views all work on one of these; the DaemonService only owns it and dispatches.
 */
export class ServiceContext {
  readonly settingsStore: JsonStore<Settings>;
  readonly stateStore: JsonStore<DaemonState>;
  readonly clock: Clock;
  readonly log: Log;
  readonly pid: number;
  readonly processName: string;
  readonly home: string;
  readonly version: string;
  readonly osLocale: string | undefined;
  readonly applyNiceness: (niceness: number) => number | null;
  readonly startJob: StartJob;
  readonly stateFlushDelayMs: number;
  readonly startedAt: number;
  readonly history: HistoryStore | undefined;
  /** Today's skips and snoozes per reminder, for `maxSkipsPerDay` / `maxSnoozesPerDay`. */
  readonly dailyCounts = new DailyCounts();
  readonly #notifier: Notifier;
  /** Reminders firing in one scheduler check: more than BURST_THRESHOLD are shown as one summary. */
  readonly bursts = new BurstCoalescer<ReminderBurstItem>({
    show: (item) => this.notify(item.title, item.message, item.sound, item.details),
    summarize: (items) => ({
      title: translate(this.locale, 'reminder.burst.title', { count: items.length }),
      message: translate(this.locale, 'reminder.burst.message', { names: summaryNames(items) }),
      sound:
        items.some((item) => item.sound === true) ||
        (items.every((item) => item.sound === false) ? false : undefined),
    }),
  });

  // Set by `load` (persistence.ts) before any request is handled.
  settings!: Settings;
  scheduler!: Scheduler<TaskPayload>;
  jobs!: JobsManager;

  readonly timers = new Map<string, Timer>();
  pomodoro: Pomodoro | null = null;
  niceness: number | null = null;
  /**
   * Whether the user is there to see a reminder (idle, locked, asleep, do not disturb, a meeting): fed by
   * host events and, headless, by the desktop sources; a reminder due while away is held and shown once on
   * return (presence.ts in this folder wires its events).
   */
  readonly presence: Presence;
  readonly notifications: { delivered: number; failed: number; lastError: string | null } = {
    delivered: 0,
    failed: 0,
    lastError: null,
  };
  stateTimer: TimerHandle | null = null;
  firingSave: Promise<void> | null = null;
  closed = false;
  #statusQueued = false;

  constructor(
    options: ServiceOptions,
    /** Sends an event to the hosts (the service's `event`). */
    readonly emit: (event: DaemonEvent) => void,
    /** What the handlers' modules do when the context's engine parts call back (wired by service.ts). */
    readonly reactions: ContextReactions,
  ) {
    this.settingsStore = options.settingsStore;
    this.stateStore = options.stateStore;
    this.#notifier = options.notifier;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => undefined);
    this.pid = options.pid ?? process.pid;
    this.processName = options.processName ?? process.title;
    this.home = options.home ?? '';
    this.version = options.version ?? '0.0.0';
    this.osLocale = options.osLocale;
    this.applyNiceness = options.applyNiceness ?? (() => null);
    this.stateFlushDelayMs = options.stateFlushDelayMs ?? 1_000;
    this.startJob =
      options.startJob ??
      (() => {
        throw new Error('this daemon has no job engine');
      });
    this.startedAt = this.clock.now();
    this.presence = new Presence({ clock: this.clock });
    this.history = options.history;
  }

  /** Something for the break history: sent as a `history` event, which the service's recorder keeps. */
  record(entry: Omit<HistoryEvent, 'at'> & { at?: number }): void {
    this.emit({ event: 'history', data: { ...entry, at: entry.at ?? this.clock.now() } });
  }

  get locale(): Locale {
    return resolveLocale(this.settings.language, this.osLocale);
  }

  get timeZone(): string {
    return this.settings.timeZone ?? systemTimeZone();
  }

  /** A scheduler on this service's clock and zone, whose firings reach the reminders and the jobs. */
  createScheduler(): Scheduler<TaskPayload> {
    const scheduler = new Scheduler<TaskPayload>({ clock: this.clock, timeZone: this.timeZone });
    scheduler.on('fire', (event) => {
      if (event.payload?.kind === 'job') this.jobs.onFire(event);
      else void this.reactions.onReminderFire(this, event);
    });
    scheduler.on('change', () => this.changed());
    scheduler.on('error', (error) => this.log('error', `scheduler listener failed: ${String(error)}`));
    return scheduler;
  }

  /** Something users can see changed: push status to hosts and save state soon (coalesced). */
  changed(): void {
    if (this.closed) return;
    // One status push per burst of changes (adding 10,000 reminders is one burst, not 10,000 pushes).
    if (!this.#statusQueued) {
      this.#statusQueued = true;
      queueMicrotask(() => {
        this.#statusQueued = false;
        if (!this.closed) this.emit({ event: 'status', data: this.reactions.statusView(this) });
      });
    }
    if (this.stateTimer) return;
    this.stateTimer = this.clock.setTimer(() => {
      this.stateTimer = null;
      void this.reactions.saveState(this);
    }, this.stateFlushDelayMs);
  }

  /**
   * Shows a notification and counts the outcome (for `status`); resolves to whether it was shown.
   * `details`: a reminder's key, priority, snooze minutes and buttons (and urgency when quiet).
   */
  async notify(
    title: string,
    message: string,
    sound?: boolean,
    details?: NotificationDetails,
  ): Promise<boolean> {
    const result = await this.#notifier.notify({
      ...details,
      title,
      message,
      sound: sound ?? this.settings.sound,
    });
    if (result.delivered) {
      this.notifications.delivered++;
    } else {
      this.notifications.failed++;
      this.notifications.lastError = result.error ?? 'unknown error';
    }
    return result.delivered;
  }

  /** Brings the scheduler in line with the settings' reminders and jobs (validated first: nothing half-applied). */
  applyTasks(settings: Settings, reminders?: DaemonState['reminders'], jobs?: DaemonState['jobs']): void {
    syncReminders(this.scheduler, this.schedulable(settings.reminders), this.locale, reminders);
    this.jobs.sync(jobs);
    this.reactions.applyPresenceSettings(this, settings);
  }

  /** Puts `next` in force and writes it; on any error (a schedule the engine refuses) nothing changes. */
  async saveSettings(next: Settings): Promise<void> {
    const previous = this.settings;
    // Apply to the engine first: it validates schedules deeply (cron, zones) and applies nothing on error.
    this.settings = next;
    try {
      this.applyTasks(next);
      await this.settingsStore.save(next);
    } catch (error) {
      this.settings = previous;
      this.applyTasks(previous);
      throw error;
    }
  }

  /** The reminders or jobs that may enter the scheduler: enabled ones, and disabled ones whose schedule is usable. */
  schedulable<E extends { enabled: boolean; schedule: Reminder['schedule'] }>(entries: E[]): E[] {
    if (entries.every((entry) => entry.enabled)) return entries;
    return entries.filter((entry) => entry.enabled || this.scheduleError(entry.schedule) === null);
  }

  /** Why the engine cannot schedule `schedule` (a cron or zone the schema lets through), or null. */
  scheduleError(schedule: Reminder['schedule']): string | null {
    try {
      compileSchedule(validateSchedule(schedule, 'schedule'), {
        anchor: this.clock.now(),
        defaultTimeZone: this.timeZone,
      });
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
