import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { resolveHome } from '../../shared/paths.js';
import { globalsOf } from '../daemon-or-file.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';

/** The unit's file name under `~/.config/systemd/user/`. */
export const UNIT_NAME = 'mytimer.service';

/** What to type after `install` without `--now`, and after `uninstall` without it (commands, not prose). */
const START_COMMANDS = ['systemctl --user daemon-reload', `systemctl --user enable --now ${UNIT_NAME}`];
const STOP_COMMANDS = [`systemctl --user stop ${UNIT_NAME}`, 'systemctl --user daemon-reload'];
const indented = (commands: readonly string[]) => commands.map((command) => `  ${command}\n`).join('');

/** `mytimer service install|uninstall [--now]`, as parsed. */
export interface ServiceOptions {
  action: 'install' | 'uninstall';
  /** Also enable and start (install) or stop and disable (uninstall) it with `systemctl --user`. */
  now: boolean;
  /** `--home` or MYTIMER_HOME when given: the service runs the daemon on that folder. */
  home?: string;
}

/** What `runService` needs from the machine; tests replace the platform or the command that runs. */
export interface ServiceSystem {
  platform: NodeJS.Platform;
  /** The command that starts the headless daemon: node and the CLI entry, or the app binary with `--cli`. */
  runCommand: readonly string[];
  /** Runs `systemctl` with `args`; its exit status (null when it could not be run) and stderr. */
  systemctl(args: readonly string[], env: NodeJS.ProcessEnv): { status: number | null; stderr: string };
}

/** The CLI's own entry beside this module once built: `dist/app/cli/main.js`. */
const CLI_ENTRY = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * Chromium switches for the app binary as the CLI on Linux (the same as build/linux/mytimer.sh): Ozone's
 * headless platform, so `--cli` needs no X11 or Wayland display (a server, a unit started before the
 * desktop session); Chromium's `--headless` is not built into Electron. No GPU process either.
 */
export const HEADLESS_SWITCHES = ['--ozone-platform=headless', '--disable-gpu'] as const;

/**
 * How this very program is started again: under Electron (the installed app's `--cli`) the app binary
 * with `--cli` — the AppImage file itself when running from one (`APPIMAGE`: `process.execPath` then
 * points into a mount that is gone once this process ends) — under Node the current node with the CLI's entry.
 */
export function currentRunCommand(
  execPath: string = process.execPath,
  electron: string | undefined = process.versions.electron,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (!electron) return [execPath, CLI_ENTRY, 'run'];
  return [env.APPIMAGE || execPath, ...HEADLESS_SWITCHES, '--cli', 'run'];
}

/** The real machine. */
export const realSystem: ServiceSystem = {
  platform: process.platform,
  runCommand: currentRunCommand(),
  systemctl(args, env) {
    const run = spawnSync('systemctl', [...args], { env, encoding: 'utf8' });
    return { status: run.error ? null : run.status, stderr: run.stderr ?? '' };
  },
};

/** `~/.config/systemd/user/mytimer.service`, honouring XDG_CONFIG_HOME (an absolute one, as the spec asks). */
export function unitPath(env: NodeJS.ProcessEnv): string {
  const configHome =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(env.HOME ?? homedir(), '.config');
  return path.join(configHome, 'systemd', 'user', UNIT_NAME);
}

/**
 * One word of an `ExecStart=` line: as is when plain, else double-quoted with `\` and `"` escaped.
 * `%` (specifiers) and `$` (variables) are doubled either way, so a path is taken literally.
 */
export function execWord(word: string): string {
  const literal = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(literal)) return literal;
  return `"${literal.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The systemd user unit that keeps the headless daemon running: `command` (see {@link currentRunCommand})
 * with `--home` when one was chosen, restarted after a failure, started with the user's session.
 */
export function serviceUnit(command: readonly string[], home?: string): string {
  const words =
    home === undefined ? [...command] : [...command.slice(0, -1), '--home', home, ...command.slice(-1)];
  return [
    '[Unit]',
    'Description=myTimer: rest reminders, timers and scheduled jobs (headless daemon)',
    'Documentation=man:systemd.service(5)',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${words.map(execWord).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=10',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** Whether `name` is an executable file in one of `env.PATH`'s folders. */
export function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Parses `service <action>` and its options. */
export function parseService(
  action: string,
  options: { now?: boolean },
  globals: { home?: string },
  env: NodeJS.ProcessEnv,
): ServiceOptions {
  if (action !== 'install' && action !== 'uninstall') {
    throw UsageError.of('cli.service.badAction', { action });
  }
  const home = globals.home ?? env.MYTIMER_HOME;
  return {
    action,
    now: options.now === true,
    ...(home !== undefined && home !== '' && { home: resolveHome({ home, env }) }),
  };
}

/** Writes or removes the unit, and with `--now` starts or stops it through `systemctl --user`. */
export function runService(options: ServiceOptions, io: CliIO, system: ServiceSystem = realSystem): void {
  if (system.platform !== 'linux')
    throw new Error(t(io, 'cli.service.linuxOnly', { platform: system.platform }));
  const file = unitPath(io.env);
  const systemctl = (...args: string[]) => {
    if (!onPath('systemctl', io.env))
      throw new Error(t(io, 'cli.service.noSystemctl', { commands: args.join(' ') }));
    const run = system.systemctl(['--user', ...args], io.env);
    if (run.status !== 0) {
      const why = run.stderr.trim().split('\n')[0] ?? '';
      throw new Error(
        t(io, 'cli.service.systemctlFailed', { command: `systemctl --user ${args.join(' ')}`, why }),
      );
    }
  };

  if (options.action === 'install') {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.tmp-${process.pid}`;
    writeFileSync(temporary, serviceUnit(system.runCommand, options.home));
    renameSync(temporary, file);
    io.stdout(`${t(io, 'cli.service.installed', { file })}\n`);
    if (options.now) {
      systemctl('daemon-reload');
      systemctl('enable', '--now', UNIT_NAME);
      io.stdout(`${t(io, 'cli.service.started')}\n`);
    } else {
      io.stdout(`${t(io, 'cli.service.startHint')}\n${indented(START_COMMANDS)}`);
    }
    return;
  }

  if (options.now) systemctl('disable', '--now', UNIT_NAME);
  // What `systemctl disable` removes, so a later login does not look for the unit.
  const wanted = path.join(path.dirname(file), 'default.target.wants', UNIT_NAME);
  rmSync(wanted, { force: true });
  let existed = true;
  try {
    rmSync(file);
  } catch {
    existed = false;
  }
  io.stdout(`${t(io, existed ? 'cli.service.removed' : 'cli.service.absent', { file })}\n`);
  if (options.now) systemctl('daemon-reload');
  else {
    io.stdout(`${t(io, 'cli.service.stopHint')}\n${indented(STOP_COMMANDS)}`);
  }
}

/** Registers `mytimer service install|uninstall`. */
export function registerService(program: Command, io: CliIO): void {
  program
    .command('service')
    .description(t(io, 'cli.help.service'))
    .argument('<action>', 'install or uninstall')
    .option('--now', 'also start (install) or stop (uninstall) it now, with systemctl --user')
    .addHelpText(
      'after',
      `
Linux only: writes ~/.config/systemd/user/mytimer.service (or under $XDG_CONFIG_HOME), which runs
\`mytimer run\` with your session and restarts it after a failure.

Examples:
  mytimer service install --now
  mytimer service uninstall --now`,
    )
    .action((action: string, options: { now?: boolean }, command: Command) => {
      runService(parseService(action, options, globalsOf(command), io.env), io);
    });
}
