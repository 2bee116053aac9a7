import type { Clock, TimerHandle } from './clock.js';

/** Largest delay Node's setTimeout honours; beyond it Node fires after 1 ms instead, so we refuse it. */
const SET_TIMEOUT_MAX_MS = 2 ** 31 - 1;

/** Callbacks that may fire at one instant before we call it a runaway loop (a timer re-arming itself at 0 ms). */
const MAX_FIRINGS_AT_ONE_INSTANT = 10_000;

interface PendingTimer {
  readonly handle: TimerHandle;
  readonly callback: () => void;
  readonly dueMono: number;
  /** Creation order: breaks ties between timers due at the same instant, as setTimeout does. */
  readonly seq: number;
}

/**
 * A deterministic {@link Clock} for tests, with the three clocks a real machine has:
 *
 * - the **wall** clock (`now()`), which users, NTP and suspend can move;
 * - the **elapsed** clock (`elapsed()`, Linux `CLOCK_BOOTTIME`), which time passing and suspend
 *   move, and setting the wall clock does not;
 * - the **monotonic** clock, which only {@link advance} moves and on which timers run, as
 *   `setTimeout` does (Linux `CLOCK_MONOTONIC` stops while the machine sleeps).
 *
 * So {@link advance} is time passing (all three move), {@link jumpWall} a user or NTP setting the
 * wall clock (only the wall moves), {@link suspend} a sleep (wall and elapsed move, timers do not).
 *
 * Nothing happens unless a test asks: {@link advance} fires due timers in order of (due time,
 * creation order), with the clocks set to each timer's due instant while it runs, so code under
 * test observes exactly the times it would on a perfectly punctual machine.
 *
 * Delays that Node would mishandle (non-finite, or above 2^31−1 ms) throw a RangeError instead of
 * being silently clamped, so a missing cap in the code under test fails loudly.
 */
export class VirtualClock implements Clock {
  #wallMs: number;
  #monoMs = 0;
  #elapsedMs = 0;
  #nextSeq = 0;
  #advancing = false;
  readonly #timers = new Map<TimerHandle, PendingTimer>();

  /** @param startWallMs the wall clock's first reading; default Monday 2026-01-05 09:00 UTC. */
  constructor(startWallMs: number = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.#wallMs = checkFinite('startWallMs', startWallMs);
  }

  /** The wall clock, ms since the epoch. */
  now(): number {
    return this.#wallMs;
  }

  /** The elapsed clock (counts suspend, not wall changes), ms since this clock was created. */
  elapsed(): number {
    return this.#elapsedMs;
  }

  /** The monotonic clock, ms since this clock was created (tests use it to assert exact firing times). */
  get monotonicMs(): number {
    return this.#monoMs;
  }

  /** Arms `callback` at monotonic time now + max(0, delayMs). */
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    if (!Number.isFinite(delayMs) || delayMs > SET_TIMEOUT_MAX_MS) {
      throw new RangeError(
        `setTimer: delay must be finite and at most ${SET_TIMEOUT_MAX_MS} ms (got ${delayMs})`,
      );
    }
    const handle: TimerHandle = Object.freeze({ __timerHandle: true as const });
    this.#timers.set(handle, {
      handle,
      callback,
      dueMono: this.#monoMs + Math.max(0, delayMs),
      seq: this.#nextSeq++,
    });
    return handle;
  }

  /** Disarms a timer; unknown, fired or already cleared handles are ignored, as with clearTimeout. */
  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle);
  }

  /** How many timers are armed. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Ms (monotonic) until the next armed timer is due, or null when none is armed. */
  nextTimerDelay(): number | null {
    const next = this.#earliest();
    return next ? next.dueMono - this.#monoMs : null;
  }

  /**
   * Lets `ms` pass: all three clocks move forward by `ms`, firing every timer due within the window —
   * including timers armed by callbacks during it — each with the clocks set to its due instant.
   * If a callback throws, the error propagates and the clocks stay at that timer's due instant.
   */
  advance(ms: number): void {
    checkNonNegative('ms', ms);
    if (this.#advancing) throw new Error('VirtualClock.advance() called from inside a timer callback');
    this.#advancing = true;
    try {
      const targetMono = this.#monoMs + ms;
      let firedAtThisInstant = 0;
      for (let next = this.#earliest(); next && next.dueMono <= targetMono; next = this.#earliest()) {
        if (next.dueMono === this.#monoMs) {
          if (++firedAtThisInstant > MAX_FIRINGS_AT_ONE_INSTANT) {
            throw new Error(
              `VirtualClock: more than ${MAX_FIRINGS_AT_ONE_INSTANT} timers fired at one instant`,
            );
          }
        } else {
          firedAtThisInstant = 1;
        }
        this.#passTime(next.dueMono - this.#monoMs);
        this.#timers.delete(next.handle);
        next.callback();
      }
      this.#passTime(targetMono - this.#monoMs);
    } finally {
      this.#advancing = false;
    }
  }

  /** The wall clock jumps by `deltaMs` (either way), as when a user or NTP sets it; elapsed time and timers do not move. */
  jumpWall(deltaMs: number): void {
    this.#wallMs += checkFinite('deltaMs', deltaMs);
  }

  /**
   * The machine sleeps for `ms`: the wall and elapsed clocks move on, the monotonic clock does not,
   * so armed timers fire late — only once something calls {@link advance}, as on a machine that just woke.
   */
  suspend(ms: number): void {
    this.#wallMs += checkNonNegative('ms', ms);
    this.#elapsedMs += ms;
  }

  /**
   * Advances timer by timer until none is armed, and returns the ms that passed.
   * Throws if timers are still armed after `limitMs` (a periodic timer never goes idle).
   */
  runUntilIdle(limitMs = 24 * 60 * 60 * 1000): number {
    checkNonNegative('limitMs', limitMs);
    const startMono = this.#monoMs;
    for (let delay = this.nextTimerDelay(); delay !== null; delay = this.nextTimerDelay()) {
      const budget = startMono + limitMs - this.#monoMs;
      if (delay > budget) {
        this.advance(budget);
        throw new Error(
          `VirtualClock.runUntilIdle: ${this.pendingTimers} timer(s) still armed after ${limitMs} ms`,
        );
      }
      this.advance(delay);
    }
    return this.#monoMs - startMono;
  }

  #passTime(ms: number): void {
    this.#monoMs += ms;
    this.#elapsedMs += ms;
    this.#wallMs += ms;
  }

  /** Linear scan: tests arm a handful of timers, and this is obviously correct. */
  #earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (!best || timer.dueMono < best.dueMono || (timer.dueMono === best.dueMono && timer.seq < best.seq)) {
        best = timer;
      }
    }
    return best;
  }
}

function checkFinite(name: string, value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number (got ${value})`);
  return value;
}

function checkNonNegative(name: string, value: number): number {
  if (checkFinite(name, value) < 0) throw new RangeError(`${name} must not be negative (got ${value})`);
  return value;
}
