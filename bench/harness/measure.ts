/** Helpers for the timed part of a subject's run. */

/** Runs a full collection when the child was started with `--expose-gc` (the runner always does). */
export function collectGarbage(): void {
  globalThis.gc?.();
}

/** Nanoseconds since an arbitrary origin, as a number (precise to well under a microsecond for hours). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}
