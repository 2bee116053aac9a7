import { app, type Session, type WebContents } from 'electron';
import type { Log } from './log.js';

export { CONTENT_SECURITY_POLICY } from './csp.js';

/**
 * Locks one WebContents down: it can never navigate or be redirected away from the page main loaded
 * (`will-navigate`, `will-redirect`, `will-frame-navigate`), open a window (`setWindowOpenHandler`
 * denies) or attach a `<webview>`. In-page navigation (`#hash`) is not a navigation and still works.
 */
export function guardWebContents(contents: WebContents, log: Log = () => undefined): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log('warn', `refused navigation to ${event.url}`);
  });
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
    log('warn', `refused frame navigation to ${event.url}`);
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log('warn', `refused redirect to ${event.url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('warn', 'refused to attach a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log('warn', `refused to open a window for ${url}`);
    return { action: 'deny' };
  });
}

/** Applies {@link guardWebContents} to every WebContents the app ever creates (windows, devtools, frames). */
export function guardAllWebContents(log?: Log): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));
}

/** The page needs no permission at all: every request and check is refused. */
export function denyAllPermissions(session: Session, log: Log = () => undefined): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log('warn', `refused the permission request "${permission}"`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
