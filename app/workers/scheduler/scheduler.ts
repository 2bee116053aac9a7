import { EventEmitter } from 'node:events';
import { WallClockWatch, systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import { ValidationError, checkNumberInRange, describeValue } from '../../shared/errors.js';
import {
  MAX_TIMER_DELAY_MS,
  WALL_CHANGE_TOLERANCE_MS,
  PRIORITY_MAX,
  PRIORITY_MIN,
  INSTANT_MAX_MS,
  INSTANT_MIN_MS,
} from '../../shared/limits.js';
import type { Schedule } from '../../shared/schedule.js';
import { checkTimeZone } from '../../shared/time-zone.js';
import { StableQueue } from './queue.js';
import { compileSchedule, validateScheduleShared, type CompiledSchedule } from './schedules.js';

/** What a caller registers. `priority` 1 is the most urgent, 20 the least; fractions are allowed. */
export interface TaskSpec<P = unknown> {
  id: string;
  name: string;
  priority: number;
  schedule: Schedule;
  payload?: P;
  /** Default true. A disabled task keeps its place in `list()` but never fires. */
  enabled?: boolean;
}

/** Where a task was when its host last saved it, so a restarted daemon continues instead of starting over. */
export interface TaskProgress {
  /** The occurrence that was pending. If it is already past at restore, it fires once as a catch-up. */
  nextDueAt?: number | null;
  /** The last occurrence that fired: never fired again, whatever the clock does. */
  lastFiredDueAt?: number | null;
  /**
   * When the host saved this (wall clock). A `now` before it means the clock was set back while the
   * host was down: a recurring task's saved occurrence more than one period ahead of now is then
   * recomputed from now, instead of leaving, say, a minutely reminder silent for a day.
   */
  savedAt?: number | null;
}

/** A task as the outside world sees it (a copy: mutating it changes nothing). */
export interface TaskInfo<P = unknown> {
  id: string;
  name: string;
  priority: number;
  schedule: Schedule;
  payload: P | undefined;
  enabled: boolean;
  /** The pending occurrence (snoozed or not); null once a one-shot has fired or a disabled task. */
  nextDueAt: number | null;
  lastFiredDueAt: number | null;
  /** True when the pending occurrence was postponed by `snooze`. */
  snoozed: boolean;
}

/**
 * One firing. `missed` counts the occurrences that were not shown on time: every occurrence that came
 * due in a gap (suspend, clock jump, daemon down), this late one included, coalesced into this one
 * firing. An hourly task after an 8 h gap says 8; a single occurrence shown late (by more than
 * {@link LATE_TOLERANCE_MS}) says 1; a firing on time says 0.
 */
export interface FireEvent<P = unknown> {
  id: string;
  name: string;
  priority: number;
  payload: P | undefined;
  /** The occurrence this firing stands for (the earliest unfired one; `firedAt - dueAt` is how late). */
  dueAt: number;
  firedAt: number;
  missed: number;
  /** The next pending occurrence, or null when the task is finished. */
  nextDueAt: number | null;
}

export interface SchedulerEvents<P> {
  fire: [FireEvent<P>];
  /** Anything that changes what `upcoming()` returns: hosts push it to the tray/UI instead of polling. */
  change: [];
  /** A handler threw; the scheduler carries on. */
  error: [unknown];
}

export interface SchedulerOptions {
  clock?: Clock;
  /** IANA zone for calendar schedules that name none. Default: the system's. */
  timeZone?: string;
  /** Longest delay given to the clock's timer (default 30 s): the wall clock is re-checked at least this often. */
  maxDelayMs?: number;
}

/** A task's live state: the queue's item while enabled, parked otherwise. */
interface TaskRecord<P> {
  readonly id: string;
  name: string;
  priority: number;
  schedule: Schedule;
  compiled: CompiledSchedule;
  /** The instant an `every` schedule without its own anchor counts from (kept across updates and restarts). */
  anchor: number;
  payload: P | undefined;
  enabled: boolean;
  nextDueAt: number | null;
  lastFiredDueAt: number | null;
  snoozed: boolean;
}

const ID_MAX_LENGTH = 200;
const NAME_MAX_LENGTH = 200;
/** Counting missed occurrences is for reporting; past this it says "at least this many". */
const MISSED_COUNT_CAP = 10_000;
/**
 * A firing later than this after its due time was missed (shown late), not merely delayed: it is
 * more than the capped timer's re-check period (30 s) after a wake-up, so routine lag never counts.
 */
export const LATE_TOLERANCE_MS = 60_000;

/**
 * The engine's scheduler: tasks in a stable priority queue ordered by (due, priority, insertion),
 * one armed timer for the earliest deadline, every delay capped so the wall clock is re-checked.
 *
 * Time policy:
 * - Gap (suspend, daemon down, or a calendar instant skipped by a clock set forward): a recurring
 *   task fires once, with `missed` = how many occurrences fell in the gap; its next occurrence is the
 *   first one after now. Never a storm.
 * - Wall-clock change (set back or forward by a user or NTP; told from a suspend by the clock's
 *   elapsed time, see WallClockWatch): interval (`every`) tasks move with the clock by exactly the
 *   change, so their spacing is real elapsed time — no early or late firing, no catch-up. Calendar
 *   tasks (daily, weekly, cron, once) keep their wall-clock instants; an occurrence that already
 *   fired never fires again (`lastFiredDueAt` guards it).
 * - Pause: nothing fires. On resume, recurring occurrences that fell inside the pause are skipped
 *   (the user asked for quiet), and one-shot tasks that came due fire at once.
 */
export class Scheduler<P = unknown> extends EventEmitter<SchedulerEvents<P>> {
  readonly #clock: Clock;
  #timeZone: string | undefined;
  readonly #maxDelayMs: number;
  readonly #queue = new StableQueue<TaskRecord<P>>();
  /**
   * Tasks not in the queue: disabled ones, and one-shots that fired. A fired one-shot is kept (with its
   * `lastFiredDueAt`) so `progress()` reports it and a resync or restart never schedules it again.
   */
  readonly #parked = new Map<string, TaskRecord<P>>();
  #timer: TimerHandle | null = null;
  /** Wall-clock instant the armed timer is expected to fire at; a new earlier deadline re-arms. */
  #wakeAt = Infinity;
  #pausedUntil: number | null = null;
  #paused = false;
  /** Tells a wall-clock change from time passing; read (and any change applied) before tasks are compared with now. */
  readonly #wallWatch: WallClockWatch;
  #checking = false;
  #disposed = false;

  constructor(options: SchedulerOptions = {}) {
    super();
    this.#clock = options.clock ?? systemClock;
    this.#timeZone = options.timeZone;
    this.#maxDelayMs = options.maxDelayMs ?? MAX_TIMER_DELAY_MS;
    this.#wallWatch = new WallClockWatch(this.#clock);
    if (this.#timeZone !== undefined) checkTimeZone('timeZone', this.#timeZone);
  }

  /** Number of tasks, enabled or not. */
  get size(): number {
    return this.#queue.size + this.#parked.size;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get pausedUntil(): number | null {
    return this.#pausedUntil;
  }

  /**
   * Registers a task. Everything is validated before anything changes: on a ValidationError the
   * scheduler is exactly as it was. `progress` restores a task saved by a previous run.
   */
  add(spec: TaskSpec<P>, progress: TaskProgress = {}): TaskInfo<P> {
    const record = this.#buildRecord(spec, progress);
    if (this.has(record.id)) throw new ValidationError('id', `a task with id "${record.id}" already exists`);
    this.#insert(record);
    this.#emitChange();
    return toInfo(record);
  }

  /** Removes a task; false when there was none with that id. */
  remove(id: string): boolean {
    const removed = this.#queue.remove(id) || this.#parked.delete(id);
    if (removed) {
      this.#disarmIfIdle();
      this.#emitChange();
    }
    return removed;
  }

  has(id: string): boolean {
    return this.#queue.has(id) || this.#parked.has(id);
  }

  get(id: string): TaskInfo<P> | undefined {
    const record = this.#find(id);
    return record && toInfo(record);
  }

  /**
   * Replaces a task's definition (name, priority, schedule, payload, enabled), keeping its place in
   * first-come order. A changed schedule starts afresh from now; otherwise the pending occurrence stays.
   */
  update(id: string, patch: Partial<Omit<TaskSpec<P>, 'id'>>): TaskInfo<P> {
    const current = this.#require(id);
    const scheduleChanged = patch.schedule !== undefined;
    const spec: TaskSpec<P> = {
      id,
      name: patch.name ?? current.name,
      priority: patch.priority ?? current.priority,
      schedule: patch.schedule ?? current.schedule,
      payload: 'payload' in patch ? patch.payload : current.payload,
      enabled: patch.enabled ?? current.enabled,
    };
    const progress: TaskProgress = scheduleChanged
      ? { lastFiredDueAt: current.lastFiredDueAt }
      : { nextDueAt: current.nextDueAt, lastFiredDueAt: current.lastFiredDueAt };
    const next = this.#buildRecord(spec, progress, scheduleChanged ? this.#clock.now() : current.anchor);
    next.snoozed = !scheduleChanged && current.snoozed;
    const wasQueued = this.#queue.has(id);
    // Mutate the record in place: the queue keeps its item and insertion sequence, so equal-priority order holds.
    Object.assign(current, next);
    if (wasQueued && current.enabled && current.nextDueAt !== null) {
      this.#queue.update(id, current.nextDueAt, current.priority);
      this.#armFor(current.nextDueAt);
    } else {
      this.#queue.remove(id);
      this.#parked.delete(id);
      this.#insert(current);
      this.#disarmIfIdle();
    }
    this.#emitChange();
    return toInfo(current);
  }

  /** Re-prioritises a task in O(log n); equal priorities keep their first-come order. */
  setPriority(id: string, priority: number): TaskInfo<P> {
    return this.update(id, { priority });
  }

  enable(id: string): TaskInfo<P> {
    return this.update(id, { enabled: true });
  }

  disable(id: string): TaskInfo<P> {
    return this.update(id, { enabled: false });
  }

  /**
   * "Not before `now + delayMs`": the pending occurrence is put off to that instant, never brought
   * earlier (a pending occurrence already later stays as it is). Then the schedule goes on; no
   * occurrence is added to its grid.
   */
  snooze(id: string, delayMs: number): TaskInfo<P> {
    checkNumberInRange('snooze', delayMs, 1_000, 366 * 86_400_000, 'ms');
    return this.snoozeUntil(id, this.#clock.now() + delayMs);
  }

  /** "Not before the instant `notBefore`": as {@link snooze}, for a host that chose the instant itself. */
  snoozeUntil(id: string, notBefore: number): TaskInfo<P> {
    const now = this.#clock.now();
    checkNumberInRange('notBefore', notBefore, now, INSTANT_MAX_MS, 'ms since epoch');
    const record = this.#require(id);
    if (!record.enabled || record.nextDueAt === null) {
      throw new ValidationError('id', `task "${id}" has no pending occurrence to snooze`);
    }
    if (notBefore <= record.nextDueAt) return toInfo(record);
    record.nextDueAt = notBefore;
    record.snoozed = true;
    this.#queue.update(id, record.nextDueAt, record.priority);
    this.#emitChange();
    return toInfo(record);
  }

  /**
   * "Again at `at`": the pending occurrence moves to `at`, earlier or later (a notification's Snooze,
   * GNOME's Delay: the reminder that just fired comes back in N minutes although its next regular time
   * is later). Once it fires, the schedule goes on from its own grid.
   */
  showAgainAt(id: string, at: number): TaskInfo<P> {
    checkNumberInRange('at', at, this.#clock.now(), INSTANT_MAX_MS, 'ms since epoch');
    const record = this.#require(id);
    if (!record.enabled) throw new ValidationError('id', `task "${id}" is disabled`);
    record.nextDueAt = at;
    record.snoozed = true;
    if (this.#queue.has(id)) {
      this.#queue.update(id, at, record.priority);
      this.#armFor(at);
    } else {
      // A fired one-shot waits parked: it comes back for this one occurrence.
      this.#parked.delete(id);
      this.#insert(record);
    }
    this.#emitChange();
    return toInfo(record);
  }

  /** Stops all firing, until `resume()` or, when given, the instant `until` (wall clock). */
  pause(until?: number): void {
    if (until !== undefined)
      checkNumberInRange('until', until, this.#clock.now(), INSTANT_MAX_MS, 'ms since epoch');
    this.#paused = true;
    this.#pausedUntil = until ?? null;
    this.#rearm();
    this.#emitChange();
  }

  /** Resumes firing: recurring occurrences that fell in the pause are skipped, due one-shots fire now. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#pausedUntil = null;
    const now = this.#clock.now();
    const overdueRecurring: TaskRecord<P>[] = [];
    const overdueOnce: TaskRecord<P>[] = [];
    while (this.#queue.size > 0 && this.#queue.peekDue() <= now) {
      const record = this.#queue.pop() as TaskRecord<P>;
      (record.compiled.recurring ? overdueRecurring : overdueOnce).push(record);
    }
    for (const record of overdueRecurring) {
      record.snoozed = false;
      record.nextDueAt = record.compiled.nextAfter(now);
      if (record.nextDueAt !== null) this.#queue.push(record.id, record.nextDueAt, record.priority, record);
    }
    // One-shots go back with their original due time so they fire in order on the check below.
    for (const record of overdueOnce)
      this.#queue.push(record.id, record.nextDueAt as number, record.priority, record);
    this.#emitChange();
    this.recheck();
  }

  /** Re-reads the wall clock now: hosts call it on resume from suspend, unlock, or a time change. */
  recheck(): void {
    this.#check();
  }

  /** The earliest pending deadline, or null. While paused, still the earliest task (not the pause end). */
  nextDueAt(): number | null {
    return this.#queue.size > 0 ? this.#queue.peekDue() : null;
  }

  /** The next `limit` pending tasks in the exact order they will fire. */
  upcoming(limit = 10): TaskInfo<P>[] {
    return this.#queue.firstSorted(limit).map(toInfo);
  }

  /** Every task: pending ones in firing order, then the others (disabled, fired one-shots) by id. */
  list(): TaskInfo<P>[] {
    const parked = [...this.#parked.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return [...this.#queue.toSortedArray(), ...parked].map(toInfo);
  }

  /** Progress of every task, for a host to persist (see `add(spec, progress)`). */
  progress(): Record<string, TaskProgress> {
    // Unsorted (a state save with 10,000 tasks used to sort them all): hosts look tasks up by id.
    const saved: Record<string, TaskProgress> = {};
    const save = (record: TaskRecord<P>) => {
      saved[record.id] = { nextDueAt: record.nextDueAt, lastFiredDueAt: record.lastFiredDueAt };
    };
    this.#queue.forEach(save);
    this.#parked.forEach(save);
    return saved;
  }

  /**
   * Moves the calendar schedules that name no zone of their own (`daily`, `cron`) to `timeZone`, in
   * place: each is recompiled and its next occurrence worked out again in the new zone, after its
   * last firing (as for an edited schedule). Every other task keeps its pending occurrence, snooze
   * and first-come place, and a pause stays as it was.
   */
  setTimeZone(timeZone: string | undefined): void {
    if (timeZone !== undefined) checkTimeZone('timeZone', timeZone);
    if (timeZone === this.#timeZone) return;
    this.#timeZone = timeZone;
    for (const record of [...this.#queue.toSortedArray(), ...this.#parked.values()]) {
      const { schedule } = record;
      if ((schedule.kind === 'daily' || schedule.kind === 'cron') && schedule.timeZone === undefined)
        this.update(record.id, { schedule });
    }
  }

  /** Clears the armed timer; the scheduler fires nothing more. */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
    this.removeAllListeners();
  }

  // ─── internals ────────────────────────────────────────────────────────────

  #buildRecord(spec: TaskSpec<P>, progress: TaskProgress, keepAnchor?: number): TaskRecord<P> {
    if (spec === null || typeof spec !== 'object') throw new ValidationError('task', 'must be an object');
    const { id, name, priority, payload } = spec;
    if (typeof id !== 'string' || id.length === 0 || id.length > ID_MAX_LENGTH) {
      throw new ValidationError(
        'id',
        `must be a string of 1 to ${ID_MAX_LENGTH} characters (got ${describeValue(id)})`,
      );
    }
    if (typeof name !== 'string' || name.length === 0 || name.length > NAME_MAX_LENGTH) {
      throw new ValidationError(
        'name',
        `must be a string of 1 to ${NAME_MAX_LENGTH} characters (got ${describeValue(name)})`,
      );
    }
    checkNumberInRange('priority', priority, PRIORITY_MIN, PRIORITY_MAX);
    const enabled = spec.enabled ?? true;
    if (typeof enabled !== 'boolean')
      throw new ValidationError('enabled', `must be true or false (got ${describeValue(enabled)})`);
    // The caller's schedule object itself when it is already clean (settings hold one per reminder).
    const schedule = validateScheduleShared(spec.schedule, 'schedule');
    const lastFiredDueAt = optionalInstant('lastFiredDueAt', progress.lastFiredDueAt);
    const savedNextDueAt = optionalInstant('nextDueAt', progress.nextDueAt);
    const savedAt = optionalInstant('savedAt', progress.savedAt);

    const now = this.#clock.now();
    // A restored task keeps the grid it was on: its saved occurrence is a point of that grid.
    let anchor = keepAnchor ?? savedNextDueAt ?? lastFiredDueAt ?? now;
    let compiled = this.#compile(schedule, anchor);
    let restoredDueAt = savedNextDueAt;
    // The clock was set back while the host was down: a saved occurrence more than one period (the gap
    // between the schedule's next two occurrences) ahead of now is recomputed from now.
    if (
      restoredDueAt !== null &&
      compiled.recurring &&
      savedAt !== null &&
      now < savedAt - WALL_CHANGE_TOLERANCE_MS
    ) {
      const fresh = this.#compile(schedule, now);
      const first = fresh.nextAfter(now);
      const second = first === null ? null : fresh.nextAfter(first);
      if (first !== null && second !== null && restoredDueAt - now > second - first) {
        anchor = now;
        compiled = fresh;
        restoredDueAt = first;
      }
    }
    let nextDueAt: number | null;
    if (!enabled) nextDueAt = null;
    else if (restoredDueAt !== null) nextDueAt = restoredDueAt;
    // A one-shot whose instant already passed was missed, not cancelled: it fires at once.
    else if (schedule.kind === 'once') nextDueAt = schedule.at;
    else nextDueAt = compiled.nextAfter(Math.max(now, lastFiredDueAt ?? -Infinity));
    if (schedule.kind === 'once' && lastFiredDueAt !== null && lastFiredDueAt >= schedule.at)
      nextDueAt = null;
    return {
      id,
      name,
      priority,
      schedule,
      compiled,
      anchor,
      payload,
      enabled,
      nextDueAt,
      lastFiredDueAt,
      snoozed: false,
    };
  }

  #compile(schedule: Schedule, anchor: number): CompiledSchedule {
    return compileSchedule(schedule, {
      anchor,
      ...(this.#timeZone !== undefined && { defaultTimeZone: this.#timeZone }),
    });
  }

  #insert(record: TaskRecord<P>): void {
    // An empty queue is not re-checked, so a clock change since the last check is applied now, before
    // this task (built on today's wall clock) joins; otherwise the next check (≤ 30 s) applies it.
    if (this.#queue.size === 0) this.#followWallClock();
    if (record.enabled && record.nextDueAt !== null) {
      this.#queue.push(record.id, record.nextDueAt, record.priority, record);
      this.#armFor(record.nextDueAt);
    } else {
      this.#parked.set(record.id, record);
    }
  }

  #find(id: string): TaskRecord<P> | undefined {
    return this.#queue.get(id) ?? this.#parked.get(id);
  }

  #require(id: string): TaskRecord<P> {
    const record = this.#find(id);
    if (!record) throw new ValidationError('id', `no task with id "${id}"`);
    return record;
  }

  /** Fires everything due, in (due, priority, sequence) order, then arms the one timer. */
  #check(): void {
    if (this.#disposed || this.#checking) return;
    this.#checking = true;
    try {
      const now = this.#followWallClock();
      if (this.#paused && this.#pausedUntil !== null && now >= this.#pausedUntil) {
        this.#checking = false;
        this.resume();
        return;
      }
      if (!this.#paused) {
        const fired = this.#takeDue(now);
        for (const event of fired) {
          try {
            this.emit('fire', event);
          } catch (error) {
            this.#reportError(error);
          }
        }
        if (fired.length > 0) this.#emitChange();
      }
    } finally {
      this.#checking = false;
    }
    this.#rearm();
  }

  /** Pops every due task, advances recurring ones past now (coalescing a gap into one firing). */
  #takeDue(now: number): FireEvent<P>[] {
    const fired: FireEvent<P>[] = [];
    while (this.#queue.size > 0 && this.#queue.peekDue() <= now) {
      const record = this.#queue.peek() as TaskRecord<P>;
      const dueAt = record.nextDueAt as number;
      const { compiled } = record;
      // Occurrences after this one up to now came due in a gap; a snoozed occurrence hides nothing.
      const later =
        compiled.recurring && !record.snoozed ? compiled.countBetween(dueAt, now, MISSED_COUNT_CAP) : 0;
      // Any of them means this one is late too; alone, it is late only past the tolerance.
      const missed =
        later > 0 ? Math.min(later + 1, MISSED_COUNT_CAP) : now - dueAt > LATE_TOLERANCE_MS ? 1 : 0;
      record.lastFiredDueAt = record.snoozed ? Math.max(record.lastFiredDueAt ?? -Infinity, dueAt) : dueAt;
      record.snoozed = false;
      record.nextDueAt = compiled.recurring ? compiled.nextAfter(Math.max(now, dueAt)) : null;
      if (record.nextDueAt === null) {
        // A one-shot that fired stays known (parked, with lastFiredDueAt): it must never fire again.
        this.#queue.pop();
        this.#parked.set(record.id, record);
      } else this.#queue.update(record.id, record.nextDueAt, record.priority);
      fired.push({
        id: record.id,
        name: record.name,
        priority: record.priority,
        payload: record.payload,
        dueAt,
        firedAt: now,
        missed,
        nextDueAt: record.nextDueAt,
      });
    }
    return fired;
  }

  /** Reads the wall clock, first applying any change of it since the last reading; returns now. */
  #followWallClock(): number {
    const { now, changeMs } = this.#wallWatch.read();
    if (changeMs !== 0) this.#onWallClockChange(changeMs);
    return now;
  }

  /**
   * The wall clock was set by `changeMs` (either way) while the elapsed clock did not move with it.
   * Interval tasks move with it by exactly that much, so their spacing stays real elapsed time;
   * calendar tasks keep their wall-clock instants, and `lastFiredDueAt` stops any replay.
   */
  #onWallClockChange(changeMs: number): void {
    let moved = false;
    const records: TaskRecord<P>[] = [...this.#parked.values()];
    this.#queue.forEach((record) => records.push(record));
    for (const record of records) {
      if (record.schedule.kind !== 'every') continue;
      const schedule = record.schedule;
      record.anchor += changeMs;
      record.compiled = this.#compile(
        schedule.anchor === undefined ? schedule : { ...schedule, anchor: schedule.anchor + changeMs },
        record.anchor,
      );
      if (record.lastFiredDueAt !== null) record.lastFiredDueAt += changeMs;
      if (record.nextDueAt === null) continue;
      record.nextDueAt += changeMs;
      if (this.#queue.has(record.id)) this.#queue.update(record.id, record.nextDueAt, record.priority);
      moved = true;
    }
    if (moved) this.#emitChange();
  }

  /** Arms for a new deadline only if it is earlier than the timer already armed: O(1) for most adds. */
  #armFor(dueAt: number): void {
    if (this.#paused || dueAt >= this.#wakeAt) return;
    this.#rearm();
  }

  #rearm(): void {
    this.#clearTimer();
    if (this.#disposed) return;
    const target = this.#paused ? (this.#pausedUntil ?? Infinity) : this.#nextDueAtOrInfinity();
    if (target === Infinity) return;
    const now = this.#clock.now();
    // A timer can fire a hair before its wall-clock target (ms rounding); #check then re-arms for the rest.
    const delay = Math.min(Math.max(target - now, 0), this.#maxDelayMs);
    this.#wakeAt = now + delay;
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = null;
      this.#wakeAt = Infinity;
      this.#check();
    }, delay);
  }

  #nextDueAtOrInfinity(): number {
    return this.#queue.size > 0 ? this.#queue.peekDue() : Infinity;
  }

  /** Nothing left to wait for: no timer stays armed (a paused scheduler still waits for its end). */
  #disarmIfIdle(): void {
    if (this.#queue.size === 0 && !this.#paused) this.#clearTimer();
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#wakeAt = Infinity;
  }

  #emitChange(): void {
    if (this.listenerCount('change') === 0) return;
    try {
      this.emit('change');
    } catch (error) {
      this.#reportError(error);
    }
  }

  #reportError(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

function optionalInstant(field: string, value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  return checkNumberInRange(field, value, INSTANT_MIN_MS, INSTANT_MAX_MS, 'ms since epoch');
}

function toInfo<P>(record: TaskRecord<P>): TaskInfo<P> {
  return {
    id: record.id,
    name: record.name,
    priority: record.priority,
    schedule: record.schedule,
    payload: record.payload,
    enabled: record.enabled,
    nextDueAt: record.nextDueAt,
    lastFiredDueAt: record.lastFiredDueAt,
    snoozed: record.snoozed,
  };
}
