import { BrowserWindow, type WebContents } from 'electron';
import type { Log } from './log.js';
import { RENDERER_URL } from './protocol.js';

/** Options of {@link SettingsWindow}. */
export interface SettingsWindowOptions {
  /** Absolute path of the preload bundle (`dist/app/preload/index.cjs`). */
  preloadPath: string;
  /** The window icon (Linux and Windows; macOS uses the bundle's). */
  iconPath?: string;
  /** The page to load; default `app://mytimer/index.html`. */
  url?: string;
  log?: Log;
}

/**
 * The settings window's constructor options. The webPreferences are the only ones any window of this
 * app gets: context isolation, the Chromium sandbox, no Node anywhere (page, workers, subframes), no
 * `<webview>`, web security on, no middle-click (`Auxclick`) navigation, and the preload at
 * `dist/app/preload/index.cjs` (CommonJS: a sandboxed preload cannot be an ES module).
 *
 * Written as one literal inside `new BrowserWindow(…)` on purpose: electronegativity (tests/security)
 * reads the options at the constructor call and cannot follow them through a helper.
 */
function createSettingsBrowserWindow(options: SettingsWindowOptions): BrowserWindow {
  return new BrowserWindow({
    width: 960,
    height: 720,
    minWidth: 480,
    minHeight: 480,
    show: false,
    title: 'myTimer',
    autoHideMenuBar: true,
    ...(options.iconPath !== undefined && { icon: options.iconPath }),
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
      preload: options.preloadPath,
    },
  });
}

/** Options of {@link createBreakBrowserWindow}. */
export interface BreakBrowserWindowOptions {
  /** The display's bounds: the window covers it. */
  bounds: { x: number; y: number; width: number; height: number };
  /** Strict break: the window cannot be closed by the user. */
  strict: boolean;
  preloadPath: string;
}

/**
 * One break window (app/main/break-window.ts opens one per display): frameless, full screen, always on
 * top, out of the taskbar, with exactly the settings window's webPreferences (one literal, for the
 * same reason as above).
 */
export function createBreakBrowserWindow(options: BreakBrowserWindowOptions): BrowserWindow {
  return new BrowserWindow({
    x: options.bounds.x,
    y: options.bounds.y,
    width: options.bounds.width,
    height: options.bounds.height,
    frame: false,
    fullscreen: true,
    alwaysOnTop: true,
    skipTaskbar: true,
    resizable: false,
    movable: false,
    minimizable: false,
    closable: !options.strict,
    show: true,
    title: 'myTimer',
    backgroundColor: '#16181c',
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
      preload: options.preloadPath,
    },
  });
}

/**
 * The one settings window, created on first `show()`. Closing it hides it (this is a tray app: the
 * window is a view, not the app); only after {@link allowClose} — app quitting — does it really close.
 */
export class SettingsWindow {
  readonly #options: SettingsWindowOptions;
  #window: BrowserWindow | null = null;
  #closing = false;

  constructor(options: SettingsWindowOptions) {
    this.#options = options;
  }

  /** The window's WebContents while it exists (IPC checks its main frame against the sender). */
  get webContents(): WebContents | null {
    const window = this.#window;
    return window && !window.isDestroyed() ? window.webContents : null;
  }

  /** Shows and focuses the window, creating it the first time. */
  show(): void {
    const window = this.#window && !this.#window.isDestroyed() ? this.#window : this.#create();
    if (window.webContents.isCrashed()) this.#load(window);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** Pushes a message to the page, when the window exists. */
  send(channel: string, payload: unknown): void {
    this.webContents?.send(channel, payload);
  }

  /** From now on closing the window closes it (the app is quitting). */
  allowClose(): void {
    this.#closing = true;
  }

  #create(): BrowserWindow {
    const window = createSettingsBrowserWindow(this.#options);
    this.#window = window;
    window.on('close', (event) => {
      if (this.#closing) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.#window === window) this.#window = null;
    });
    window.webContents.on('render-process-gone', (_event, details) => {
      // Not reloaded here (a page that crashes on load would loop): the next show() reloads it.
      this.#options.log?.('warn', `the settings page's renderer is gone (${details.reason})`);
    });
    this.#load(window);
    return window;
  }

  #load(window: BrowserWindow): void {
    window.loadURL(this.#options.url ?? RENDERER_URL).catch((error: unknown) => {
      this.#options.log?.(
        'error',
        `could not load the settings page: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
