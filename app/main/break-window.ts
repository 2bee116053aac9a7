import { screen, type BrowserWindow, type WebContents } from 'electron';
import type { Reply } from '../shared/contract.js';
import { KeyHold, isEmergencyChord } from '../shared/key-hold.js';
import { EMERGENCY_HOLD_MS, MINUTE_MS } from '../shared/limits.js';
import type { Log } from './log.js';
import { BREAK_URL } from './protocol.js';
import { createBreakBrowserWindow } from './windows.js';

/** A break the daemon asked to show in the break window (a `reminder` event with `window`). */
export interface BreakRequest {
  reminderId: string;
  name: string;
  message: string;
  breakMinutes: number;
  strict: boolean;
}

/** What the break page reads through the preload's `breakInfo()`. */
export interface BreakInfo extends BreakRequest {
  /** When the break is over (ms since the epoch): the page counts down to it. */
  endsAt: number;
  locale: 'en' | 'zh-CN';
}

/** What the page's buttons (and the emergency exit) ask main to do. */
export type BreakAction = 'postpone' | 'skip' | 'done' | 'emergency';
export const BREAK_ACTIONS = ['postpone', 'skip', 'done', 'emergency'] as const;

export interface BreakWindowsOptions {
  /** Absolute path of the preload bundle (the same one, and the same hardening, as the settings window). */
  preloadPath: string;
  /** The page; default `app://mytimer/break.html`. */
  url?: string;
  /** Forwards a request to the daemon (Postpone is `reminder.snooze`). */
  request(method: 'reminder.snooze', params: { id: string }): Promise<Reply>;
  /** The language the page speaks (the daemon's). */
  locale(): 'en' | 'zh-CN';
  now?: () => number;
  log?: Log;
}

/**
 * One frameless, always-on-top, full-screen window per display (`screen.getAllDisplays()`), opened
 * for a break and closed together: when the break's time is up, on Postpone (the reminder is snoozed
 * by its own minutes), on Skip, or — in strict mode, where the page hides both buttons and the user
 * cannot close a window — only by the emergency exit, Ctrl+Alt+X held {@link EMERGENCY_HOLD_MS}.
 * The hold is watched here (`before-input-event`) as well as in the page, so a hung page still lets
 * the user out.
 */
export class BreakWindows {
  readonly #options: BreakWindowsOptions;
  readonly #now: () => number;
  #windows: BrowserWindow[] = [];
  #info: BreakInfo | null = null;
  #endTimer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;
  readonly #hold = new KeyHold(EMERGENCY_HOLD_MS, () => void this.act('emergency'));

  constructor(options: BreakWindowsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The break on screen, or null. */
  get info(): BreakInfo | null {
    return this.#info;
  }

  /** The break windows' WebContents (the only senders the break channels answer). */
  contents(): WebContents[] {
    return this.#windows.filter((window) => !window.isDestroyed()).map((window) => window.webContents);
  }

  /** Shows `request` on every display, replacing a break already on screen. */
  open(request: BreakRequest): void {
    this.close();
    const endsAt = this.#now() + request.breakMinutes * MINUTE_MS;
    this.#info = { ...request, endsAt, locale: this.#options.locale() };
    this.#windows = screen.getAllDisplays().map((display) => this.#create(display.bounds, request.strict));
    this.#endTimer = setTimeout(() => void this.act('done'), endsAt - this.#now());
  }

  /** Does what the page (or the emergency hold) asked, then closes every break window. */
  async act(action: BreakAction): Promise<void> {
    const info = this.#info;
    if (!info) return;
    // Strict mode: the page hides Postpone and Skip; a page that sends them anyway is not obeyed.
    if (info.strict && (action === 'postpone' || action === 'skip')) {
      this.#options.log?.('warn', `break window: "${action}" refused in strict mode`);
      return;
    }
    this.close();
    if (action === 'postpone') {
      const reply = await this.#options.request('reminder.snooze', { id: info.reminderId });
      if (!reply.ok) this.#options.log?.('warn', `break window: postpone failed: ${reply.error.message}`);
    }
  }

  /** Closes every break window (the break is over, or the app quits). */
  close(): void {
    clearTimeout(this.#endTimer);
    this.#hold.release();
    this.#info = null;
    const windows = this.#windows;
    this.#windows = [];
    this.#closing = true;
    try {
      for (const window of windows) if (!window.isDestroyed()) window.close();
    } finally {
      this.#closing = false;
    }
  }

  #create(bounds: { x: number; y: number; width: number; height: number }, strict: boolean): BrowserWindow {
    const window = createBreakBrowserWindow({ bounds, strict, preloadPath: this.#options.preloadPath });
    window.setAlwaysOnTop(true, 'screen-saver');
    window.setVisibleOnAllWorkspaces(true);
    window.on('close', (event) => {
      if (this.#closing) return;
      // Strict: Alt+F4 and the like do nothing. Otherwise closing one window skips the break.
      event.preventDefault();
      if (!strict) void this.act('skip');
    });
    window.webContents.on('before-input-event', (_event, input) => {
      if (input.type === 'keyDown' && isEmergencyChord(input)) this.#hold.press();
      else if (input.type === 'keyUp') this.#hold.release();
    });
    window.loadURL(this.#options.url ?? BREAK_URL).catch((error: unknown) => {
      this.#options.log?.(
        'error',
        `could not load the break page: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return window;
  }
}
