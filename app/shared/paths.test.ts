import { chmod, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appPaths, resolveHome, runtimeDir, runtimeDirPath, socketPath } from './paths.js';

describe('resolveHome', () => {
  const linux = { platform: 'linux', homedir: '/home/ada' } as const;

  it('Linux: $XDG_CONFIG_HOME/mytimer, else ~/.config/mytimer (a relative XDG value is ignored)', () => {
    expect(resolveHome({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg/mytimer');
    expect(resolveHome({ ...linux, env: {} })).toBe('/home/ada/.config/mytimer');
    expect(resolveHome({ ...linux, env: { XDG_CONFIG_HOME: 'relative' } })).toBe('/home/ada/.config/mytimer');
  });

  it('Windows: %APPDATA%\\mytimer, else the roaming AppData under the profile', () => {
    const windows = { platform: 'win32', homedir: 'C:\\Users\\Ada' } as const;
    expect(resolveHome({ ...windows, env: { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming' } })).toBe(
      'C:\\Users\\Ada\\AppData\\Roaming\\mytimer',
    );
    expect(resolveHome({ ...windows, env: {} })).toBe('C:\\Users\\Ada\\AppData\\Roaming\\mytimer');
  });

  it('macOS: ~/Library/Application Support/mytimer, whatever XDG says', () => {
    const env = { XDG_CONFIG_HOME: '/xdg' };
    expect(resolveHome({ platform: 'darwin', homedir: '/Users/ada', env })).toBe(
      '/Users/ada/Library/Application Support/mytimer',
    );
  });

  it('MYTIMER_HOME overrides the OS dir, and an explicit --home overrides both', () => {
    const env = { XDG_CONFIG_HOME: '/xdg', MYTIMER_HOME: '/tmp/test-home' };
    expect(resolveHome({ ...linux, env })).toBe('/tmp/test-home');
    expect(resolveHome({ ...linux, env, home: '/explicit' })).toBe('/explicit');
    expect(resolveHome({ ...linux, env: { MYTIMER_HOME: '' } })).toBe('/home/ada/.config/mytimer');
  });

  it('appPaths names the settings, state and lock files inside the home', () => {
    const home = path.join(path.sep, 'h');
    expect(appPaths(home)).toEqual({
      home,
      settings: path.join(home, 'settings.json'),
      state: path.join(home, 'state.json'),
      lock: path.join(home, 'settings.lock'),
    });
  });
});

describe('runtimeDirPath and socketPath', () => {
  const base = { platform: 'linux', tmpdir: '/tmp', uid: 1000 } as const;

  it('uses $XDG_RUNTIME_DIR/mytimer, else <tmpdir>/mytimer-<uid>', () => {
    expect(runtimeDirPath({ ...base, env: { XDG_RUNTIME_DIR: '/run/user/1000' } })).toBe(
      '/run/user/1000/mytimer',
    );
    expect(runtimeDirPath({ ...base, env: {} })).toBe('/tmp/mytimer-1000');
  });

  it('an overridden home gets its own <home>/run, so test daemons never share a socket', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000', MYTIMER_HOME: '/tmp/a' };
    expect(runtimeDirPath({ ...base, env })).toBe('/tmp/a/run');
    expect(runtimeDirPath({ ...base, env, home: '/tmp/b' })).toBe('/tmp/b/run');
  });

  it('POSIX: <runtime>/daemon.sock; Windows: a per-user pipe, hashed for non-default runtime dirs', () => {
    expect(socketPath('/run/user/1000/mytimer', { platform: 'linux' })).toBe(
      '/run/user/1000/mytimer/daemon.sock',
    );
    const windows = { platform: 'win32', username: 'ada' } as const;
    const defaultDir = runtimeDirPath({ ...windows, env: {}, tmpdir: 'C:\\Temp' });
    expect(socketPath(defaultDir, windows)).toBe('\\\\.\\pipe\\mytimer-ada');
    const a = socketPath('C:\\homes\\a\\run', windows);
    const b = socketPath('C:\\homes\\b\\run', windows);
    expect(a).toMatch(/^\\\\\.\\pipe\\mytimer-ada-[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
  });
});

describe.skipIf(process.platform === 'win32')('runtimeDir on disk', () => {
  let tmp: string;
  const uid = process.getuid?.() ?? 0;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'mytimer-paths-'));
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  it('creates the dir with mode 0700', async () => {
    const dir = await runtimeDir({ env: {}, tmpdir: tmp, uid });
    expect(dir).toBe(path.join(tmp, `mytimer-${uid}`));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('tightens a dir left with a looser mode', async () => {
    const loose = path.join(tmp, `mytimer-${uid}`);
    await mkdir(loose);
    await chmod(loose, 0o755);
    await runtimeDir({ env: {}, tmpdir: tmp, uid });
    expect((await stat(loose)).mode & 0o777).toBe(0o700);
  });

  it('puts an overridden home’s runtime dir under it, 0700', async () => {
    const home = path.join(tmp, 'home');
    expect(await runtimeDir({ env: { MYTIMER_HOME: home }, uid })).toBe(path.join(home, 'run'));
    expect((await stat(path.join(home, 'run'))).mode & 0o777).toBe(0o700);
  });

  it('refuses a symlink planted in its place', async () => {
    await mkdir(path.join(tmp, 'elsewhere'));
    await symlink(path.join(tmp, 'elsewhere'), path.join(tmp, `mytimer-${uid}`));
    await expect(runtimeDir({ env: {}, tmpdir: tmp, uid })).rejects.toThrow(/is a symlink; refusing/);
  });

  it('refuses a dir owned by someone else', async () => {
    const stranger = uid + 4242;
    await mkdir(path.join(tmp, `mytimer-${stranger}`));
    await expect(runtimeDir({ env: {}, tmpdir: tmp, uid: stranger })).rejects.toThrow(/is owned by uid/);
  });
});
