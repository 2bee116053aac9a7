import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { WALL_CHANGE_TOLERANCE_MS } from './limits.js';

/**
 * The one source of time for the engine. Injected into the scheduler and timers so that
 * tests step virtual time deterministically (see ARCHITECTURE.md, "Time").
 *
 * Three clocks, as on a real machine:
 * - `now()` is the wall clock (ms since the epoch): users, NTP and suspend move it.
 * - `elapsed()` counts real time passing, sleep included, and nothing else: setting the wall
 *   clock does not move it. Only differences between two readings mean anything.
 * - Timers run on a monotonic clock, as `setTimeout` does: a wall-clock jump or a suspend does
 *   not move them, which is why every delay is capped and the clocks are re-read when a timer fires.
 *
 * Comparing how far `now()` and `elapsed()` moved between two readings tells a wall-clock change
 * (they disagree) from a suspend (both moved alike): see {@link WallClockWatch}.
 */
export interface Clock {
  now(): number;
  elapsed(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Opaque handle returned by {@link Clock.setTimer}. */
export type TimerHandle = { readonly __timerHandle: true } | object;

/**
 * Linux `CLOCK_BOOTTIME` in ms, from /proc/uptime (10 ms resolution, a cheap synchronous read),
 * or null where it cannot be read (not Linux, or a sandbox without /proc).
 */
export function readBootTimeMs(): number | null {
  try {
    const seconds = Number.parseFloat(readFileSync('/proc/uptime', 'utf8'));
    return Number.isFinite(seconds) ? Math.round(seconds * 1_000) : null;
  } catch {
    return null;
  }
}

/**
 * An elapsed clock built from a monotonic clock that may stop during sleep (macOS's
 * `performance.now()` does) and the wall clock: whenever the wall clock moved forward further
 * than the monotonic one between two readings, the difference is counted as sleep. So a suspend
 * is counted and a clock set back is not; a clock set forward cannot be told from a sleep this
 * way and is counted like one. Exported for tests; {@link systemClock} uses it where there is no
 * boot-time clock.
 */
export function elapsedFromMonotonic(readMonotonicMs: () => number, readWallMs: () => number): () => number {
  let lastMonotonic = readMonotonicMs();
  let lastWall = readWallMs();
  let elapsedMs = 0;
  return () => {
    const monotonic = readMonotonicMs();
    const wall = readWallMs();
    const monotonicDelta = Math.max(0, monotonic - lastMonotonic);
    const wallDelta = wall - lastWall;
    elapsedMs += wallDelta > monotonicDelta + WALL_CHANGE_TOLERANCE_MS ? wallDelta : monotonicDelta;
    lastMonotonic = monotonic;
    lastWall = wall;
    return elapsedMs;
  };
}

/**
 * The elapsed clock of this OS. Linux: CLOCK_BOOTTIME (counts suspend, ignores wall changes), so
 * both a clock set back and a clock set forward are told from a suspend. Elsewhere (macOS,
 * Windows): the monotonic clock with forward wall gaps counted as sleep (see
 * {@link elapsedFromMonotonic}), so a clock set back is told from a suspend and a clock set
 * forward is handled as a suspend.
 */
function systemElapsedSource(): () => number {
  let lastBootMs = readBootTimeMs();
  if (lastBootMs !== null) {
    let lastPerfMs = performance.now();
    return () => {
      const perfMs = performance.now();
      // A failed read (should not happen once it worked) carries on with the monotonic clock.
      lastBootMs = readBootTimeMs() ?? (lastBootMs as number) + (perfMs - lastPerfMs);
      lastPerfMs = perfMs;
      return lastBootMs;
    };
  }
  return elapsedFromMonotonic(
    () => performance.now(),
    () => Date.now(),
  );
}

const systemElapsed = systemElapsedSource();

/** The real clock: `Date.now()`, the OS's elapsed clock, and `setTimeout` (monotonic underneath, hence the capped delays). */
export const systemClock: Clock = {
  now: () => Date.now(),
  elapsed: systemElapsed,
  setTimer(callback, delayMs) {
    return setTimeout(callback, Math.max(0, delayMs));
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/**
 * Watches one clock for wall-clock changes. Each {@link read} compares how far the wall clock moved
 * since the previous reading with how far the elapsed clock did: a difference beyond the tolerance
 * is a change of the wall clock (set by a user or stepped by NTP); equal moves are time passing,
 * suspend included. Only the change since the previous reading is reported, so a watcher must be
 * read at least as often as the code that owns it needs to react (the engine re-reads ≤ 30 s apart).
 */
export class WallClockWatch {
  readonly #clock: Clock;
  readonly #toleranceMs: number;
  #lastWall: number;
  #lastElapsed: number;

  constructor(clock: Clock, toleranceMs: number = WALL_CHANGE_TOLERANCE_MS) {
    this.#clock = clock;
    this.#toleranceMs = toleranceMs;
    this.#lastWall = clock.now();
    this.#lastElapsed = clock.elapsed();
  }

  /**
   * Reads the clock: `now` is the wall clock, `changeMs` how far the wall clock was set since the
   * previous reading (> 0 forward, < 0 back), or 0 when the two clocks moved alike.
   */
  read(): { now: number; changeMs: number } {
    const now = this.#clock.now();
    const elapsed = this.#clock.elapsed();
    const drift = now - this.#lastWall - (elapsed - this.#lastElapsed);
    this.#lastWall = now;
    this.#lastElapsed = elapsed;
    return { now, changeMs: Math.abs(drift) > this.#toleranceMs ? drift : 0 };
  }
}
