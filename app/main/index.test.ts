import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../shared/ipc-channels.js';
import type * as FakeElectron from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

/** The CLI as the composition root would load it in `--cli` mode: records its argv, answers status 3. */
const cli = vi.hoisted(() => ({ runCli: vi.fn(async (_argv: readonly string[], _io: unknown) => 3) }));
vi.mock('../cli/index.js', () => ({ runCli: cli.runCli, processIO: { marker: 'process-io' } }));

type Fake = typeof FakeElectron;

let home: string;
let fake: Fake | undefined;

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'mytimer-main-'));
  vi.stubEnv('MYTIMER_HOME', home);
  vi.stubEnv('MYTIMER_E2E', '1');
});

afterEach(async () => {
  vi.restoreAllMocks();
  // Stops the power poll and the tray ticker the composition root started.
  fake?.app.emit('will-quit', fake.fakeEvent());
  fake = undefined;
  globalThis.__mytimerTest = undefined;
  vi.unstubAllEnvs();
  await rm(home, { recursive: true, force: true });
});

/** Loads the composition root afresh over a fresh fake electron, and lets app `ready` fire. */
async function launch(options: { lockGranted?: boolean } = {}): Promise<Fake> {
  vi.resetModules();
  // Through the mock, so this is the very fake the composition root gets.
  const loaded = (await import('electron')) as unknown as Fake;
  fake = loaded;
  loaded.electronFake.reset();
  loaded.app.requestSingleInstanceLock.mockImplementation(() => options.lockGranted ?? true);
  await import('./index.js');
  await new Promise((resolve) => setImmediate(resolve));
  return loaded;
}

describe('the composition root', () => {
  it('does the before-ready work first: userData in the home, sandbox, app: scheme, one instance', async () => {
    const { app, protocol } = await launch();
    expect(app.setPath).toHaveBeenCalledWith('userData', path.join(home, 'electron'));
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true } },
    ]);
    const beforeReady = [
      app.setPath.mock.invocationCallOrder[0],
      app.enableSandbox.mock.invocationCallOrder[0],
      protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0],
      app.requestSingleInstanceLock.mock.invocationCallOrder[0],
    ];
    const ready = app.whenReady.mock.invocationCallOrder[0] ?? 0;
    for (const order of beforeReady) expect(order).toBeLessThan(ready);
    expect(app.setPath.mock.invocationCallOrder[0]).toBeLessThan(
      app.requestSingleInstanceLock.mock.invocationCallOrder[0] ?? 0,
    );
  });

  it('starts the daemon, the tray, the renderer protocol, permissions and IPC once ready', async () => {
    const { electronFake, session } = await launch();
    expect(electronFake.children).toHaveLength(1);
    expect(electronFake.child.modulePath).toMatch(/[/\\]workers[/\\]daemon\.js$/);
    expect(electronFake.child.args).toEqual(['--home', home]);
    expect(electronFake.trays).toHaveLength(1);
    expect(electronFake.protocolHandlers.has('app')).toBe(true);
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
    expect([...electronFake.ipcHandlers.keys()].sort()).toEqual([
      IPC_CHANNELS.breakAction,
      IPC_CHANNELS.breakInfo,
      IPC_CHANNELS.pickFolder,
      IPC_CHANNELS.request,
      IPC_CHANNELS.status,
    ]);
  });

  it('quits at once when another instance holds the lock', async () => {
    const { app, electronFake } = await launch({ lockGranted: false });
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(electronFake.children).toHaveLength(0);
  });

  it('shows the settings window on a second launch, and pushes daemon events to it', async () => {
    const { app, electronFake, fakeEvent } = await launch();
    app.emit('second-instance', fakeEvent(), [], '/');
    expect(electronFake.windows).toHaveLength(1);
    const event = { event: 'timer-done', data: { id: 't1', name: 'Tea' } };
    electronFake.child.spawn().send(event);
    expect(electronFake.windows[0]?.webContents.send).toHaveBeenCalledWith(IPC_CHANNELS.event, event);
  });

  it('opens the break window on every display when a reminder asks for it, and not otherwise', async () => {
    const { electronFake } = await launch();
    electronFake.displays = [
      { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } },
      { id: 2, bounds: { x: 1920, y: 0, width: 1920, height: 1080 } },
    ];
    const fired = { id: 'rest-eyes', name: 'Rest', message: 'Look away', dueAt: 1, firedAt: 1, missed: 0 };
    const child = electronFake.child.spawn();
    child.send({ event: 'reminder', data: { ...fired, delivered: true } });
    expect(electronFake.windows).toHaveLength(0);
    child.send({
      event: 'reminder',
      data: { ...fired, delivered: true, window: { breakMinutes: 5, strict: false, snoozeMinutes: 5 } },
    });
    expect(electronFake.windows.map((window) => window.loadURL.mock.calls[0]?.[0])).toEqual([
      'app://mytimer/break.html',
      'app://mytimer/break.html',
    ]);
  });

  it('exposes the e2e hook, and quitting sends the daemon its shutdown request', async () => {
    const { app, electronFake, fakeEvent } = await launch();
    const hook = globalThis.__mytimerTest;
    expect(hook).toBeDefined();
    electronFake.child.spawn(5150);
    expect(hook?.daemonPid()).toBe(5150);
    hook?.openSettings();
    expect(electronFake.windows).toHaveLength(1);
    expect(hook?.trayMenuTemplate()[0]).toEqual({ label: 'Starting…', enabled: false });

    const quit = fakeEvent();
    app.emit('before-quit', quit);
    expect(quit.defaultPrevented).toBe(true);
    expect(electronFake.child.posted).toContainEqual({ id: 'stop', method: 'shutdown', params: {} });
    electronFake.child.exit(0);
  });

  it('runs the CLI with the arguments after --cli and exits with its status, showing nothing', async () => {
    vi.spyOn(process, 'argv', 'get').mockReturnValue(['/opt/myTimer/mytimer', '--cli', 'status', '--json']);
    cli.runCli.mockClear();
    const { app, electronFake, protocol } = await launch();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalled());

    expect(cli.runCli).toHaveBeenCalledWith(
      ['status', '--json'],
      expect.objectContaining({ marker: 'process-io', daemonLauncher: expect.any(Object) }),
    );
    expect(app.exit).toHaveBeenCalledWith(3);
    expect(app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(app.setPath).not.toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(electronFake.trays).toHaveLength(0);
    expect(electronFake.windows).toHaveLength(0);
    expect(electronFake.children).toHaveLength(0);
  });
});
