/**
 * Test support (not shipped): an in-memory stand-in for the parts of `electron` that app/main uses, so
 * main's modules run under Vitest with no Electron binary. In a test file:
 *
 *   vi.mock('electron', () => import('./test-support/electron-fake.js'));
 *   import { electronFake } from './test-support/electron-fake.js';
 *   beforeEach(() => electronFake.reset());
 *
 * The module's named exports mirror electron's (`app`, `BrowserWindow`, `ipcMain`, …); `electronFake`
 * reaches what they recorded (forked children, windows, trays, IPC handlers) and drives events.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** An Electron-style event: `preventDefault()` records that a listener refused the action. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  [key: string]: unknown;
}

/** A fresh event, with extra fields (`url`, …) as Electron's detail events carry them. */
export function fakeEvent(fields: Record<string, unknown> = {}): FakeEvent {
  return {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

let nextPid = 41_000;

/** A forked utility process: records what main posts; the test makes it spawn, answer and exit. */
export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = undefined;
  readonly posted: unknown[] = [];
  readonly postMessage = vi.fn((message: unknown) => {
    this.posted.push(message);
  });
  readonly kill = vi.fn(() => true);
  stdout: NodeJS.ReadableStream | null = null;
  stderr: NodeJS.ReadableStream | null = null;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
  }

  /** The process started: it gets a pid and emits `spawn`. */
  spawn(pid = nextPid++): this {
    this.pid = pid;
    this.emit('spawn');
    return this;
  }

  /** The daemon sends `message` (a reply or an event) to main. */
  send(message: unknown): void {
    this.emit('message', message);
  }

  /** The process ended with `code` (the child's own `exit` event). */
  exit(code = 0): void {
    this.emit('exit', code);
  }
}

/** A frame: only its url matters to main. */
export class FakeWebFrame {
  constructor(public url: string) {}
}

/** A WebContents: an emitter with `send`, `setWindowOpenHandler` and a main frame. */
export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeWebFrame;
  destroyed = false;
  crashed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly send = vi.fn();
  readonly setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });

  constructor(url = 'app://mytimer/index.html') {
    super();
    this.mainFrame = new FakeWebFrame(url);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isCrashed(): boolean {
    return this.crashed;
  }
}

/** A BrowserWindow: records its constructor options; `close()` honours a prevented `close` event. */
export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  destroyed = false;
  visible = false;
  readonly loadURL = vi.fn(async (url: string) => {
    this.webContents.mainFrame.url = url;
  });
  readonly setAlwaysOnTop = vi.fn();
  readonly setVisibleOnAllWorkspaces = vi.fn();
  readonly show = vi.fn(() => {
    this.visible = true;
  });
  readonly hide = vi.fn(() => {
    this.visible = false;
  });
  readonly focus = vi.fn();
  readonly restore = vi.fn();

  constructor(readonly options: Record<string, unknown>) {
    super();
    state.windows.push(this);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isMinimized(): boolean {
    return false;
  }

  isVisible(): boolean {
    return this.visible;
  }

  /** The user (or the app) closes the window. */
  close(): FakeEvent {
    const event = fakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    return event;
  }
}

/** A Tray: records the image, tooltip, title and menu it was given. */
export class FakeTray extends EventEmitter {
  readonly setImage = vi.fn();
  readonly setToolTip = vi.fn();
  readonly setTitle = vi.fn();
  readonly setContextMenu = vi.fn();
  readonly destroy = vi.fn();

  constructor(readonly image: unknown) {
    super();
    state.trays.push(this);
  }
}

/** A session: keeps the permission handlers main installs. */
export class FakeSession {
  permissionRequestHandler: ((...args: unknown[]) => void) | undefined;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  readonly setPermissionRequestHandler = vi.fn((handler: (...args: unknown[]) => void) => {
    this.permissionRequestHandler = handler;
  });
  readonly setPermissionCheckHandler = vi.fn((handler: (...args: unknown[]) => boolean) => {
    this.permissionCheckHandler = handler;
  });
}

/** A display: its id and bounds (all main reads). */
export interface FakeDisplay {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

const defaultDisplay = (): FakeDisplay => ({ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } });

const state = {
  displays: [defaultDisplay()],
  children: [] as FakeUtilityProcess[],
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  protocolHandlers: new Map<string, (request: { url: string }) => unknown>(),
};

// ─── electron's named exports ────────────────────────────────────────────────

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  quit: vi.fn(),
  exit: vi.fn(),
  whenReady: vi.fn(() => Promise.resolve()),
  requestSingleInstanceLock: vi.fn(() => true),
  setPath: vi.fn(),
  getPath: vi.fn((name: string) => `/fake/${name}`),
  getAppPath: vi.fn(() => '/fake/app'),
  enableSandbox: vi.fn(),
  setLoginItemSettings: vi.fn(),
  dock: { hide: vi.fn() },
});

export const utilityProcess = {
  fork: vi.fn((modulePath: string, args: string[] = [], options: Record<string, unknown> = {}) => {
    const child = new FakeUtilityProcess(modulePath, args, options);
    state.children.push(child);
    return child;
  }),
};

export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;

export const ipcMain = {
  handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
    state.ipcHandlers.set(channel, handler);
  }),
  handleOnce: vi.fn(),
  on: vi.fn(),
  once: vi.fn(),
  removeHandler: vi.fn((channel: string) => state.ipcHandlers.delete(channel)),
};

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn((scheme: string, handler: (request: { url: string }) => unknown) => {
    state.protocolHandlers.set(scheme, handler);
  }),
};

export const session = { defaultSession: new FakeSession() };

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
};

export const nativeImage = {
  createFromPath: vi.fn((path: string) => ({ path, isEmpty: () => false })),
};

export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false });

/** Displays `screen.getAllDisplays()` answers; tests set `electronFake.displays`. */
export const screen = {
  getAllDisplays: vi.fn(() => state.displays),
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> => ({
    canceled: true,
    filePaths: [],
  })),
};

export const powerMonitor = Object.assign(new EventEmitter(), {
  getSystemIdleState: vi.fn((_thresholdS: number): string => 'active'),
  /** Seconds since the last input. */
  getSystemIdleTime: vi.fn((): number => 0),
});

// ─── control ─────────────────────────────────────────────────────────────────

const emitters = [app, nativeTheme, powerMonitor];
const mocks = [
  app.quit,
  app.exit,
  app.whenReady,
  app.requestSingleInstanceLock,
  app.setPath,
  app.getPath,
  app.getAppPath,
  app.enableSandbox,
  app.setLoginItemSettings,
  app.dock.hide,
  utilityProcess.fork,
  ipcMain.handle,
  ipcMain.handleOnce,
  ipcMain.on,
  ipcMain.once,
  ipcMain.removeHandler,
  protocol.registerSchemesAsPrivileged,
  protocol.handle,
  Menu.buildFromTemplate,
  nativeImage.createFromPath,
  powerMonitor.getSystemIdleState,
  powerMonitor.getSystemIdleTime,
  screen.getAllDisplays,
  dialog.showOpenDialog,
];

/** What the fake recorded, and helpers that drive it. */
export const electronFake = {
  /** Every utility process forked, oldest first. */
  get children(): FakeUtilityProcess[] {
    return state.children;
  },
  /** The most recently forked utility process. */
  get child(): FakeUtilityProcess {
    const child = state.children.at(-1);
    if (!child) throw new Error('electron-fake: no utility process was forked');
    return child;
  },
  get windows(): FakeBrowserWindow[] {
    return state.windows;
  },
  get trays(): FakeTray[] {
    return state.trays;
  },
  /** What `screen.getAllDisplays()` answers (one 1920×1080 display after `reset`). */
  get displays(): FakeDisplay[] {
    return state.displays;
  },
  set displays(displays: FakeDisplay[]) {
    state.displays = displays;
  },
  /** `ipcMain.handle` registrations by channel. */
  get ipcHandlers(): Map<string, (event: unknown, ...args: unknown[]) => unknown> {
    return state.ipcHandlers;
  },
  /** `protocol.handle` registrations by scheme. */
  get protocolHandlers(): Map<string, (request: { url: string }) => unknown> {
    return state.protocolHandlers;
  },
  /** Emits app's `child-process-gone` for a utility process, as Electron does after a crash or kill. */
  childProcessGone(details: {
    reason: string;
    exitCode?: number;
    serviceName?: string;
    type?: string;
  }): void {
    app.emit('child-process-gone', fakeEvent(), {
      type: 'Utility',
      serviceName: 'mytimer-daemon',
      exitCode: 0,
      ...details,
    });
  },
  /** Calls the `ipcMain.handle` handler of `channel` as if `senderFrame` had invoked it. */
  invoke(channel: string, senderFrame: FakeWebFrame | null, ...args: unknown[]): Promise<unknown> {
    const handler = state.ipcHandlers.get(channel);
    if (!handler) throw new Error(`electron-fake: no ipcMain.handle for ${channel}`);
    return Promise.resolve(handler({ senderFrame, sender: null }, ...args));
  },
  /** Forgets everything recorded and every listener: call in `beforeEach`. */
  reset(): void {
    state.children.length = 0;
    state.windows.length = 0;
    state.trays.length = 0;
    state.displays = [defaultDisplay()];
    state.ipcHandlers.clear();
    state.protocolHandlers.clear();
    for (const emitter of emitters) emitter.removeAllListeners();
    for (const mock of mocks) mock.mockClear();
    app.isPackaged = false;
    app.requestSingleInstanceLock.mockImplementation(() => true);
    powerMonitor.getSystemIdleState.mockImplementation(() => 'active');
    powerMonitor.getSystemIdleTime.mockImplementation(() => 0);
    nativeTheme.shouldUseDarkColors = false;
    session.defaultSession = new FakeSession();
  },
};
