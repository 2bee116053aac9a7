import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connectSessionBus,
  createDesktopNotifier,
  DbusNotifier,
  type NotificationActionEvent,
  type NotificationClosedEvent,
  type DBusClient,
} from '../../app/workers/desktop/index.js';
import type { Notification, Notifier } from '../../app/workers/notify/index.js';
import {
  CAPABILITIES_WITH_ACTIONS,
  missingNotificationTools,
  NOTIFICATIONS_NAME,
  notificationSuiteTitle,
  startNotificationBus,
  type NotificationBus,
} from './support/notification-bus.js';

// The DbusNotifier against python-dbusmock's notification daemon on a private session bus: the Notify calls
// are read back from the mock, and button presses are the mock emitting ActionInvoked, as a real server does.

const FOOTER = `\npid 4242 · mytimer-daemon`;

/** A fallback that records what it was asked to show. */
function recordingFallback(): Notifier & { shown: Notification[] } {
  const shown: Notification[] = [];
  return {
    shown,
    async notify(notification) {
      shown.push(notification);
      return { delivered: true };
    },
  };
}

describe.skipIf(missingNotificationTools().length > 0)(
  notificationSuiteTitle(
    'notifications over org.freedesktop.Notifications, spoken directly on a real session bus',
    'notifications over D-Bus',
  ),
  () => {
    let bus: NotificationBus;
    let session: DBusClient;
    let notifier: DbusNotifier;
    let fallback: ReturnType<typeof recordingFallback>;
    let logs: string[];

    beforeAll(async () => {
      bus = await startNotificationBus({ capabilities: CAPABILITIES_WITH_ACTIONS });
    });

    afterAll(async () => {
      await bus?.stop();
    });

    beforeEach(async () => {
      const connected = await connectSessionBus({ address: bus.address });
      if (!connected.ok) throw new Error(connected.reason);
      session = connected.client;
      fallback = recordingFallback();
      logs = [];
      notifier = await DbusNotifier.create({
        bus: session,
        fallback,
        pid: 4242,
        processName: 'mytimer-daemon',
        appIcon: '/opt/myTimer/icon-256.png',
        log: (_level, message) => logs.push(message),
      });
      await bus.takeCalls();
    });

    afterEach(async () => {
      await notifier?.close();
    });

    it('reads the server capabilities', async () => {
      expect([...(await notifier.capabilities())].sort()).toEqual([...CAPABILITIES_WITH_ACTIONS].sort());
    });

    it('a priority-2 reminder arrives critical, with Snooze/Skip/Start break, the app icon and desktop entry', async () => {
      const result = await notifier.notify({
        title: 'Rest your eyes',
        message: 'Look away <now> & blink',
        key: 'rest-eyes',
        priority: 2,
        actions: ['snooze', 'skip', 'start-break'],
        snoozeMinutes: 5,
        sound: true,
      });

      expect(result).toMatchObject({ delivered: true, via: 'dbus' });
      const calls = await bus.takeCalls();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        appName: 'myTimer',
        replacesId: 0,
        appIcon: '/opt/myTimer/icon-256.png',
        summary: 'Rest your eyes',
        // The server reads markup ("body-markup"): the text must show as typed.
        body: `Look away &lt;now&gt; &amp; blink${FOOTER}`,
        actions: ['default', '', 'snooze', 'Snooze 5 min', 'skip', 'Skip', 'start-break', 'Start break'],
        hints: { urgency: 2, 'desktop-entry': 'mytimer', 'sound-name': 'alarm-clock-elapsed' },
        expireTimeout: -1,
      });
      expect(fallback.shown).toEqual([]);
    });

    it('a priority above the threshold is normal, and one without key or priority is plain and normal', async () => {
      await notifier.notify({
        title: 'Water',
        message: 'drink',
        key: 'water',
        priority: 5,
        actions: ['snooze'],
      });
      await notifier.notify({ title: 'Timer finished', message: 'tea is done' });
      const [water, timer] = await bus.takeCalls();
      expect(water).toMatchObject({ hints: { urgency: 1 }, actions: ['default', '', 'snooze', 'Snooze'] });
      expect(timer).toMatchObject({ replacesId: 0, actions: [], hints: { urgency: 1 } });
    });

    it('a second notification with the same key replaces the first in place', async () => {
      const first = await notifier.notify({ title: 'Rest', message: 'one', key: 'rest-eyes', priority: 5 });
      const second = await notifier.notify({ title: 'Rest', message: 'two', key: 'rest-eyes', priority: 5 });
      const other = await notifier.notify({ title: 'Water', message: 'drink', key: 'water', priority: 5 });

      const calls = await bus.takeCalls();
      expect(calls.map((call) => call.replacesId)).toEqual([0, first.notificationId, 0]);
      expect(second.notificationId).toBe(first.notificationId);
      expect(other.notificationId).not.toBe(first.notificationId);
      expect(notifier.notificationIdOf('rest-eyes')).toBe(first.notificationId);
    });

    it('two notifications of one key sent at once still make one notification', async () => {
      const results = await Promise.all([
        notifier.notify({ title: 'Rest', message: 'a', key: 'rest-eyes' }),
        notifier.notify({ title: 'Rest', message: 'b', key: 'rest-eyes' }),
      ]);
      expect(results[1]?.notificationId).toBe(results[0]?.notificationId);
      expect((await bus.takeCalls()).map((call) => call.replacesId)).toEqual([0, results[0]?.notificationId]);
    });

    it('a press on Snooze is emitted as an action with the key; presses on unknown ids are ignored', async () => {
      const { notificationId } = await notifier.notify({
        title: 'Rest',
        message: 'now',
        key: 'rest-eyes',
        actions: ['snooze', 'skip'],
        snoozeMinutes: 5,
      });
      const actions: NotificationActionEvent[] = [];
      notifier.on('action', (event) => actions.push(event));
      const pressed = once(notifier, 'action');

      await bus.emitSignal('ActionInvoked', [9999, 'snooze']); // another application's notification
      await bus.emitSignal('ActionInvoked', [notificationId!, 'snooze']);
      await pressed;

      expect(actions).toEqual([{ key: 'rest-eyes', action: 'snooze', notificationId }]);
    });

    it('once the server closes a notification, the next one of its key is new, not a replacement', async () => {
      const first = await notifier.notify({ title: 'Rest', message: 'one', key: 'rest-eyes' });
      const closed = once(notifier, 'closed') as Promise<[NotificationClosedEvent]>;
      await bus.emitSignal('NotificationClosed', [first.notificationId!, 2]);
      expect((await closed)[0]).toEqual({
        key: 'rest-eyes',
        notificationId: first.notificationId,
        reason: 2,
      });

      const second = await notifier.notify({ title: 'Rest', message: 'two', key: 'rest-eyes' });
      const calls = await bus.takeCalls();
      expect(calls.map((call) => call.replacesId)).toEqual([0, 0]);
      expect(second.notificationId).not.toBe(first.notificationId);
    });

    it('without "actions" and "body-markup", notifications are plain text without buttons', async () => {
      await bus.stopMock();
      await bus.startMock(['body']);
      try {
        await notifier.notify({
          title: 'Rest',
          message: 'a <b>',
          key: 'rest-eyes',
          priority: 1,
          actions: ['snooze', 'skip', 'start-break'],
        });
        const [call] = await bus.takeCalls();
        expect(call).toMatchObject({ actions: [], body: `a <b>${FOOTER}`, hints: { urgency: 2 } });
      } finally {
        await bus.stopMock();
        await bus.startMock();
      }
    });

    it('with no server on the bus, the fallback shows it, and D-Bus is used again once a server is back', async () => {
      await bus.stopMock();
      try {
        const result = await notifier.notify({ title: 'Rest', message: 'nobody', key: 'rest-eyes' });
        expect(result).toMatchObject({ delivered: true, via: 'fallback' });
        expect(fallback.shown).toMatchObject([{ title: 'Rest', message: 'nobody', key: 'rest-eyes' }]);
        expect(logs).toHaveLength(1);
        expect(logs[0]).toMatch(/^notification over D-Bus failed: .*; using the fallback$/);
      } finally {
        await bus.startMock();
      }
      const back = await notifier.notify({ title: 'Rest', message: 'back', key: 'rest-eyes' });
      expect(back).toMatchObject({ delivered: true, via: 'dbus' });
      expect((await bus.takeCalls()).map((call) => call.body)).toEqual([`back${FOOTER}`]);
    });
  },
);

describe.skipIf(missingNotificationTools().length > 0)(
  notificationSuiteTitle('choosing the notification path', 'choosing the notification path over D-Bus'),
  () => {
    it('no session bus: a clear reason, and the fallback is the notifier', async () => {
      const missing = await connectSessionBus({ address: 'unix:path=/nonexistent/mytimer-test-bus' });
      expect(missing).toMatchObject({ ok: false });
      expect(!missing.ok && missing.reason).toMatch(/^no session bus at unix:path=\/nonexistent/);

      const fallback = recordingFallback();
      const choice = await createDesktopNotifier({
        fallback,
        address: 'unix:path=/nonexistent/mytimer-test-bus',
      });
      expect(choice.dbus).toBeNull();
      expect(choice.notifier).toBe(fallback);
      expect(choice.reason).toMatch(/no session bus/);
    });

    it('a session bus with a notification server: D-Bus is the notifier, and it says what the server offers', async () => {
      const bus = await startNotificationBus({ capabilities: CAPABILITIES_WITH_ACTIONS });
      try {
        const choice = await createDesktopNotifier({ fallback: recordingFallback(), address: bus.address });
        try {
          expect(choice.dbus).not.toBeNull();
          expect(choice.notifier).toBe(choice.dbus);
          expect(choice.reason).toMatch(/^notifications over D-Bus; capabilities: .*actions/);
        } finally {
          await choice.dbus?.close();
        }
      } finally {
        await bus.stop();
      }
    });

    it('reads a property and receives a signal through the bus wrapper', async () => {
      const bus = await startNotificationBus();
      const connected = await connectSessionBus({ address: bus.address });
      if (!connected.ok) throw new Error(connected.reason);
      try {
        expect(await connected.client.nameHasOwner(NOTIFICATIONS_NAME)).toBe(true);
        // Every bus has org.freedesktop.DBus's Features property (dbus-daemon ≥ 1.11).
        expect(
          await connected.client.getProperty(
            'org.freedesktop.DBus',
            '/org/freedesktop/DBus',
            'org.freedesktop.DBus',
            'Features',
          ),
        ).toEqual(expect.any(Array));
        const received: unknown[][] = [];
        const stop = await connected.client.onSignal(
          {
            path: '/org/freedesktop/Notifications',
            interface: 'org.freedesktop.Notifications',
            member: 'NotificationClosed',
          },
          (body) => received.push(body),
        );
        await bus.emitSignal('NotificationClosed', [7, 3]);
        await expect.poll(() => received).toEqual([[7, 3]]);
        stop();
      } finally {
        connected.client.close();
        await bus.stop();
      }
      expect(connected.client.closed).toBe(true);
      await expect(
        connected.client.call({ destination: 'x.y', path: '/', interface: 'x.y', member: 'Z' }),
      ).rejects.toMatchObject({ dbusName: 'disconnected' });
      expect(existsSync(bus.dir)).toBe(false);
    });
  },
);
