import { EventEmitter } from 'node:events';
import { systemClock, type Clock, type TimerHandle } from '../shared/clock.js';
import { EXIT_ALREADY_RUNNING } from '../shared/exit-codes.js';
import { isHeartbeat } from '../shared/heartbeat.js';
import type { ChildAdapter, ChildExit, HostLog, HostLogLevel, LaunchChild } from './child-adapter.js';
import { HeartbeatMonitor, type HeartbeatOptions } from './heartbeat.js';
import { RestartPolicy } from './restart-policy.js';

/** How long `stop()` waits for the daemon to honour `shutdown` before SIGTERM. */
export const DEFAULT_STOP_TIMEOUT_MS = 2_000;

/** How long after SIGTERM (and again after SIGKILL) `stop()` waits for the daemon to end. */
export const DEFAULT_KILL_TIMEOUT_MS = 1_000;

/** The request `stop()` sends first: the daemon's own orderly shutdown (flush the store, reap children). */
export const SHUTDOWN_REQUEST = Object.freeze({ id: 'stop', method: 'shutdown', params: {} });

/** Why a host stops at once, without a restart, when its daemon exits with EXIT_ALREADY_RUNNING. */
export const ALREADY_RUNNING_REASON =
  'another mytimer daemon is already running for this user — see `mytimer status`, or stop it first';

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  /** Makes the adapter of each new daemon process: {@link forkAdapter}, or Electron main's utilityProcess one. */
  launch: LaunchChild;
  /** Timers of the restart backoff, the stop deadlines and the heartbeat; tests pass a VirtualClock. */
  clock?: Clock;
  /** When to restart after a crash. Default: a `RestartPolicy` with its defaults (1 s … 30 s, 5 per 60 s). */
  policy?: RestartPolicy;
  /** Where crashes, restarts and escalations are reported. Default: warnings and errors to stderr. */
  log?: HostLog;
  /** Grace period for the `shutdown` request before SIGTERM. Default 2 s. */
  stopTimeoutMs?: number;
  /** Grace period after SIGTERM before SIGKILL, and after SIGKILL before giving up waiting. Default 1 s. */
  killTimeoutMs?: number;
  /**
   * Pings over IPC; a daemon that misses too many in a row (stopped, wedged) is SIGKILLed and restarted
   * by the policy. Default: app/shared/limits.ts (every 5 s, 4 missed); false turns it off.
   */
  heartbeat?: HeartbeatOptions | false;
  /** The give-up reason when the daemon exits EXIT_ALREADY_RUNNING. Default {@link ALREADY_RUNNING_REASON}. */
  alreadyRunningReason?: string;
}

/** How a daemon process ended. `pid` is undefined only when the process could not be started at all. */
export interface DaemonExit extends ChildExit {
  pid: number | undefined;
}

/** Events of {@link Supervisor}, as `EventEmitter` argument lists. */
export type SupervisorEvents = {
  /** A daemon process started (first start or restart). */
  spawn: [info: { pid: number }];
  /** A message the daemon sent, unparsed (heartbeat echoes excepted): the receiver validates it. */
  message: [message: unknown];
  /** Any daemon exit; `expected` is true when `stop()` asked for it. Emitted before `crash`. */
  exit: [info: DaemonExit & { expected: boolean }];
  /** The daemon ended without being asked to; `restartInMs` is null when the supervisor gives up. */
  crash: [info: DaemonExit & { restartInMs: number | null }];
  /** The backoff delay has passed and the daemon is being started again. */
  restart: [info: { delayMs: number }];
  /**
   * Too many crashes, or another daemon already serves this user (then at the first exit, with no
   * restart): the supervisor stays down until `start()` is called again.
   */
  'give-up': [info: { reason: string }];
};

/** What the supervisor is doing: see {@link Supervisor.state}. */
export type SupervisorState = 'stopped' | 'running' | 'restart-pending' | 'stopping' | 'gave-up';

/** One daemon process and the promise that settles once it has ended. */
interface Running {
  readonly adapter: ChildAdapter;
  readonly exited: Promise<void>;
  markExited: () => void;
  hasExited: boolean;
  readonly heartbeat: HeartbeatMonitor | undefined;
}

/**
 * The one daemon supervisor of both hosts (Electron main, `mytimer run`): starts the daemon through
 * a {@link ChildAdapter}, relays its messages, restarts it after a crash as the {@link RestartPolicy}
 * says, kills and restarts it when it stops answering heartbeats, and stops it without leaving an
 * orphan: the `shutdown` request, then SIGTERM after `stopTimeoutMs`, then SIGKILL after
 * `killTimeoutMs`; `stop()` resolves once the process is gone (or, bounded, after SIGKILL went unheard).
 *
 * Any exit that `stop()` did not ask for is a crash, even with code 0: a daemon that quietly ends
 * would silently stop every reminder. An exit with EXIT_ALREADY_RUNNING gives up at once: another
 * host's daemon owns the settings, and restarting cannot help.
 */
export class Supervisor extends EventEmitter<SupervisorEvents> {
  readonly #launch: LaunchChild;
  readonly #clock: Clock;
  readonly #policy: RestartPolicy;
  readonly #log: HostLog;
  readonly #stopTimeoutMs: number;
  readonly #killTimeoutMs: number;
  readonly #heartbeat: HeartbeatOptions | false;
  readonly #alreadyRunningReason: string;
  #child: Running | undefined;
  #restartTimer: TimerHandle | undefined;
  #stopping: Promise<void> | undefined;
  /** True from the call of `stop()` until it resolves (the promise is only there to be shared). */
  #stopRequested = false;
  #gaveUp = false;

  constructor(options: SupervisorOptions) {
    super();
    this.#launch = options.launch;
    this.#clock = options.clock ?? systemClock;
    this.#policy = options.policy ?? new RestartPolicy({ clock: this.#clock });
    this.#log = options.log ?? logToStderr;
    this.#stopTimeoutMs = checkTimeout('stopTimeoutMs', options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    this.#killTimeoutMs = checkTimeout('killTimeoutMs', options.killTimeoutMs ?? DEFAULT_KILL_TIMEOUT_MS);
    this.#heartbeat = options.heartbeat ?? {};
    this.#alreadyRunningReason = options.alreadyRunningReason ?? ALREADY_RUNNING_REASON;
  }

  /** The running daemon's pid, or undefined while none runs. */
  get pid(): number | undefined {
    return this.#child?.adapter.pid;
  }

  /**
   * `running` while a daemon process lives (even before it has said anything), `restart-pending`
   * during a backoff delay, `stopping` until `stop()` resolves, `gave-up` after the policy gave up.
   */
  get state(): SupervisorState {
    if (this.#stopRequested) return 'stopping';
    if (this.#child) return 'running';
    if (this.#restartTimer) return 'restart-pending';
    return this.#gaveUp ? 'gave-up' : 'stopped';
  }

  /**
   * Starts the daemon. A no-op while it runs or a restart is pending; after a give-up or a stop it
   * is a fresh attempt, so the policy forgets past crashes. Throws while `stop()` is in progress.
   */
  start(): void {
    if (this.#stopRequested)
      throw new Error('Supervisor.start(): stop() is still in progress; await it first');
    if (this.#child || this.#restartTimer) return;
    this.#gaveUp = false;
    this.#policy.recordHealthy();
    this.#spawn();
  }

  /**
   * Sends a message to the daemon. Returns false, sending nothing, when no daemon runs, its channel
   * is closed or a stop is under way; true once the message is queued.
   */
  send(message: object): boolean {
    if (!this.#child || this.#stopRequested) return false;
    return this.#child.adapter.postMessage(message);
  }

  /**
   * Stops the daemon and cancels any pending restart: `shutdown`, then SIGTERM, then SIGKILL.
   * Idempotent: concurrent calls share one stop, and a call with nothing running resolves at once.
   */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    // Set before #stop runs, so an exit it brings about at once still counts as expected.
    this.#stopRequested = true;
    this.#stopping = this.#stop().finally(() => {
      this.#stopRequested = false;
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#restartTimer) {
      this.#clock.clearTimer(this.#restartTimer);
      this.#restartTimer = undefined;
      this.#log('info', 'stopping: cancelled the pending daemon restart');
    }
    this.#gaveUp = false;
    const child = this.#child;
    if (!child) return;
    const { adapter } = child;
    // The stop escalates on its own; a heartbeat kill meanwhile would only race it.
    child.heartbeat?.stop();
    adapter.expectExit?.();
    // Its exit may have been waiting only for a reason (Electron): then it is gone now.
    if (child.hasExited) return;

    // Not relying on the daemon noticing its parent is gone: it may be wedged, and the host may live on.
    if (adapter.postMessage(SHUTDOWN_REQUEST)) {
      if (await this.#exitsWithin(child, this.#stopTimeoutMs)) return;
      this.#log(
        'warn',
        `the daemon (pid ${adapter.pid}) did not shut down within ${this.#stopTimeoutMs} ms; sending SIGTERM`,
      );
    }
    adapter.kill('SIGTERM');
    if (await this.#exitsWithin(child, this.#killTimeoutMs)) return;
    this.#log(
      'warn',
      `the daemon (pid ${adapter.pid}) ignored SIGTERM for ${this.#killTimeoutMs} ms; sending SIGKILL`,
    );
    adapter.kill('SIGKILL');
    // Bounded: quitting must not hang on a process the OS does not report.
    if (await this.#exitsWithin(child, this.#killTimeoutMs)) return;
    this.#log('warn', `the daemon (pid ${adapter.pid}) was not reported gone after SIGKILL; not waiting`);
    this.#gone(child, { reason: 'killed', code: null, signal: 'SIGKILL' });
  }

  #spawn(): void {
    let adapter: ChildAdapter;
    try {
      adapter = this.#launch();
    } catch (error) {
      this.#launchFailed(error);
      return;
    }
    let markExited = (): void => undefined;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const heartbeat =
      this.#heartbeat === false
        ? undefined
        : new HeartbeatMonitor({
            ...this.#heartbeat,
            clock: this.#clock,
            ping: (message) => void adapter.postMessage(message),
            onHung: (silentForMs) => {
              this.#log(
                'error',
                `the daemon (pid ${adapter.pid}) stopped answering (no reply for ${silentForMs / 1000} s); killing it`,
              );
              // SIGKILL: a stopped process only acts on SIGTERM once continued; the exit is then a crash.
              adapter.kill('SIGKILL');
            },
          });
    const child: Running = { adapter, exited, markExited, hasExited: false, heartbeat };
    this.#child = child;
    try {
      adapter.start({
        onSpawn: (pid) => {
          this.#policy.recordStart();
          this.#log('info', `daemon started (pid ${pid})`);
          this.emit('spawn', { pid });
          if (!this.#stopRequested) heartbeat?.start();
        },
        onMessage: (message) => {
          // Any message proves the daemon's event loop runs; heartbeat echoes stop here.
          heartbeat?.alive();
          if (!isHeartbeat(message)) this.emit('message', message);
        },
        onExit: (exit) => this.#gone(child, exit),
        onLog: (level: HostLogLevel, message: string) => this.#log(level, message),
      });
    } catch (error) {
      this.#launchFailed(error, child);
    }
  }

  /** The process could not even be launched (bad arguments, exhausted resources): a crash, so backoff applies. */
  #launchFailed(error: unknown, child?: Running): void {
    this.#log(
      'error',
      `could not start the daemon: ${error instanceof Error ? error.message : String(error)}`,
    );
    const exit: ChildExit = { reason: 'launch-failed', code: null, signal: null };
    if (child) this.#gone(child, exit);
    else this.#ended({ pid: undefined, ...exit });
  }

  #gone(child: Running, exit: ChildExit): void {
    if (child.hasExited) return;
    child.hasExited = true;
    child.heartbeat?.stop();
    child.markExited();
    if (this.#child === child) this.#child = undefined;
    this.#ended({ pid: child.adapter.pid, ...exit });
  }

  #ended(exit: DaemonExit): void {
    const expected = this.#stopRequested;
    this.emit('exit', { ...exit, expected });
    if (!expected) this.#onCrash(exit);
  }

  #onCrash(exit: DaemonExit): void {
    const how = describeExit(exit);
    if (exit.code === EXIT_ALREADY_RUNNING) {
      // Info: the host tells the user through 'give-up', once.
      this.#giveUp(exit, 'info', `the daemon (pid ${exit.pid}) ${how}`, this.#alreadyRunningReason);
      return;
    }
    const decision = this.#policy.recordCrash();
    if (decision.action === 'give-up') {
      this.#giveUp(exit, 'error', `the daemon (pid ${exit.pid}) ${how}`, decision.reason);
      return;
    }
    const { delayMs } = decision;
    // An 'exit' listener may have called stop(): that stop found no daemon and no timer, so arm none.
    if (this.#stopRequested) return;
    this.#log('warn', `the daemon (pid ${exit.pid}) ${how}; restarting in ${delayMs} ms`);
    // Armed before 'crash' is emitted, so a listener that calls stop() cancels it.
    this.#restartTimer = this.#clock.setTimer(() => {
      this.#restartTimer = undefined;
      this.emit('restart', { delayMs });
      this.#spawn();
    }, delayMs);
    this.emit('crash', { ...exit, restartInMs: delayMs });
  }

  #giveUp(exit: DaemonExit, level: HostLogLevel, what: string, reason: string): void {
    this.#gaveUp = true;
    this.#log(level, `${what}; ${reason}`);
    this.emit('crash', { ...exit, restartInMs: null });
    this.emit('give-up', { reason });
  }

  /** Resolves true if `child` ends within `ms`, false otherwise; never leaves its timer behind. */
  #exitsWithin(child: Running, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimer(() => resolve(false), ms);
      void child.exited.then(() => {
        this.#clock.clearTimer(timer);
        resolve(true);
      });
    });
  }
}

/** `exited with code 1`, `was killed by SIGKILL`, or Electron's reason: `ended (oom, exit code 0)`. */
function describeExit({ reason, code, signal }: ChildExit): string {
  if (signal) return `was killed by ${signal}`;
  if (reason === 'clean-exit' || reason === 'abnormal-exit') return `exited with code ${code}`;
  return `ended (${reason}${code === null ? '' : `, exit code ${code}`})`;
}

function checkTimeout(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 2 ** 31 - 1) {
    throw new RangeError(`Supervisor: ${name} must be a duration from 0 to 2^31−1 ms (got ${value})`);
  }
  return value;
}

function logToStderr(level: HostLogLevel, message: string): void {
  // Debug and info stay quiet by default: a healthy daemon should not chatter on the user's terminal.
  if (level === 'warn' || level === 'error') process.stderr.write(`mytimer: ${message}\n`);
}
