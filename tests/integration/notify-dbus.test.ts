import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../app/workers/notify/index.js';
import {
  missingNotificationTools,
  notificationSuiteTitle,
  startNotificationBus,
  type NotificationBus,
} from './support/notification-bus.js';
import { childrenOf } from './support/processes.js';

// A real notify-send talks to python-dbusmock's notification daemon on a private session bus; nothing here
// touches the developer's own desktop session.

const title = notificationSuiteTitle(
  'desktop notifications through notify-send and a real D-Bus notification server',
  'desktop notifications over D-Bus',
);

describe.skipIf(missingNotificationTools().length > 0)(title, () => {
  let bus: NotificationBus;
  const savedBusAddress = process.env.DBUS_SESSION_BUS_ADDRESS;

  let logs: { level: string; msg: string }[] = [];
  let notifier: Notifier;

  beforeAll(async () => {
    bus = await startNotificationBus();
    // The notifier runs notify-send from this process: it finds the private bus through our environment.
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  });

  afterAll(async () => {
    await bus?.stop();
    if (savedBusAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = savedBusAddress;
  });

  beforeEach(async () => {
    logs = [];
    notifier = createNotifier({
      processName: 'mytimer-daemon',
      log: (level, msg) => logs.push({ level, msg }),
    });
    await bus.takeCalls(); // start each test with an empty call log
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
    const calls = await bus.takeCalls();
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
    await bus.stopMock();

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

    await bus.startMock();
    await expect(notifier.notify({ title: 'Rest', message: 'back again' })).resolves.toEqual({
      delivered: true,
    });
    expect((await bus.takeCalls()).map((call) => call.body)).toEqual([
      `back again\npid ${process.pid} · mytimer-daemon`,
    ]);
    expect(logs).toHaveLength(1);
  });

  it('without notify-send on PATH: fails with the package to install, and delivers once it is back', async () => {
    const savedPath = process.env.PATH;
    const emptyBin = join(bus.dir, 'empty-bin');
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
    expect((await bus.takeCalls()).map((call) => call.summary)).toEqual(['Rest']);
    expect(logs).toHaveLength(1);
  });
});
