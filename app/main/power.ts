import { powerMonitor } from 'electron';
import type { z } from 'zod';
import type { hostEventSchema } from '../shared/contract.js';

/** What the OS just did, as the daemon's `host-event` request names it. */
export type HostEvent = z.infer<typeof hostEventSchema>;

/**
 * How often the idle time is read (Electron has no idle event): at most one wake-up per 10 s, the
 * issue's budget, and soon enough to see a return from a break.
 */
export const IDLE_POLL_MS = 10_000;

/** Seconds without input after which a reading is sent as `idle` (the daemon judges from the reading itself). */
export const IDLE_THRESHOLD_S = 120;

/** Readings below this are ordinary typing pauses: not sent, unless they end an away stretch. */
export const AWAY_READING_MIN_MS = IDLE_POLL_MS;

/** Options of {@link forwardPowerEvents}. */
export interface PowerForwardingOptions {
  pollMs?: number;
  idleThresholdS?: number;
}

const FORWARDED = ['suspend', 'resume', 'lock-screen', 'unlock-screen'] as const;

/**
 * Forwards `powerMonitor`'s suspend, resume, lock-screen and unlock-screen to `send`, and reads
 * `getSystemIdleTime` every {@link IDLE_POLL_MS}: while the user is away (idle ≥ 10 s) each reading is
 * sent with its idle time (`idle` past the threshold, else `active`), and the first reading after they
 * are back too — so the daemon holds reminders while the user is away and counts a long enough idle as
 * a natural break. While the user is at the keyboard nothing is sent. `resume` makes the daemon re-check
 * its deadlines at once. Returns the function that stops forwarding.
 */
export function forwardPowerEvents(
  send: (event: HostEvent, idleMs?: number) => void,
  options: PowerForwardingOptions = {},
): () => void {
  const pollMs = options.pollMs ?? IDLE_POLL_MS;
  const thresholdMs = (options.idleThresholdS ?? IDLE_THRESHOLD_S) * 1_000;
  // Typed per event by overloads, which a union of names does not match: the plain emitter view does.
  const events: NodeJS.EventEmitter = powerMonitor;
  const listeners = FORWARDED.map((name) => {
    const listener = () => send(name);
    events.on(name, listener);
    return { name, listener };
  });

  let wasAway = false;
  const poll = setInterval(() => {
    const idleMs = powerMonitor.getSystemIdleTime() * 1_000;
    const away = idleMs >= AWAY_READING_MIN_MS;
    if (away || wasAway) send(idleMs >= thresholdMs ? 'idle' : 'active', idleMs);
    wasAway = away;
  }, pollMs);

  return () => {
    clearInterval(poll);
    for (const { name, listener } of listeners) events.off(name, listener);
  };
}
