import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../shared/contract.js';
import { BreakWindows, type BreakRequest } from './break-window.js';
import { electronFake, fakeEvent, type FakeBrowserWindow } from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

const PRELOAD = '/opt/mytimer/resources/app.asar/dist/app/preload/index.cjs';
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

const BREAK: BreakRequest = {
  reminderId: 'rest-eyes',
  name: 'Rest your eyes',
  message: "Don't code — rest your eyes",
  breakMinutes: 5,
  strict: false,
};

let requests: { method: string; params: unknown }[];
let breaks: BreakWindows;

beforeEach(() => {
  electronFake.reset();
  vi.useFakeTimers({ now: START });
  requests = [];
  breaks = new BreakWindows({
    preloadPath: PRELOAD,
    request: (method, params): Promise<Reply> => {
      requests.push({ method, params });
      return Promise.resolve({ id: 1, ok: true, result: {} });
    },
    locale: () => 'en',
  });
});

afterEach(() => {
  vi.useRealTimers();
});

const open = () => electronFake.windows.filter((window) => !window.destroyed);
const keyboard = (window: FakeBrowserWindow, type: 'keyDown' | 'keyUp', key = 'x') =>
  window.webContents.emit('before-input-event', fakeEvent(), { type, key, control: true, alt: true });

describe('the break window', () => {
  it('opens one hardened, frameless, always-on-top full-screen window on every display', () => {
    electronFake.displays = [
      { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } },
      { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } },
    ];
    breaks.open(BREAK);
    expect(open()).toHaveLength(2);
    const [first, second] = electronFake.windows;
    expect(second!.options).toMatchObject({ x: 1920, y: 0, width: 1280, height: 1024 });
    expect(first!.options).toMatchObject({
      frame: false,
      fullscreen: true,
      alwaysOnTop: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        webSecurity: true,
        preload: PRELOAD,
      },
    });
    expect(first!.loadURL).toHaveBeenCalledWith('app://mytimer/break.html');
    expect(breaks.info).toMatchObject({ ...BREAK, endsAt: START + 5 * 60_000, locale: 'en' });
    expect(breaks.contents()).toEqual([first!.webContents, second!.webContents]);
  });

  it("closes every window when the break's time is up", () => {
    electronFake.displays.push({ id: 2, bounds: { x: 1920, y: 0, width: 1920, height: 1080 } });
    breaks.open(BREAK);
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(open()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(open()).toHaveLength(0);
    expect(breaks.info).toBeNull();
    expect(requests).toEqual([]);
  });

  it('postpone snoozes the reminder and closes every window; skip only closes them', async () => {
    electronFake.displays.push({ id: 2, bounds: { x: 1920, y: 0, width: 1920, height: 1080 } });
    breaks.open(BREAK);
    await breaks.act('postpone');
    expect(open()).toHaveLength(0);
    expect(requests).toEqual([{ method: 'reminder.snooze', params: { id: 'rest-eyes' } }]);

    breaks.open(BREAK);
    await breaks.act('skip');
    expect(open()).toHaveLength(0);
    expect(requests).toHaveLength(1);
  });

  it('a new break replaces the one on screen', () => {
    breaks.open(BREAK);
    breaks.open({ ...BREAK, reminderId: 'stretch' });
    expect(open()).toHaveLength(1);
    expect(breaks.info?.reminderId).toBe('stretch');
  });

  it('strict: postpone, skip and closing a window are refused; the emergency exit needs the full 3 s hold', async () => {
    breaks.open({ ...BREAK, strict: true });
    const window = electronFake.windows[0]!;
    await breaks.act('postpone');
    await breaks.act('skip');
    window.close();
    expect(open()).toHaveLength(1);
    expect(requests).toEqual([]);

    // Released after 2.9 s: nothing happens.
    keyboard(window, 'keyDown');
    vi.advanceTimersByTime(2_900);
    keyboard(window, 'keyUp');
    vi.advanceTimersByTime(10_000);
    expect(open()).toHaveLength(1);

    // Held (key repeats included) for 3 s: every window closes.
    keyboard(window, 'keyDown');
    vi.advanceTimersByTime(1_500);
    keyboard(window, 'keyDown', 'X');
    vi.advanceTimersByTime(1_499);
    expect(open()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(open()).toHaveLength(0);
    expect(requests).toEqual([]);
  });

  it('closing a window by hand (not strict) skips the break on every display', () => {
    electronFake.displays.push({ id: 2, bounds: { x: 1920, y: 0, width: 1920, height: 1080 } });
    breaks.open(BREAK);
    electronFake.windows[1]!.close();
    expect(open()).toHaveLength(0);
    expect(breaks.info).toBeNull();
  });
});
