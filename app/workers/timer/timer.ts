import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { WallClockWatch, systemClock } from '../../shared/clock.js';
import type { Clock, TimerHandle } from '../../shared/clock.js';
import { ValidationError } from '../../shared/errors.js';
import { MAX_TIMER_DELAY_MS, SECOND_MS } from '../../shared/limits.js';
import { parseWith } from '../../shared/validate.js';
import {
  TIMER_ID_MAX_LENGTH,
  TIMER_NAME_MAX_LENGTH,
  checkAbsent,
  checkDurationMs,
  checkObject,
  checkOneOf,
  checkString,
} from './checks.js';
import { timerSnapshotSchema, type TimerSnapshot } from './snapshot.js';

/** A countdown runs down from `durationMs` to 0 and is then done; a stopwatch counts up until stopped. */
export type TimerMode = 'countdown' | 'stopwatch';
/** Every {@link TimerMode}, for validation and UIs. */
export const TIMER_MODES: readonly TimerMode[] = ['countdown', 'stopwatch'];

/**
 * - `idle`: created or reset, never started;
 * - `running`: time is passing;
 * - `paused`: time is frozen until `resume()`;
 * - `done`: a countdown reached 0 (a stopwatch is never done);
 * - `stopped`: ended by `stop()`; keeps the time it showed.
 */
export type TimerState = 'idle' | 'running' | 'paused' | 'done' | 'stopped';
/** Every {@link TimerState}, for validation and UIs. */
export const TIMER_STATES: readonly TimerState[] = ['idle', 'running', 'paused', 'done', 'stopped'];

/** Emitted when the whole-second value a display shows changes (see {@link Timer}, "Ticks"). */
export interface TickEvent {
  id: string;
  mode: TimerMode;
  /** Whole seconds to show: remaining rounded up (countdown), or elapsed rounded down (stopwatch). */
  seconds: number;
  /** Exact ms left (countdown); null for a stopwatch. */
  remainingMs: number | null;
  /** Exact ms elapsed (for a countdown: durationMs − remainingMs). */
  elapsedMs: number;
  /** Wall-clock instant of the tick. */
  at: number;
}

/** Emitted once when a countdown reaches 0. */
export interface DoneEvent {
  id: string;
  /** The deadline. Earlier than `at` when the end was noticed late (after a suspend or a daemon restart). */
  endsAt: number;
  /** Wall-clock instant the end was noticed. */
  at: number;
}

/** Emitted on every state transition. */
export interface StateEvent {
  id: string;
  from: TimerState;
  to: TimerState;
  at: number;
}

/** The typed event map of {@link Timer}. */
export interface TimerEvents {
  tick: [TickEvent];
  done: [DoneEvent];
  state: [StateEvent];
}

/** Options shared by both modes. */
export interface TimerCommonOptions {
  /** Default: a random UUID. 1 … {@link TIMER_ID_MAX_LENGTH} characters. */
  id?: string;
  /** Shown to the user; default ''. At most {@link TIMER_NAME_MAX_LENGTH} characters. */
  name?: string;
  /** Default: {@link systemClock}. */
  clock?: Clock;
}

/** A countdown of `durationMs`: a whole number of ms from 1 s to 7 days. */
export interface CountdownOptions extends TimerCommonOptions {
  mode?: 'countdown';
  durationMs: number;
}

/** A stopwatch. */
export interface StopwatchOptions extends TimerCommonOptions {
  mode: 'stopwatch';
}

/** Options of `new Timer()`. */
export type TimerOptions = CountdownOptions | StopwatchOptions;

/**
 * A plain, JSON-safe picture of a timer, from {@link Timer.toJSON}; {@link Timer.from} restores it.
 * Fields that do not apply to the mode or state are null, so a JSON round trip is exact. Its
 * schema (snapshot.ts) is what state.json's timers are checked with.
 */
export type { TimerSnapshot } from './snapshot.js';

type Times =
  | { mode: 'countdown'; readonly durationMs: number; endsAt: number | null; remainingMs: number }
  | { mode: 'stopwatch'; startedAt: number | null; accumulatedMs: number };

/**
 * A countdown or a stopwatch, driven by an injected {@link Clock}.
 *
 * **Real time counts.** A running countdown holds an absolute wall-clock deadline (`endsAt`), a
 * running stopwatch the wall-clock instant its run began; remaining and elapsed time are computed
 * from `clock.now()`. So a 25-minute timer started at 10:00 ends at 10:25 even if the laptop slept
 * from 10:05 to 10:20, and survives a daemon restart with its true remaining time. When the wall
 * clock is *set* (by a user or NTP; told from a suspend by the clock's elapsed time, see
 * WallClockWatch), the deadline and run start move with it, so a 1-minute timer still ends one
 * minute after it started. A restore after a restart goes by the saved wall deadline: the elapsed
 * clock of a new process cannot vouch for the time in between (a clock set while the daemon was
 * down is not seen). A paused timer holds a plain span, so nothing moves it.
 *
 * **Ticks.** Only one clock timer is armed, for the next instant the displayed whole-second value
 * changes, computed afresh from the deadline each time (and never more than
 * MAX_TIMER_DELAY_MS ahead), so ticks never accumulate drift. A tick is emitted whenever that value
 * differs from the last one emitted: on time, exactly once per second; after a suspend or clock
 * jump, once with the current value (never a storm of missed ticks). A countdown's ticks go
 * `ceil(durationMs/1000) − 1` … 0, the 0 tick at the deadline, followed by `state` and `done`.
 * Starting, pausing and resuming emit `state` but no tick.
 *
 * **Commands** (`start`, `pause`, `resume`, `stop`, `finish`, `reset`) throw a ValidationError on field
 * `state` when the current state does not allow them. Listeners run synchronously; a listener may
 * issue commands, and the timer's state is always updated before its event is emitted.
 *
 * Events: `tick` ({@link TickEvent}), `done` ({@link DoneEvent}), `state` ({@link StateEvent}).
 */
export class Timer extends EventEmitter<TimerEvents> {
  readonly id: string;
  readonly name: string;
  readonly mode: TimerMode;
  /** Countdown length; null for a stopwatch. */
  readonly durationMs: number | null;

  readonly #clock: Clock;
  /** Tells a wall-clock change from time passing, so a running deadline can move with the change. */
  readonly #wallWatch: WallClockWatch;
  #times: Times;
  #state: TimerState = 'idle';
  /** The seconds value of the last tick (or of the start); null forces the next check to tick. */
  #lastSeconds: number | null;
  #handle: TimerHandle | null = null;
  /** Bumped on every transition, so a multi-event sequence stops if a listener changed the state. */
  #generation = 0;
  #disposed = false;

  /** Throws ValidationError naming the field (`mode`, `durationMs`, `id`, `name`) when an option is bad. */
  constructor(options: TimerOptions) {
    super();
    const opts = checkObject('', options);
    this.mode = checkOneOf('mode', opts.mode ?? 'countdown', TIMER_MODES);
    this.id = checkString('id', opts.id ?? randomUUID(), 1, TIMER_ID_MAX_LENGTH);
    this.name = checkString('name', opts.name ?? '', 0, TIMER_NAME_MAX_LENGTH);
    this.#clock = options.clock ?? systemClock;
    this.#wallWatch = new WallClockWatch(this.#clock);
    if (this.mode === 'countdown') {
      const durationMs = checkDurationMs('durationMs', opts.durationMs);
      this.durationMs = durationMs;
      this.#times = { mode: 'countdown', durationMs, endsAt: null, remainingMs: durationMs };
    } else {
      checkAbsent('durationMs', opts.durationMs, 'for a stopwatch');
      this.durationMs = null;
      this.#times = { mode: 'stopwatch', startedAt: null, accumulatedMs: 0 };
    }
    this.#lastSeconds = this.#secondsAt(this.#now());
  }

  /** The current state. */
  get state(): TimerState {
    return this.#state;
  }

  /** Wall-clock deadline of a running countdown; null otherwise. */
  get endsAt(): number | null {
    this.#now(); // a wall-clock change since the last reading moves the deadline
    return this.#times.mode === 'countdown' ? this.#times.endsAt : null;
  }

  /** Ms left of a countdown, from the wall clock now; null for a stopwatch. */
  remainingMs(): number | null {
    return this.#remainingAt(this.#now());
  }

  /** Ms elapsed, from the wall clock now (for a countdown: durationMs − remainingMs). */
  elapsedMs(): number {
    return this.#elapsedAt(this.#now());
  }

  /** Starts from the full duration (countdown) or from 0 (stopwatch). Allowed when idle, done or stopped. */
  start(): void {
    this.#assertCan('start', ['idle', 'done', 'stopped']);
    const now = this.#now();
    const times = this.#times;
    if (times.mode === 'countdown') {
      times.endsAt = now + times.durationMs;
    } else {
      times.startedAt = now;
      times.accumulatedMs = 0;
    }
    this.#enterRunning(now);
  }

  /**
   * Freezes the time shown. Allowed when running. A countdown whose deadline has already passed
   * (the machine just woke and no re-check has run yet) completes instead: wall time counts.
   */
  pause(): void {
    this.#assertCan('pause', ['running']);
    const now = this.#now();
    if (this.#finishIfPast(now)) return;
    this.#freeze(now);
    this.emit('state', this.#setState('paused', now));
  }

  /** Continues from the time shown when paused. Allowed when paused. */
  resume(): void {
    this.#assertCan('resume', ['paused']);
    const now = this.#now();
    const times = this.#times;
    if (times.mode === 'countdown') {
      times.endsAt = now + times.remainingMs;
    } else {
      times.startedAt = now;
    }
    this.#enterRunning(now);
  }

  /**
   * Ends the timer, keeping the time it shows (a stopwatch's final reading). Allowed when running
   * or paused; a countdown whose deadline has already passed completes instead, as for `pause`.
   */
  stop(): void {
    this.#assertCan('stop', ['running', 'paused']);
    const now = this.#now();
    if (this.#finishIfPast(now)) return;
    this.#freeze(now);
    this.emit('state', this.#setState('stopped', now));
  }

  /**
   * Ends a countdown now as if its deadline had come: tick 0, `state`, `done` (whose `endsAt` is now,
   * or the real deadline if that already passed). Allowed when running or paused; not for a stopwatch.
   */
  finish(): void {
    this.#assertCan('finish', ['running', 'paused']);
    const times = this.#times;
    if (times.mode !== 'countdown') throw new ValidationError('mode', 'only a countdown can finish');
    const now = this.#now();
    times.endsAt = Math.min(times.endsAt ?? now, now);
    this.#finish(now);
  }

  /** Back to idle with the full duration (countdown) or 0 (stopwatch). Does nothing when already idle. */
  reset(): void {
    this.#assertCan('reset', TIMER_STATES);
    if (this.#state === 'idle') return;
    const now = this.#now();
    const times = this.#times;
    if (times.mode === 'countdown') {
      times.endsAt = null;
      times.remainingMs = times.durationMs;
    } else {
      times.startedAt = null;
      times.accumulatedMs = 0;
    }
    const change = this.#setState('idle', now);
    this.#lastSeconds = this.#secondsAt(now);
    this.emit('state', change);
  }

  /**
   * Re-reads the wall clock now instead of at the next armed tick: emits one catch-up tick if the
   * shown value changed and `done` if the deadline passed. The daemon calls it when the host reports
   * a resume from suspend or a clock change. Does nothing unless running.
   */
  recheck(): void {
    if (this.#state === 'running' && !this.#disposed) this.#check();
  }

  /** Disarms the clock timer and drops all listeners. The timer can still be read and snapshotted, not driven. */
  dispose(): void {
    this.#disarm();
    this.#disposed = true;
    this.removeAllListeners();
  }

  /** A plain snapshot for the state file; see {@link TimerSnapshot}. */
  toJSON(): TimerSnapshot {
    this.#now(); // a wall-clock change since the last reading moves the deadline
    const times = this.#times;
    const countdown = times.mode === 'countdown' ? times : null;
    const stopwatch = times.mode === 'stopwatch' ? times : null;
    return {
      kind: 'timer',
      id: this.id,
      name: this.name,
      mode: this.mode,
      state: this.#state,
      durationMs: countdown?.durationMs ?? null,
      endsAt: countdown?.endsAt ?? null,
      remainingMs: countdown && countdown.endsAt === null ? countdown.remainingMs : null,
      startedAt: stopwatch?.startedAt ?? null,
      accumulatedMs: stopwatch?.accumulatedMs ?? null,
    };
  }

  /**
   * Restores a timer from {@link toJSON}'s snapshot (read from a file, so it is validated: a bad
   * field throws ValidationError naming it). Wall-clock instants are kept, so a running timer has
   * its true remaining time, however long the daemon was down.
   *
   * A restored running timer is re-checked on the clock's next turn (a 0 ms timer), not inside
   * `from()`: listeners attached right after `from()` returns receive one catch-up tick with the
   * current value and, if the deadline passed while the daemon was down, `state` and `done` — once.
   * A snapshot already `done` emits nothing.
   */
  static from(snapshot: unknown, options: { clock?: Clock } = {}): Timer {
    const snap = parseWith(timerSnapshotSchema, snapshot, '');
    const { state } = snap;
    const common = { id: snap.id, name: snap.name, clock: options.clock };
    let timer: Timer;
    // The schema checked which fields are set for each mode and state; the `??` fallbacks only narrow types.
    if (snap.mode === 'countdown') {
      const durationMs = snap.durationMs ?? 0;
      timer = new Timer({ ...common, mode: 'countdown', durationMs });
      timer.#times = {
        mode: 'countdown',
        durationMs,
        endsAt: snap.endsAt,
        remainingMs: snap.remainingMs ?? durationMs,
      };
    } else {
      timer = new Timer({ ...common, mode: 'stopwatch' });
      timer.#times = { mode: 'stopwatch', startedAt: snap.startedAt, accumulatedMs: snap.accumulatedMs ?? 0 };
    }
    const running = state === 'running';

    timer.#state = state;
    if (running) {
      timer.#lastSeconds = null;
      timer.#arm(0);
    } else {
      timer.#lastSeconds = timer.#secondsAt(timer.#now());
    }
    return timer;
  }

  /**
   * The wall clock now. A change of the wall clock since the last reading (not a suspend) first
   * moves a running deadline or run start by as much, so running time stays elapsed time.
   */
  #now(): number {
    const { now, changeMs } = this.#wallWatch.read();
    if (changeMs !== 0) {
      const times = this.#times;
      if (times.mode === 'countdown') {
        if (times.endsAt !== null) times.endsAt += changeMs;
      } else if (times.startedAt !== null) {
        times.startedAt += changeMs;
      }
    }
    return now;
  }

  #assertCan(command: string, allowed: readonly TimerState[]): void {
    if (this.#disposed) throw new Error(`timer ${this.id} is disposed; cannot ${command}`);
    if (!allowed.includes(this.#state)) {
      throw new ValidationError(
        'state',
        `cannot ${command} while ${this.#state} (allowed when ${allowed.join(' or ')})`,
      );
    }
  }

  #setState(to: TimerState, now: number): StateEvent {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#disarm();
    return { id: this.id, from, to, at: now };
  }

  /** Emits `state` before arming, so a listener that pauses at once leaves nothing armed. */
  #enterRunning(now: number): void {
    const change = this.#setState('running', now);
    const generation = this.#generation;
    this.#lastSeconds = this.#secondsAt(now);
    this.emit('state', change);
    if (this.#generation === generation) this.#check();
  }

  /** Turns the running time into a plain span (for pause and stop). */
  #freeze(now: number): void {
    const times = this.#times;
    if (times.mode === 'countdown') {
      times.remainingMs = this.#remainingAt(now) ?? 0;
      times.endsAt = null;
    } else {
      times.accumulatedMs = this.#elapsedAt(now);
      times.startedAt = null;
    }
  }

  #remainingAt(now: number): number | null {
    const times = this.#times;
    if (times.mode !== 'countdown') return null;
    if (times.endsAt === null) return times.remainingMs;
    return Math.min(times.durationMs, Math.max(0, times.endsAt - now));
  }

  #elapsedAt(now: number): number {
    const times = this.#times;
    if (times.mode === 'countdown') return times.durationMs - (this.#remainingAt(now) ?? 0);
    if (times.startedAt === null) return times.accumulatedMs;
    return times.accumulatedMs + Math.max(0, now - times.startedAt);
  }

  /** The whole seconds a display shows: a countdown reads 25:00 until a full second has passed. */
  #secondsAt(now: number): number {
    const remaining = this.#remainingAt(now);
    return remaining === null
      ? Math.floor(this.#elapsedAt(now) / SECOND_MS)
      : Math.ceil(remaining / SECOND_MS);
  }

  /** The heart of the timer: re-read the wall clock, tick if the shown value changed, arm the next check. */
  #check(): void {
    this.#disarm();
    const now = this.#now();
    const times = this.#times;
    let delayMs: number;
    if (times.mode === 'countdown') {
      const untilEnd = (times.endsAt ?? now) - now;
      if (untilEnd <= 0) return this.#finish(now);
      // The shown value drops by one when the deadline is (shown − 1) whole seconds away.
      const shown = Math.ceil(Math.min(untilEnd, times.durationMs) / SECOND_MS);
      delayMs = untilEnd - (shown - 1) * SECOND_MS;
    } else {
      // Unclamped, so a clock set back waits (capped) until the run catches up with what was banked.
      const rawElapsed = times.accumulatedMs + (now - (times.startedAt ?? now));
      const shown = Math.floor(Math.max(times.accumulatedMs, rawElapsed) / SECOND_MS);
      delayMs = (shown + 1) * SECOND_MS - rawElapsed;
    }
    this.#arm(delayMs);
    const seconds = this.#secondsAt(now);
    if (seconds !== this.#lastSeconds) {
      this.#lastSeconds = seconds;
      this.#emitTick(now, seconds);
    }
  }

  /** Completes a running countdown if its deadline has passed; true if it did. */
  #finishIfPast(now: number): boolean {
    const times = this.#times;
    if (times.mode !== 'countdown' || times.endsAt === null || times.endsAt > now) return false;
    this.#finish(now);
    return true;
  }

  /**
   * Tick 0 (unless already shown), then `state`, then `done`. The 0 tick goes out while the timer
   * is still `running` with its past deadline, so a snapshot taken by a tick listener restores as done.
   */
  #finish(now: number): void {
    const times = this.#times;
    if (times.mode !== 'countdown' || times.endsAt === null) return;
    const endsAt = times.endsAt;
    this.#disarm();
    let generation = this.#generation;
    if (this.#lastSeconds !== 0) {
      this.#lastSeconds = 0;
      this.#emitTick(now, 0);
      if (this.#generation !== generation) return;
    }
    times.endsAt = null;
    times.remainingMs = 0;
    const change = this.#setState('done', now);
    generation = this.#generation;
    this.emit('state', change);
    if (this.#generation === generation) this.emit('done', { id: this.id, endsAt, at: now });
  }

  #emitTick(now: number, seconds: number): void {
    this.emit('tick', {
      id: this.id,
      mode: this.mode,
      seconds,
      remainingMs: this.#remainingAt(now),
      elapsedMs: this.#elapsedAt(now),
      at: now,
    });
  }

  #arm(delayMs: number): void {
    this.#disarm();
    if (this.#disposed) return;
    this.#handle = this.#clock.setTimer(
      () => {
        this.#handle = null;
        if (this.#state === 'running') this.#check();
      },
      Math.min(delayMs, MAX_TIMER_DELAY_MS),
    );
  }

  #disarm(): void {
    if (this.#handle !== null) this.#clock.clearTimer(this.#handle);
    this.#handle = null;
  }
}
