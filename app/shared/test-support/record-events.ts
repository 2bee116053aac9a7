/** Test support (not shipped): what a typed EventEmitter emitted, by event name. */
import type { EventEmitter } from 'node:events';

/** Records the first argument of every emission of `names` on `emitter`, oldest first. */
export function recordEvents<E extends Record<keyof E, unknown[]>>(
  emitter: EventEmitter<E>,
  names: readonly (keyof E & string)[],
): { [K in keyof E]: E[K][0][] } {
  const seen: Record<string, unknown[]> = {};
  // EventEmitter<E> types on() per event; one listener shape for every name needs the untyped view.
  const untyped = emitter as unknown as EventEmitter;
  for (const name of names) {
    const emitted: unknown[] = [];
    seen[name] = emitted;
    untyped.on(name, (info: unknown) => void emitted.push(info));
  }
  return seen as { [K in keyof E]: E[K][0][] };
}
