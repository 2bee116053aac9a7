import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// A private D-Bus session bus with python-dbusmock's notification daemon on it: a real notify-send (from the test
// process or from a daemon the test starts) talks to it, and nothing touches the developer's own desktop session.

const execFileAsync = promisify(execFile);
/** Debian's interpreter: the python3-dbus and python3-dbusmock modules belong to it, not to a pyenv python3. */
export const PYTHON = '/usr/bin/python3';
const TAKE_CALLS_SCRIPT = fileURLToPath(new URL('./take-notify-calls.py', import.meta.url));
export const NOTIFICATIONS_NAME = 'org.freedesktop.Notifications';

/** One Notify call as the mock received it (see take-notify-calls.py). */
export interface NotifyCall {
  appName: string;
  replacesId: number;
  appIcon: string;
  summary: string;
  body: string;
  /** `[key, label, key, label, …]`. */
  actions: string[];
  hints: Record<string, unknown>;
  expireTimeout: number;
}

export interface NotificationBus {
  /** The bus address, for DBUS_SESSION_BUS_ADDRESS. */
  readonly address: string;
  /** `{ DBUS_SESSION_BUS_ADDRESS }`, to spread into a child's environment. */
  readonly env: { DBUS_SESSION_BUS_ADDRESS: string };
  /** A scratch directory that lives as long as the bus (the bus's own socket sits in it). */
  readonly dir: string;
  /** The Notify calls the mock received since the last call (oldest first), then clears its log. */
  takeCalls(): Promise<NotifyCall[]>;
  /** Whether something owns org.freedesktop.Notifications on the bus. */
  nameHasOwner(): Promise<boolean>;
  /**
   * Starts the mock notification server (again) and waits until it owns its name. No-op if it runs.
   * `capabilities` replaces the mock's defaults (which lack `actions`); a fresh mock numbers its ids from 1.
   */
  startMock(capabilities?: readonly string[]): Promise<void>;
  /**
   * Makes the mock emit one of org.freedesktop.Notifications' signals, as a real server does when a button is
   * pressed (`ActionInvoked`, `us`) or a notification goes away (`NotificationClosed`, `uu`).
   */
  emitSignal(
    member: 'ActionInvoked' | 'NotificationClosed',
    args: [number, string] | [number, number],
  ): Promise<void>;
  /** Stops the mock notification server and waits until its name is released. */
  stopMock(): Promise<void>;
  /** Stops the mock and the bus and removes the scratch directory. */
  stop(): Promise<void>;
}

/** True when `command` is an executable on PATH. */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

let missingCache: string[] | undefined;

/** What this machine lacks to run the D-Bus tests (Debian package names); empty when they can run. */
export function missingNotificationTools(): string[] {
  if (missingCache) return missingCache;
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push('Linux');
  else {
    if (!onPath('dbus-daemon') || !onPath('dbus-send')) missing.push('dbus');
    if (!onPath('notify-send')) missing.push('libnotify-bin');
    if (spawnSync(PYTHON, ['-c', 'import dbus, dbusmock']).status !== 0) missing.push('python3-dbusmock');
  }
  missingCache = missing;
  return missing;
}

/**
 * A suite title that says why it was skipped: `title` when the tools are there, otherwise
 * `<skippedTitle> — SKIPPED, needs: … (apt-get install …)`.
 */
export function notificationSuiteTitle(title: string, skippedTitle = title): string {
  const missing = missingNotificationTools();
  return missing.length === 0
    ? title
    : `${skippedTitle} — SKIPPED, needs: ${missing.join(' ')} (apt-get install dbus libnotify-bin python3-dbusmock)`;
}

/** Child processes still running, killed if the test worker exits before its afterAll ran. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const leftover of running) leftover.kill('SIGKILL');
    });
  }
}

/** The mock's capabilities with `actions` added: what GNOME Shell, KDE Plasma, dunst and mako offer. */
export const CAPABILITIES_WITH_ACTIONS = [
  'actions',
  'body',
  'body-markup',
  'icon-static',
  'persistence',
  'sound',
] as const;

/** Starts a private session bus and the mock notification server on it (with `capabilities`, if given). */
export async function startNotificationBus(
  options: { capabilities?: readonly string[] } = {},
): Promise<NotificationBus> {
  const dir = mkdtempSync(join(tmpdir(), 'mytimer-dbus-'));
  let bus: ChildProcess | undefined;
  let mock: ChildProcess | undefined;
  try {
    const started = await startBus(dir);
    bus = started.process;
    const address = started.address;
    const env = { DBUS_SESSION_BUS_ADDRESS: address };
    const childEnv = { ...process.env, ...env };

    const nameHasOwner = async (): Promise<boolean> => {
      try {
        const { stdout } = await execFileAsync(
          'dbus-send',
          [
            '--session',
            '--print-reply',
            '--dest=org.freedesktop.DBus',
            '/org/freedesktop/DBus',
            'org.freedesktop.DBus.NameHasOwner',
            `string:${NOTIFICATIONS_NAME}`,
          ],
          { timeout: 5_000, env: childEnv },
        );
        return stdout.includes('boolean true');
      } catch {
        return false;
      }
    };

    const startMock = async (capabilities = options.capabilities): Promise<void> => {
      if (mock && mock.exitCode === null && mock.signalCode === null) return;
      const parameters = capabilities ? ['-p', JSON.stringify({ capabilities: capabilities.join(' ') })] : [];
      const child = spawn(PYTHON, ['-m', 'dbusmock', '--template', 'notification_daemon', ...parameters], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: childEnv,
      });
      track(child);
      mock = child;
      await pollUntil(nameHasOwner, `${NOTIFICATIONS_NAME} to be owned by the mock`);
    };

    const stopMock = async (): Promise<void> => {
      await stopProcess(mock);
      mock = undefined;
      await pollUntil(async () => !(await nameHasOwner()), `${NOTIFICATIONS_NAME} to be released`);
    };

    await startMock();
    const busProcess = bus;
    return {
      address,
      env,
      dir,
      nameHasOwner,
      startMock,
      stopMock,
      async emitSignal(member, args) {
        const signature = member === 'ActionInvoked' ? 'us' : 'uu';
        await execFileAsync(PYTHON, ['-c', EMIT_SIGNAL_SCRIPT, member, signature, JSON.stringify(args)], {
          timeout: 10_000,
          env: childEnv,
        });
      },
      async takeCalls() {
        const { stdout } = await execFileAsync(PYTHON, [TAKE_CALLS_SCRIPT], {
          timeout: 10_000,
          env: childEnv,
        });
        return JSON.parse(stdout) as NotifyCall[];
      },
      async stop() {
        await stopProcess(mock);
        mock = undefined;
        await stopProcess(busProcess);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopProcess(mock);
    await stopProcess(bus);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Asks the mock (org.freedesktop.DBus.Mock.EmitSignal) to emit a signal of its main interface. */
const EMIT_SIGNAL_SCRIPT = `
import json, sys
import dbus
member, signature, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
types = {'u': dbus.UInt32, 's': dbus.String}
mock = dbus.SessionBus().get_object('${NOTIFICATIONS_NAME}', '/org/freedesktop/Notifications')
mock.EmitSignal('${NOTIFICATIONS_NAME}', member, signature,
                [types[code](value) for code, value in zip(signature, args)],
                dbus_interface='org.freedesktop.DBus.Mock')
`;

/** A private session bus with no service directories, so nothing is auto-started on it (e.g. dunst). */
export async function startBus(dir: string): Promise<{ process: ChildProcess; address: string }> {
  const configPath = join(dir, 'session.conf');
  writeFileSync(
    configPath,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  // stderr is kept for the failure message only: as root, dbus-daemon warns that it cannot raise its fd limit.
  const child = spawn('dbus-daemon', [`--config-file=${configPath}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let errors = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (errors += chunk));
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let printed = '';
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        printed += chunk;
        const end = printed.indexOf('\n');
        if (end >= 0) resolve(printed.slice(0, end));
      });
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`dbus-daemon exited early (${code ?? signal}): ${errors.trim()}`)),
      );
    });
    return { process: child, address };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited (and was reaped by Node). */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

async function pollUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
