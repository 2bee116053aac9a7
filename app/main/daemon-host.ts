import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { app, utilityProcess, type Details, type Event, type UtilityProcess } from 'electron';
import { DEFAULT_KILL_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS, SHUTDOWN_REQUEST } from '../shared/supervision.js';
import {
  daemonEventSchema,
  replySchema,
  type DaemonEvent,
  type Method,
  type Reply,
  type Status,
} from '../shared/contract.js';
import { EXIT_ALREADY_RUNNING } from '../shared/exit-codes.js';
import { HeartbeatMonitor, isHeartbeat, type HeartbeatOptions } from '../shared/heartbeat.js';
import { RestartPolicy } from '../shared/restart-policy.js';
import type { Log } from './log.js';
import { PendingReplies } from './pending-replies.js';

/** The daemon's Electron `serviceName`: how `child-process-gone` and the OS task list name it. */
export const DAEMON_SERVICE_NAME = 'mytimer-daemon';

/** How long a request waits for the daemon's reply before it is answered `unavailable`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * After the child's `exit`, how long to wait for app's `child-process-gone`, which carries the real
 * reason (a killed utility process reports exit code 0). A clean exit gets no `child-process-gone`.
 */
export const GONE_REASON_GRACE_MS = 500;

/** Why the daemon process ended, as Electron's `child-process-gone` says (or inferred from `exit`). */
export type GoneReason = Details['reason'];

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
  /**
   * Pings over the utility process's port; a daemon that misses too many in a row (stopped, wedged) is
   * SIGKILLed and restarted by the policy, as `mytimer run` does. Default: app/shared/limits.ts; false: off.
   */
  heartbeat?: HeartbeatOptions | false;
}

/** Events of {@link DaemonHost}, as `EventEmitter` argument lists. */
export type DaemonHostEvents = {
  /** A daemon process started (first start or restart). */
  spawn: [info: { pid: number }];
  /** Every event the daemon pushed, validated against the contract. */
  event: [event: DaemonEvent];
  /** The daemon's latest status (also delivered as an `event`). */
  status: [status: Status];
  /** Any daemon exit; `expected` when `stop()` asked for it. Emitted before `crash`. */
  exit: [info: { pid: number | undefined; reason: GoneReason; exitCode: number | null; expected: boolean }];
  /** The daemon ended without being asked to; `restartInMs` is null when the host gives up. */
  crash: [info: { pid: number | undefined; reason: GoneReason; restartInMs: number | null }];
  /** Too many crashes (or another daemon owns the settings): the host stays down until `start()`. */
  'give-up': [info: { reason: string }];
};

/** What the host is doing; the same states as the CLI's `DaemonSupervisor`. */
export type DaemonHostState = 'stopped' | 'running' | 'restart-pending' | 'stopping' | 'gave-up';

interface DaemonProcess {
  readonly child: UtilityProcess;
  readonly exited: Promise<void>;
  markExited: () => void;
  pid: number | undefined;
  gone: boolean;
  exitCode: number | null;
  reasonTimer: NodeJS.Timeout | undefined;
  readonly heartbeat: HeartbeatMonitor | undefined;
}

/**
 * Electron main's daemon supervisor: forks the engine with `utilityProcess.fork`, relays requests
 * and events over `postMessage`, restarts it after a crash exactly as `mytimer run` does (the shared
 * {@link RestartPolicy}), and stops it without leaving an orphan (shutdown request, 2 s, `kill()`,
 * 1 s, SIGKILL — the CLI supervisor's sequence and timeouts).
 *
 * Crash detection reads the reason of app's `child-process-gone` for the `mytimer-daemon` service,
 * not the exit code. Any end that `stop()` did not ask for counts as a crash, `clean-exit` included:
 * a daemon that quietly ends would silently stop every reminder.
 */
export class DaemonHost extends EventEmitter<DaemonHostEvents> {
  readonly #modulePath: string;
  readonly #home: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #policy: RestartPolicy;
  readonly #log: Log;
  readonly #stopTimeoutMs: number;
  readonly #killTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #heartbeat: HeartbeatOptions | false;
  readonly #pending = new PendingReplies('main');
  #daemon: DaemonProcess | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;
  #gaveUp = false;
  #status: Status | null = null;

  constructor(options: DaemonHostOptions) {
    super();
    this.#modulePath = options.modulePath;
    this.#home = options.home;
    this.#env = options.env ?? process.env;
    this.#policy = options.policy ?? new RestartPolicy();
    this.#log = options.log ?? (() => undefined);
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.#killTimeoutMs = options.killTimeoutMs ?? DEFAULT_KILL_TIMEOUT_MS;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#heartbeat = options.heartbeat ?? {};
    app.on('child-process-gone', this.#onChildProcessGone);
  }

  /** The running daemon's pid, or undefined while none runs. */
  get pid(): number | undefined {
    return this.#daemon?.pid;
  }

  /** The last status the daemon pushed, or null before the first one. */
  get status(): Status | null {
    return this.#status;
  }

  get state(): DaemonHostState {
    if (this.#stopping) return 'stopping';
    if (this.#daemon) return 'running';
    if (this.#restartTimer) return 'restart-pending';
    return this.#gaveUp ? 'gave-up' : 'stopped';
  }

  /**
   * Starts the daemon (call after app `ready`). A no-op while it runs or a restart is pending; after a
   * give-up or a stop it is a fresh attempt, so the policy forgets past crashes.
   */
  start(): void {
    if (this.#stopping) throw new Error('DaemonHost.start(): stop() is still in progress; await it first');
    if (this.#daemon || this.#restartTimer) return;
    this.#gaveUp = false;
    this.#policy.recordHealthy();
    this.#spawn();
  }

  /**
   * Sends one request of the contract and resolves with the daemon's reply (its `id` is the host's).
   * Never rejects: no daemon, a stop under way or no answer in time all resolve `unavailable`.
   */
  request(method: Method, params: unknown = {}): Promise<Reply> {
    const daemon = this.#daemon;
    if (!daemon || daemon.gone || this.#stopping) {
      return Promise.resolve({
        id: null,
        ok: false,
        error: { code: 'unavailable', message: 'the myTimer engine is not running' },
      });
    }
    const { id, reply } = this.#pending.create(this.#requestTimeoutMs);
    try {
      daemon.child.postMessage({ id, method, params });
    } catch (error) {
      this.#pending.settle({
        id,
        ok: false,
        error: { code: 'unavailable', message: `could not reach the daemon: ${messageOf(error)}` },
      });
    }
    return reply;
  }

  /**
   * Stops the daemon and cancels any pending restart: the `shutdown` request first, `kill()` after
   * 2 s, SIGKILL after 1 s more. Idempotent; resolves once the process is gone.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  /** Stops listening to `app` (after `stop()`): for tests and a clean shutdown. */
  dispose(): void {
    app.off('child-process-gone', this.#onChildProcessGone);
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

    // Not relying on the parent-pid watchdog: the daemon may be wedged, and the app may not exit at once.
    try {
      daemon.child.postMessage(SHUTDOWN_REQUEST);
    } catch (error) {
      this.#log('debug', `could not send shutdown to the daemon (pid ${daemon.pid}): ${messageOf(error)}`);
    }
    if (await exitsWithin(daemon.exited, this.#stopTimeoutMs)) return;
    this.#log(
      'warn',
      `the daemon (pid ${daemon.pid}) did not shut down within ${this.#stopTimeoutMs} ms; killing it`,
    );
    daemon.child.kill();
    if (await exitsWithin(daemon.exited, this.#killTimeoutMs)) return;
    this.#log('warn', `the daemon (pid ${daemon.pid}) ignored kill() for ${this.#killTimeoutMs} ms; SIGKILL`);
    if (daemon.pid !== undefined) {
      try {
        process.kill(daemon.pid, 'SIGKILL');
      } catch (error) {
        this.#log('debug', `SIGKILL ${daemon.pid}: ${messageOf(error)}`);
      }
    }
    // Bounded: quitting the app must not hang on a process the OS will not report.
    if (!(await exitsWithin(daemon.exited, this.#killTimeoutMs))) this.#gone(daemon, 'killed', null);
  }

  #spawn(): void {
    let child: UtilityProcess;
    try {
      child = utilityProcess.fork(this.#modulePath, ['--home', this.#home], {
        serviceName: DAEMON_SERVICE_NAME,
        // Piped, not inherited: a packaged app has no terminal, so the lines go through the host's log.
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...this.#env, MYTIMER_HOME: this.#home, MYTIMER_PARENT_PID: String(process.pid) },
      });
    } catch (error) {
      // fork() throws on bad arguments or before app 'ready': count it as a crash so backoff applies.
      this.#log('error', `could not start the daemon: ${messageOf(error)}`);
      this.#onCrash(undefined, 'launch-failed', null);
      return;
    }
    let markExited = (): void => undefined;
    const heartbeat =
      this.#heartbeat === false
        ? undefined
        : new HeartbeatMonitor({
            ...this.#heartbeat,
            ping: (message) => {
              try {
                child.postMessage(message);
              } catch (error) {
                this.#log('debug', `could not ping the daemon (pid ${daemon.pid}): ${messageOf(error)}`);
              }
            },
            onHung: (silentForMs) => this.#killHung(daemon, silentForMs),
          });
    const daemon: DaemonProcess = {
      child,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      markExited: () => markExited(),
      pid: child.pid,
      gone: false,
      exitCode: null,
      reasonTimer: undefined,
      heartbeat,
    };
    this.#daemon = daemon;

    child.on('spawn', () => {
      daemon.pid = child.pid;
      this.#policy.recordStart();
      this.#log('info', `daemon started (pid ${child.pid})`);
      if (child.pid !== undefined) this.emit('spawn', { pid: child.pid });
      if (!this.#stopping) heartbeat?.start();
    });
    child.on('message', (message: unknown) => {
      // Any message proves the daemon's event loop runs; heartbeat echoes stop here.
      heartbeat?.alive();
      if (!isHeartbeat(message)) this.#onMessage(message);
    });
    child.on('exit', (code: number) => {
      daemon.exitCode = code;
      if (daemon.gone) return;
      // While stopping the reason changes nothing: settle at once so quitting is not delayed.
      if (this.#stopping) this.#gone(daemon, code === 0 ? 'clean-exit' : 'abnormal-exit', code);
      else {
        daemon.reasonTimer = setTimeout(
          () => this.#gone(daemon, code === 0 ? 'clean-exit' : 'abnormal-exit', code),
          GONE_REASON_GRACE_MS,
        );
      }
    });
    child.on('error', (type: string, location: string) => {
      this.#log('error', `daemon (pid ${daemon.pid}) ${type} at ${location}`);
    });
    this.#pipeOutput(child.stdout, 'info');
    this.#pipeOutput(child.stderr, 'warn');
  }

  /** SIGKILL, not `kill()`: a stopped process acts on SIGTERM only once continued. Its end is a crash. */
  #killHung(daemon: DaemonProcess, silentForMs: number): void {
    this.#log(
      'error',
      `the daemon (pid ${daemon.pid}) stopped answering (no reply for ${silentForMs / 1000} s); killing it`,
    );
    if (daemon.pid === undefined) return;
    try {
      process.kill(daemon.pid, 'SIGKILL');
    } catch (error) {
      this.#log('debug', `SIGKILL ${daemon.pid}: ${messageOf(error)}`);
    }
  }

  #pipeOutput(stream: NodeJS.ReadableStream | null, level: 'info' | 'warn'): void {
    if (!stream) return;
    createInterface({ input: stream }).on('line', (line) => this.#log(level, `daemon: ${line}`));
  }

  readonly #onChildProcessGone = (_event: Event, details: Details): void => {
    if (details.type !== 'Utility' || details.serviceName !== DAEMON_SERVICE_NAME) return;
    const daemon = this.#daemon;
    if (!daemon || daemon.gone) return;
    this.#gone(daemon, details.reason, details.exitCode);
  };

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

  #gone(daemon: DaemonProcess, reason: GoneReason, exitCode: number | null): void {
    if (daemon.gone) return;
    daemon.gone = true;
    daemon.heartbeat?.stop();
    clearTimeout(daemon.reasonTimer);
    daemon.markExited();
    if (this.#daemon === daemon) this.#daemon = undefined;
    this.#pending.failAll({ code: 'unavailable', message: 'the daemon stopped before it answered' });
    const expected = this.#stopping !== undefined;
    this.emit('exit', { pid: daemon.pid, reason, exitCode, expected });
    if (!expected) this.#onCrash(daemon.pid, reason, exitCode);
  }

  #onCrash(pid: number | undefined, reason: GoneReason, exitCode: number | null): void {
    const how = `ended (${reason}${exitCode === null ? '' : `, exit code ${exitCode}`})`;
    if (exitCode === EXIT_ALREADY_RUNNING) {
      // Restarting cannot help: another daemon (`mytimer run`, another app) owns this settings folder.
      this.#giveUp(
        pid,
        reason,
        'another myTimer daemon is already running for these settings — stop it (see `mytimer status`) and restart the app',
      );
      return;
    }
    const decision = this.#policy.recordCrash();
    if (decision.action === 'give-up') {
      this.#giveUp(pid, reason, decision.reason);
      return;
    }
    const { delayMs } = decision;
    this.#log('warn', `the daemon (pid ${pid}) ${how}; restarting in ${delayMs} ms`);
    // Armed before 'crash' is emitted, so a listener that calls stop() cancels it.
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      this.#spawn();
    }, delayMs);
    this.emit('crash', { pid, reason, restartInMs: delayMs });
  }

  #giveUp(pid: number | undefined, reason: GoneReason, why: string): void {
    this.#gaveUp = true;
    this.#log('error', `the daemon (pid ${pid}) ended (${reason}); ${why}`);
    this.emit('crash', { pid, reason, restartInMs: null });
    this.emit('give-up', { reason: why });
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
