import type { EventEmitter } from 'node:events';

/** Every event an emitter sends, in order, as `[name, payload]` — tests assert on exact sequences. */
export function record<Events extends Record<keyof Events, [unknown]>>(
  emitter: EventEmitter<Events>,
  names: readonly (keyof Events & string)[],
): { all: [string, unknown][]; of: <K extends keyof Events & string>(name: K) => Events[K][0][] } {
  const all: [string, unknown][] = [];
  const untyped = emitter as unknown as EventEmitter;
  for (const name of names) untyped.on(name, (payload: unknown) => all.push([name, payload]));
  return {
    all,
    of: (name) => all.filter(([n]) => n === name).map(([, payload]) => payload as never),
  };
}
