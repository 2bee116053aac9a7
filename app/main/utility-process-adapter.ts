import { createInterface } from 'node:readline';
import { app, utilityProcess, type Details, type Event, type UtilityProcess } from 'electron';
import type { ChildAdapter, ChildEvents, ChildExit, HostLogLevel } from '../host/index.js';

/** The daemon's Electron `serviceName`: how `child-process-gone` and the OS task list name it. */
export const DAEMON_SERVICE_NAME = 'mytimer-daemon';

/**
 * After the child's `exit`, how long to wait for app's `child-process-gone`, which carries the real
 * reason (a killed utility process reports exit code 0). A clean exit gets no `child-process-gone`.
 */
export const GONE_REASON_GRACE_MS = 500;

/** Options of {@link utilityProcessAdapter}. */
export interface UtilityProcessAdapterOptions {
  /** The daemon's entry script (compiled JS). */
  modulePath: string;
  args: string[];
  /** The daemon's whole environment (MYTIMER_PARENT_PID, this process, is added). */
  env: NodeJS.ProcessEnv;
}

/** A handle the host can drop at quit: see {@link UtilityProcessChild.dispose}. */
export interface UtilityProcessChild extends ChildAdapter {
  /** Stops listening to app's `child-process-gone` (done on its own once the process has ended). */
  dispose(): void;
}

/**
 * The daemon as an Electron utility process, for the {@link Supervisor}: `utilityProcess.fork` with
 * the `mytimer-daemon` service name, output piped into the host's log (a packaged app has no
 * terminal). How it ended is read from app's `child-process-gone` reason, not the exit code.
 */
export function utilityProcessAdapter(options: UtilityProcessAdapterOptions): UtilityProcessChild {
  return new UtilityChild(options);
}

class UtilityChild implements UtilityProcessChild {
  readonly #options: UtilityProcessAdapterOptions;
  #child: UtilityProcess | undefined;
  #events: ChildEvents | undefined;
  /** Kept from `spawn`: Electron clears `child.pid` once the process has exited. */
  #pid: number | undefined;
  #ended = false;
  #exitExpected = false;
  /** The exit as `exit` told it, while waiting for `child-process-gone` to name the reason. */
  #inferredExit: ChildExit | undefined;
  #reasonTimer: NodeJS.Timeout | undefined;

  constructor(options: UtilityProcessAdapterOptions) {
    this.#options = options;
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  start(events: ChildEvents): void {
    if (this.#child) throw new Error('utilityProcessAdapter: start() was already called');
    this.#events = events;
    const child = utilityProcess.fork(this.#options.modulePath, this.#options.args, {
      serviceName: DAEMON_SERVICE_NAME,
      // Piped, not inherited: a packaged app has no terminal, so the lines go through the host's log.
      stdio: ['ignore', 'pipe', 'pipe'],
      // The daemon's parent-pid watchdog (workers/transport.ts) watches this process, whoever launched it.
      env: { ...this.#options.env, MYTIMER_PARENT_PID: String(process.pid) },
    });
    this.#child = child;
    app.on('child-process-gone', this.#onChildProcessGone);
    child.on('spawn', () => {
      this.#pid = child.pid;
      if (child.pid !== undefined) events.onSpawn(child.pid);
    });
    child.on('message', (message: unknown) => events.onMessage(message));
    child.on('exit', (code: number) => {
      if (this.#ended) return;
      const inferred: ChildExit = { reason: code === 0 ? 'clean-exit' : 'abnormal-exit', code, signal: null };
      this.#inferredExit = inferred;
      if (this.#exitExpected) this.#end(inferred);
      else this.#reasonTimer = setTimeout(() => this.#end(inferred), GONE_REASON_GRACE_MS);
    });
    child.on('error', (type: string, location: string) => {
      events.onLog('error', `daemon (pid ${this.#pid}) ${type} at ${location}`);
    });
    this.#pipeOutput(child.stdout, 'info');
    this.#pipeOutput(child.stderr, 'warn');
  }

  postMessage(message: object): boolean {
    if (!this.#child || this.#ended) return false;
    try {
      this.#child.postMessage(message);
      return true;
    } catch (error) {
      this.#events?.onLog('debug', `could not send to the daemon (pid ${this.#pid}): ${messageOf(error)}`);
      return false;
    }
  }

  /** SIGTERM is the utility process's own `kill()`; SIGKILL goes to the pid, as `kill()` takes no signal. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): void {
    if (signal === 'SIGTERM') {
      this.#child?.kill();
      return;
    }
    if (this.#pid === undefined) return;
    try {
      process.kill(this.#pid, 'SIGKILL');
    } catch (error) {
      this.#events?.onLog('debug', `SIGKILL ${this.#pid}: ${messageOf(error)}`);
    }
  }

  expectExit(): void {
    this.#exitExpected = true;
    // Already exited and waiting for a reason that changes nothing now: settle, so quitting is not delayed.
    if (this.#inferredExit) this.#end(this.#inferredExit);
  }

  dispose(): void {
    app.off('child-process-gone', this.#onChildProcessGone);
  }

  readonly #onChildProcessGone = (_event: Event, details: Details): void => {
    if (details.type !== 'Utility' || details.serviceName !== DAEMON_SERVICE_NAME) return;
    this.#end({ reason: details.reason, code: details.exitCode, signal: null });
  };

  #end(exit: ChildExit): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#reasonTimer);
    this.dispose();
    this.#events?.onExit(exit);
  }

  #pipeOutput(stream: NodeJS.ReadableStream | null, level: HostLogLevel): void {
    if (!stream) return;
    createInterface({ input: stream }).on('line', (line) => this.#events?.onLog(level, `daemon: ${line}`));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
