import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectControl, type ControlClient } from '../../app/cli/client.js';
import type { DaemonEvent, ReminderView } from '../../app/shared/contract.js';
import { DBusClient } from '../../app/workers/desktop/index.js';
import { LOGIND, MUTTER_IDLE } from '../../app/workers/desktop/idle.js';
import { DAEMON, start, tempHome, waitFor } from './support/daemon.js';
import {
  CAPABILITIES_WITH_ACTIONS,
  missingNotificationTools,
  startNotificationBus,
  type NotificationBus,
  type NotifyCall,
} from './support/notification-bus.js';
import {
  MOCK_IFACE,
  PYTHON,
  busSuiteTitle,
  missingBusTools,
  mockCall,
  stopProcess,
  startPrivateBus,
  type PrivateBus,
} from './support/private-bus.js';

// The "done when", for real: a forked headless daemon on a private system bus (logind mock) and a
// private session bus (python-dbusmock's notification server, and a Mutter IdleMonitor mock whose idle time
// the test sets through a file). Notifications are counted on the mock server.

const skip = missingBusTools().length > 0 || missingNotificationTools().length > 0;
const SESSION_PATH = '/org/freedesktop/login1/session/c1';
const MINUTE = 60_000;

describe.skipIf(skip)(busSuiteTitle('a headless daemon holds reminders and counts natural breaks'), () => {
  let system: PrivateBus;
  let notifications: NotificationBus;
  let sessionClient: DBusClient;
  let idleMock: ChildProcess;
  let dir: string;
  let idleFile: string;
  let home: Awaited<ReturnType<typeof tempHome>>;
  let daemon: ReturnType<typeof start>;
  let client: ControlClient;
  const events: DaemonEvent[] = [];
  const calls: NotifyCall[] = [];

  const setIdleMs = (ms: number) => writeFile(idleFile, String(ms));
  const takeCalls = async () => {
    calls.push(...(await notifications.takeCalls()));
    return calls;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mytimer-presence-'));
    idleFile = path.join(dir, 'idle-ms');
    await setIdleMs(6 * MINUTE); // away for 6 minutes when the daemon starts
    [system, notifications] = await Promise.all([
      startPrivateBus(),
      startNotificationBus({ capabilities: CAPABILITIES_WITH_ACTIONS }),
    ]);
    await system.startMock(LOGIND.name, ['--template', 'logind']);
    await mockCall(system, LOGIND.name, LOGIND.path, 'AddSession', 'ssusb', [
      'c1',
      'seat0',
      1000,
      'user',
      true,
    ]);
    // Mutter's IdleMonitor on the notification server's bus, reading its idle time from the file.
    idleMock = spawn(PYTHON, ['-m', 'dbusmock', MUTTER_IDLE.name, MUTTER_IDLE.path, MUTTER_IDLE.iface], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...notifications.env },
    });
    sessionClient = await DBusClient.connect(notifications.address, 5_000);
    await waitFor(() => sessionClient.nameHasOwner(MUTTER_IDLE.name), 10_000, 'the idle monitor mock');
    await sessionClient.call({
      destination: MUTTER_IDLE.name,
      path: MUTTER_IDLE.path,
      interface: MOCK_IFACE,
      member: 'AddMethod',
      signature: 'sssss',
      body: [
        MUTTER_IDLE.iface,
        'GetIdletime',
        '',
        't',
        `ret = dbus.UInt64(int(open(${JSON.stringify(idleFile)}).read()))`,
      ],
      timeoutMs: 5_000,
    });
    home = await tempHome();
    daemon = start(process.execPath, [DAEMON], {
      MYTIMER_HOME: home.home,
      DBUS_SYSTEM_BUS_ADDRESS: system.address,
      ...notifications.env,
      XDG_SESSION_ID: 'c1',
    });
    await waitFor(() => daemon.output().includes('desktop: idle mutter'), 15_000, 'the desktop sources');
    client = await connectControl(home.socket, { timeoutMs: 3_000 });
    await client.subscribe((event) => events.push(event));
  }, 40_000);

  afterAll(async () => {
    client?.close();
    if (daemon && daemon.child.exitCode === null) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    sessionClient?.close();
    await stopProcess(idleMock);
    await home?.cleanup();
    await Promise.all([system?.stop(), notifications?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a 5-minute idle (Mutter) resets the hourly rest reminder: a natural break, its clock from the return', async () => {
    const before = ((await client.request('reminder.list', {})) as ReminderView[]).find(
      (r) => r.id === 'rest-eyes',
    );
    expect(before?.nextDueAt).toBeTypeOf('number');
    await setIdleMs(500); // the user is back: the next idle poll (≤ 10 s while away) sees it
    const returnedAfter = Date.now();
    const naturalBreak = await waitFor(
      () => events.find((e) => e.event === 'break'),
      20_000,
      'the natural break event',
    );
    expect(naturalBreak.data).toMatchObject({ reminderId: 'rest-eyes', kind: 'natural' });
    if (naturalBreak.event === 'break') expect(naturalBreak.data.awayMs).toBeGreaterThanOrEqual(5 * MINUTE);
    const after = ((await client.request('reminder.list', {})) as ReminderView[]).find(
      (r) => r.id === 'rest-eyes',
    );
    expect(after?.nextDueAt).toBeGreaterThanOrEqual(returnedAfter - 1_000 + 60 * MINUTE);
    expect(after!.nextDueAt!).toBeGreaterThan(before!.nextDueAt!);
  }, 30_000);

  it('a reminder due while the screen is locked fires once, on unlock', async () => {
    await takeCalls();
    calls.length = 0;
    const session = { destination: LOGIND.name, path: SESSION_PATH, interface: LOGIND.session };
    await system.client.call({ ...session, member: 'Lock' });
    await waitFor(() => daemon.output().includes('host: lock-screen'), 5_000, 'the lock');
    await client.request('reminder.add', {
      reminder: { id: 'water', name: 'Water', schedule: { kind: 'once', at: Date.now() + 1_500 } },
    });
    const held = await waitFor(
      () => events.find((e) => e.event === 'reminder' && e.data.id === 'water'),
      6_000,
      'the reminder to come due',
    );
    expect(held.data).toMatchObject({ delivered: false, held: ['locked'] });
    expect((await takeCalls()).filter((c) => c.summary === 'Water')).toEqual([]);

    await system.client.call({ ...session, member: 'Unlock' });
    await waitFor(
      async () => (await takeCalls()).some((c) => c.summary === 'Water'),
      5_000,
      'the notification on unlock',
    );
    // Once: nothing more comes for it (a second would have arrived by now through the same path).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await takeCalls()).filter((c) => c.summary === 'Water')).toHaveLength(1);
    const reminderEvents = events.filter((e) => e.event === 'reminder' && e.data.id === 'water');
    expect(reminderEvents.map((e) => e.event === 'reminder' && e.data.delivered)).toEqual([false, true]);
  }, 20_000);
});
