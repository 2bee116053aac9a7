/**
 * The one source of time for the engine. Injected into the scheduler and timers so that
 * tests step virtual time deterministically (see ARCHITECTURE.md, "Time").
 *
 * `now()` is the wall clock (ms since the epoch). Timers run on a monotonic clock, as
 * `setTimeout` does: a wall-clock jump or a suspend does not move them, which is why
 * every delay is capped and the wall clock is re-checked when a timer fires.
 */
export interface Clock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Opaque handle returned by {@link Clock.setTimer}. */
export type TimerHandle = { readonly __timerHandle: true } | object;

/** The real clock: `Date.now()` and `setTimeout` (monotonic underneath, hence the capped delays). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    return setTimeout(callback, Math.max(0, delayMs));
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
