import { systemClock, type Clock } from '../shared/clock.js';

/** Backoff before each restart: doubling from 1 s, capped at 30 s (the last entry repeats). */
export const DEFAULT_RESTART_DELAYS_MS: readonly number[] = Object.freeze([
  1_000, 2_000, 4_000, 8_000, 16_000, 30_000,
]);

/** How many crashes within {@link DEFAULT_CRASH_WINDOW_MS} make the host give up. */
export const DEFAULT_MAX_CRASHES = 5;

/** The sliding window in which crashes are counted. */
export const DEFAULT_CRASH_WINDOW_MS = 60_000;

/** A run at least this long counts as healthy: the next crash starts the backoff over from 1 s. */
export const DEFAULT_HEALTHY_AFTER_MS = 60_000;

/** Options of {@link RestartPolicy}; every field has a default. */
export interface RestartPolicyOptions {
  /** Source of `now()`; tests pass a VirtualClock. Default: the system clock. */
  clock?: Clock;
  /**
   * Delay before the 1st, 2nd, 3rd … restart of a crash streak; the last entry repeats, so it is
   * the cap. Default {@link DEFAULT_RESTART_DELAYS_MS} (1, 2, 4, 8, 16, 30, 30 … s).
   */
  delaysMs?: readonly number[];
  /** Give up when this many crashes fall within `windowMs`. Default 5. */
  maxCrashes?: number;
  /** Width of the sliding crash-counting window. Default 60 s. */
  windowMs?: number;
  /** A run (from {@link RestartPolicy.recordStart}) at least this long resets the backoff. Default 60 s. */
  healthyAfterMs?: number;
}

/** What a host does after a crash: restart after `delayMs`, or stay down and show `reason`. */
export type RestartDecision = { action: 'restart'; delayMs: number } | { action: 'give-up'; reason: string };

/**
 * When to restart a crashed daemon: the {@link Supervisor}'s policy, whichever child adapter runs
 * it. Pure bookkeeping over `clock.now()`: it arms no timers and spawns nothing.
 *
 * - **Backoff.** The n-th crash of a streak waits `delaysMs[n-1]` (1, 2, 4, 8, 16 s, then 30 s for
 *   ever), so a daemon that dies at start-up does not spin a core.
 * - **Giving up.** The crash that makes `maxCrashes` within `windowMs` (5 in 60 s) is answered with
 *   `give-up`: the daemon is broken, not unlucky, and restarting it only floods the log.
 *   Crashes further apart than the window never give up, however many there are.
 * - **Reset.** A streak ends when the daemon has proved healthy: either it ran for `healthyAfterMs`
 *   (60 s) since the host's last {@link recordStart} before it crashed, or the host called
 *   {@link recordHealthy} (e.g. on a manual restart). The next crash then waits 1 s again and the
 *   crash history is forgotten.
 *
 * Times are the wall clock of the injected {@link Clock}; a wall-clock jump can at worst shift one
 * decision (a backward jump never counts a crash twice: "future" crashes are ignored).
 */
export class RestartPolicy {
  readonly #clock: Clock;
  readonly #delaysMs: readonly number[];
  readonly #maxCrashes: number;
  readonly #windowMs: number;
  readonly #healthyAfterMs: number;
  /** Crash instants of the current streak, oldest first; trimmed to the window on each crash. */
  #crashTimes: number[] = [];
  /** Crashes since the last reset: indexes `delaysMs`, unlike the window count. */
  #streak = 0;
  #lastStartAt: number | undefined;

  constructor(options: RestartPolicyOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    const delaysMs = options.delaysMs ?? DEFAULT_RESTART_DELAYS_MS;
    if (delaysMs.length === 0) throw new RangeError('RestartPolicy: delaysMs must not be empty');
    delaysMs.forEach((delay, i) => checkDuration(`delaysMs[${i}]`, delay));
    this.#delaysMs = [...delaysMs];
    this.#maxCrashes = options.maxCrashes ?? DEFAULT_MAX_CRASHES;
    if (!Number.isInteger(this.#maxCrashes) || this.#maxCrashes < 1) {
      throw new RangeError(`RestartPolicy: maxCrashes must be a whole number ≥ 1 (got ${this.#maxCrashes})`);
    }
    this.#windowMs = checkDuration('windowMs', options.windowMs ?? DEFAULT_CRASH_WINDOW_MS);
    this.#healthyAfterMs = checkDuration(
      'healthyAfterMs',
      options.healthyAfterMs ?? DEFAULT_HEALTHY_AFTER_MS,
    );
  }

  /** Crashes counted towards giving up: those of the current streak within the last `windowMs`. */
  get crashesInWindow(): number {
    const now = this.#clock.now();
    return this.#crashTimes.filter((at) => this.#inWindow(at, now)).length;
  }

  /** The host (re)started the daemon; how long it then runs decides whether its next crash resets the backoff. */
  recordStart(): void {
    this.#lastStartAt = this.#clock.now();
  }

  /** The daemon is known to be healthy (or a user restarted it by hand): forget past crashes. */
  recordHealthy(): void {
    this.#crashTimes = [];
    this.#streak = 0;
  }

  /** The daemon exited without being asked to: restart it after a delay, or give up. */
  recordCrash(): RestartDecision {
    const now = this.#clock.now();
    if (this.#lastStartAt !== undefined && now - this.#lastStartAt >= this.#healthyAfterMs) {
      this.recordHealthy();
    }
    // Each start is judged once: a second crash report without a new start must not reset again.
    this.#lastStartAt = undefined;

    this.#crashTimes = this.#crashTimes.filter((at) => this.#inWindow(at, now));
    this.#crashTimes.push(now);
    this.#streak++;

    if (this.#crashTimes.length >= this.#maxCrashes) {
      return {
        action: 'give-up',
        reason:
          `the daemon crashed ${this.#crashTimes.length} times in ${formatSeconds(this.#windowMs)}; ` +
          'giving up — see the log above',
      };
    }
    const delayMs = this.#delaysMs[Math.min(this.#streak, this.#delaysMs.length) - 1] ?? 0;
    return { action: 'restart', delayMs };
  }

  #inWindow(at: number, now: number): boolean {
    const age = now - at;
    return age >= 0 && age < this.#windowMs;
  }
}

function checkDuration(name: string, value: number): number {
  // The upper bound is setTimeout's: a host hands these delays straight to it.
  if (!Number.isFinite(value) || value < 0 || value > 2 ** 31 - 1) {
    throw new RangeError(`RestartPolicy: ${name} must be a duration from 0 to 2^31−1 ms (got ${value})`);
  }
  return value;
}

/** `60_000` → `60 s`, `1_500` → `1.5 s`: the unit a user reads in the give-up reason. */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1_000).toFixed(3))} s`;
}
