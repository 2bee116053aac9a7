import { fork, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { connectControl, requestOnce } from '../../app/cli/client.js';
import type { DaemonEvent, ReminderView, Status } from '../../app/shared/contract.js';
import { DAEMON, tempHome, waitFor } from './support/daemon.js';

// Issue 8, item 1, as it was found: a `once` reminder fired again after every settings change and
// every restart of the real daemon. A later one-shot ("marker") is the yardstick: a repeat of the
// first one would come due at once, so it would be seen before the marker fires.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const status = async (socket: string) => (await requestOnce(socket, 'status', {})) as Status;
const notifications = (s: Status) => s.notifications.delivered + s.notifications.failed;

async function startDaemon(dir: string, socket: string): Promise<ChildProcess> {
  const daemon = fork(DAEMON, ['--home', dir], {
    // No session bus: notifications fail fast and are counted as failed, which is all this test needs.
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    execArgv: [],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    await exited;
  });
  await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the daemon to serve');
  return daemon;
}

async function stop(daemon: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  daemon.kill('SIGTERM'); // flushes state.json, as a clean exit does
  await exited;
}

/** Subscribes, adds a one-shot 1 s ahead, and returns the reminder ids that fired up to and including it. */
async function firedUntilMarker(socket: string, markerId: string): Promise<string[]> {
  const client = await connectControl(socket);
  cleanups.push(() => client.close());
  const fired: string[] = [];
  await client.subscribe((event: DaemonEvent) => {
    if (event.event === 'reminder') fired.push(event.data.id);
  });
  await requestOnce(socket, 'reminder.add', {
    reminder: { id: markerId, schedule: { kind: 'once', at: Date.now() + 1_000 } },
  });
  await waitFor(() => fired.includes(markerId), 8_000, `the ${markerId} reminder`);
  return fired;
}

describe('a once reminder in the real daemon (real processes and files)', () => {
  it('fires once: not again after two settings changes, nor after a restart', async () => {
    const { home: dir, socket, cleanup } = await tempHome();
    cleanups.push(cleanup);
    let daemon = await startDaemon(dir, socket);

    // add once <now+1s>, then `settings set sound=false` twice
    expect(await firedUntilMarker(socket, 'call')).toEqual(['call']);
    await requestOnce(socket, 'settings.set', { patch: { sound: false } });
    await requestOnce(socket, 'settings.set', { patch: { sound: false } });
    expect(await firedUntilMarker(socket, 'marker-1')).toEqual(['marker-1']);
    expect(notifications(await status(socket))).toBe(2);

    await stop(daemon);
    daemon = await startDaemon(dir, socket);
    expect(await firedUntilMarker(socket, 'marker-2')).toEqual(['marker-2']);
    expect(notifications(await status(socket))).toBe(1);
    const list = (await requestOnce(socket, 'reminder.list', {})) as ReminderView[];
    expect(list.filter((r) => r.schedule.kind === 'once').map((r) => [r.id, r.nextDueAt])).toEqual([
      ['call', null],
      ['marker-1', null],
      ['marker-2', null],
    ]);
    await stop(daemon);
  });
});
