/**
 * Host ⇄ daemon liveness over the IPC channel. A daemon that is stopped (SIGSTOP, a debugger) or wedged
 * keeps its process and its channel, so its host never sees it exit: the host pings, the daemon's
 * transport echoes the ping (app/shared/heartbeat.ts), and a run of unanswered pings makes the
 * {@link Supervisor} kill it and restart it through its usual RestartPolicy.
 */
import type { HeartbeatMessage } from '../shared/heartbeat.js';
import { systemClock, type Clock, type TimerHandle } from '../shared/clock.js';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_MISSED_LIMIT } from '../shared/limits.js';

/** How a host pings; both default to app/shared/limits.ts. */
export interface HeartbeatOptions {
  /** Time between pings. Default {@link HEARTBEAT_INTERVAL_MS}. */
  intervalMs?: number;
  /** Pings in a row without any message back before the daemon counts as hung. Default {@link HEARTBEAT_MISSED_LIMIT}. */
  missedLimit?: number;
}

/** What a {@link HeartbeatMonitor} needs from its host. */
export interface HeartbeatMonitorOptions extends HeartbeatOptions {
  /** Sends the ping over the IPC channel. */
  ping: (message: HeartbeatMessage) => void;
  /** The daemon missed `missedLimit` pings in a row; the monitor has stopped itself. */
  onHung: (silentForMs: number) => void;
  /** Timers; tests pass a VirtualClock. Default: the system clock. */
  clock?: Clock;
}

/**
 * Pings every `intervalMs` and declares the daemon hung when `missedLimit` pings in a row got no message
 * back. It counts pings, not elapsed time: after a suspend (host and daemon frozen alike) only one tick
 * fires, so a sleeping laptop never looks like a hung daemon.
 */
export class HeartbeatMonitor {
  readonly #intervalMs: number;
  readonly #missedLimit: number;
  readonly #ping: (message: HeartbeatMessage) => void;
  readonly #onHung: (silentForMs: number) => void;
  readonly #clock: Clock;
  #timer: TimerHandle | undefined;
  #missed = 0;
  #sequence = 0;

  constructor(options: HeartbeatMonitorOptions) {
    this.#intervalMs = checkWhole('intervalMs', options.intervalMs ?? HEARTBEAT_INTERVAL_MS, 1, 2 ** 31 - 1);
    this.#missedLimit = checkWhole('missedLimit', options.missedLimit ?? HEARTBEAT_MISSED_LIMIT, 1, 1_000);
    this.#ping = options.ping;
    this.#onHung = options.onHung;
    this.#clock = options.clock ?? systemClock;
  }

  /** Starts (or restarts) pinging, with a clean slate. */
  start(): void {
    this.stop();
    this.#missed = 0;
    this.#arm();
  }

  /** Any message from the daemon proves its event loop runs: the missed count starts over. */
  alive(): void {
    this.#missed = 0;
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    this.#timer = this.#clock.setTimer(() => this.#tick(), this.#intervalMs);
    // Never what keeps a host alive: its child process does that.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#missed >= this.#missedLimit) {
      this.#onHung(this.#missed * this.#intervalMs);
      return;
    }
    this.#missed += 1;
    this.#sequence += 1;
    this.#ping({ heartbeat: this.#sequence });
    this.#arm();
  }
}

function checkWhole(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`heartbeat: ${name} must be an integer from ${min} to ${max} (got ${value})`);
  }
  return value;
}
