import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Method, Reply } from '../shared/contract.js';
import { IPC_CHANNELS } from '../shared/ipc-channels.js';
import { handleValidated, isSettingsFrame, registerIpc } from './ipc.js';
import { FakeWebContents, FakeWebFrame, electronFake } from './test-support/electron-fake.js';
import { makeStatus } from './test-support/status.js';
import { z } from 'zod';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => electronFake.reset());

/** registerIpc over a settings window whose main frame shows app://mytimer, with a recording daemon. */
function setup() {
  const settings = new FakeWebContents('app://mytimer/index.html');
  const sent: { method: Method; params: unknown }[] = [];
  const onSettingsChanged = vi.fn();
  const status = makeStatus();
  registerIpc({
    request: async (method, params) => {
      sent.push({ method, params });
      return { id: 'main-1', ok: true, result: { method } } satisfies Reply;
    },
    status: () => status,
    // The fake stands in for Electron's WebContents: only mainFrame and isDestroyed are read.
    settingsContents: () => settings as unknown as Electron.WebContents,
    onSettingsChanged,
  });
  return { settings, sent, status, onSettingsChanged };
}

const validReminder = { id: 'water', name: 'Water', schedule: { kind: 'every', intervalMs: 45 * 60_000 } };

describe('mytimer:request', () => {
  it('forwards a valid request from the settings page to the daemon and returns its reply', async () => {
    const { settings, sent } = setup();
    const reply = await electronFake.invoke(IPC_CHANNELS.request, settings.mainFrame, {
      method: 'reminder.add',
      params: { reminder: validReminder },
    });
    expect(reply).toEqual({ id: 'main-1', ok: true, result: { method: 'reminder.add' } });
    // Forwarded as parsed: the contract's defaults are filled in and nothing unknown gets through.
    expect(sent).toEqual([
      {
        method: 'reminder.add',
        params: { reminder: { ...validReminder, priority: 5, enabled: true, snoozeMinutes: 5 } },
      },
    ]);
  });

  it('accepts a method without params', async () => {
    const { settings, sent } = setup();
    await electronFake.invoke(IPC_CHANNELS.request, settings.mainFrame, { method: 'rest-now' });
    expect(sent).toEqual([{ method: 'rest-now', params: {} }]);
  });

  it('names the bad field and sends nothing to the daemon', async () => {
    const { settings, sent } = setup();
    const badPriority = await electronFake.invoke(IPC_CHANNELS.request, settings.mainFrame, {
      method: 'reminder.add',
      params: { reminder: { ...validReminder, priority: 99 } },
    });
    expect(badPriority).toEqual({
      id: null,
      ok: false,
      error: {
        code: 'invalid',
        field: 'params.reminder.priority',
        message: expect.stringMatching(/1 to 20/),
      },
    });
    const badMethod = await electronFake.invoke(IPC_CHANNELS.request, settings.mainFrame, {
      method: 'rm -rf',
    });
    expect(badMethod).toMatchObject({ ok: false, error: { code: 'invalid', field: 'method' } });
    const notAnObject = await electronFake.invoke(IPC_CHANNELS.request, settings.mainFrame, 'status');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(sent).toEqual([]);
  });

  it('refuses a foreign frame, a null senderFrame and a settings window that navigated away', async () => {
    const { settings, sent } = setup();
    const payload = { method: 'pause', params: {} };
    const refused = {
      id: null,
      ok: false,
      error: { code: 'invalid', field: 'sender', message: expect.any(String) },
    };
    await expect(
      electronFake.invoke(IPC_CHANNELS.request, new FakeWebFrame('app://mytimer/index.html'), payload),
    ).resolves.toEqual(refused);
    await expect(electronFake.invoke(IPC_CHANNELS.request, null, payload)).resolves.toEqual(refused);
    settings.mainFrame.url = 'https://evil.example/';
    await expect(electronFake.invoke(IPC_CHANNELS.request, settings.mainFrame, payload)).resolves.toEqual(
      refused,
    );
    expect(sent).toEqual([]);
  });

  it('re-syncs start at login after an accepted settings.set', async () => {
    const { settings, onSettingsChanged } = setup();
    await electronFake.invoke(IPC_CHANNELS.request, settings.mainFrame, {
      method: 'settings.set',
      params: { patch: { startAtLogin: true } },
    });
    expect(onSettingsChanged).toHaveBeenCalledTimes(1);
  });
});

describe('mytimer:status', () => {
  it('returns the last status to the settings page only', async () => {
    const { settings, status } = setup();
    await expect(electronFake.invoke(IPC_CHANNELS.status, settings.mainFrame)).resolves.toEqual(status);
    await expect(electronFake.invoke(IPC_CHANNELS.status, null)).resolves.toMatchObject({ ok: false });
    await expect(
      electronFake.invoke(IPC_CHANNELS.status, settings.mainFrame, { sneaky: 1 }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('handleValidated', () => {
  it('turns a throwing handler into an internal error reply instead of a rejection', async () => {
    const settings = new FakeWebContents('app://mytimer/index.html');
    handleValidated(
      IPC_CHANNELS.status,
      z.undefined(),
      () => {
        throw new Error('kaput');
      },
      { settingsContents: () => settings as unknown as Electron.WebContents },
    );
    await expect(electronFake.invoke(IPC_CHANNELS.status, settings.mainFrame)).resolves.toEqual({
      id: null,
      ok: false,
      error: { code: 'internal', message: 'kaput' },
    });
  });
});

describe('isSettingsFrame', () => {
  it('needs the main frame of a live settings window on app://mytimer', () => {
    const settings = new FakeWebContents('app://mytimer/index.html');
    const asContents = settings as unknown as Electron.WebContents;
    const asFrame = (frame: FakeWebFrame | null) => frame as unknown as Electron.WebFrameMain | null;
    expect(isSettingsFrame(asFrame(settings.mainFrame), asContents)).toBe(true);
    expect(isSettingsFrame(asFrame(null), asContents)).toBe(false);
    expect(isSettingsFrame(asFrame(settings.mainFrame), null)).toBe(false);
    settings.mainFrame.url = 'app://other/index.html';
    expect(isSettingsFrame(asFrame(settings.mainFrame), asContents)).toBe(false);
    settings.mainFrame.url = 'app://mytimer/index.html';
    settings.destroyed = true;
    expect(isSettingsFrame(asFrame(settings.mainFrame), asContents)).toBe(false);
  });
});
