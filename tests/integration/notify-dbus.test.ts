import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../app/workers/notify/index.js';

// A real notify-send talks to python-dbusmock's notification daemon on a private session bus; nothing here
// touches the developer's own desktop session.

const execFileAsync = promisify(execFile);
/** Debian's interpreter: the python3-dbus and python3-dbusmock modules belong to it, not to a pyenv python3. */
const PYTHON = '/usr/bin/python3';
const TAKE_CALLS_SCRIPT = fileURLToPath(new URL('./support/take-notify-calls.py', import.meta.url));
const NOTIFICATIONS_NAME = 'org.freedesktop.Notifications';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function missingTools(): string[] {
  if (process.platform !== 'linux') return ['Linux'];
  const missing: string[] = [];
  if (!onPath('dbus-daemon') || !onPath('dbus-send')) missing.push('dbus');
  if (!onPath('notify-send')) missing.push('libnotify-bin');
  if (spawnSync(PYTHON, ['-c', 'import dbus, dbusmock']).status !== 0) missing.push('python3-dbusmock');
  return missing;
}

const missing = missingTools();
const title =
  missing.length === 0
    ? 'desktop notifications through notify-send and a real D-Bus notification server'
    : `desktop notifications over D-Bus — SKIPPED, needs: ${missing.join(' ')} (apt-get install dbus libnotify-bin python3-dbusmock)`;

/** One Notify call as the mock received it (see support/take-notify-calls.py). */
interface NotifyCall {
  appName: string;
  summary: string;
  body: string;
  hints: Record<string, unknown>;
  expireTimeout: number;
}

describe.skipIf(missing.length > 0)(title, () => {
  let workDir = '';
  let bus: ChildProcess | undefined;
  let mock: ChildProcess | undefined;
  const savedBusAddress = process.env.DBUS_SESSION_BUS_ADDRESS;
  // If the worker dies before afterAll, still take the bus and the mock down with it.
  const killOnExit = (): void => {
    mock?.kill('SIGKILL');
    bus?.kill('SIGKILL');
  };

  let logs: { level: string; msg: string }[] = [];
  let notifier: Notifier;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'mytimer-notify-dbus-'));
    process.on('exit', killOnExit);
    const address = await startBus(workDir);
    bus = address.process;
    process.env.DBUS_SESSION_BUS_ADDRESS = address.address;
    mock = await startMock();
  });

  afterAll(async () => {
    await stop(mock);
    await stop(bus);
    process.off('exit', killOnExit);
    if (savedBusAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = savedBusAddress;
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    logs = [];
    notifier = createNotifier({
      processName: 'mytimer-daemon',
      log: (level, msg) => logs.push({ level, msg }),
    });
    await takeCalls(); // start each test with an empty call log
  });

  it('delivers title and message verbatim, never through a shell, with the footer naming this process', async () => {
    const pwned = join(tmpdir(), `pwned-${process.pid}-${Date.now()}`);
    const message =
      `Rest $(touch ${pwned}) \`touch ${pwned}\` "quoted" 'single'\nline2 不要 Coding，休息一下眼睛吧\n` +
      String.raw`C:\new\temp \t \101 \\ $HOME ; | & > <`;
    const notificationTitle = `-t "It's" $(id) 休息`;

    const result = await notifier.notify({
      title: notificationTitle,
      message,
      sound: true,
      urgency: 'critical',
      timeoutSec: 8,
    });

    expect(result).toEqual({ delivered: true });
    const calls = await takeCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      appName: 'myTimer',
      summary: notificationTitle,
      body: `${message}\npid ${process.pid} · mytimer-daemon`,
      expireTimeout: 8000,
      hints: { urgency: 2, 'sound-name': 'alarm-clock-elapsed' },
    });
    expect(existsSync(pwned)).toBe(false);
    expect(logs).toEqual([]);
    // execFile's callback runs after the child was waited for: nothing is left running or unreaped.
    expect(
      childrenOf(process.pid).filter((child) => child.command === 'notify-send' || child.state === 'Z'),
    ).toEqual([]);
  });

  it('without a notification server: fails, hints once, and delivers again once a server is back', async () => {
    await stop(mock);
    mock = undefined;
    await waitFor(async () => !(await nameHasOwner()), `${NOTIFICATIONS_NAME} to be released`);

    const first = await notifier.notify({ title: 'Rest', message: 'nobody listens' });
    const second = await notifier.notify({ title: 'Rest', message: 'still nobody' });
    expect(first.delivered).toBe(false);
    expect(first.error).toMatch(/no notification server answered/);
    expect(second.delivered).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.level).toBe('warn');
    expect(logs[0]?.msg).toMatch(
      /^desktop notifications failed: no notification server answered .*reminders still run$/,
    );

    mock = await startMock();
    await expect(notifier.notify({ title: 'Rest', message: 'back again' })).resolves.toEqual({
      delivered: true,
    });
    expect((await takeCalls()).map((call) => call.body)).toEqual([
      `back again\npid ${process.pid} · mytimer-daemon`,
    ]);
    expect(logs).toHaveLength(1);
  });

  it('without notify-send on PATH: fails with the package to install, and delivers once it is back', async () => {
    const savedPath = process.env.PATH;
    const emptyBin = join(workDir, 'empty-bin');
    mkdirSync(emptyBin, { recursive: true });
    process.env.PATH = emptyBin;
    try {
      const first = await notifier.notify({ title: 'Rest', message: 'no notify-send' });
      const second = await notifier.notify({ title: 'Rest', message: 'still none' });
      expect(first).toEqual({ delivered: false, error: 'notify-send not found' });
      expect(second).toEqual({ delivered: false, error: 'notify-send not found' });
    } finally {
      process.env.PATH = savedPath;
    }
    expect(logs).toEqual([
      {
        level: 'warn',
        msg:
          'desktop notifications failed: notify-send not found — install libnotify-bin (Debian/Ubuntu) or ' +
          'libnotify (Fedora/Arch); reminders still run',
      },
    ]);

    await expect(notifier.notify({ title: 'Rest', message: 'found it' })).resolves.toEqual({
      delivered: true,
    });
    expect((await takeCalls()).map((call) => call.summary)).toEqual(['Rest']);
    expect(logs).toHaveLength(1);
  });
});

/** Starts a private session bus with no service directories, so nothing is auto-started on it (e.g. dunst). */
async function startBus(dir: string): Promise<{ process: ChildProcess; address: string }> {
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
  let errors = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (errors += chunk));
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
}

/** Starts python-dbusmock's notification daemon on the private bus and waits until it owns its name. */
async function startMock(): Promise<ChildProcess> {
  const child = spawn(PYTHON, ['-m', 'dbusmock', '--template', 'notification_daemon'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(nameHasOwner, `${NOTIFICATIONS_NAME} to be owned by the mock`);
  return child;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

async function nameHasOwner(): Promise<boolean> {
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
      { timeout: 5_000 },
    );
    return stdout.includes('boolean true');
  } catch {
    return false;
  }
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The Notify calls the mock received since the last call, then clears its log. */
async function takeCalls(): Promise<NotifyCall[]> {
  const { stdout } = await execFileAsync(PYTHON, [TAKE_CALLS_SCRIPT], { timeout: 10_000 });
  return JSON.parse(stdout) as NotifyCall[];
}

/** Direct children of `pid`, from /proc: command name and state (`Z` is a zombie). */
function childrenOf(pid: number): { pid: number; command: string; state: string }[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // The command sits in parentheses and may itself contain spaces or parentheses.
        const commandEnd = stat.lastIndexOf(')');
        const [state = '', parentPid = ''] = stat.slice(commandEnd + 2).split(' ');
        const command = stat.slice(stat.indexOf('(') + 1, commandEnd);
        return Number(parentPid) === pid ? [{ pid: Number(entry), command, state }] : [];
      } catch {
        return []; // the process exited while we looked
      }
    });
}
