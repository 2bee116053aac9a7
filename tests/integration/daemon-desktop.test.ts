import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIND, MUTTER_IDLE } from '../../app/workers/desktop/idle.js';
import { DAEMON, start, tempHome, waitFor } from './support/daemon.js';
import {
  busSuiteTitle,
  missingBusTools,
  mockCall,
  startPrivateBus,
  type PrivateBus,
} from './support/private-bus.js';

// A real daemon, headless, pointed at a private system bus (logind mock) and a private session bus (Mutter
// IdleMonitor mock) by address: logind's signals reach the service as host events at once.

const skip = missingBusTools().length > 0;
const SESSION_PATH = '/org/freedesktop/login1/session/c1';

describe.skipIf(skip)(busSuiteTitle('a headless daemon follows logind and the idle monitor'), () => {
  let system: PrivateBus;
  let session: PrivateBus;
  let home: Awaited<ReturnType<typeof tempHome>>;
  let daemon: ReturnType<typeof start>;

  beforeAll(async () => {
    [system, session] = await Promise.all([startPrivateBus(), startPrivateBus()]);
    await system.startMock(LOGIND.name, ['--template', 'logind']);
    await mockCall(system, LOGIND.name, LOGIND.path, 'AddSession', 'ssusb', [
      'c1',
      'seat0',
      1000,
      'user',
      true,
    ]);
    await session.startMock(MUTTER_IDLE.name, [MUTTER_IDLE.name, MUTTER_IDLE.path, MUTTER_IDLE.iface]);
    await mockCall(session, MUTTER_IDLE.name, MUTTER_IDLE.path, 'AddMethod', 'sssss', [
      MUTTER_IDLE.iface,
      'GetIdletime',
      '',
      't',
      'ret = dbus.UInt64(1000)',
    ]);
    home = await tempHome();
    daemon = start(process.execPath, [DAEMON], {
      MYTIMER_HOME: home.home,
      DBUS_SYSTEM_BUS_ADDRESS: system.address,
      DBUS_SESSION_BUS_ADDRESS: session.address,
      XDG_SESSION_ID: 'c1',
    });
    await waitFor(() => daemon.output().includes('desktop: idle'), 15_000, 'the desktop sources to start');
  }, 30_000);

  afterAll(async () => {
    if (daemon && daemon.child.exitCode === null) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    await home?.cleanup();
    await Promise.all([system?.stop(), session?.stop()]);
  });

  it('says which sources answered', () => {
    expect(daemon.output()).toMatch(/desktop: idle mutter, logind yes/);
  });

  it("PrepareForSleep(false) on the system bus → the service's resume (an immediate re-check)", async () => {
    await mockCall(system, LOGIND.name, LOGIND.path, 'EmitSignal', 'sssav', [
      LOGIND.manager,
      'PrepareForSleep',
      'b',
      [['b', false]],
    ]);
    await waitFor(() => daemon.output().includes('host: resume'), 5_000, 'host: resume in the log');
  });

  it("the session's Lock and Unlock → lock-screen / unlock-screen", async () => {
    const sessionObject = { destination: LOGIND.name, path: SESSION_PATH, interface: LOGIND.session };
    await system.client.call({ ...sessionObject, member: 'Lock' });
    await waitFor(() => daemon.output().includes('host: lock-screen'), 5_000, 'host: lock-screen');
    await system.client.call({ ...sessionObject, member: 'Unlock' });
    await waitFor(() => daemon.output().includes('host: unlock-screen'), 5_000, 'host: unlock-screen');
  });

  it('MYTIMER_DESKTOP=off leaves the buses alone', async () => {
    const other = await tempHome();
    const quiet = start(process.execPath, [DAEMON], {
      MYTIMER_HOME: other.home,
      MYTIMER_DESKTOP: 'off',
      DBUS_SYSTEM_BUS_ADDRESS: system.address,
      DBUS_SESSION_BUS_ADDRESS: session.address,
    });
    try {
      await waitFor(() => quiet.output().includes('ready:'), 15_000, 'the second daemon to be ready');
      // A bounded wait for "nothing happens", kept on purpose: the daemon is a real process on the real
      // clock (no VirtualClock reaches it), and with the desktop off it prints no later line that would
      // prove the bus sources were skipped rather than still starting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(quiet.output()).not.toContain('desktop:');
    } finally {
      quiet.child.kill('SIGTERM');
      await quiet.exited;
      await other.cleanup();
    }
  });
});
