import type { Method, Reply, Status } from '../shared/contract.js';
import type { TrayMenuItem } from './tray-menu.js';

/**
 * What the end-to-end suite reaches through Playwright's `electronApp.evaluate` as
 * `globalThis.__mytimerTest`. Only installed with `MYTIMER_E2E=1`; a normal launch has no such global.
 */
export interface MyTimerTestHook {
  openSettings(): void;
  /** The tray menu template as shown now (pure data, action ids instead of click handlers). */
  trayMenuTemplate(): TrayMenuItem[];
  quit(): void;
  /** The daemon's pid, to check that none is left after quitting. */
  daemonPid(): number | null;
  status(): Status | null;
  /** Sends one request to the daemon (as the settings window would), e.g. to set up a break reminder. */
  request?(method: Method, params: unknown): Promise<Reply>;
}

declare global {
  var __mytimerTest: MyTimerTestHook | undefined;
}

/** Installs `hook` as `globalThis.__mytimerTest` when `env.MYTIMER_E2E` is `1`; true if it did. */
export function installTestHook(hook: MyTimerTestHook, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.MYTIMER_E2E !== '1') return false;
  globalThis.__mytimerTest = hook;
  return true;
}
