/**
 * What the {@link Supervisor} needs from a process API: one child process, started once, that takes
 * messages and signals and reports its spawn, its messages and its end. Like VS Code's
 * `UtilityProcess`, an adapter only wraps the process; restarts, stopping, heartbeats and the
 * meaning of messages live in the Supervisor and its users.
 *
 * Two adapters exist: {@link forkAdapter} (`child_process.fork`, for `mytimer run` under Node) and
 * Electron main's `utilityProcess` adapter (app/main, also for `myTimer --cli run`; the only one that
 * imports electron).
 */

/** Severity of a host log line. */
export type HostLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the host reports crashes, restarts and escalations. */
export type HostLog = (level: HostLogLevel, message: string) => void;

/**
 * Why a child ended: Electron's `child-process-gone` reasons, which the fork adapter infers from
 * the exit code and signal (0 → clean-exit, a signal → killed, any other code → abnormal-exit).
 */
export type ExitReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction';

/** How a child ended. */
export interface ChildExit {
  reason: ExitReason;
  /** The exit code, or null when a signal ended it or it never started. */
  code: number | null;
  /** The signal that ended it, where the process API says (Electron's does not). */
  signal: NodeJS.Signals | null;
}

/** What an adapter reports, each at most once per process except messages and log lines. */
export interface ChildEvents {
  /** The process runs and has this pid. */
  onSpawn(pid: number): void;
  /** A message the child sent, unparsed. */
  onMessage(message: unknown): void;
  /** The process has ended (and been reaped); reported exactly once, spawned or not. */
  onExit(exit: ChildExit): void;
  /** Something worth a log line: the child's own output, a failed send, an error event. */
  onLog(level: HostLogLevel, message: string): void;
}

/** One child process, as the Supervisor drives it. */
export interface ChildAdapter {
  /** The OS pid once the process runs; undefined before, or when it never started. */
  readonly pid: number | undefined;
  /** Starts the process; may throw when it cannot even be launched (the Supervisor counts that as a crash). */
  start(events: ChildEvents): void;
  /** Sends a message over the IPC channel; false, sending nothing, when the channel is closed. */
  postMessage(message: object): boolean;
  /** Signals the process. SIGTERM asks it to end; SIGKILL cannot be ignored (nor stopped by SIGSTOP). */
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
  /**
   * The host has asked the child to end (a stop). An adapter that waits for a better exit reason
   * after the process ends (Electron's `child-process-gone`) reports the exit at once from now on:
   * an expected end needs no reason, and quitting must not wait for one.
   */
  expectExit?(): void;
}

/** Makes the adapter of a new child process: the Supervisor calls it for every start and restart. */
export type LaunchChild = () => ChildAdapter;
