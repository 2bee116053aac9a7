import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, denyAllPermissions, guardAllWebContents } from './security.js';
import { FakeSession, FakeWebContents, app, electronFake, fakeEvent } from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => electronFake.reset());

describe('guards on every WebContents', () => {
  it('refuses navigation, redirects, frame navigation, <webview> and window.open for each new WebContents', () => {
    guardAllWebContents();
    const contents = new FakeWebContents();
    app.emit('web-contents-created', fakeEvent(), contents);

    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']) {
      const event = fakeEvent({ url: 'https://evil.example/' });
      contents.emit(name, event, 'https://evil.example/');
      expect(event.defaultPrevented, name).toBe(true);
    }
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    const session = new FakeSession();
    denyAllPermissions(session as unknown as Electron.Session);
    const callback = vi.fn();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      session.permissionRequestHandler?.(null, permission, callback);
    }
    expect(callback.mock.calls).toEqual(Array.from({ length: 5 }, () => [false]));
    expect(session.permissionCheckHandler?.(null, 'media', 'app://mytimer', {})).toBe(false);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('is the strict policy: own scripts and styles only, no network, no plugins, no framing, no forms', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });
});
