import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../shared/ipc-channels.js';
import type { BreakAction, BreakInfo } from './break-window.js';
import { registerIpc } from './ipc.js';
import { FakeWebContents, electronFake } from './test-support/electron-fake.js';
import { makeStatus } from './test-support/status.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => electronFake.reset());

const INFO: BreakInfo = {
  reminderId: 'rest-eyes',
  name: 'Rest your eyes',
  message: 'Look away',
  breakMinutes: 5,
  strict: false,
  endsAt: 1,
  locale: 'en',
};

/** registerIpc with a settings window, one break window, and a folder dialog. */
function setup() {
  const settings = new FakeWebContents('app://mytimer/index.html');
  const breakPage = new FakeWebContents('app://mytimer/break.html');
  const actions: BreakAction[] = [];
  const pickFolder = vi.fn(async () => '/home/ada/Documents');
  const sent: string[] = [];
  registerIpc({
    request: async (method) => {
      sent.push(method);
      return { id: null, ok: true, result: null };
    },
    status: () => makeStatus(),
    // The fakes stand in for Electron's WebContents: only mainFrame and isDestroyed are read.
    settingsContents: () => settings as unknown as Electron.WebContents,
    pickFolder,
    breaks: {
      contents: () => [breakPage as unknown as Electron.WebContents],
      info: INFO,
      act: async (action) => void actions.push(action),
    },
  });
  return { settings, breakPage, actions, pickFolder, sent };
}

describe('the break window and folder picker channels', () => {
  it('the break page reads its break and sends its action; main acts on it', async () => {
    const { breakPage, actions } = setup();
    await expect(electronFake.invoke(IPC_CHANNELS.breakInfo, breakPage.mainFrame)).resolves.toEqual(INFO);
    await electronFake.invoke(IPC_CHANNELS.breakAction, breakPage.mainFrame, 'postpone');
    expect(actions).toEqual(['postpone']);
  });

  it('refuses an unknown break action, naming the allowed ones', async () => {
    const { breakPage, actions } = setup();
    const reply = await electronFake.invoke(IPC_CHANNELS.breakAction, breakPage.mainFrame, 'explode');
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/postpone, skip/) } });
    expect(actions).toEqual([]);
  });

  it('the settings window may not end a break, and the break page may not send daemon requests', async () => {
    const { settings, breakPage, actions, sent } = setup();
    const fromSettings = await electronFake.invoke(IPC_CHANNELS.breakAction, settings.mainFrame, 'skip');
    expect(fromSettings).toMatchObject({ ok: false, error: { field: 'sender' } });
    const fromBreak = await electronFake.invoke(IPC_CHANNELS.request, breakPage.mainFrame, {
      method: 'rest-now',
    });
    expect(fromBreak).toMatchObject({ ok: false, error: { field: 'sender' } });
    expect(actions).toEqual([]);
    expect(sent).toEqual([]);
  });

  it("answers the settings window's folder picker with the chosen folder, and refuses the break page", async () => {
    const { settings, breakPage, pickFolder } = setup();
    await expect(electronFake.invoke(IPC_CHANNELS.pickFolder, settings.mainFrame)).resolves.toBe(
      '/home/ada/Documents',
    );
    await expect(electronFake.invoke(IPC_CHANNELS.pickFolder, breakPage.mainFrame)).resolves.toMatchObject({
      ok: false,
    });
    expect(pickFolder).toHaveBeenCalledTimes(1);
  });
});
