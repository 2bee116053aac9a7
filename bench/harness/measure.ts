/** Helpers for the timed part of a subject's run. */

/** Runs a full collection when the child was started with `--expose-gc` (the runner always does). */
export function collectGarbage(): void {
  globalThis.gc?.();
}

/** Nanoseconds since an arbitrary origin, as a number (precise to well under a microsecond for hours). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * The wall clock in fractional milliseconds since the epoch (`Date.now()` with sub-millisecond
 * precision): the process's start instant plus the monotonic time since. Lateness is measured with it.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
