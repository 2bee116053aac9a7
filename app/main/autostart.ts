import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { app } from 'electron';
import type { Reply } from '../shared/contract.js';
import type { Log } from './log.js';

/** The XDG autostart entry's file name. */
export const AUTOSTART_FILE_NAME = 'mytimer.desktop';

/** Where XDG autostart entries live: `$XDG_CONFIG_HOME/autostart`, else `~/.config/autostart`. */
export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const configHome = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.config');
  return path.join(configHome, 'autostart');
}

/** What {@link autostartCommand} reads; the defaults are the running app's. */
export interface AutostartCommandOptions {
  env?: NodeJS.ProcessEnv;
  execPath?: string;
  isPackaged?: boolean;
  appPath?: string;
}

/**
 * The command that starts the app at login: the AppImage itself when running from one (`APPIMAGE`:
 * `process.execPath` points into its temporary mount), else the executable — plus the app folder in
 * development, where the executable is a bare Electron.
 */
export function autostartCommand(options: AutostartCommandOptions = {}): string[] {
  const env = options.env ?? process.env;
  if (env.APPIMAGE) return [env.APPIMAGE];
  const execPath = options.execPath ?? process.execPath;
  const isPackaged = options.isPackaged ?? app.isPackaged;
  return isPackaged ? [execPath] : [execPath, options.appPath ?? app.getAppPath()];
}

/**
 * One argument of an `Exec=` line, quoted as the Desktop Entry spec asks: an argument with a reserved
 * character goes in double quotes with `"`, `` ` ``, `$` and `\` backslash-escaped; then the string
 * escape doubles every backslash and `%` becomes `%%` (not a field code).
 */
export function execArgument(argument: string): string {
  if (/[\r\n]/.test(argument))
    throw new Error(`autostart: a path with a line break cannot be launched: ${argument}`);
  const quoted = /[\s"'\\><~|&;$*?#()`]/.test(argument)
    ? `"${argument.replace(/["`$\\]/g, (char) => `\\${char}`)}"`
    : argument;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

/** The autostart entry that launches `command` at login. */
export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=myTimer',
    'Comment=Reminds you to rest, runs your timers',
    `Exec=${command.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes (enabled) or removes (disabled) the XDG autostart entry in `dir`; idempotent. */
export async function setLinuxAutostart(
  enabled: boolean,
  options: { command: readonly string[]; dir?: string },
): Promise<void> {
  const dir = options.dir ?? autostartDir();
  const file = path.join(dir, AUTOSTART_FILE_NAME);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  const content = desktopEntry(options.command);
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === content) return;
  await mkdir(dir, { recursive: true });
  await writeFile(file, content, { mode: 0o644 });
}

/**
 * Applies the `startAtLogin` setting: an XDG autostart entry on Linux, the OS login items on macOS and
 * Windows (`app.setLoginItemSettings`).
 */
export async function applyAutostart(
  enabled: boolean,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  if (platform === 'darwin' || platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  await setLinuxAutostart(enabled, { command: autostartCommand() });
}

/**
 * Keeps the login item in step with the daemon's settings (the daemon owns settings.json): `sync()`
 * asks for `settings.get` and applies `startAtLogin` when it changed since the last sync. Call it
 * when the daemon starts and after every accepted `settings.set`.
 */
export function autostartSync(
  request: (method: 'settings.get', params: Record<string, never>) => Promise<Reply>,
  log: Log,
  apply: (enabled: boolean) => Promise<void> = (enabled) => applyAutostart(enabled),
): { sync(): Promise<void> } {
  let applied: boolean | undefined;
  return {
    async sync() {
      const reply = await request('settings.get', {});
      if (!reply.ok) return;
      const enabled = (reply.result as { startAtLogin?: unknown } | null)?.startAtLogin === true;
      if (enabled === applied) return;
      try {
        await apply(enabled);
        applied = enabled;
        log('info', `start at login ${enabled ? 'enabled' : 'disabled'}`);
      } catch (error) {
        log(
          'warn',
          `could not change start at login: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  };
}
