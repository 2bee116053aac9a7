import { app } from 'electron';
import type { DaemonHost } from './daemon-host.js';

/**
 * Makes quitting the app stop the daemon first: the first `before-quit` is held back while
 * `host.stop()` runs (shutdown request, kill after 2 s), then the app quits for real. `beforeStop`
 * runs on every quit attempt (the settings window must be allowed to close).
 */
export function stopDaemonOnQuit(host: Pick<DaemonHost, 'state' | 'stop'>, beforeStop: () => void): void {
  let stopping = false;
  app.on('before-quit', (event) => {
    beforeStop();
    if (host.state === 'stopped' || host.state === 'gave-up') return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void host.stop().finally(() => app.quit());
  });
}
