import type { DaemonEvent, Method, Params, ReplyOf, Status } from '../shared/contract.js';

/** The break on screen, as the break window shows it (main's BreakInfo). */
export interface BreakInfo {
  reminderId: string;
  name: string;
  message: string;
  breakMinutes: number;
  strict: boolean;
  /** When the break is over, ms since the epoch. */
  endsAt: number;
  locale: 'en' | 'zh-CN';
}

/** What the break window's buttons ask for; `emergency` is the strict mode's Ctrl+Alt+X hold. */
export type BreakAction = 'postpone' | 'skip' | 'done' | 'emergency';

/**
 * What the preload exposes to the app's pages as `window.mytimer`: a few named functions and
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
  /** Settings window: a folder chosen in the OS's folder dialog, or null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Break window: the break on screen, or null. */
  breakInfo(): Promise<BreakInfo | null>;
  /** Break window: Postpone, Skip, the break's end, or the emergency exit; main closes every break window. */
  breakAction(action: BreakAction): Promise<void>;
}
