import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { EXIT_ALREADY_RUNNING } from '../shared/exit-codes.js';
import { HeartbeatMonitor, isHeartbeat, type HeartbeatOptions } from '../shared/heartbeat.js';
import { RestartPolicy } from '../shared/restart-policy.js';

export { DEFAULT_KILL_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS, SHUTDOWN_REQUEST } from '../shared/supervision.js';
import { DEFAULT_KILL_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS, SHUTDOWN_REQUEST } from '../shared/supervision.js';

/** Severity of a supervisor log line. */
export type SupervisorLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link DaemonSupervisor}. */
export interface DaemonSupervisorOptions {
  /** The daemon's entry script (compiled JS), forked with the current Node. */
  modulePath: string;
  args?: string[];
  /** The daemon's whole environment, as for `child_process.fork`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Node flags for the daemon. Default: `process.execArgv`, as for `child_process.fork`. */
  execArgv?: string[];
  /** When to restart after a crash. Default: a `RestartPolicy` with its defaults (1 s … 30 s, 5 per 60 s). */
  policy?: RestartPolicy;
  /** Where crashes, restarts and escalations are reported. Default: warnings and errors to stderr. */
  log?: (level: SupervisorLogLevel, message: string) => void;
  /** Grace period for the `shutdown` request before SIGTERM. Default 2 s. */
  stopTimeoutMs?: number;
  /** Grace period after SIGTERM before SIGKILL. Default 1 s. */
  killTimeoutMs?: number;
  /**
   * Pings over IPC; a daemon that misses too many in a row (stopped, wedged) is SIGKILLed and restarted
   * by the policy. Default: app/shared/limits.ts (every 5 s, 4 missed); false turns it off.
   */
  heartbeat?: HeartbeatOptions | false;
}

/** Why a host stops at once, without a restart, when its daemon exits with EXIT_ALREADY_RUNNING. */
export const ALREADY_RUNNING_REASON =
  'another mytimer daemon is already running for this user — see `mytimer status`, or stop it first';

/** How a daemon process ended: an exit code, or the signal that killed it. */
export interface DaemonExit {
  /** Undefined only when the process could not be spawned at all. */
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Events of {@link DaemonSupervisor}, as `EventEmitter` argument lists. */
export type DaemonSupervisorEvents = {
  /** A daemon process started (first start or restart). */
  spawn: [info: { pid: number }];
  /** A message the daemon sent over IPC, unparsed: the receiver validates it against the contract. */
  message: [message: unknown];
  /** The daemon exited without being asked to; `restartInMs` is null when the supervisor gives up. */
  crash: [info: DaemonExit & { restartInMs: number | null }];
  /** The backoff delay has passed and the daemon is being started again. */
  restart: [info: { delayMs: number }];
  /**
   * Too many crashes, or another daemon already serves this user (then at the first exit, with no
   * restart): the supervisor stays down until `start()` is called again.
   */
  'give-up': [info: { reason: string }];
  /** Any daemon exit; `expected` is true when `stop()` asked for it. Emitted before `crash`. */
  exit: [info: DaemonExit & { expected: boolean }];
};

/** What the supervisor is doing: see {@link DaemonSupervisor.state}. */
export type SupervisorState = 'stopped' | 'running' | 'restart-pending' | 'stopping' | 'gave-up';

/** One daemon process and the promise that settles when the OS has reaped it. */
interface DaemonProcess {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  readonly exited: Promise<void>;
  hasExited: boolean;
  readonly heartbeat: HeartbeatMonitor | undefined;
}

/**
 * Runs the daemon under plain Node (`mytimer run`): forks it with an IPC channel, relays messages,
 * restarts it after a crash as the shared {@link RestartPolicy} says, and stops it without leaving
 * an orphan. Electron main has its own host on `utilityProcess` with the same policy.
 *
 * Any exit that `stop()` did not ask for is a crash, even with code 0: a daemon that quietly ends
 * would silently stop every reminder, so it goes through the policy like any other failure.
 *
 * The daemon's stdin is ignored (it reads nothing from a terminal; the CLI owns it) and its
 * stdout/stderr are the host's, so its log lines land where the user already looks.
 */
export class DaemonSupervisor extends EventEmitter<DaemonSupervisorEvents> {
  readonly #modulePath: string;
  readonly #args: readonly string[];
  readonly #forkOptions: ForkOptions;
  readonly #policy: RestartPolicy;
  readonly #log: (level: SupervisorLogLevel, message: string) => void;
  readonly #stopTimeoutMs: number;
  readonly #killTimeoutMs: number;
  readonly #heartbeat: HeartbeatOptions | false;
  #daemon: DaemonProcess | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;
  #gaveUp = false;

  constructor(options: DaemonSupervisorOptions) {
    super();
    this.#modulePath = options.modulePath;
    this.#args = [...(options.args ?? [])];
    this.#forkOptions = {
      // stdin ignored; stdout/stderr shared; fd 3 is the IPC channel.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // JSON, not 'advanced': the contract is JSON on every transport, so the daemon sees the same values.
      serialization: 'json',
      env: options.env ?? process.env,
      // Left out rather than undefined, so fork() applies its own default (process.execArgv).
      ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    };
    this.#policy = options.policy ?? new RestartPolicy();
    this.#log = options.log ?? logToStderr;
    this.#stopTimeoutMs = checkTimeout('stopTimeoutMs', options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    this.#killTimeoutMs = checkTimeout('killTimeoutMs', options.killTimeoutMs ?? DEFAULT_KILL_TIMEOUT_MS);
    this.#heartbeat = options.heartbeat ?? {};
  }

  /** The running daemon's pid, or undefined while none runs. */
  get pid(): number | undefined {
    return this.#daemon?.pid;
  }

  /**
   * `running` while a daemon process lives (even before it has said anything), `restart-pending`
   * during a backoff delay, `stopping` until `stop()` resolves, `gave-up` after the policy gave up.
   */
  get state(): SupervisorState {
    if (this.#stopping) return 'stopping';
    if (this.#daemon) return 'running';
    if (this.#restartTimer) return 'restart-pending';
    return this.#gaveUp ? 'gave-up' : 'stopped';
  }

  /**
   * Starts the daemon. A no-op while it runs or a restart is pending; after a give-up or a stop it
   * is a fresh attempt, so the policy forgets past crashes. Throws while `stop()` is in progress.
   */
  start(): void {
    if (this.#stopping)
      throw new Error('DaemonSupervisor.start(): stop() is still in progress; await it first');
    if (this.#daemon || this.#restartTimer) return;
    this.#gaveUp = false;
    this.#policy.recordHealthy();
    this.#spawn();
  }

  /**
   * Sends a message to the daemon over IPC. Returns false, sending nothing, when no daemon runs,
   * its channel is closed or a stop is under way; true once the message is queued.
   */
  send(message: object): boolean {
    const child = this.#daemon?.child;
    if (!child?.connected || this.#stopping) return false;
    // The callback turns a channel that closes mid-send into a log line instead of an 'error' event.
    child.send(message, (error) => {
      if (error) this.#log('debug', `could not send to the daemon (pid ${child.pid}): ${error.message}`);
    });
    return true;
  }

  /**
   * Stops the daemon and cancels any pending restart. Asks first (`shutdown` over IPC), then after
   * `stopTimeoutMs` sends SIGTERM, then after `killTimeoutMs` SIGKILL; resolves once the process has
   * exited and been reaped, so no orphan or zombie is left. Idempotent: concurrent calls share one
   * stop, and a call with nothing running resolves at once.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#restartTimer) {
      clearTimeout(this.#restartTimer);
      this.#restartTimer = undefined;
      this.#log('info', 'stopping: cancelled the pending daemon restart');
    }
    this.#gaveUp = false;
    const daemon = this.#daemon;
    if (!daemon) return;
    // The stop escalates on its own; a heartbeat kill meanwhile would only race it.
    daemon.heartbeat?.stop();

    // Not relying on the daemon exiting when its channel closes: it may be wedged, or ignore it.
    if (daemon.child.connected) {
      daemon.child.send(SHUTDOWN_REQUEST, (error) => {
        if (error)
          this.#log('debug', `could not send shutdown to the daemon (pid ${daemon.pid}): ${error.message}`);
      });
      if (await exitsWithin(daemon.exited, this.#stopTimeoutMs)) return;
      this.#log(
        'warn',
        `the daemon (pid ${daemon.pid}) did not shut down within ${this.#stopTimeoutMs} ms; sending SIGTERM`,
      );
    }
    daemon.child.kill('SIGTERM');
    if (await exitsWithin(daemon.exited, this.#killTimeoutMs)) return;
    this.#log(
      'warn',
      `the daemon (pid ${daemon.pid}) ignored SIGTERM for ${this.#killTimeoutMs} ms; sending SIGKILL`,
    );
    daemon.child.kill('SIGKILL');
    await daemon.exited;
  }

  #spawn(): void {
    const child = fork(this.#modulePath, [...this.#args], this.#forkOptions);
    let markExited = (): void => {};
    const heartbeat =
      this.#heartbeat === false
        ? undefined
        : new HeartbeatMonitor({
            ...this.#heartbeat,
            ping: (message) => {
              if (child.connected) child.send(message, () => undefined);
            },
            onHung: (silentForMs) => {
              this.#log(
                'error',
                `the daemon (pid ${child.pid}) stopped answering (no reply over IPC for ${silentForMs / 1000} s); killing it`,
              );
              // SIGKILL: a stopped process only acts on SIGTERM once continued; the exit is then a crash.
              child.kill('SIGKILL');
            },
          });
    const daemon: DaemonProcess = {
      child,
      pid: child.pid,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      hasExited: false,
      heartbeat,
    };
    this.#daemon = daemon;

    const onGone = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (daemon.hasExited) return;
      daemon.hasExited = true;
      heartbeat?.stop();
      markExited();
      if (this.#daemon === daemon) this.#daemon = undefined;
      const expected = this.#stopping !== undefined;
      this.emit('exit', { pid: daemon.pid, code, signal, expected });
      if (!expected) this.#onCrash({ pid: daemon.pid, code, signal });
    };

    child.on('spawn', () => {
      this.#policy.recordStart();
      this.#log('info', `daemon started (pid ${child.pid})`);
      if (child.pid !== undefined) this.emit('spawn', { pid: child.pid });
      if (!this.#stopping) heartbeat?.start();
    });
    child.on('message', (message: unknown) => {
      // Any message proves the daemon's event loop runs; heartbeat echoes stop here.
      heartbeat?.alive();
      if (!isHeartbeat(message)) this.emit('message', message);
    });
    // 'exit' (not 'close') because it fires once the process is reaped, whatever its stdio does.
    child.on('exit', onGone);
    child.on('error', (error) => {
      // A failed spawn reports 'error' and never 'exit'; any other error (a failed kill or send) is only logged.
      if (child.pid === undefined) {
        this.#log('error', `could not start the daemon: ${error.message}`);
        onGone(null, null);
      } else {
        this.#log('warn', `daemon (pid ${child.pid}): ${error.message}`);
      }
    });
  }

  #onCrash(exit: DaemonExit): void {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    if (exit.code === EXIT_ALREADY_RUNNING) {
      // Restarting cannot help: another host's daemon owns the socket and the settings lock.
      this.#gaveUp = true;
      // Info: the host tells the user through 'give-up', once.
      this.#log('info', `the daemon (pid ${exit.pid}) ${how}; ${ALREADY_RUNNING_REASON}`);
      this.emit('crash', { ...exit, restartInMs: null });
      this.emit('give-up', { reason: ALREADY_RUNNING_REASON });
      return;
    }
    const decision = this.#policy.recordCrash();
    if (decision.action === 'give-up') {
      this.#gaveUp = true;
      this.#log('error', `the daemon (pid ${exit.pid}) ${how}; ${decision.reason}`);
      this.emit('crash', { ...exit, restartInMs: null });
      this.emit('give-up', { reason: decision.reason });
      return;
    }

    const { delayMs } = decision;
    // An 'exit' listener may have called stop(): that stop found no daemon and no timer, so arm none.
    if (this.#stopping) return;
    this.#log('warn', `the daemon (pid ${exit.pid}) ${how}; restarting in ${delayMs} ms`);
    // Armed before 'crash' is emitted, so a listener that calls stop() cancels it.
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      this.emit('restart', { delayMs });
      try {
        this.#spawn();
      } catch (error) {
        // fork() throws only on bad arguments or exhausted resources: count it as a crash so backoff applies.
        this.#log(
          'error',
          `could not restart the daemon: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.#onCrash({ pid: undefined, code: null, signal: null });
      }
    }, delayMs);
    this.emit('crash', { ...exit, restartInMs: delayMs });
  }
}

/** Resolves true if `exited` settles within `ms`, false otherwise; never leaves its timer behind. */
function exitsWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function checkTimeout(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 2 ** 31 - 1) {
    throw new RangeError(`DaemonSupervisor: ${name} must be a duration from 0 to 2^31−1 ms (got ${value})`);
  }
  return value;
}

function logToStderr(level: SupervisorLogLevel, message: string): void {
  // Debug and info stay quiet by default: a healthy daemon should not chatter on the user's terminal.
  if (level === 'warn' || level === 'error') process.stderr.write(`mytimer: ${message}\n`);
}
