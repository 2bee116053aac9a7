import { powerMonitor } from 'electron';
import type { z } from 'zod';
import type { hostEventSchema } from '../shared/contract.js';

/** What the OS just did, as the daemon's `host-event` request names it. */
export type HostEvent = z.infer<typeof hostEventSchema>;

/** How often the idle state is polled (Electron has no idle event). */
export const IDLE_POLL_MS = 30_000;

/** Seconds without input after which the user counts as idle. */
export const IDLE_THRESHOLD_S = 300;

/** Options of {@link forwardPowerEvents}. */
export interface PowerForwardingOptions {
  pollMs?: number;
  idleThresholdS?: number;
}

const FORWARDED = ['suspend', 'resume', 'lock-screen', 'unlock-screen'] as const;

/**
 * Forwards `powerMonitor`'s suspend, resume, lock-screen and unlock-screen to `send`, and polls
 * `getSystemIdleState` to report `idle` / `active` changes (only changes: the first poll that finds
 * the user active says nothing). `resume` makes the daemon re-check its deadlines at once.
 * `locked` and `unknown` idle states change nothing: the lock events already cover locking.
 * Returns the function that stops forwarding.
 */
export function forwardPowerEvents(
  send: (event: HostEvent) => void,
  options: PowerForwardingOptions = {},
): () => void {
  const pollMs = options.pollMs ?? IDLE_POLL_MS;
  const threshold = options.idleThresholdS ?? IDLE_THRESHOLD_S;
  // Typed per event by overloads, which a union of names does not match: the plain emitter view does.
  const events: NodeJS.EventEmitter = powerMonitor;
  const listeners = FORWARDED.map((name) => {
    const listener = () => send(name);
    events.on(name, listener);
    return { name, listener };
  });

  let lastIdleState: 'idle' | 'active' = 'active';
  const poll = setInterval(() => {
    const state = powerMonitor.getSystemIdleState(threshold);
    if ((state === 'idle' || state === 'active') && state !== lastIdleState) {
      lastIdleState = state;
      send(state);
    }
  }, pollMs);

  return () => {
    clearInterval(poll);
    for (const { name, listener } of listeners) events.off(name, listener);
  };
}
