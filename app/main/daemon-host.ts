import { EventEmitter } from 'node:events';
import {
  daemonEventSchema,
  replySchema,
  type DaemonEvent,
  type Method,
  type Reply,
  type Status,
} from '../shared/contract.js';
import {
  Supervisor,
  type HeartbeatOptions,
  type RestartPolicy,
  type SupervisorEvents,
  type SupervisorState,
} from '../host/index.js';
import type { Log } from './log.js';
import { PendingReplies } from './pending-replies.js';
import { utilityProcessAdapter, type UtilityProcessChild } from './utility-process-adapter.js';

/** How long a request waits for the daemon's reply before it is answered `unavailable`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** The app's give-up reason when another daemon owns the settings (the tray shows it). */
const ALREADY_RUNNING_IN_APP =
  'another myTimer daemon is already running for these settings — stop it (see `mytimer status`) and restart the app';

/** Options of {@link DaemonHost}. */
export interface DaemonHostOptions {
  /** The daemon's entry script (compiled JS): `dist/app/workers/daemon.js`. */
  modulePath: string;
  /** The settings folder, passed as `--home` and `MYTIMER_HOME`. */
  home: string;
  /** The daemon's environment, before the host adds its own variables. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** When to restart after a crash: the same policy `mytimer run` uses. Default: its defaults. */
  policy?: RestartPolicy;
  log?: Log;
  /** Grace period for the `shutdown` request before `kill()`. Default 2 s, as `mytimer run`. */
  stopTimeoutMs?: number;
  /** Grace period after `kill()` before SIGKILL. Default 1 s, as `mytimer run`. */
  killTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Heartbeat over the utility process's port, as `mytimer run`. Default: app/shared/limits.ts; false: off. */
  heartbeat?: HeartbeatOptions | false;
}

/** Events of {@link DaemonHost}, as `EventEmitter` argument lists: the Supervisor's, plus the parsed daemon events. */
export type DaemonHostEvents = Pick<SupervisorEvents, 'spawn' | 'exit' | 'crash' | 'give-up'> & {
  /** Every event the daemon pushed, validated against the contract. */
  event: [event: DaemonEvent];
  /** The daemon's latest status (also delivered as an `event`). */
  status: [status: Status];
};

/**
 * Electron main's daemon host: the {@link Supervisor} over a utility process (restarts, stop,
 * heartbeat, exactly as `mytimer run`), plus what main needs on top: requests matched to their
 * replies over `postMessage`, and the daemon's events validated against the contract.
 */
export class DaemonHost extends EventEmitter<DaemonHostEvents> {
  readonly #supervisor: Supervisor;
  readonly #log: Log;
  readonly #requestTimeoutMs: number;
  readonly #pending = new PendingReplies('main');
  #child: UtilityProcessChild | undefined;
  #status: Status | null = null;

  constructor(options: DaemonHostOptions) {
    super();
    const env = {
      ...(options.env ?? process.env),
      MYTIMER_HOME: options.home,
    };
    this.#log = options.log ?? (() => undefined);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#supervisor = new Supervisor({
      launch: () =>
        (this.#child = utilityProcessAdapter({
          modulePath: options.modulePath,
          args: ['--home', options.home],
          env,
        })),
      log: this.#log,
      alreadyRunningReason: ALREADY_RUNNING_IN_APP,
      policy: options.policy,
      stopTimeoutMs: options.stopTimeoutMs,
      killTimeoutMs: options.killTimeoutMs,
      heartbeat: options.heartbeat,
    });
    this.#supervisor.on('message', (message) => this.#onMessage(message));
    this.#supervisor.on('exit', (info) => {
      this.#pending.failAll({ code: 'unavailable', message: 'the daemon stopped before it answered' });
      this.emit('exit', info);
    });
    this.#supervisor.on('spawn', (info) => this.emit('spawn', info));
    this.#supervisor.on('crash', (info) => this.emit('crash', info));
    this.#supervisor.on('give-up', (info) => this.emit('give-up', info));
  }

  /** The running daemon's pid, or undefined while none runs. */
  get pid(): number | undefined {
    return this.#supervisor.pid;
  }

  /** The last status the daemon pushed, or null before the first one. */
  get status(): Status | null {
    return this.#status;
  }

  get state(): SupervisorState {
    return this.#supervisor.state;
  }

  /** Starts the daemon (call after app `ready`): see {@link Supervisor.start}. */
  start(): void {
    this.#supervisor.start();
  }

  /** Stops the daemon (shutdown, `kill()` after 2 s, SIGKILL 1 s later): see {@link Supervisor.stop}. */
  stop(): Promise<void> {
    return this.#supervisor.stop();
  }

  /**
   * Sends one request of the contract and resolves with the daemon's reply (its `id` is the host's).
   * Never rejects: no daemon, a stop under way or no answer in time all resolve `unavailable`.
   */
  request(method: Method, params: unknown = {}): Promise<Reply> {
    if (this.#supervisor.state !== 'running') {
      return Promise.resolve({
        id: null,
        ok: false,
        error: { code: 'unavailable', message: 'the myTimer engine is not running' },
      });
    }
    const { id, reply } = this.#pending.create(this.#requestTimeoutMs);
    if (!this.#supervisor.send({ id, method, params })) {
      this.#pending.settle({
        id,
        ok: false,
        error: { code: 'unavailable', message: 'could not reach the daemon' },
      });
    }
    return reply;
  }

  /** Stops listening to `app` (after `stop()`): for tests and a clean shutdown. */
  dispose(): void {
    this.#child?.dispose();
  }

  #onMessage(message: unknown): void {
    if (message !== null && typeof message === 'object' && 'event' in message) {
      const parsed = daemonEventSchema.safeParse(message);
      if (!parsed.success) {
        this.#log('debug', `ignored a malformed daemon event: ${parsed.error.issues[0]?.message ?? ''}`);
        return;
      }
      const event = parsed.data as DaemonEvent;
      if (event.event === 'status') {
        this.#status = event.data;
        this.emit('status', event.data);
      } else if (event.event === 'log') {
        this.#log(event.data.level, `daemon: ${event.data.message}`);
      }
      this.emit('event', event);
      return;
    }
    const reply = replySchema.safeParse(message);
    if (!reply.success || !this.#pending.settle(reply.data as Reply)) {
      this.#log('debug', 'ignored a daemon message that answers no pending request');
    }
  }
}
