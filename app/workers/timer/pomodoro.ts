import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { systemClock } from '../../shared/clock.js';
import type { Clock } from '../../shared/clock.js';
import { ValidationError } from '../../shared/errors.js';
import { parseWith } from '../../shared/validate.js';
import {
  TIMER_ID_MAX_LENGTH,
  TIMER_NAME_MAX_LENGTH,
  checkDurationMs,
  checkInteger,
  checkObject,
  checkString,
} from './checks.js';
import {
  POMODORO_DEFAULTS,
  POMODORO_ROUNDS_MAX,
  pomodoroSnapshotSchema,
  type PomodoroSettings,
  type PomodoroSnapshot,
} from './snapshot.js';
import { TIMER_STATES, Timer } from './timer.js';
import type { DoneEvent, StateEvent, TickEvent, TimerState } from './timer.js';

/** The three kinds of phase. */
export type PomodoroPhase = 'work' | 'shortBreak' | 'longBreak';
/** Every {@link PomodoroPhase}, for validation and UIs. */
export const POMODORO_PHASES: readonly PomodoroPhase[] = ['work', 'shortBreak', 'longBreak'];

export type { PomodoroSettings } from './snapshot.js';
export { POMODORO_DEFAULTS, POMODORO_ROUNDS_MAX } from './snapshot.js';

/** Options of `new Pomodoro()`: any settings not given take {@link POMODORO_DEFAULTS}. */
export interface PomodoroOptions extends Partial<PomodoroSettings> {
  /** Default: a random UUID. */
  id?: string;
  /** Default ''. */
  name?: string;
  /** Default: {@link systemClock}. */
  clock?: Clock;
}

/** Where a pomodoro is: the phase and the work round it belongs to (a break carries the round it follows). */
export interface PhasePosition {
  phase: PomodoroPhase;
  round: number;
}

/** The current phase's tick, stamped with the phase. */
export interface PomodoroTickEvent extends TickEvent, PhasePosition {}
/** A session-level state change (phase changes inside a running session are `phase` events). */
export interface PomodoroStateEvent extends StateEvent, PhasePosition {}
/** The whole session is over: the break after the last work round ended (or was skipped). */
export interface PomodoroDoneEvent extends DoneEvent, PhasePosition {}

/** A new phase began. */
export interface PhaseEvent {
  id: string;
  from: PomodoroPhase;
  to: PomodoroPhase;
  /** The round of the new phase. */
  round: number;
  /** `completed`: the previous phase ran out; `skipped`: `skip()` ended it. */
  reason: 'completed' | 'skipped';
  /** Wall-clock deadline of the new phase. */
  endsAt: number;
  at: number;
}

/** The typed event map of {@link Pomodoro}. */
export interface PomodoroEvents {
  tick: [PomodoroTickEvent];
  done: [PomodoroDoneEvent];
  state: [PomodoroStateEvent];
  phase: [PhaseEvent];
}

/** A plain, JSON-safe picture of a pomodoro session; {@link Pomodoro.from} restores it. Its schema is in snapshot.ts. */
export type { PomodoroSnapshot } from './snapshot.js';

/**
 * A pomodoro session built from countdown {@link Timer}s, one per phase:
 * work, short break, work, … with a long break after every `longBreakEvery`-th work round, ending
 * with the break after work round `rounds` (defaults: work, short, work, short, work, short, work,
 * long, then done).
 *
 * Each phase is a Timer on the same clock, so the same rules hold: real time counts (a suspend
 * shortens a phase, setting the clock does not), ticks carry no drift, one catch-up tick after a
 * suspend. The next phase starts, running, at the moment the
 * previous one's end is noticed — on time that is its deadline; after a suspend or a daemon
 * restart it is the wake-up, so a long sleep completes at most one phase (one catch-up, never a
 * storm of phases) and the break you are owed is not spent while the lid was shut.
 *
 * States are those of a Timer: `idle` (before `start`), `running`, `paused`, `stopped`, `done`
 * (the session is complete). Commands throw a ValidationError on field `state` when not allowed.
 *
 * Events: `tick` ({@link PomodoroTickEvent}), `phase` ({@link PhaseEvent}), `state`
 * ({@link PomodoroStateEvent}), `done` ({@link PomodoroDoneEvent}). At a phase's end the order is:
 * tick 0, then `phase` (and `state` if a paused session was skipped), or at the session's end
 * `state` then `done`.
 */
export class Pomodoro extends EventEmitter<PomodoroEvents> {
  readonly id: string;
  readonly name: string;
  readonly settings: Readonly<PomodoroSettings>;

  readonly #clock: Clock;
  #state: TimerState = 'idle';
  #phase: PomodoroPhase = 'work';
  #round = 1;
  #timer: Timer;
  /** Bumped on every change, so a multi-event sequence stops if a listener changed the session. */
  #generation = 0;
  #disposed = false;

  /** Throws ValidationError naming the bad option (`workMs`, `rounds`, `id`, …). */
  constructor(options: PomodoroOptions = {}) {
    super();
    const opts = checkObject('', options);
    this.id = checkString('id', opts.id ?? randomUUID(), 1, TIMER_ID_MAX_LENGTH);
    this.name = checkString('name', opts.name ?? '', 0, TIMER_NAME_MAX_LENGTH);
    this.settings = Object.freeze(checkSettings(opts));
    this.#clock = options.clock ?? systemClock;
    this.#timer = this.#adopt(this.#newPhaseTimer());
  }

  /** The session's state. */
  get state(): TimerState {
    return this.#state;
  }

  /** The current phase. */
  get phase(): PomodoroPhase {
    return this.#phase;
  }

  /** The current work round, 1-based (a break carries the round it follows). */
  get round(): number {
    return this.#round;
  }

  /** Wall-clock deadline of the current phase while running; null otherwise. */
  get endsAt(): number | null {
    return this.#timer.endsAt;
  }

  /** Ms left in the current phase. */
  remainingMs(): number {
    return this.#timer.remainingMs() ?? 0;
  }

  /** Length of `phase` under these settings. */
  durationOf(phase: PomodoroPhase): number {
    if (phase === 'work') return this.settings.workMs;
    return phase === 'shortBreak' ? this.settings.shortBreakMs : this.settings.longBreakMs;
  }

  /** Starts a fresh session at work round 1. Allowed when idle, done or stopped. */
  start(): void {
    this.#assertCan('start', ['idle', 'done', 'stopped']);
    const now = this.#clock.now();
    this.#moveTo({ phase: 'work', round: 1 });
    this.#timer.start();
    this.emit('state', this.#setState('running', now));
  }

  /** Pauses the current phase. A phase whose deadline already passed completes, and the next one is paused. */
  pause(): void {
    this.#assertCan('pause', ['running']);
    const now = this.#clock.now();
    if (!this.#applyToPhase((timer) => timer.pause())) return;
    this.emit('state', this.#setState('paused', now));
  }

  /** Resumes the current phase. Allowed when paused. */
  resume(): void {
    this.#assertCan('resume', ['paused']);
    const now = this.#clock.now();
    this.#timer.resume();
    this.emit('state', this.#setState('running', now));
  }

  /** Ends the session where it is. A phase whose deadline already passed completes first. */
  stop(): void {
    this.#assertCan('stop', ['running', 'paused']);
    const now = this.#clock.now();
    if (!this.#applyToPhase((timer) => timer.stop())) return;
    this.emit('state', this.#setState('stopped', now));
  }

  /**
   * Ends the current phase now and starts the next one, running (even if the session was paused);
   * skipping the last break completes the session. Allowed when running or paused.
   */
  skip(): void {
    this.#assertCan('skip', ['running', 'paused']);
    const timer = this.#timer;
    // Silence the phase timer first: its own done must not count as a completed phase.
    timer.removeAllListeners();
    timer.finish();
    const now = this.#clock.now();
    this.#advance('skipped', now, now);
  }

  /** Back to idle at work round 1. Does nothing when already idle. */
  reset(): void {
    this.#assertCan('reset', TIMER_STATES);
    if (this.#state === 'idle') return;
    const now = this.#clock.now();
    this.#moveTo({ phase: 'work', round: 1 });
    this.emit('state', this.#setState('idle', now));
  }

  /** Re-reads the wall clock now (after a resume from suspend or a clock change); see {@link Timer.recheck}. */
  recheck(): void {
    if (this.#state === 'running' && !this.#disposed) this.#timer.recheck();
  }

  /** Disarms the phase timer and drops all listeners; the session can still be read and snapshotted. */
  dispose(): void {
    this.#timer.dispose();
    this.#disposed = true;
    this.removeAllListeners();
  }

  /** A plain snapshot for the state file; see {@link PomodoroSnapshot}. */
  toJSON(): PomodoroSnapshot {
    return {
      kind: 'pomodoro',
      id: this.id,
      name: this.name,
      state: this.#state,
      phase: this.#phase,
      round: this.#round,
      settings: { ...this.settings },
      timer: this.#timer.toJSON(),
    };
  }

  /**
   * Restores a session from {@link toJSON}'s snapshot, validated (errors name the field, e.g.
   * `timer.endsAt`). As with {@link Timer.from}, a running session is re-checked on the clock's next
   * turn: if the phase ended while the daemon was down, that phase completes then and the next
   * phase starts at that moment.
   */
  static from(snapshot: unknown, options: { clock?: Clock } = {}): Pomodoro {
    const snap = parseWith(pomodoroSnapshotSchema, snapshot, '');
    const { id, name, state, phase, round, settings } = snap;
    const pomodoro = new Pomodoro({ ...settings, id, name, clock: options.clock });
    const timer = Timer.from(snap.timer, { clock: options.clock });
    pomodoro.#timer.dispose();
    pomodoro.#timer = pomodoro.#adopt(timer);
    pomodoro.#state = state;
    pomodoro.#phase = phase;
    pomodoro.#round = round;
    return pomodoro;
  }

  #assertCan(command: string, allowed: readonly TimerState[]): void {
    if (this.#disposed) throw new Error(`pomodoro ${this.id} is disposed; cannot ${command}`);
    if (!allowed.includes(this.#state)) {
      throw new ValidationError(
        'state',
        `cannot ${command} while ${this.#state} (allowed when ${allowed.join(' or ')})`,
      );
    }
  }

  #setState(to: TimerState, now: number): PomodoroStateEvent {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    return { id: this.id, from, to, at: now, phase: this.#phase, round: this.#round };
  }

  /**
   * Runs a pause or stop on the phase timer. If that phase's deadline had already passed, the timer
   * completes instead and (via its done) the next phase begins; the command then applies to that
   * one. False if the session itself completed meanwhile (or a listener changed it).
   */
  #applyToPhase(command: (timer: Timer) => void): boolean {
    const timer = this.#timer;
    const generation = this.#generation;
    command(timer);
    if (this.#generation === generation) return true;
    // Exactly one change, to a new phase of a still-running session: the phase completed instead.
    if (this.#generation !== generation + 1 || this.#state !== 'running' || this.#timer === timer)
      return false;
    command(this.#timer);
    return true;
  }

  /** Ends the current phase (`endedAt` is its deadline, or now when skipped) and begins the next. */
  #advance(reason: PhaseEvent['reason'], now: number, endedAt: number): void {
    const from = this.#phase;
    const next = this.#next();
    if (next === null) {
      const change = this.#setState('done', now);
      const generation = this.#generation;
      this.emit('state', change);
      if (this.#generation !== generation) return;
      this.emit('done', { id: this.id, endsAt: endedAt, at: now, phase: this.#phase, round: this.#round });
      return;
    }
    this.#moveTo(next);
    this.#timer.start();
    const change = this.#state === 'running' ? null : this.#setState('running', now);
    const generation = ++this.#generation;
    this.emit('phase', {
      id: this.id,
      from,
      to: next.phase,
      round: next.round,
      reason,
      endsAt: this.#timer.endsAt ?? now,
      at: now,
    });
    if (change && this.#generation === generation) this.emit('state', change);
  }

  /** The phase after the current one, or null when the session is over. */
  #next(): PhasePosition | null {
    if (this.#phase === 'work') {
      const long = this.#round % this.settings.longBreakEvery === 0;
      return { phase: long ? 'longBreak' : 'shortBreak', round: this.#round };
    }
    return this.#round >= this.settings.rounds ? null : { phase: 'work', round: this.#round + 1 };
  }

  /** Replaces the phase timer with a fresh, idle one for `position`. */
  #moveTo(position: PhasePosition): void {
    this.#timer.dispose();
    this.#phase = position.phase;
    this.#round = position.round;
    this.#timer = this.#adopt(this.#newPhaseTimer());
  }

  #newPhaseTimer(): Timer {
    return new Timer({
      id: this.id,
      name: this.name,
      durationMs: this.durationOf(this.#phase),
      clock: this.#clock,
    });
  }

  /** Relays the phase timer's ticks, stamped with the phase, and turns its done into the next phase. */
  #adopt(timer: Timer): Timer {
    timer.on('tick', (event) => {
      if (this.#timer === timer)
        this.emit('tick', { ...event, id: this.id, phase: this.#phase, round: this.#round });
    });
    timer.on('done', (event) => {
      if (this.#timer === timer && this.#state === 'running')
        this.#advance('completed', event.at, event.endsAt);
    });
    return timer;
  }
}

/** Settings from options or a snapshot; missing ones take the defaults. */
function checkSettings(source: Record<string, unknown>): PomodoroSettings {
  const pick = (key: keyof PomodoroSettings): unknown => source[key] ?? POMODORO_DEFAULTS[key];
  return {
    workMs: checkDurationMs('workMs', pick('workMs')),
    shortBreakMs: checkDurationMs('shortBreakMs', pick('shortBreakMs')),
    longBreakMs: checkDurationMs('longBreakMs', pick('longBreakMs')),
    longBreakEvery: checkInteger('longBreakEvery', pick('longBreakEvery'), 1, POMODORO_ROUNDS_MAX),
    rounds: checkInteger('rounds', pick('rounds'), 1, POMODORO_ROUNDS_MAX),
  };
}
