import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../app/shared/clock.js';
import {
  IdlePoller,
  LOGIND,
  MUTTER_IDLE,
  probeIdleReader,
  SCREENSAVER,
} from '../../app/workers/desktop/idle.js';
import { watchDnd } from '../../app/workers/desktop/dnd.js';
import { DBusClient, DBusError, startDesktopSources } from '../../app/workers/desktop/index.js';
import { Presence } from '../../app/workers/desktop/presence.js';
import { watchSession, type SessionEvent, type SessionWatch } from '../../app/workers/desktop/session.js';
import {
  busSuiteTitle,
  missingBusTools,
  mockCall,
  startPrivateBus,
  type PrivateBus,
} from './support/private-bus.js';

// The desktop sources for real: a private "session" bus and a private "system" bus (two dbus-daemons), with
// python-dbusmock's logind template and small dbusmock mocks of Mutter's IdleMonitor and the ScreenSaver.

const skip = missingBusTools().length > 0;

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A dbusmock object answering `member` with the value of its own property, which the test sets. */
async function mockIdleService(
  bus: PrivateBus,
  service: { name: string; path: string; iface: string },
  member: string,
  signature: 't' | 'u',
): Promise<(idleMs: number) => Promise<void>> {
  await bus.startMock(service.name, [service.name, service.path, service.iface]);
  await mockCall(bus, service.name, service.path, 'AddProperty', 'ssv', [
    service.iface,
    'Idle',
    [signature, 0],
  ]);
  await mockCall(bus, service.name, service.path, 'AddMethod', 'sssss', [
    service.iface,
    member,
    '',
    signature,
    `ret = self.Get('${service.iface}', 'Idle')`,
  ]);
  return async (idleMs) => {
    await bus.client.call({
      destination: service.name,
      path: service.path,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Set',
      signature: 'ssv',
      body: [service.iface, 'Idle', [signature, idleMs]],
    });
  };
}

/** Sets the Mutter mock's idle time (the mock was set up by the idle tests). */
let setMutterIdle: (idleMs: number) => Promise<void> = () => Promise.reject(new Error('no Mutter mock'));

describe.skipIf(skip)(
  busSuiteTitle('desktop sources on a private session bus and a private system bus'),
  () => {
    let session: PrivateBus;
    let system: PrivateBus;
    let sessionClient: DBusClient;
    let systemClient: DBusClient;

    beforeAll(async () => {
      [session, system] = await Promise.all([startPrivateBus(), startPrivateBus()]);
      [sessionClient, systemClient] = await Promise.all([
        DBusClient.connect(session.address),
        DBusClient.connect(system.address),
      ]);
    });
    afterAll(async () => {
      sessionClient?.close();
      systemClient?.close();
      await Promise.all([session?.stop(), system?.stop()]);
    });

    describe('dbus-client', () => {
      it('a call to a name nobody owns fails with the D-Bus error name', async () => {
        const failure = await sessionClient
          .call({
            destination: 'org.example.Nobody',
            path: '/',
            interface: 'org.example.Nobody',
            member: 'X',
          })
          .catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(DBusError);
        expect((failure as DBusError).dbusName).toBe('org.freedesktop.DBus.Error.ServiceUnknown');
      });

      it('connecting to a bus that is not there fails, naming the address', async () => {
        await expect(DBusClient.connect('unix:path=/nonexistent/bus', 1_000)).rejects.toThrow(
          /\/nonexistent\/bus/,
        );
      });

      it('a call still waiting when the connection drops fails as "disconnected", and the dropped socket does not crash the process', async () => {
        // A relay between the client and the real bus: it lets the handshake through, then stops passing the
        // bus's answers on and cuts the client off while a call waits.
        const busPath = /path=([^,;]+)/.exec(session.address)?.[1];
        if (!busPath) throw new Error(`no socket path in ${session.address}`);
        const dir = mkdtempSync(join(tmpdir(), 'mytimer-relay-'));
        const relayed: Socket[] = [];
        let passAnswers = true;
        const relay = createServer((socket) => {
          const upstream = createConnection(busPath);
          relayed.push(socket, upstream);
          socket.on('error', () => undefined);
          upstream.on('error', () => undefined);
          socket.pipe(upstream);
          upstream.on('data', (chunk) => {
            if (passAnswers) socket.write(chunk);
          });
        });
        await new Promise<void>((resolve) => relay.listen(join(dir, 'bus'), resolve));
        try {
          const client = await DBusClient.connect(`unix:path=${join(dir, 'bus')}`);
          passAnswers = false;
          const ping = {
            destination: 'org.freedesktop.DBus',
            path: '/org/freedesktop/DBus',
            interface: 'org.freedesktop.DBus.Peer',
            member: 'Ping',
            timeoutMs: 60_000, // a lost connection must be noticed long before this
          };
          const waiting = client.call(ping).catch((error: unknown) => error);
          for (const socket of relayed) socket.destroy();
          const failure = await waiting;
          expect(failure).toBeInstanceOf(DBusError);
          expect((failure as DBusError).dbusName).toBe('disconnected');
          expect(client.closed).toBe(true);
          await expect(client.call(ping)).rejects.toMatchObject({ dbusName: 'disconnected' });
          client.close();
        } finally {
          relay.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('a signal listener that throws does not stop the others or escape into the connection', async () => {
        const match = { path: '/org/example/Thrower', interface: 'org.example.Thrower', member: 'Tick' };
        const stopThrowing = await sessionClient.onSignal(match, () => {
          throw new Error('a listener bug');
        });
        const received: unknown[][] = [];
        const stopRecording = await sessionClient.onSignal(match, (body) => received.push(body));
        systemClient.emitSignal(match.path, match.interface, match.member, 's', ['one']); // another bus: not seen
        session.client.emitSignal(match.path, match.interface, match.member, 's', ['two']);
        await until(() => (received.length > 0 ? true : undefined), 'the signal');
        expect(received).toEqual([['two']]);
        stopThrowing();
        stopRecording();
        // Unsubscribed (RemoveMatch sent): a later signal reaches no one, and the connection still answers.
        session.client.emitSignal(match.path, match.interface, match.member, 's', ['three']);
        expect(await sessionClient.nameHasOwner('org.freedesktop.DBus')).toBe(true);
        expect(received).toEqual([['two']]);
      });
    });

    describe('idle source', () => {
      it('probing with nothing on the buses finds no idle source', async () => {
        expect(
          await probeIdleReader({ session: sessionClient, system: systemClient, timeoutMs: 1_000 }),
        ).toBeNull();
      });

      it("logind's IdleHint answers when it is the only source", async () => {
        await system.startMock(LOGIND.name, ['--template', 'logind']);
        const reader = await probeIdleReader({
          session: sessionClient,
          system: systemClient,
          timeoutMs: 1_000,
        });
        expect(reader?.backend).toBe('logind');
        expect(await reader?.read()).toBe(0);
      });

      it('the ScreenSaver answers before logind, in ms', async () => {
        const setIdle = await mockIdleService(session, SCREENSAVER, 'GetSessionIdleTime', 'u');
        await setIdle(42_000);
        const reader = await probeIdleReader({
          session: sessionClient,
          system: systemClient,
          timeoutMs: 1_000,
        });
        expect(reader?.backend).toBe('screensaver');
        expect(await reader?.read()).toBe(42_000);
      });

      it("Mutter's IdleMonitor is preferred, and its readings feed presence (idle, then back)", async () => {
        const setIdle = await mockIdleService(session, MUTTER_IDLE, 'GetIdletime', 't');
        setMutterIdle = setIdle;
        const reader = await probeIdleReader({
          session: sessionClient,
          system: systemClient,
          timeoutMs: 1_000,
        });
        expect(reader?.backend).toBe('mutter');
        const presence = new Presence({ idleThresholdMs: 60_000, clock: systemClock });
        if (!reader) throw new Error('no idle reader');
        const poller = new IdlePoller({ reader, sink: presence });
        await setIdle(5 * 60_000);
        await poller.pollNow();
        expect(presence.held()).toEqual(['idle']);
        await setIdle(1_000);
        await poller.pollNow();
        expect(presence.held()).toEqual([]);
        expect(poller.polls).toBe(2);
        poller.stop();
      });
    });

    describe('dbus-client timeouts', () => {
      it('a call that gets no reply in time fails with a timeout naming the call', async () => {
        // The Mutter mock is on the session bus (idle tests); its new method answers only after 0.4 s.
        await mockCall(session, MUTTER_IDLE.name, MUTTER_IDLE.path, 'AddMethod', 'sssss', [
          MUTTER_IDLE.iface,
          'Slow',
          '',
          '',
          'time.sleep(0.4)',
        ]);
        const failure = await sessionClient
          .call({
            destination: MUTTER_IDLE.name,
            path: MUTTER_IDLE.path,
            interface: MUTTER_IDLE.iface,
            member: 'Slow',
            timeoutMs: 100,
          })
          .catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(DBusError);
        expect((failure as DBusError).dbusName).toBe('timeout');
        expect((failure as DBusError).message).toMatch(
          /org.gnome.Mutter.IdleMonitor.Slow: no reply within 100 ms/,
        );
      });
    });

    describe('do not disturb (the notification server on the session bus)', () => {
      const NOTIFICATIONS = 'org.freedesktop.Notifications';
      const PATH = '/org/freedesktop/Notifications';

      it("follows KDE's Inhibited property through PropertiesChanged", async () => {
        await session.startMock(NOTIFICATIONS, ['--template', 'notification_daemon']);
        await mockCall(session, NOTIFICATIONS, PATH, 'AddProperty', 'ssv', [
          NOTIFICATIONS,
          'Inhibited',
          ['b', false],
        ]);
        const changes: boolean[] = [];
        const dnd = await watchDnd({
          session: sessionClient,
          gsettings: null,
          onChange: (on) => changes.push(on),
        });
        expect(dnd.sources).toEqual(['notifications']);
        expect(dnd.on).toBe(false);
        await mockCall(session, NOTIFICATIONS, PATH, 'UpdateProperties', 'sa{sv}', [
          NOTIFICATIONS,
          [['Inhibited', ['b', true]]],
        ]);
        await until(() => (changes.length >= 1 ? true : undefined), 'DND on');
        await mockCall(session, NOTIFICATIONS, PATH, 'UpdateProperties', 'sa{sv}', [
          NOTIFICATIONS,
          [['Inhibited', ['b', false]]],
        ]);
        await until(() => (changes.length >= 2 ? true : undefined), 'DND off');
        expect(changes).toEqual([true, false]);
        dnd.close();
      });
    });

    describe('session (logind on the system bus)', () => {
      let watch: SessionWatch;
      const events: SessionEvent[] = [];

      beforeAll(async () => {
        // The logind mock is already on the system bus (started by the idle tests; started here when run alone).
        if (!(await system.client.nameHasOwner(LOGIND.name)))
          await system.startMock(LOGIND.name, ['--template', 'logind']);
        await mockCall(system, LOGIND.name, LOGIND.path, 'AddSession', 'ssusb', [
          'c1',
          'seat0',
          1000,
          'user',
          true,
        ]);
        watch = await watchSession({
          system: systemClient,
          sessionId: 'c1',
          onEvent: (event) => events.push(event),
        });
      });
      afterAll(() => watch?.close());

      it('finds the session', () => {
        expect(watch.sessionPath).toBe('/org/freedesktop/login1/session/c1');
        expect(watch.locked).toBe(false);
      });

      it("PrepareForSleep(true) → 'suspend', PrepareForSleep(false) → 'resume'", async () => {
        events.length = 0;
        await mockCall(system, LOGIND.name, LOGIND.path, 'EmitSignal', 'sssav', [
          LOGIND.manager,
          'PrepareForSleep',
          'b',
          [['b', true]],
        ]);
        await until(() => (events.length >= 1 ? true : undefined), 'suspend');
        await mockCall(system, LOGIND.name, LOGIND.path, 'EmitSignal', 'sssav', [
          LOGIND.manager,
          'PrepareForSleep',
          'b',
          [['b', false]],
        ]);
        await until(() => (events.length >= 2 ? true : undefined), 'resume');
        expect(events).toEqual(['suspend', 'resume']);
      });

      it("the session's Lock and Unlock signals → 'lock-screen' / 'unlock-screen'", async () => {
        events.length = 0;
        const sessionObject = {
          destination: LOGIND.name,
          path: '/org/freedesktop/login1/session/c1',
          interface: LOGIND.session,
        };
        await systemClient.call({ ...sessionObject, member: 'Lock' });
        await until(() => (events.length >= 1 ? true : undefined), 'lock-screen');
        expect(watch.locked).toBe(true);
        await systemClient.call({ ...sessionObject, member: 'Unlock' });
        await until(() => (events.length >= 2 ? true : undefined), 'unlock-screen');
        expect(events).toEqual(['lock-screen', 'unlock-screen']);
      });

      it('LockedHint changes report lock and unlock once each, even alongside the signals', async () => {
        events.length = 0;
        const sessionObject = {
          destination: LOGIND.name,
          path: '/org/freedesktop/login1/session/c1',
          interface: LOGIND.session,
        };
        await systemClient.call({ ...sessionObject, member: 'SetLockedHint', signature: 'b', body: [true] });
        await until(() => (events.length >= 1 ? true : undefined), 'lock-screen from LockedHint');
        await systemClient.call({ ...sessionObject, member: 'Lock' }); // already locked: nothing new
        await systemClient.call({ ...sessionObject, member: 'SetLockedHint', signature: 'b', body: [false] });
        await until(() => (events.length >= 2 ? true : undefined), 'unlock-screen from LockedHint');
        // A bounded wait for "nothing happens", kept on purpose: the signals come from dbusmock in
        // another process over a real bus, so no VirtualClock can step them; a duplicate would follow
        // the unlock within a bus round trip, well inside 100 ms.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(events).toEqual(['lock-screen', 'unlock-screen']);
      });

      it('a session that starts locked is reported locked at once', async () => {
        await mockCall(system, LOGIND.name, LOGIND.path, 'AddSession', 'ssusb', [
          'c2',
          'seat0',
          1000,
          'user',
          true,
        ]);
        await systemClient.call({
          destination: LOGIND.name,
          path: '/org/freedesktop/login1/session/c2',
          interface: LOGIND.session,
          member: 'SetLockedHint',
          signature: 'b',
          body: [true],
        });
        const seen: SessionEvent[] = [];
        const second = await watchSession({
          system: systemClient,
          sessionId: 'c2',
          onEvent: (event) => seen.push(event),
        });
        expect(seen).toEqual(['lock-screen']);
        expect(second.locked).toBe(true);
        second.close();
      });

      it('startDesktopSources: resume, lock and idle arrive as host events, fed to presence too', async () => {
        const presence = new Presence({ idleThresholdMs: 60_000, clock: systemClock });
        const hostEvents: string[] = [];
        const logged: string[] = [];
        const sources = await startDesktopSources({
          presence,
          onHostEvent: (event) => hostEvents.push(event),
          log: (_level, message) => logged.push(message),
          sessionAddress: session.address,
          systemAddress: system.address,
          sessionId: 'c1',
          gsettings: null,
          meetings: { enabled: false },
        });
        try {
          expect(sources.running).toMatchObject({ idle: 'mutter', session: true, meetings: false });
          await mockCall(system, LOGIND.name, LOGIND.path, 'EmitSignal', 'sssav', [
            LOGIND.manager,
            'PrepareForSleep',
            'b',
            [['b', false]],
          ]);
          await until(() => (hostEvents.includes('resume') ? true : undefined), 'resume');
          await systemClient.call({
            destination: LOGIND.name,
            path: '/org/freedesktop/login1/session/c1',
            interface: LOGIND.session,
            member: 'Lock',
          });
          await until(() => (hostEvents.includes('lock-screen') ? true : undefined), 'lock-screen');
          expect(presence.held()).toContain('locked');
          await setMutterIdle(5 * 60_000);
          await sources.idlePoller?.pollNow();
          expect(hostEvents).toContain('idle');
          await setMutterIdle(0);
          await sources.idlePoller?.pollNow();
          expect(hostEvents.slice(-1)).toEqual(['active']);
          await systemClient.call({
            destination: LOGIND.name,
            path: '/org/freedesktop/login1/session/c1',
            interface: LOGIND.session,
            member: 'Unlock',
          });
          await until(() => (hostEvents.includes('unlock-screen') ? true : undefined), 'unlock-screen');
          expect(presence.held()).toEqual([]);
        } finally {
          sources.close();
        }
      });

      it('under a host that watches power itself (Electron), only DND, fullscreen and meetings are followed', async () => {
        const presence = new Presence({ idleThresholdMs: 60_000, clock: systemClock });
        const hostEvents: string[] = [];
        const sources = await startDesktopSources({
          presence,
          onHostEvent: (event) => hostEvents.push(event),
          log: () => undefined,
          sessionAddress: session.address,
          systemAddress: system.address,
          sessionId: 'c1',
          gsettings: null,
          meetings: { enabled: false },
          hostWatchesPower: true,
        });
        try {
          expect(sources.running).toMatchObject({ idle: null, session: false });
          expect(sources.idlePoller).toBeNull();
          await mockCall(system, LOGIND.name, LOGIND.path, 'EmitSignal', 'sssav', [
            LOGIND.manager,
            'PrepareForSleep',
            'b',
            [['b', false]],
          ]);
          // The host forwards its own resume; a second one from logind would be a duplicate. A later
          // signal that is followed (none here) cannot prove absence, so the bus is given a moment.
          await new Promise((resolve) => setTimeout(resolve, 200));
          expect(hostEvents).toEqual([]);
        } finally {
          sources.close();
        }
      });

      it('without logind on the bus, watching fails with a clear message', async () => {
        await expect(watchSession({ system: sessionClient, onEvent: () => undefined })).rejects.toThrow(
          /logind \(org.freedesktop.login1\) is not on the system bus/,
        );
      });
    });
  },
);
