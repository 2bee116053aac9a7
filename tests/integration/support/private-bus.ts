import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DBusClient } from '../../../app/workers/desktop/index.js';
import { PYTHON, onPath, startBus, stopProcess, track } from './notification-bus.js';

export { PYTHON, stopProcess };

// Private D-Bus buses for the desktop tests: a "session" and a "system" bus are both plain dbus-daemons the
// test starts (the modules are pointed at them by address), with python-dbusmock services on them. Nothing
// touches the machine's real buses.

export const MOCK_IFACE = 'org.freedesktop.DBus.Mock';

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
  const { process: bus, address } = await startBus(dir).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const mocks: ChildProcess[] = [];
  let client: DBusClient | undefined;
  try {
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
