import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** What resolveHome reads; everything is injectable so tests can play any OS. */
export interface ResolveHomeOptions {
  /** An explicit `--home`: wins over everything. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/** The files the store keeps in the home dir. */
export interface AppPaths {
  home: string;
  settings: string;
  state: string;
  lock: string;
}

/** What runtimeDir reads, injectable like ResolveHomeOptions. */
export interface RuntimeDirOptions extends ResolveHomeOptions {
  tmpdir?: string;
  /** Numeric uid on POSIX; ignored on Windows, where the user name stands in. */
  uid?: number;
  username?: string;
}

const APP_DIR = 'mytimer';

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** The home dir the caller asked for (`--home`, then `MYTIMER_HOME`), or undefined for the OS default. */
function overriddenHome({ home, env = process.env, platform = process.platform }: ResolveHomeOptions) {
  const chosen = home || env.MYTIMER_HOME;
  return chosen ? pathFor(platform).resolve(chosen) : undefined;
}

/**
 * The directory holding settings and state: `--home`, else `MYTIMER_HOME`, else the OS config dir
 * (`$XDG_CONFIG_HOME/mytimer` or `~/.config/mytimer`, `%APPDATA%\mytimer`,
 * `~/Library/Application Support/mytimer`).
 */
export function resolveHome(options: ResolveHomeOptions = {}): string {
  const { env = process.env, platform = process.platform, homedir = os.homedir() } = options;
  const override = overriddenHome(options);
  if (override) return override;
  const p = pathFor(platform);
  if (platform === 'win32') return p.join(env.APPDATA || p.join(homedir, 'AppData', 'Roaming'), APP_DIR);
  if (platform === 'darwin') return p.join(homedir, 'Library', 'Application Support', APP_DIR);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(homedir, '.config'), APP_DIR);
}

/** The store's files inside `home`. */
export function appPaths(home: string): AppPaths {
  return {
    home,
    settings: path.join(home, 'settings.json'),
    state: path.join(home, 'state.json'),
    lock: path.join(home, 'settings.lock'),
  };
}

/** The folder of the break history files (`history-2026-12.jsonl` …): beside settings.json, in the home. */
export function historyDir(home: string): string {
  return home;
}

function currentUsername(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username;
  } catch {
    // userInfo throws when the uid has no passwd entry (common in containers).
    return env.USERNAME || env.USER || 'user';
  }
}

/**
 * Where the per-user runtime dir (control socket) lives, without creating it:
 * `<home>/run` when the home is overridden (`--home` or `MYTIMER_HOME`), so daemons with different
 * homes — test daemons above all — never share a socket; else `$XDG_RUNTIME_DIR/mytimer`; else
 * `<tmpdir>/mytimer-<uid>`.
 */
export function runtimeDirPath(options: RuntimeDirOptions = {}): string {
  const { env = process.env, platform = process.platform } = options;
  const p = pathFor(platform);
  const override = overriddenHome(options);
  if (override) return p.join(override, 'run');
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && p.isAbsolute(xdg)) return p.join(xdg, APP_DIR);
  const owner =
    platform === 'win32'
      ? (options.username ?? currentUsername(env))
      : (options.uid ?? process.getuid?.() ?? currentUsername(env));
  return p.join(options.tmpdir ?? os.tmpdir(), `${APP_DIR}-${owner}`);
}

/**
 * The runtime dir (see runtimeDirPath), created with mode 0700 and checked before use: on POSIX it
 * must be a real directory (not a symlink) owned by us, and a looser mode is tightened to 0700.
 * A shared `/tmp` is where another user could plant a look-alike; this refuses it rather than
 * exposing the control socket.
 */
export async function runtimeDir(options: RuntimeDirOptions = {}): Promise<string> {
  const platform = options.platform ?? process.platform;
  const dir = runtimeDirPath(options);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (platform === 'win32') return dir; // POSIX modes and uids mean nothing there; the pipe ACL protects it.
  const info = await lstat(dir);
  if (info.isSymbolicLink()) throw new Error(`runtime dir ${dir} is a symlink; refusing to use it`);
  if (!info.isDirectory()) throw new Error(`runtime dir ${dir} is not a directory`);
  const uid = options.uid ?? process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new Error(
      `runtime dir ${dir} is owned by uid ${info.uid}, not by us (uid ${uid}); refusing to use it`,
    );
  }
  if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
  return dir;
}

/** Options for socketPath. */
export interface SocketPathOptions {
  platform?: NodeJS.Platform;
  username?: string;
}

/**
 * The daemon's control endpoint: `<runtime>/daemon.sock` on POSIX, `\\.\pipe\mytimer-<username>` on
 * Windows. Pipes live in one machine-wide namespace, not in the runtime dir, so a runtime dir other
 * than the default `mytimer-<username>` (an overridden home) gets a pipe name suffixed with a short
 * hash of that dir. Keep POSIX homes short: a socket path is limited to about 104 bytes.
 */
export function socketPath(runtime: string, options: SocketPathOptions = {}): string {
  const { platform = process.platform } = options;
  if (platform !== 'win32') return path.posix.join(runtime, 'daemon.sock');
  const base = `${APP_DIR}-${options.username ?? currentUsername(process.env)}`;
  if (path.win32.basename(runtime) === base) return `\\\\.\\pipe\\${base}`;
  const hash = createHash('sha256').update(runtime.toLowerCase()).digest('hex').slice(0, 10);
  return `\\\\.\\pipe\\${base}-${hash}`;
}
