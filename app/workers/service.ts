import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock, type TimerHandle } from '../shared/clock.js';
import {
  CONTRACT_VERSION,
  methods,
  requestSchema,
  type DaemonEvent,
  type ErrorBody,
  type JobResult,
  type Method,
  type ParsedParams,
  type PomodoroView,
  type ReminderView,
  type Reply,
  type SnoozeResult,
  type Status,
  type TimerView,
  type Upcoming,
} from '../shared/contract.js';
import { ValidationError } from '../shared/errors.js';
import { resolveLocale, translate, type Locale } from '../shared/i18n.js';
import {
  isBreakReminder,
  reminderSchema,
  settingsSchema,
  unknownFields,
  type Job,
  type Reminder,
  type Settings,
} from '../shared/settings.js';
import { checkTimeZone, systemTimeZone } from '../shared/time-zone.js';
import { parseWith } from '../shared/validate.js';
import { BurstCoalescer, summaryNames, type BurstReport, type Notifier } from './notify/index.js';
import {
  displayMessage,
  displayName,
  nextWithinWorkingHours,
  quietUntil,
  reminderNotification,
  reminderTaskId,
  syncReminders,
} from './reminders/index.js';
import { JobsManager, jobTaskId, type StartJob } from './jobs/index.js';
import type { TaskPayload } from './tasks.js';
import {
  Scheduler,
  checkOnceAhead,
  compileSchedule,
  validateSchedule,
  type FireEvent,
} from './scheduler/index.js';
import type { DaemonState, JsonStore } from './store/index.js';
import { Pomodoro, Timer, type PomodoroSnapshot, type TimerSnapshot } from './timer/index.js';

/** A request for something that is not there (a reminder or timer id). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** A request that would silently undo something running (a second `pomodoro.start`). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** How long a hand-edited settings.json that does not parse must stay unchanged before it is refused. */
const HAND_EDIT_SETTLE_MS = 300;

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

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
}

export interface ServiceEvents {
  event: [DaemonEvent];
  /** A `shutdown` request arrived: the host should flush and exit. */
  shutdown: [];
}

/**
 * The daemon's engine behind one `handle(message)`: the contract in, replies and events out.
 * Transport-free, so it runs the same under Electron's utilityProcess, a Node fork and in tests.
 */
export class DaemonService extends EventEmitter<ServiceEvents> {
  readonly #settingsStore: JsonStore<Settings>;
  readonly #stateStore: JsonStore<DaemonState>;
  readonly #notifier: Notifier;
  /** Reminders firing in one scheduler check: more than BURST_THRESHOLD are shown as one summary. */
  readonly #bursts = new BurstCoalescer({
    show: (item) => this.#notify(item.title, item.message, item.sound),
    summarize: (items) => ({
      title: translate(this.locale, 'reminder.burst.title', { count: items.length }),
      message: translate(this.locale, 'reminder.burst.message', { names: summaryNames(items) }),
      sound:
        items.some((item) => item.sound === true) ||
        (items.every((item) => item.sound === false) ? false : undefined),
    }),
  });
  readonly #clock: Clock;
  readonly #log: Log;
  readonly #pid: number;
  readonly #processName: string;
  readonly #home: string;
  readonly #version: string;
  readonly #osLocale: string | undefined;
  readonly #applyNiceness: (niceness: number) => number | null;
  readonly #stateFlushDelayMs: number;
  readonly #startedAt: number;
  #settings!: Settings;
  #scheduler!: Scheduler<TaskPayload>;
  #jobs!: JobsManager;
  readonly #startJob: StartJob;
  readonly #timers = new Map<string, Timer>();
  #pomodoro: Pomodoro | null = null;
  #niceness: number | null = null;
  #locked = false;
  #idle = false;
  #delivered = 0;
  #failed = 0;
  #lastNotifyError: string | null = null;
  #stateTimer: TimerHandle | null = null;
  #statusQueued = false;
  #firingSave: Promise<void> | null = null;
  #closed = false;

  private constructor(options: ServiceOptions) {
    super();
    this.#settingsStore = options.settingsStore;
    this.#stateStore = options.stateStore;
    this.#notifier = options.notifier;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? (() => undefined);
    this.#pid = options.pid ?? process.pid;
    this.#processName = options.processName ?? process.title;
    this.#home = options.home ?? '';
    this.#version = options.version ?? '0.0.0';
    this.#osLocale = options.osLocale;
    this.#applyNiceness = options.applyNiceness ?? (() => null);
    this.#stateFlushDelayMs = options.stateFlushDelayMs ?? 1_000;
    this.#startJob =
      options.startJob ??
      (() => {
        throw new Error('this daemon has no job engine');
      });
    this.#startedAt = this.#clock.now();
  }

  /** Loads settings and state (recovering from damage, with warnings) and starts scheduling. */
  static async open(options: ServiceOptions): Promise<DaemonService> {
    const service = new DaemonService(options);
    await service.#load();
    return service;
  }

  get locale(): Locale {
    return resolveLocale(this.#settings.language, this.#osLocale);
  }

  get timeZone(): string {
    return this.#settings.timeZone ?? systemTimeZone();
  }

  /** Parses and answers one message of the contract. Never throws: bad input becomes an error reply naming the field. */
  async handle(message: unknown): Promise<Reply> {
    const id =
      message !== null && typeof message === 'object' && 'id' in message && isReplyId(message.id)
        ? message.id
        : null;
    try {
      const request = parseWith(requestSchema, message, '');
      const params = parseWith(methods[request.method].params, request.params ?? {}, 'params');
      const result = await this.#dispatch(request.method, params);
      return { id, ok: true, result };
    } catch (error) {
      return { id, ok: false, error: toErrorBody(error) };
    }
  }

  status(): Status {
    const now = this.#clock.now();
    const upcoming = this.#upcoming(10);
    const nextReminder = upcoming.find((u) => u.kind === 'reminder');
    return {
      pid: this.#pid,
      processName: this.#processName,
      version: this.#version,
      contractVersion: CONTRACT_VERSION,
      startedAt: this.#startedAt,
      now,
      home: this.#home,
      locale: this.locale,
      language: this.#settings.language,
      paused: this.#scheduler.paused,
      pausedUntil: this.#scheduler.pausedUntil,
      nextReminder: nextReminder
        ? {
            id: nextReminder.id,
            name: nextReminder.name,
            dueAt: nextReminder.dueAt,
            ...(nextReminder.quietUntil != null && { quietUntil: nextReminder.quietUntil }),
          }
        : null,
      upcoming,
      timers: [...this.#timers.values()].map((t) => timerView(t, now)),
      pomodoro: this.#pomodoro ? pomodoroView(this.#pomodoro, now) : null,
      niceness: this.#niceness,
      notifications: { delivered: this.#delivered, failed: this.#failed, lastError: this.#lastNotifyError },
      jobs: this.#settings.jobs.map((job) => this.#jobs.view(job)),
    };
  }

  /** Writes state now and stops every timer: called once, on shutdown. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#stateTimer) this.#clock.clearTimer(this.#stateTimer);
    this.#stateTimer = null;
    await this.#jobs.stopAll();
    await this.#saveState();
    this.#scheduler.dispose();
    for (const timer of this.#timers.values()) timer.dispose();
    this.#pomodoro?.dispose();
  }

  // ─── loading and persistence ──────────────────────────────────────────────

  async #load(): Promise<void> {
    const settings = await this.#settingsStore.load();
    for (const warning of settings.warnings) this.#log('warn', warning);
    const state = await this.#stateStore.load();
    for (const warning of state.warnings) this.#log('warn', warning);
    this.#settings = settings.value;
    this.#warnUnknownFields(this.#settings);
    // A zone the engine cannot use would stop every calendar schedule: fall back to the system's.
    const zoneProblem = this.#settings.timeZone === undefined ? null : zoneError(this.#settings.timeZone);
    if (zoneProblem !== null) {
      const { timeZone: _bad, ...rest } = this.#settings;
      this.#settings = rest;
    }
    this.#niceness = this.#applyNiceness(this.#settings.niceness);
    this.#scheduler = this.#createScheduler();
    this.#jobs = new JobsManager({
      scheduler: () => this.#scheduler,
      jobs: () => this.#schedulable(this.#settings.jobs),
      startJob: (job) => this.#startJob(job),
      concurrency: this.#settings.jobsConcurrency,
      now: () => this.#clock.now(),
      history: state.value.jobHistory,
      onEvent: (data) => {
        this.emit('event', { event: 'job', data });
        if (data.phase !== 'progress') this.#changed();
      },
      onFinished: (job, result) => void this.#announceJob(job, result),
    });
    // With when it was saved, so a clock set back while the daemon was down is noticed per task.
    const savedAt = state.value.savedAt ?? null;
    const withSavedAt = (progress: DaemonState['reminders']) =>
      Object.fromEntries(Object.entries(progress).map(([id, saved]) => [id, { ...saved, savedAt }]));
    const savedReminders = withSavedAt(state.value.reminders);
    const savedJobs = withSavedAt(state.value.jobs);
    const problems = zoneProblem === null ? [] : [`timeZone: ${zoneProblem}; using the system's`];
    try {
      this.#applyTasks(this.#settings, savedReminders, savedJobs);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // Some entry the engine cannot schedule (a hand-edited cron "61 * * * *"): switch off just those.
      const repaired = this.#disableUnschedulable(this.#settings);
      problems.push(...repaired.problems);
      this.#settings = repaired.settings;
      this.#scheduler.dispose();
      this.#scheduler = this.#createScheduler();
      this.#applyTasks(this.#settings, savedReminders, savedJobs);
    }
    if (problems.length > 0) await this.#saveRepaired(problems);
    if (state.value.paused) {
      const until = state.value.pausedUntil;
      if (until === null) this.#scheduler.pause();
      else if (until > this.#clock.now()) this.#scheduler.pause(until);
    }
    for (const snapshot of state.value.timers) {
      try {
        this.#adoptTimer(Timer.from(snapshot as unknown as TimerSnapshot, { clock: this.#clock }));
      } catch (error) {
        this.#log('warn', `a saved timer could not be restored and was dropped: ${(error as Error).message}`);
      }
    }
    if (state.value.pomodoro) {
      try {
        this.#adoptPomodoro(
          Pomodoro.from(state.value.pomodoro as unknown as PomodoroSnapshot, { clock: this.#clock }),
        );
      } catch (error) {
        this.#log('warn', `the saved pomodoro could not be restored: ${(error as Error).message}`);
      }
    }
    // Occurrences missed while the daemon was down fire once each, on the clock's next turn (as restored
    // timers do), so listeners attached when open() resolves receive the catch-up `reminder` events.
    this.#clock.setTimer(() => this.#scheduler.recheck(), 0);
  }

  #createScheduler(): Scheduler<TaskPayload> {
    const scheduler = new Scheduler<TaskPayload>({ clock: this.#clock, timeZone: this.timeZone });
    scheduler.on('fire', (event) => {
      if (event.payload?.kind === 'job') this.#jobs.onFire(event);
      else void this.#onFire(event);
    });
    scheduler.on('change', () => this.#changed());
    scheduler.on('error', (error) => this.#log('error', `scheduler listener failed: ${String(error)}`));
    return scheduler;
  }

  /** Warns once per load about fields this version does not know: they are kept, but do nothing. */
  #warnUnknownFields(settings: Settings): void {
    const unknown = unknownFields(settings);
    if (unknown.length === 0) return;
    this.#log(
      'warn',
      `${path.basename(this.#settingsStore.path)} has unknown fields: ${unknown.join(', ')} (this version ignores them and keeps them as they are)`,
    );
  }

  /** The reminders or jobs that may enter the scheduler: enabled ones, and disabled ones whose schedule is usable. */
  #schedulable<E extends { enabled: boolean; schedule: Reminder['schedule'] }>(entries: readonly E[]): E[] {
    if (entries.every((entry) => entry.enabled)) return entries as E[];
    return entries.filter((entry) => entry.enabled || this.#scheduleError(entry.schedule) === null);
  }

  /** Why the engine cannot schedule `schedule` (a cron or zone the schema lets through), or null. */
  #scheduleError(schedule: Reminder['schedule']): string | null {
    try {
      compileSchedule(validateSchedule(schedule, 'schedule'), {
        anchor: this.#clock.now(),
        defaultTimeZone: this.timeZone,
      });
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Switches off each reminder and job whose schedule the engine refuses, saying which and why. */
  #disableUnschedulable(settings: Settings): { settings: Settings; problems: string[] } {
    const problems: string[] = [];
    const check = <E extends { id: string; enabled: boolean; schedule: Reminder['schedule'] }>(
      entry: E,
      what: string,
    ): E => {
      if (!entry.enabled) return entry;
      const problem = this.#scheduleError(entry.schedule);
      if (problem === null) return entry;
      problems.push(`${what} "${entry.id}" cannot be scheduled (${problem}); disabled it`);
      return { ...entry, enabled: false };
    };
    return {
      settings: {
        ...settings,
        reminders: settings.reminders.map((r) => check(r, 'reminder')),
        jobs: settings.jobs.map((j) => check(j, 'job')),
      },
      problems,
    };
  }

  /** After a load that had to switch things off: keep the file as it was, save what runs, say so. */
  async #saveRepaired(problems: string[]): Promise<void> {
    const name = path.basename(this.#settingsStore.path);
    let kept = 'could not keep a copy of the original';
    try {
      const copy = await this.#settingsStore.keepCopy('bad');
      if (copy !== undefined) kept = `the original is kept as ${path.basename(copy)}`;
    } catch (error) {
      kept += ` (${(error as Error).message})`;
    }
    for (const problem of problems) this.#log('warn', `${name}: ${problem}; ${kept}`);
    try {
      await this.#settingsStore.save(this.#settings);
    } catch (error) {
      this.#log('error', `could not save the repaired settings: ${(error as Error).message}`);
    }
  }

  /**
   * settings.json changed on disk (the daemon's host watches it). A hand edit that checks out is
   * applied as `settings.set` would; one that does not is kept aside as `.rejected-<timestamp>`,
   * reported (log event and a notification), and the file goes back to the settings in use. The
   * daemon's own writes, and a file equal to what runs, are ignored.
   */
  async settingsFileChanged(): Promise<void> {
    if (this.#closed) return;
    let text: string;
    try {
      text = await readFile(this.#settingsStore.path, 'utf8');
    } catch {
      return; // gone or replaced meanwhile (an editor's rename): the next event brings the new file
    }
    if (this.#settingsStore.wrote(text)) return;
    let parsed = this.#settingsStore.parse(text);
    if (!parsed.ok) {
      // Maybe an editor caught half way (truncated, not yet rewritten): judge only a file that holds still.
      await sleep(HAND_EDIT_SETTLE_MS);
      const again = await readFile(this.#settingsStore.path, 'utf8').catch(() => undefined);
      if (again !== text) return; // still changing: its own event follows
      parsed = this.#settingsStore.parse(text);
    }
    if (parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(this.#settings)) return;
    let problem: string;
    if (parsed.ok) {
      try {
        const current = this.#settings as Record<string, unknown>;
        // Keys deleted by hand must go too: spread over the current settings, they would stay.
        const removed = Object.fromEntries(
          Object.keys(current)
            .filter((key) => !(key in parsed.value))
            .map((key) => [key, undefined]),
        );
        await this.#setSettings({ ...removed, ...parsed.value } as ParsedParams<'settings.set'>['patch']);
        this.#warnUnknownFields(this.#settings);
        this.#log('info', `loaded the hand edit of ${path.basename(this.#settingsStore.path)}`);
        return;
      } catch (error) {
        problem = `has a bad value: ${error instanceof ValidationError ? error.message : String(error)}`;
      }
    } else {
      problem = parsed.problem;
    }
    await this.#rejectHandEdit(text, problem);
  }

  async #rejectHandEdit(text: string, problem: string): Promise<void> {
    const name = path.basename(this.#settingsStore.path);
    let kept: string;
    try {
      const copy = await this.#settingsStore.keepCopy('rejected', text);
      kept = `kept it as ${path.basename(copy ?? '?')}`;
    } catch (error) {
      kept = `could not keep a copy (${(error as Error).message})`;
    }
    try {
      await this.#settingsStore.save(this.#settings);
    } catch (error) {
      this.#log('error', `could not restore ${name}: ${(error as Error).message}`);
    }
    const message = `the hand edit of ${name} ${problem}; rejected it (${kept}) and kept the previous settings`;
    this.#log('warn', message);
    this.emit('event', { event: 'log', data: { level: 'warn', message } });
    void this.#notify(translate(this.locale, 'settings.rejected.title'), message);
  }

  /** Brings the scheduler in line with the settings' reminders and jobs (validated first: nothing half-applied). */
  #applyTasks(settings: Settings, reminders?: DaemonState['reminders'], jobs?: DaemonState['jobs']): void {
    syncReminders(this.#scheduler, this.#schedulable(settings.reminders), this.locale, reminders);
    this.#jobs.sync(jobs);
  }

  /** Something users can see changed: push status to hosts and save state soon (coalesced). */
  #changed(): void {
    if (this.#closed) return;
    // One status push per burst of changes (adding 10,000 reminders is one burst, not 10,000 pushes).
    if (!this.#statusQueued) {
      this.#statusQueued = true;
      queueMicrotask(() => {
        this.#statusQueued = false;
        if (!this.#closed) this.emit('event', { event: 'status', data: this.status() });
      });
    }
    if (this.#stateTimer) return;
    this.#stateTimer = this.#clock.setTimer(() => {
      this.#stateTimer = null;
      void this.#saveState();
    }, this.#stateFlushDelayMs);
  }

  /** One state write for everything that fires together: every caller in this turn shares it. */
  #saveStateNow(): Promise<void> {
    this.#firingSave ??= new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => {
      this.#firingSave = null;
      return this.#saveState();
    });
    return this.#firingSave;
  }

  /**
   * Where each reminder and job stands, keyed by its own id. With `zoneChanged`, calendar schedules
   * on the settings' zone keep only what fired, so their next time is worked out in the new zone.
   */
  #progressByEntry(settings: Settings, zoneChanged = false): Pick<DaemonState, 'reminders' | 'jobs'> {
    const progress = this.#scheduler.progress();
    const pick = (taskId: string, schedule: Reminder['schedule']) => {
      const saved = progress[taskId];
      if (!saved) return undefined;
      const followsZone =
        zoneChanged && (schedule.kind === 'daily' || schedule.kind === 'cron') && !schedule.timeZone;
      return followsZone ? { lastFiredDueAt: saved.lastFiredDueAt ?? null } : saved;
    };
    const reminders: DaemonState['reminders'] = {};
    for (const r of settings.reminders) {
      const saved = pick(reminderTaskId(r.id), r.schedule);
      if (saved) reminders[r.id] = saved;
    }
    const jobs: DaemonState['jobs'] = {};
    for (const j of settings.jobs) {
      const saved = pick(jobTaskId(j.id), j.schedule);
      if (saved) jobs[j.id] = saved;
    }
    return { reminders, jobs };
  }

  async #saveState(): Promise<void> {
    const state: DaemonState = {
      savedAt: this.#clock.now(),
      ...this.#progressByEntry(this.#settings),
      jobHistory: this.#jobs.snapshotHistory(),
      paused: this.#scheduler.paused,
      pausedUntil: this.#scheduler.pausedUntil,
      timers: [...this.#timers.values()].map((t) => t.toJSON() as unknown as Record<string, unknown>),
      pomodoro: this.#pomodoro ? (this.#pomodoro.toJSON() as unknown as Record<string, unknown>) : null,
    };
    try {
      await this.#stateStore.save(state);
    } catch (error) {
      this.#log('error', `could not save state: ${(error as Error).message}`);
    }
  }

  async #saveSettings(next: Settings): Promise<void> {
    const previous = this.#settings;
    // Apply to the engine first: it validates schedules deeply (cron, zones) and applies nothing on error.
    this.#settings = next;
    try {
      this.#applyTasks(next);
      await this.#settingsStore.save(next);
    } catch (error) {
      this.#settings = previous;
      this.#applyTasks(previous);
      throw error;
    }
  }

  // ─── firing ───────────────────────────────────────────────────────────────

  async #onFire(event: FireEvent<TaskPayload>): Promise<void> {
    const payload = event.payload;
    if (payload?.kind !== 'reminder') return;
    const reminder = this.#settings.reminders.find((r) => r.id === payload.reminderId);
    if (!reminder) return;
    // Joined synchronously, so every reminder of this scheduler check is in one burst (see notify/burst.ts).
    const showInBurst = this.#bursts.join();
    try {
      await this.#showFired(reminder, event, showInBurst);
    } finally {
      void showInBurst(null); // no-op once reported; keeps the burst from waiting on a failed member
    }
  }

  async #showFired(
    reminder: Reminder,
    event: FireEvent<TaskPayload>,
    showInBurst: BurstReport,
  ): Promise<void> {
    // Persist "this occurrence fired" before showing it: a crash right after can lose a notification
    // but never repeat one after the restart.
    await this.#saveStateNow();
    const shown = reminderNotification(reminder, event, this.locale, this.timeZone);
    if (!shown) {
      this.#log('info', `reminder "${reminder.id}" is outside its working hours; staying quiet`);
      void showInBurst(null);
      return;
    }
    const delivered = await showInBurst(this.#locked ? null : { ...shown, sound: reminder.sound });
    this.emit('event', {
      event: 'reminder',
      data: {
        id: reminder.id,
        name: shown.title,
        message: shown.message,
        dueAt: event.dueAt,
        firedAt: event.firedAt,
        missed: event.missed,
        delivered,
      },
    });
  }

  async #notify(title: string, message: string, sound?: boolean): Promise<boolean> {
    const result = await this.#notifier.notify({ title, message, sound: sound ?? this.#settings.sound });
    if (result.delivered) {
      this.#delivered++;
    } else {
      this.#failed++;
      this.#lastNotifyError = result.error ?? 'unknown error';
    }
    return result.delivered;
  }

  // ─── requests ─────────────────────────────────────────────────────────────

  async #dispatch(method: Method, rawParams: unknown): Promise<unknown> {
    switch (method) {
      case 'ping':
        return { pong: true, pid: this.#pid };
      case 'status':
        return this.status();
      case 'shutdown':
        setImmediate(() => this.emit('shutdown'));
        return { stopping: true };
      case 'pause': {
        const params = rawParams as ParsedParams<'pause'>;
        const until =
          params.until ??
          (params.durationMs !== undefined ? this.#clock.now() + params.durationMs : undefined);
        inParams(() => this.#scheduler.pause(until));
        return this.status();
      }
      case 'resume':
        this.#scheduler.resume();
        return this.status();
      case 'rest-now':
        return this.#restNow();
      case 'host-event':
        return this.#hostEvent((rawParams as ParsedParams<'host-event'>).event);
      case 'reminder.list':
        return this.#settings.reminders.map((r) => this.#reminderView(r));
      case 'reminder.add': {
        const { reminder } = rawParams as ParsedParams<'reminder.add'>;
        if (this.#settings.reminders.some((r) => r.id === reminder.id)) {
          throw new ValidationError(
            'params.reminder.id',
            `a reminder with id "${reminder.id}" already exists`,
          );
        }
        validateSchedule(reminder.schedule, 'params.reminder.schedule');
        checkOnceAhead(reminder.schedule, this.#clock.now(), 'params.reminder.schedule.at');
        await this.#saveSettings({ ...this.#settings, reminders: [...this.#settings.reminders, reminder] });
        return this.#reminderView(reminder);
      }
      case 'reminder.edit': {
        const { id, patch } = rawParams as ParsedParams<'reminder.edit'>;
        const current = this.#requireReminder(id);
        const edited = parseWith(reminderSchema, { ...current, ...patch, id }, 'params.patch');
        validateSchedule(edited.schedule, 'params.patch.schedule');
        // A new time for a one-shot must be ahead; keeping the (past) time of a fired one is fine.
        if (JSON.stringify(edited.schedule) !== JSON.stringify(current.schedule))
          checkOnceAhead(edited.schedule, this.#clock.now(), 'params.patch.schedule.at');
        return this.#replaceReminder(edited);
      }
      case 'reminder.enable':
      case 'reminder.disable': {
        const { id } = rawParams as ParsedParams<'reminder.enable'>;
        return this.#replaceReminder({ ...this.#requireReminder(id), enabled: method === 'reminder.enable' });
      }
      case 'reminder.remove': {
        const { id } = rawParams as ParsedParams<'reminder.remove'>;
        this.#requireReminder(id);
        await this.#saveSettings({
          ...this.#settings,
          reminders: this.#settings.reminders.filter((r) => r.id !== id),
        });
        return { removed: true };
      }
      case 'reminder.snooze': {
        const { id, minutes } = rawParams as ParsedParams<'reminder.snooze'>;
        return this.#snooze(this.#requireReminder(id), minutes);
      }
      case 'timer.start':
        return this.#startTimer(rawParams as ParsedParams<'timer.start'>);
      case 'timer.pause':
      case 'timer.resume':
      case 'timer.stop':
        return this.#controlTimer(method, (rawParams as ParsedParams<'timer.pause'>).id);
      case 'timer.list':
        return [...this.#timers.values()].map((t) => timerView(t, this.#clock.now()));
      case 'pomodoro.start':
        return this.#startPomodoro(rawParams as ParsedParams<'pomodoro.start'>);
      case 'pomodoro.skip': {
        if (!this.#pomodoro) throw new NotFoundError('no pomodoro is running');
        this.#pomodoro.skip();
        this.#changed();
        return pomodoroView(this.#pomodoro, this.#clock.now());
      }
      case 'pomodoro.stop': {
        if (!this.#pomodoro) throw new NotFoundError('no pomodoro is running');
        // The reply is the session as it stood, so callers can say what was stopped.
        const view = pomodoroView(this.#pomodoro, this.#clock.now());
        this.#pomodoro.dispose();
        this.#pomodoro = null;
        this.#changed();
        return { ...view, timer: { ...view.timer, state: 'stopped', endsAt: null } } satisfies PomodoroView;
      }
      case 'job.list':
        return this.#settings.jobs.map((job) => this.#jobs.view(job));
      case 'job.add': {
        const { job } = rawParams as ParsedParams<'job.add'>;
        if (this.#settings.jobs.some((j) => j.id === job.id)) {
          throw new ValidationError('params.job.id', `a job with id "${job.id}" already exists`);
        }
        validateSchedule(job.schedule, 'params.job.schedule');
        await this.#saveSettings({ ...this.#settings, jobs: [...this.#settings.jobs, job] });
        return this.#jobs.view(job);
      }
      case 'job.run': {
        const job = this.#requireJob((rawParams as ParsedParams<'job.run'>).id);
        return { queued: this.#jobs.runNow(job), job: this.#jobs.view(job) };
      }
      case 'job.cancel': {
        const job = this.#requireJob((rawParams as ParsedParams<'job.cancel'>).id);
        return { cancelled: this.#jobs.cancel(job.id) };
      }
      case 'job.remove': {
        const job = this.#requireJob((rawParams as ParsedParams<'job.remove'>).id);
        this.#jobs.forget(job.id);
        await this.#saveSettings({
          ...this.#settings,
          jobs: this.#settings.jobs.filter((j) => j.id !== job.id),
        });
        return { removed: true };
      }
      case 'job.history': {
        const { id } = rawParams as ParsedParams<'job.history'>;
        if (id !== undefined) this.#requireJob(id);
        return this.#jobs.history(id);
      }
      case 'settings.get':
        return this.#settings;
      case 'settings.set':
        return this.#setSettings((rawParams as ParsedParams<'settings.set'>).patch);
      case 'schedule.preview': {
        const { schedule, count } = rawParams as ParsedParams<'schedule.preview'>;
        const compiled = compileSchedule(validateSchedule(schedule, 'params.schedule'), {
          anchor: this.#clock.now(),
          defaultTimeZone: this.timeZone,
        });
        const instants: number[] = [];
        let after = this.#clock.now();
        while (instants.length < count) {
          const next = compiled.nextAfter(after);
          if (next === null) break;
          instants.push(next);
          after = next;
        }
        return instants;
      }
    }
  }

  #requireJob(id: string): Job {
    const job = this.#settings.jobs.find((j) => j.id === id);
    if (!job) throw new NotFoundError(`no job "${id}"`);
    return job;
  }

  /** One notification per finished job run: what was copied, or what failed. */
  async #announceJob(job: Job, result: JobResult): Promise<void> {
    await this.#saveStateNow();
    if (result.outcome === 'cancelled') return;
    const name = job.name ?? job.id;
    const locale = this.locale;
    if (result.outcome === 'ok') {
      await this.#notify(
        translate(locale, 'job.finished.title', { name }),
        translate(locale, 'job.finished.message', {
          copied: result.filesCopied,
          skipped: result.filesSkipped,
          seconds: Math.round(result.seconds),
        }),
      );
    } else {
      await this.#notify(
        translate(locale, 'job.failed.title', { name }),
        result.error !== null
          ? translate(locale, 'job.error.message', { error: result.error })
          : translate(locale, 'job.failed.message', {
              failed: result.filesFailed,
              first: result.failures[0] ? `${result.failures[0].path}: ${result.failures[0].reason}` : '?',
              copied: result.filesCopied,
            }),
      );
    }
  }

  /**
   * Snooze = "not before now + N minutes": never earlier than the pending occurrence, and, when that
   * instant falls outside the reminder's working hours (where it would be dropped), the first instant
   * inside them. The reply says which of the three decided.
   */
  #snooze(reminder: Reminder, minutes: number | undefined): SnoozeResult {
    const taskId = reminderTaskId(reminder.id);
    const pending = this.#scheduler.get(taskId);
    if (!pending?.enabled || pending.nextDueAt === null) {
      throw new ValidationError('params.id', `reminder "${reminder.id}" has no pending occurrence to snooze`);
    }
    const delayed = this.#clock.now() + (minutes ?? reminder.snoozeMinutes) * 60_000;
    const notBefore = Math.max(pending.nextDueAt, delayed);
    const until = nextWithinWorkingHours(reminder.workingHours, notBefore, this.timeZone);
    inParams(() => this.#scheduler.snoozeUntil(taskId, until));
    const reason = until > notBefore ? 'working-hours' : pending.nextDueAt >= delayed ? 'pending' : 'delay';
    return { ...this.#reminderView(reminder), snooze: { until, reason } };
  }

  #requireReminder(id: string): Reminder {
    const reminder = this.#settings.reminders.find((r) => r.id === id);
    if (!reminder) throw new NotFoundError(`no reminder "${id}"`);
    return reminder;
  }

  async #replaceReminder(edited: Reminder): Promise<ReminderView> {
    const reminders = this.#settings.reminders.map((r) => (r.id === edited.id ? edited : r));
    await this.#saveSettings({ ...this.#settings, reminders });
    return this.#reminderView(edited);
  }

  #reminderView(reminder: Reminder): ReminderView {
    const task = this.#scheduler.get(reminderTaskId(reminder.id));
    return {
      ...reminder,
      displayName: displayName(reminder, this.locale),
      displayMessage: displayMessage(reminder, this.locale),
      nextDueAt: task?.nextDueAt ?? null,
    };
  }

  async #setSettings(patch: ParsedParams<'settings.set'>['patch']): Promise<Settings> {
    const next = parseWith(settingsSchema, { ...this.#settings, ...patch }, 'params.patch');
    if (next.timeZone !== undefined) checkTimeZone('params.patch.timeZone', next.timeZone);
    const zoneChanged = next.timeZone !== this.#settings.timeZone;
    await this.#saveSettings(next);
    if (patch.niceness !== undefined) this.#niceness = this.#applyNiceness(next.niceness);
    if (patch.jobsConcurrency !== undefined) this.#jobs.concurrency = next.jobsConcurrency;
    if (zoneChanged || patch.language !== undefined) {
      // Calendar schedules and localized names depend on these: rebuild the scheduler, keeping progress.
      const progress = this.#progressByEntry(next, zoneChanged);
      const { paused, pausedUntil } = this.#scheduler;
      this.#scheduler.dispose();
      this.#scheduler = this.#createScheduler();
      this.#applyTasks(next, progress.reminders, progress.jobs);
      if (paused) this.#scheduler.pause(pausedUntil ?? undefined);
    }
    this.#changed();
    return this.#settings;
  }

  async #restNow(): Promise<{ delivered: boolean }> {
    const delivered = await this.#notify(
      translate(this.locale, 'restNow.title'),
      translate(this.locale, 'reminder.default.message'),
    );
    // A break just happened: break reminders on an interval count again from now instead of nagging
    // minutes later. Others (Water) keep their time: the break did not water anyone.
    for (const reminder of this.#settings.reminders) {
      if (reminder.schedule.kind === 'every' && reminder.enabled && isBreakReminder(reminder)) {
        this.#scheduler.update(reminderTaskId(reminder.id), { schedule: { ...reminder.schedule } });
      }
    }
    return { delivered };
  }

  #hostEvent(event: ParsedParams<'host-event'>['event']): { ok: true } {
    switch (event) {
      case 'suspend':
        void this.#saveState();
        break;
      case 'resume':
      case 'unlock-screen':
      case 'active':
        this.#locked = event === 'unlock-screen' ? false : this.#locked;
        this.#idle = false;
        this.#scheduler.recheck();
        for (const timer of this.#timers.values()) timer.recheck();
        this.#pomodoro?.recheck();
        break;
      case 'lock-screen':
        this.#locked = true;
        break;
      case 'idle':
        this.#idle = true;
        break;
    }
    this.#log('info', `host: ${event}${this.#idle ? ' (idle)' : ''}`);
    return { ok: true };
  }

  #startTimer(params: ParsedParams<'timer.start'>): TimerView {
    const name = params.name ?? translate(this.locale, 'timer.defaultName');
    let timer: Timer;
    if (params.mode === 'stopwatch') {
      timer = new Timer({ mode: 'stopwatch', id: this.#nextTimerId(), name, clock: this.#clock });
    } else {
      if (params.durationMs === undefined)
        throw new ValidationError('params.durationMs', 'is required for a countdown');
      timer = new Timer({
        mode: 'countdown',
        id: this.#nextTimerId(),
        durationMs: params.durationMs,
        name,
        clock: this.#clock,
      });
    }
    this.#adoptTimer(timer);
    timer.start();
    return timerView(timer, this.#clock.now());
  }

  /** `t1`, `t2` …: the lowest number no timer holds, so ids stay short enough to type. */
  #nextTimerId(): string {
    for (let n = 1; ; n++) if (!this.#timers.has(`t${n}`)) return `t${n}`;
  }

  /**
   * The timer a user means by `ref`: its exact id, else its name (any case), else the one timer
   * whose id or name starts with `ref`. Several matches are refused, listing them.
   */
  #findTimer(ref: string): Timer {
    const exact = this.#timers.get(ref);
    if (exact) return exact;
    const wanted = ref.toLowerCase();
    const timers = [...this.#timers.values()];
    const byName = timers.filter((t) => t.name.toLowerCase() === wanted);
    const matches =
      byName.length > 0
        ? byName
        : timers.filter((t) => t.id.startsWith(ref) || t.name.toLowerCase().startsWith(wanted));
    if (matches.length === 1) return matches[0] as Timer;
    if (matches.length === 0) throw new NotFoundError(`no timer "${ref}" (see \`mytimer timer list\`)`);
    throw new ValidationError(
      'params.id',
      `"${ref}" matches ${matches.length} timers: ${matches.map((t) => `${t.id} "${t.name}"`).join(', ')}; ` +
        'give more of the id or name',
    );
  }

  #adoptTimer(timer: Timer): void {
    this.#timers.set(timer.id, timer);
    timer.on('state', () => this.#changed());
    timer.on('done', () => {
      this.emit('event', { event: 'timer-done', data: { id: timer.id, name: timer.name } });
      void this.#notify(
        translate(this.locale, 'timer.done.title'),
        translate(this.locale, 'timer.done.message', { name: timer.name }),
      );
    });
  }

  #controlTimer(method: 'timer.pause' | 'timer.resume' | 'timer.stop', ref: string): TimerView {
    const timer = this.#findTimer(ref);
    const id = timer.id;
    if (method === 'timer.pause') timer.pause();
    else if (method === 'timer.resume') timer.resume();
    else {
      if (timer.state === 'running' || timer.state === 'paused') timer.stop();
      timer.dispose();
      this.#timers.delete(id);
      this.#changed();
    }
    return timerView(timer, this.#clock.now());
  }

  #startPomodoro(params: ParsedParams<'pomodoro.start'>): PomodoroView {
    const current = this.#pomodoro;
    if (current && (current.state === 'running' || current.state === 'paused') && !params.restart) {
      throw new ConflictError(
        `a pomodoro is already running (${current.phase}, round ${current.round}); ` +
          'stop it first, or start again with restart (CLI: --restart)',
      );
    }
    current?.dispose();
    const pomodoro = new Pomodoro({
      clock: this.#clock,
      ...(params.workMs !== undefined && { workMs: params.workMs }),
      ...(params.shortBreakMs !== undefined && { shortBreakMs: params.shortBreakMs }),
      ...(params.longBreakMs !== undefined && { longBreakMs: params.longBreakMs }),
      ...(params.longBreakEvery !== undefined && { longBreakEvery: params.longBreakEvery }),
    });
    this.#adoptPomodoro(pomodoro);
    pomodoro.start();
    this.#changed();
    return pomodoroView(pomodoro, this.#clock.now());
  }

  #adoptPomodoro(pomodoro: Pomodoro): void {
    this.#pomodoro = pomodoro;
    pomodoro.on('state', () => this.#changed());
    pomodoro.on('phase', (event) => {
      this.#changed();
      const phaseKey = {
        work: 'pomodoro.work',
        shortBreak: 'pomodoro.shortBreak',
        longBreak: 'pomodoro.longBreak',
      } as const;
      void this.#notify(
        translate(this.locale, phaseKey[event.to]),
        translate(this.locale, 'pomodoro.phase.message', {
          phase: translate(this.locale, phaseKey[event.to]),
          minutes: Math.round(pomodoro.durationOf(event.to) / 60_000),
        }),
      );
    });
  }

  #upcoming(limit: number): Upcoming[] {
    const reminders: Upcoming[] = this.#scheduler.upcoming(limit).map((task) => {
      const dueAt = task.nextDueAt ?? 0;
      const reminderId = task.payload?.kind === 'reminder' ? task.payload.reminderId : null;
      const spans =
        reminderId === null
          ? undefined
          : this.#settings.reminders.find((r) => r.id === reminderId)?.workingHours;
      // Set only for a reminder due outside its working hours (it stays quiet then).
      const quietAt = spans ? quietUntil(spans, dueAt, this.timeZone) : null;
      return {
        id: task.payload?.kind === 'job' ? task.payload.jobId : (task.payload?.reminderId ?? task.id),
        kind: task.payload?.kind ?? 'reminder',
        name: task.name,
        priority: task.priority,
        dueAt,
        snoozed: task.snoozed,
        ...(quietAt !== null && { quietUntil: quietAt }),
      };
    });
    const timers: Upcoming[] = [...this.#timers.values()]
      .filter((t) => t.state === 'running' && t.endsAt !== null)
      .map((t) => ({
        id: t.id,
        kind: 'timer',
        name: t.name,
        priority: 1,
        dueAt: t.endsAt as number,
        snoozed: false,
      }));
    // Stable merge by due time: same order rule as the scheduler (timers count as priority 1).
    return [...reminders, ...timers]
      .map((u, index) => ({ u, index }))
      .sort((a, b) => a.u.dueAt - b.u.dueAt || a.u.priority - b.u.priority || a.index - b.index)
      .slice(0, limit)
      .map(({ u }) => u);
  }
}

/** Why `zone` is not a usable time zone, or null when it is. */
function zoneError(zone: string): string | null {
  try {
    checkTimeZone('timeZone', zone);
    return null;
  } catch (error) {
    return error instanceof ValidationError ? error.reason : String(error);
  }
}

/** Runs an engine call whose ValidationError names a request parameter, naming it as `params.<field>`. */
function inParams<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw error instanceof ValidationError ? error.within('params') : error;
  }
}

function isReplyId(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ValidationError) return { code: 'invalid', field: error.field, message: error.reason };
  if (error instanceof NotFoundError) return { code: 'not-found', message: error.message };
  if (error instanceof ConflictError) return { code: 'conflict', message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function timerView(timer: Timer, now: number): TimerView {
  return {
    id: timer.id,
    name: timer.name,
    mode: timer.mode,
    state: timer.state,
    remainingMs: timer.remainingMs(),
    elapsedMs: timer.elapsedMs(),
    endsAt: timer.endsAt,
    at: now,
  };
}

function pomodoroView(pomodoro: Pomodoro, now: number): PomodoroView {
  const snapshot = pomodoro.toJSON();
  return {
    phase: pomodoro.phase,
    round: pomodoro.round,
    timer: {
      id: pomodoro.id,
      name: pomodoro.name,
      mode: 'countdown',
      state: pomodoro.state,
      remainingMs: pomodoro.remainingMs(),
      elapsedMs: pomodoro.durationOf(pomodoro.phase) - pomodoro.remainingMs(),
      endsAt: snapshot.timer.endsAt,
      at: now,
    },
  };
}
