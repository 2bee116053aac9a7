/**
 * Electron main's composition root: it only wires the modules beside it together. The engine runs in
 * the daemon (a utility process); main holds no engine state, it shows the tray and the settings
 * window, forwards OS power events, and relays the window's validated requests.
 */
import path from 'node:path';
import { app, session } from 'electron';
import { IPC_CHANNELS } from '../shared/ipc-channels.js';
import { resolveLocale } from '../shared/i18n/index.js';
import { resolveHome } from '../shared/paths.js';
import { autostartSync } from './autostart.js';
import { cliArguments, runCliMode } from './cli-mode.js';
import { BreakWindows } from './break-window.js';
import { DaemonHost } from './daemon-host.js';
import { registerIpc } from './ipc.js';
import { pickFolder } from './folder-picker.js';
import { createLog } from './log.js';
import { mainPaths } from './paths.js';
import { forwardPowerEvents } from './power.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { stopDaemonOnQuit } from './quit.js';
import { denyAllPermissions, guardAllWebContents } from './security.js';
import { installTestHook } from './test-hook.js';
import { createTray } from './tray.js';
import { runTrayAction } from './tray-commands.js';
import { SettingsWindow } from './windows.js';

const log = createLog();
const paths = mainPaths();
const home = resolveHome({ env: process.env });

// `myTimer --cli …` is the `mytimer` command (the installers' launchers call it): run the CLI and exit,
// before anything of the tray app — no window, no tray, no single-instance lock, no userData.
const cliArgv = cliArguments(process.argv);
if (cliArgv !== null) void runCliMode(cliArgv, app);
else startApp();

function startApp(): void {
  // Before 'ready' (Electron's rules): Chromium's own files beside our settings, not in them, and one
  // instance per settings folder (the lock lives in userData); sandbox every renderer; the app: scheme.
  app.setPath('userData', path.join(home, 'electron'));
  app.enableSandbox();
  registerAppScheme();
  guardAllWebContents(log);

  if (!app.requestSingleInstanceLock()) {
    // The running instance gets 'second-instance' and shows its settings window.
    app.quit();
  } else {
    app.on('window-all-closed', () => {
      // A tray app keeps running with no window open.
    });
    void app.whenReady().then(start);
  }
}

function start(): void {
  if (process.platform === 'darwin') app.dock?.hide();
  denyAllPermissions(session.defaultSession, log);
  serveRenderer(paths.rendererDir);

  const host = new DaemonHost({ modulePath: paths.daemon, home, log });
  const request = host.request.bind(host);
  const settings = new SettingsWindow({
    preloadPath: paths.preload,
    iconPath: path.join(paths.iconsDir, 'icon-256.png'),
    log,
  });
  const tray = createTray({
    iconsDir: paths.iconsDir,
    locale: resolveLocale('auto'),
    onAction: runTrayAction({ request, openSettings: () => settings.show(), quit: () => app.quit(), log }),
  });
  // Start at login is only meaningful for an installed app: a development Electron is not one.
  const autostart = autostartSync(request, log, app.isPackaged ? undefined : async () => undefined);

  const breaks = new BreakWindows({
    preloadPath: paths.preload,
    request,
    locale: () => host.status?.locale ?? resolveLocale('auto'),
    log,
  });

  registerIpc({
    request,
    status: () => host.status,
    settingsContents: () => settings.webContents,
    onSettingsChanged: () => void autostart.sync(),
    pickFolder,
    breaks,
    log,
  });
  const stopPower = forwardPowerEvents(
    (event, idleMs) => void request('host-event', { event, ...(idleMs !== undefined && { idleMs }) }),
  );

  host.on('status', (status) => tray.update(status));
  host.on('event', (event) => {
    if (event.event === 'job') tray.jobEvent(event.data);
    settings.send(IPC_CHANNELS.event, event);
    // A break reminder with window alerts: the break window on every display.
    if (event.event === 'reminder' && event.data.window) {
      breaks.open({
        reminderId: event.data.id,
        name: event.data.name,
        message: event.data.message,
        breakMinutes: event.data.window.breakMinutes,
        strict: event.data.window.strict,
      });
    }
  });
  host.on('spawn', () => tray.setNotice(null));
  host.on('give-up', ({ reason }) => tray.setNotice(reason));
  host.once('status', () => void autostart.sync());

  app.on('second-instance', () => settings.show());
  stopDaemonOnQuit(host, () => settings.allowClose());
  app.on('will-quit', () => {
    stopPower();
    breaks.close();
    tray.destroy();
    host.dispose();
  });

  installTestHook({
    openSettings: () => settings.show(),
    trayMenuTemplate: () => tray.template(),
    quit: () => app.quit(),
    daemonPid: () => host.pid ?? host.status?.pid ?? null,
    status: () => host.status,
    request,
  });
  host.start();
}
