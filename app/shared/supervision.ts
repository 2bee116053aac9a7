/** How both hosts (`mytimer run`, Electron main) stop the daemon: ask, wait, then insist. */

/** How long a host's stop waits for the daemon to honour `shutdown` before SIGTERM. */
export const DEFAULT_STOP_TIMEOUT_MS = 2_000;

/** How long after SIGTERM a host's stop waits before SIGKILL. */
export const DEFAULT_KILL_TIMEOUT_MS = 1_000;

/** The request `stop()` sends first: the daemon's own orderly shutdown (flush the store, reap children). */
export const SHUTDOWN_REQUEST = Object.freeze({ id: 'stop', method: 'shutdown', params: {} });
