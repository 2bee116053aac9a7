import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import type { ChildAdapter, ChildEvents, ChildExit } from './child-adapter.js';

/** Options of {@link forkAdapter}. */
export interface ForkAdapterOptions {
  /** The daemon's entry script (compiled JS), forked with the current Node. */
  modulePath: string;
  args?: readonly string[];
  /** The daemon's whole environment, as for `child_process.fork`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Node flags for the daemon. Default: `process.execArgv`, as for `child_process.fork`. */
  execArgv?: string[];
}

/**
 * A daemon process under plain Node (`mytimer run`), for the {@link Supervisor}: `child_process.fork`
 * with an IPC channel. The daemon's stdin is ignored (it reads nothing from a terminal; the CLI owns
 * it) and its stdout/stderr are the host's, so its log lines land where the user already looks.
 */
export function forkAdapter(options: ForkAdapterOptions): ChildAdapter {
  return new ForkedChild(options);
}

class ForkedChild implements ChildAdapter {
  readonly #modulePath: string;
  readonly #args: readonly string[];
  readonly #forkOptions: ForkOptions;
  #child: ChildProcess | undefined;
  #events: ChildEvents | undefined;

  constructor(options: ForkAdapterOptions) {
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
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(events: ChildEvents): void {
    if (this.#child) throw new Error('forkAdapter: start() was already called; launch a new adapter');
    this.#events = events;
    const child = fork(this.#modulePath, [...this.#args], this.#forkOptions);
    this.#child = child;
    let ended = false;
    const end = (exit: ChildExit): void => {
      if (ended) return;
      ended = true;
      events.onExit(exit);
    };
    child.on('spawn', () => {
      if (child.pid !== undefined) events.onSpawn(child.pid);
    });
    child.on('message', (message: unknown) => events.onMessage(message));
    // 'exit' (not 'close') because it fires once the process is reaped, whatever its stdio does.
    child.on('exit', (code, signal) => end({ reason: reasonOf(code, signal), code, signal }));
    child.on('error', (error) => {
      // A failed spawn reports 'error' and never 'exit'; any other error (a failed kill or send) is only logged.
      if (child.pid === undefined) {
        events.onLog('error', `could not start the daemon: ${error.message}`);
        end({ reason: 'launch-failed', code: null, signal: null });
      } else {
        events.onLog('warn', `daemon (pid ${child.pid}): ${error.message}`);
      }
    });
  }

  postMessage(message: object): boolean {
    const child = this.#child;
    if (!child?.connected) return false;
    // The callback turns a channel that closes mid-send into a log line instead of an 'error' event.
    child.send(message, (error) => {
      if (error)
        this.#events?.onLog('debug', `could not send to the daemon (pid ${child.pid}): ${error.message}`);
    });
    return true;
  }

  kill(signal: 'SIGTERM' | 'SIGKILL'): void {
    this.#child?.kill(signal);
  }
}

/** Electron's names for how a process ended, from what Node reports. */
function reasonOf(code: number | null, signal: NodeJS.Signals | null): ChildExit['reason'] {
  if (signal) return 'killed';
  return code === 0 ? 'clean-exit' : 'abnormal-exit';
}
