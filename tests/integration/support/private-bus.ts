import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DBusClient } from '../../../app/workers/desktop/index.js';

// Private D-Bus buses for the desktop tests: a "session" and a "system" bus are both plain dbus-daemons the
// test starts (the modules are pointed at them by address), with python-dbusmock services on them. Nothing
// touches the machine's real buses.

/** Debian's interpreter: python3-dbus and python3-dbusmock belong to it, not to a pyenv python3. */
export const PYTHON = '/usr/bin/python3';
export const MOCK_IFACE = 'org.freedesktop.DBus.Mock';

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

let missingCache: string[] | undefined;
/** What this machine lacks to run the private-bus tests (Debian package names); empty when they can run. */
export function missingBusTools(): string[] {
  if (missingCache) return missingCache;
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push('Linux');
  else {
    if (!onPath('dbus-daemon')) missing.push('dbus');
    if (spawnSync(PYTHON, ['-c', 'import dbus, dbusmock']).status !== 0) missing.push('python3-dbusmock');
  }
  missingCache = missing;
  return missing;
}

/** `title`, or `title — SKIPPED, needs: …` when the tools are missing. */
export function busSuiteTitle(title: string): string {
  const missing = missingBusTools();
  return missing.length === 0
    ? title
    : `${title} — SKIPPED, needs: ${missing.join(' ')} (apt-get install dbus python3-dbusmock)`;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const leftover of running) leftover.kill('SIGKILL');
    });
  }
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

export interface PrivateBus {
  readonly address: string;
  /** A client on this bus, for the test itself (controlling mocks). */
  readonly client: DBusClient;
  /**
   * Starts `python3 -m dbusmock <args>` on this bus (as its session bus, and as its system bus too, so
   * templates with SYSTEM_BUS work) and waits until `name` is owned.
   */
  startMock(name: string, args: string[]): Promise<ChildProcess>;
  stop(): Promise<void>;
}

/** Starts a private dbus-daemon with no service directories (nothing auto-starts on it). */
export async function startPrivateBus(): Promise<PrivateBus> {
  const dir = mkdtempSync(join(tmpdir(), 'mytimer-bus-'));
  const configPath = join(dir, 'bus.conf');
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
  const bus = spawn('dbus-daemon', [`--config-file=${configPath}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(bus);
  const mocks: ChildProcess[] = [];
  let client: DBusClient | undefined;
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let printed = '';
      let errors = '';
      bus.stderr?.setEncoding('utf8');
      bus.stderr?.on('data', (chunk: string) => (errors += chunk));
      bus.stdout?.setEncoding('utf8');
      bus.stdout?.on('data', (chunk: string) => {
        printed += chunk;
        const end = printed.indexOf('\n');
        if (end >= 0) resolve(printed.slice(0, end));
      });
      bus.once('error', reject);
      bus.once('exit', (code, signal) =>
        reject(new Error(`dbus-daemon exited early (${code ?? signal}): ${errors}`)),
      );
    });
    const connected = await DBusClient.connect(address, 5_000);
    client = connected;
    return {
      address,
      client: connected,
      async startMock(name, args) {
        const child = spawn(PYTHON, ['-m', 'dbusmock', ...args], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, DBUS_SYSTEM_BUS_ADDRESS: address },
        });
        track(child);
        mocks.push(child);
        const deadline = Date.now() + 10_000;
        while (!(await connected.nameHasOwner(name))) {
          if (child.exitCode !== null) throw new Error(`dbusmock for ${name} exited (${child.exitCode})`);
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${name} on the private bus`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return child;
      },
      async stop() {
        connected.close();
        for (const mock of mocks) await stopProcess(mock);
        await stopProcess(bus);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    client?.close();
    for (const mock of mocks) await stopProcess(mock);
    await stopProcess(bus);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Calls a method of dbusmock's control interface (org.freedesktop.DBus.Mock) on `path`. */
export function mockCall(
  bus: PrivateBus,
  name: string,
  path: string,
  member: string,
  signature: string,
  body: unknown[],
): Promise<unknown[]> {
  return bus.client.call({
    destination: name,
    path,
    interface: MOCK_IFACE,
    member,
    signature,
    body,
    timeoutMs: 5_000,
  });
}
