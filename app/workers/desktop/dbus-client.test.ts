import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSessionBus, DBusClient, DBusError, matchRule } from './dbus-client.js';

// The wrapper's own rules, against real sockets but no dbus-daemon: the full round trips (calls, signals,
// timeouts, a connection dropped mid-call) run on a private bus in tests/integration/desktop-bus.test.ts.

describe('match rules', () => {
  it('a match rule names sender, path, interface, member and arg0', () => {
    expect(
      matchRule({
        sender: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'NameOwnerChanged',
        arg0: 'org.freedesktop.Notifications',
      }),
    ).toBe(
      "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus'," +
        "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='org.freedesktop.Notifications'",
    );
  });

  it('a match rule without sender or arg0 leaves them out', () => {
    expect(matchRule({ path: '/a', interface: 'org.example.A', member: 'Changed' })).toBe(
      "type='signal',path='/a',interface='org.example.A',member='Changed'",
    );
  });
});

describe('connecting', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A unix socket that accepts a connection and hangs up on it as soon as the client speaks. */
  async function hangingUpServer(): Promise<{ address: string; close(): void }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'mytimer-dbus-'));
    dirs.push(dir);
    const socketPath = path.join(dir, 'bus');
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return {
      address: `unix:path=${socketPath}`,
      close() {
        for (const socket of sockets) socket.destroy();
        server.close();
      },
    };
  }

  it('with no session bus address, the result says so and nothing is thrown', async () => {
    expect(await connectSessionBus({ address: null })).toEqual({
      ok: false,
      reason: 'no session bus (DBUS_SESSION_BUS_ADDRESS is not set)',
    });
  });

  it('a socket that is not there is a clear "no session bus at …" result, naming why', async () => {
    const result = await connectSessionBus({ address: 'unix:path=/nonexistent/mytimer-test-bus' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(
      /^no session bus at unix:path=\/nonexistent\/mytimer-test-bus: .*ENOENT/,
    );
  });

  it('a bus that hangs up during the handshake fails the connect as "disconnected", not after the timeout, and its socket error does not crash the process', async () => {
    const server = await hangingUpServer();
    try {
      // A minute: were the lost connection not noticed, this test would run into vitest's own timeout.
      const failure = await DBusClient.connect(server.address, 60_000).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DBusError);
      expect((failure as DBusError).dbusName).toBe('disconnected');
      expect((failure as DBusError).message).toContain(server.address);
    } finally {
      server.close();
    }
  });

  it('an empty address is refused, naming the field', async () => {
    await expect(DBusClient.connect(' ')).rejects.toThrow(/address must be a D-Bus address/);
  });
});
