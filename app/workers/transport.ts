/**
 * The daemon's link to its host, whichever host it is. Electron's utilityProcess gives
 * `process.parentPort` (messages arrive wrapped as `{ data }`, and there is no disconnect event, so a
 * watchdog polls the parent pid); a Node fork gives `process.send` and the IPC channel's `disconnect`.
 * Run by hand, there is no host at all and the control socket is the only way in.
 */

export interface Transport {
  readonly kind: 'electron' | 'node-ipc';
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the host is gone; the daemon must not outlive it. */
  onHostGone(listener: () => void): void;
}

/** The subset of Electron's `process.parentPort` we use (typed here: no electron import under app/workers). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const WATCHDOG_INTERVAL_MS = 1_000;

/** True while `pid` names a live process (EPERM: alive but not ours, which still counts). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls the parent pid; fires once when it is gone or when we were re-parented (the parent died). */
export function watchParent(
  parentPid: number,
  onGone: () => void,
  intervalMs = WATCHDOG_INTERVAL_MS,
): () => void {
  const timer = setInterval(() => {
    if (process.ppid !== parentPid || !isProcessAlive(parentPid)) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function detectTransport(proc: NodeJS.Process = process): Transport | null {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    const parentPid = Number(proc.env.MYTIMER_PARENT_PID) || proc.ppid;
    return {
      kind: 'electron',
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onHostGone: (listener) => void watchParent(parentPid, listener),
    };
  }
  if (typeof proc.send === 'function' && proc.connected) {
    return {
      kind: 'node-ipc',
      send: (message) => {
        if (proc.connected) proc.send?.(message as object);
      },
      onMessage: (listener) => void proc.on('message', listener),
      onHostGone: (listener) => void proc.once('disconnect', listener),
    };
  }
  return null;
}
