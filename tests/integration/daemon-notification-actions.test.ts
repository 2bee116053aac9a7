import { fork, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectControl, requestOnce, type ControlClient } from '../../app/cli/client.js';
import type { DaemonEvent, ReminderView, Status } from '../../app/shared/contract.js';
import { DAEMON, tempHome, waitFor } from './support/daemon.js';
import {
  CAPABILITIES_WITH_ACTIONS,
  missingNotificationTools,
  notificationSuiteTitle,
  startNotificationBus,
  type NotificationBus,
  type NotifyCall,
} from './support/notification-bus.js';

// A real forked daemon whose notifications go over D-Bus to python-dbusmock's notification server; the mock then
// emits ActionInvoked, exactly what GNOME Shell or Plasma sends when the user presses a button.

describe.skipIf(missingNotificationTools().length > 0)(
  notificationSuiteTitle(
    'the daemon process: buttons pressed on its notifications act on its reminders',
    'the daemon process with notification buttons over D-Bus',
  ),
  () => {
    let bus: NotificationBus;
    const cleanups: Array<() => Promise<void> | void> = [];

    beforeAll(async () => {
      bus = await startNotificationBus({ capabilities: CAPABILITIES_WITH_ACTIONS });
    });

    afterEach(async () => {
      while (cleanups.length) await cleanups.pop()?.();
    });

    afterAll(async () => {
      await bus?.stop();
    });

    async function startDaemon(): Promise<{ socket: string; client: ControlClient; events: DaemonEvent[] }> {
      const { home, socket, cleanup } = await tempHome();
      cleanups.push(cleanup);
      const log: string[] = [];
      const daemon: ChildProcess = fork(DAEMON, ['--home', home], {
        env: { ...process.env, ...bus.env, MYTIMER_HOME: home },
        execArgv: [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
      cleanups.push(async () => {
        if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
        await exited;
      });
      daemon.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      daemon.on('message', (message: unknown) => log.push(JSON.stringify(message)));
      await waitFor(
        () => requestOnce(socket, 'status', {}, { timeoutMs: 2_000 }).catch(() => undefined),
        8_000,
        'the daemon to serve',
      );
      expect(log.join('\n')).toMatch(/notifications over D-Bus; capabilities: .*actions/);
      const client = await connectControl(socket, { timeoutMs: 3_000 });
      cleanups.push(() => client.close());
      const events: DaemonEvent[] = [];
      await client.subscribe((event) => events.push(event));
      return { socket, client, events };
    }

    /** The Notify calls received since the mock started, in order: a fresh mock's n-th new notification has id n. */
    async function notifyCalls(
      seen: NotifyCall[],
      match: (call: NotifyCall) => boolean,
    ): Promise<NotifyCall> {
      return waitFor(
        async () => {
          seen.push(...(await bus.takeCalls()));
          return seen.find(match);
        },
        5_000,
        'a matching Notify call',
      );
    }

    it("Snooze pressed on an hourly reminder's notification brings it back in its snooze minutes; Start break rests now", async () => {
      await bus.stopMock();
      await bus.startMock(); // a fresh mock: its ids start at 1
      const { client, events } = await startDaemon();
      const calls: NotifyCall[] = [];

      // Hourly, anchored so its first occurrence is in a second: once it fired, the next regular time is an hour
      // away, and Snooze brings it back in 7 minutes (GNOME's Delay), sooner than that.
      const firstAt = Date.now() + 1_000;
      await client.request('reminder.add', {
        reminder: {
          id: 'stretch',
          name: 'Stretch',
          message: 'stand up and stretch',
          schedule: { kind: 'every', intervalMs: 60 * 60_000, anchor: firstAt - 60 * 60_000 },
          priority: 2,
          snoozeMinutes: 7,
          break: true,
        },
      });
      await waitFor(
        () => events.find((event) => event.event === 'reminder' && event.data.id === 'stretch'),
        6_000,
        'the reminder to fire',
      );
      const shown = await notifyCalls(calls, (call) => call.summary === 'Stretch');
      expect(shown).toMatchObject({
        replacesId: 0,
        actions: ['default', '', 'snooze', 'Snooze 7 min', 'skip', 'Skip', 'start-break', 'Start break'],
        hints: { urgency: 2, 'desktop-entry': 'mytimer' },
      });
      expect(shown.appIcon).toMatch(/build\/icons\/icon-256\.png$/);
      // The first new notification on a fresh mock is id 1 (the daemon sends nothing else before it).
      const notificationId = calls.filter((call) => call.replacesId === 0).indexOf(shown) + 1;
      expect(notificationId).toBe(1);

      const pressedAt = Date.now();
      await bus.emitSignal('ActionInvoked', [notificationId, 'snooze']);

      const snoozed = await waitFor(
        async () => {
          const reminders = (await client.request('reminder.list', {})) as ReminderView[];
          const stretch = reminders.find((reminder) => reminder.id === 'stretch');
          return stretch?.nextDueAt != null && stretch.nextDueAt < firstAt + 60 * 60_000
            ? stretch
            : undefined;
        },
        5_000,
        'the reminder to come again in 7 minutes',
      );
      expect(snoozed.nextDueAt).toBeGreaterThanOrEqual(pressedAt + 7 * 60_000);
      expect(snoozed.nextDueAt).toBeLessThanOrEqual(Date.now() + 7 * 60_000);
      const status = (await client.request('status', {})) as Status;
      expect(status.upcoming.find((entry) => entry.id === 'stretch')).toMatchObject({ snoozed: true });

      // Start break on the same notification is rest-now: its own notification follows.
      await bus.emitSignal('ActionInvoked', [notificationId, 'start-break']);
      await notifyCalls(calls, (call) => call.summary === 'Time for a break');
    });

    it('a reminder firing again replaces its own notification instead of stacking a second one', async () => {
      const { client, events } = await startDaemon();
      const calls: NotifyCall[] = [];
      await bus.takeCalls();
      await client.request('reminder.add', {
        reminder: { id: 'blink', name: 'Blink', schedule: { kind: 'every', intervalMs: 1_000 } },
      });
      await waitFor(
        () => events.filter((event) => event.event === 'reminder' && event.data.id === 'blink').length >= 2,
        6_000,
        'the reminder to fire twice',
      );
      const [first, second] = await waitFor(
        async () => {
          calls.push(...(await bus.takeCalls()));
          const blinks = calls.filter((call) => call.summary === 'Blink');
          return blinks.length >= 2 ? blinks : undefined;
        },
        5_000,
        'two Blink notifications',
      );
      expect(first?.replacesId).toBe(0);
      expect(second?.replacesId).not.toBe(0);
      expect(first?.hints).toMatchObject({ urgency: 1 });
      expect(first?.actions).toEqual(['default', '', 'snooze', 'Snooze 5 min', 'skip', 'Skip']);
    });
  },
);
