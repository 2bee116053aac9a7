import type { DaemonEvent, Method, Params, ReplyOf, Status } from '../shared/contract.js';

/**
 * What the preload exposes to the settings window as `window.mytimer`: three named functions and
 * nothing else (never `ipcRenderer`, never a generic invoke). Types only, so the renderer can
 * `import type` it without pulling in electron.
 */
export interface MyTimerApi {
  /**
   * Sends one request of the contract to the daemon (through main); never rejects for a daemon error.
   * The result is typed by the contract's method table (main relays the reply of the daemon it started).
   */
  request<M extends Method>(method: M, params: Params<M>): Promise<ReplyOf<M>>;
  /** The last status main received from the daemon, or null before the first one. */
  status(): Promise<Status | null>;
  /** Calls `listener` with every daemon event main forwards; returns the function that unsubscribes. */
  onEvent(listener: (event: DaemonEvent) => void): () => void;
}
