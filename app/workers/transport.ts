/**
 * The daemon's link to its host, whichever host it is. Electron's utilityProcess gives
 * `process.parentPort` (messages arrive wrapped as `{ data }`, and there is no disconnect event, so a
 * watchdog polls the parent pid); a Node fork gives `process.send` and the IPC channel's `disconnect`.
 * Run by hand, there is no host at all and the control socket is the only way in.
 *
 * Either way the transport itself echoes the host's heartbeat pings (app/shared/heartbeat.ts), from the
 * moment it is created: they prove the event loop runs, and they never reach the service.
 */
import { isHeartbeat } from '../shared/heartbeat.js';

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
    const send = (message: unknown) => parentPort.postMessage(message);
    const onMessage = answerHeartbeats(send, (dispatch) =>
      parentPort.on('message', (event) => dispatch(event.data)),
    );
    return {
      kind: 'electron',
      send,
      onMessage,
      onHostGone: (listener) => void watchParent(parentPid, listener),
    };
  }
  if (typeof proc.send === 'function' && proc.connected) {
    const send = (message: unknown) => {
      if (proc.connected) proc.send?.(message as object);
    };
    const onMessage = answerHeartbeats(send, (dispatch) => void proc.on('message', dispatch));
    return {
      kind: 'node-ipc',
      send,
      onMessage,
      onHostGone: (listener) => void proc.once('disconnect', listener),
    };
  }
  return null;
}

/**
 * Subscribes once to the raw channel: heartbeats are echoed at once, everything else goes to the
 * listeners registered (later) through the returned `onMessage`.
 */
function answerHeartbeats(
  send: (message: unknown) => void,
  subscribe: (dispatch: (message: unknown) => void) => void,
): Transport['onMessage'] {
  const listeners: ((message: unknown) => void)[] = [];
  subscribe((message) => {
    if (isHeartbeat(message)) send(message);
    else for (const listener of listeners) listener(message);
  });
  return (listener) => void listeners.push(listener);
}
