/// <reference lib="dom" />
import type { Announcer } from './announcer.js';
import { RequestFailed, type Call } from './bridge.js';
import { t } from './locale.js';

/** What every panel needs from the window: the daemon, the live region, and a way to re-read state. */
export interface Context {
  readonly call: Call;
  readonly announcer: Announcer;
  /** Re-reads status, reminders and settings from the daemon and updates every panel. */
  refresh(): Promise<void>;
}

/** Says what went wrong in the live region: the daemon's own message, or the transport's. */
export function announceFailure(context: Context, error: unknown): void {
  const message = error instanceof RequestFailed || error instanceof Error ? error.message : String(error);
  context.announcer.say(t('ui.error', { message }), 'error');
}
