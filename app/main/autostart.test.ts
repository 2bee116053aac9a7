import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AUTOSTART_FILE_NAME,
  applyAutostart,
  autostartCommand,
  autostartDir,
  autostartSync,
  desktopEntry,
  execArgument,
  setLinuxAutostart,
} from './autostart.js';
import { app, electronFake } from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

let home: string;

beforeEach(async () => {
  electronFake.reset();
  home = await mkdtemp(path.join(tmpdir(), 'mytimer-autostart-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('the Linux autostart entry', () => {
  it('lives in ~/.config/autostart, or $XDG_CONFIG_HOME/autostart when that is absolute', () => {
    expect(autostartDir({ HOME: home })).toBe(path.join(home, '.config', 'autostart'));
    expect(autostartDir({ HOME: home, XDG_CONFIG_HOME: '/xdg' })).toBe(path.join('/xdg', 'autostart'));
    expect(autostartDir({ HOME: home, XDG_CONFIG_HOME: 'relative' })).toBe(
      path.join(home, '.config', 'autostart'),
    );
  });

  it('is a desktop entry that GNOME and KDE start at login', () => {
    expect(desktopEntry(['/opt/myTimer/mytimer'])).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=myTimer',
        'Comment=Reminds you to rest, runs your timers',
        'Exec=/opt/myTimer/mytimer',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('quotes Exec arguments as the Desktop Entry spec says', () => {
    expect(execArgument('/opt/app/mytimer')).toBe('/opt/app/mytimer');
    expect(execArgument('/home/me/My Apps/myTimer.AppImage')).toBe('"/home/me/My Apps/myTimer.AppImage"');
    expect(execArgument('/a/$b`c"d')).toBe('"/a/\\\\$b\\\\`c\\\\"d"');
    expect(execArgument('/a/100%')).toBe('/a/100%%');
    expect(() => execArgument('/a\nb')).toThrow(/line break/);
  });

  it('runs the AppImage when there is one, else the executable (plus the app folder in development)', () => {
    expect(
      autostartCommand({ env: { APPIMAGE: '/home/me/myTimer.AppImage' }, execPath: '/tmp/.mount/mytimer' }),
    ).toEqual(['/home/me/myTimer.AppImage']);
    expect(autostartCommand({ env: {}, execPath: '/opt/myTimer/mytimer', isPackaged: true })).toEqual([
      '/opt/myTimer/mytimer',
    ]);
    expect(
      autostartCommand({ env: {}, execPath: '/dev/electron', isPackaged: false, appPath: '/src/mytimer' }),
    ).toEqual(['/dev/electron', '/src/mytimer']);
  });

  it('is written when enabled and removed when disabled (in a temp HOME)', async () => {
    const dir = autostartDir({ HOME: home });
    const file = path.join(dir, AUTOSTART_FILE_NAME);
    await setLinuxAutostart(true, { command: ['/home/me/my apps/myTimer.AppImage'], dir });
    const content = await readFile(file, 'utf8');
    expect(content).toContain('Exec="/home/me/my apps/myTimer.AppImage"\n');
    expect(content).toContain('X-GNOME-Autostart-enabled=true\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);

    await setLinuxAutostart(true, { command: ['/home/me/my apps/myTimer.AppImage'], dir });
    await setLinuxAutostart(false, { command: [], dir });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    // Removing twice is fine.
    await setLinuxAutostart(false, { command: [], dir });
  });
});

describe('applyAutostart on macOS and Windows', () => {
  it.each(['darwin', 'win32'] as const)('uses the login items on %s', async (platform) => {
    await applyAutostart(true, platform);
    await applyAutostart(false, platform);
    expect(app.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }], [{ openAtLogin: false }]]);
  });
});

describe('autostartSync', () => {
  it('applies startAtLogin from the daemon settings, once per change', async () => {
    let startAtLogin = false;
    const request = vi.fn(async () => ({ id: 'main-1', ok: true as const, result: { startAtLogin } }));
    const apply = vi.fn(async (_enabled: boolean) => undefined);
    const sync = autostartSync(request, () => undefined, apply);
    await sync.sync();
    await sync.sync();
    startAtLogin = true;
    await sync.sync();
    expect(request).toHaveBeenCalledWith('settings.get', {});
    expect(apply.mock.calls).toEqual([[false], [true]]);
  });

  it('does nothing when the daemon cannot answer, and logs a failure to apply', async () => {
    const logs: string[] = [];
    const apply = vi.fn(async () => {
      throw new Error('read-only file system');
    });
    const down = autostartSync(
      async () => ({ id: null, ok: false, error: { code: 'unavailable', message: 'down' } }),
      () => undefined,
      apply,
    );
    await down.sync();
    expect(apply).not.toHaveBeenCalled();

    const failing = autostartSync(
      async () => ({ id: 'main-1', ok: true, result: { startAtLogin: true } }),
      (level, message) => logs.push(`${level}: ${message}`),
      apply,
    );
    await failing.sync();
    expect(logs).toEqual(['warn: could not change start at login: read-only file system']);
  });
});
