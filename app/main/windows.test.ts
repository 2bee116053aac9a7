import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronFake } from './test-support/electron-fake.js';
import { SettingsWindow } from './windows.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => electronFake.reset());

const PRELOAD = '/opt/mytimer/resources/app.asar/dist/app/preload/index.cjs';

describe('the settings window', () => {
  it('is created with exactly the hardened options, the preload bundle and the app:// page', () => {
    const settings = new SettingsWindow({ preloadPath: PRELOAD, iconPath: '/icons/icon-256.png' });
    settings.show();
    expect(electronFake.windows).toHaveLength(1);
    const window = electronFake.windows[0]!;
    expect(window.options).toEqual({
      width: 960,
      height: 720,
      minWidth: 480,
      minHeight: 480,
      show: false,
      title: 'myTimer',
      autoHideMenuBar: true,
      icon: '/icons/icon-256.png',
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
        disableBlinkFeatures: 'Auxclick',
        preload: PRELOAD,
      },
    });
    expect(window.loadURL).toHaveBeenCalledWith('app://mytimer/index.html');
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('hides instead of closing (tray app) and reuses the one window', () => {
    const settings = new SettingsWindow({ preloadPath: PRELOAD });
    settings.show();
    const window = electronFake.windows[0]!;
    expect(window.close().defaultPrevented).toBe(true);
    expect(window.hide).toHaveBeenCalled();
    expect(settings.webContents).toBe(window.webContents);
    settings.show();
    expect(electronFake.windows).toHaveLength(1);
  });

  it('closes for real once the app quits, and a later show() makes a new window', () => {
    const settings = new SettingsWindow({ preloadPath: PRELOAD });
    settings.show();
    settings.allowClose();
    expect(electronFake.windows[0]!.close().defaultPrevented).toBe(false);
    expect(settings.webContents).toBeNull();
    settings.show();
    expect(electronFake.windows).toHaveLength(2);
  });

  it('pushes messages to the page only while the window exists', () => {
    const settings = new SettingsWindow({ preloadPath: PRELOAD });
    settings.send('mytimer:event', { event: 'log' });
    settings.show();
    settings.send('mytimer:event', { event: 'timer-done' });
    expect(electronFake.windows[0]!.webContents.send).toHaveBeenCalledWith('mytimer:event', {
      event: 'timer-done',
    });
  });

  it('reloads a crashed page when shown again', () => {
    const settings = new SettingsWindow({ preloadPath: PRELOAD });
    settings.show();
    const window = electronFake.windows[0]!;
    window.webContents.crashed = true;
    settings.show();
    expect(window.loadURL).toHaveBeenCalledTimes(2);
  });
});
