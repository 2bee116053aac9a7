import { execFile } from 'node:child_process';
import { fork, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { connectControl, requestOnce } from '../../app/cli/client.js';
import { statsSchema, type DaemonEvent } from '../../app/shared/contract.js';
import { CLI, DAEMON, tempHome, waitFor } from './support/daemon.js';

// Issue 12's done-when: stats show real recorded events from a real daemon run. A real forked daemon
// fires an every-2s reminder a few times, gets a snooze and a rest-now over its socket, and the real
// `mytimer stats --json` reports them — from the daemon, and from the log files once it is gone.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const run = promisify(execFile);

async function startDaemon(dir: string, socket: string): Promise<ChildProcess> {
  const daemon = fork(DAEMON, ['--home', dir], {
    // No session bus, no desktop sources: notifications fail fast (still recorded as shown).
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', MYTIMER_DESKTOP: 'off' },
    execArgv: [],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    await exited;
  });
  await waitFor(() => requestOnce(socket, 'status', {}).catch(() => undefined), 8_000, 'the daemon to serve');
  return daemon;
}

async function statsJson(dir: string) {
  const { stdout } = await run(process.execPath, [CLI, '--home', dir, 'stats', '--day', '--json'], {
    env: { ...process.env, LANG: 'en_US.UTF-8' },
  });
  return statsSchema.parse(JSON.parse(stdout));
}

describe('break history from a real daemon run', () => {
  it('mytimer stats --json reports the firings, the snooze and the break taken', async () => {
    const { home: dir, socket, cleanup } = await tempHome();
    cleanups.push(cleanup);
    const daemon = await startDaemon(dir, socket);

    const client = await connectControl(socket);
    cleanups.push(() => client.close());
    let fired = 0;
    await client.subscribe((event: DaemonEvent) => {
      if (event.event === 'reminder' && event.data.id === 'tick') fired++;
    });
    await requestOnce(socket, 'reminder.add', {
      reminder: { id: 'tick', name: 'Tick', schedule: { kind: 'every', intervalMs: 2_000 }, break: true },
    });
    await waitFor(() => fired >= 3, 15_000, 'three firings of tick');
    await requestOnce(socket, 'reminder.snooze', { id: 'tick', minutes: 1 }); // no more firings for a minute
    await requestOnce(socket, 'rest-now', { id: 'tick' });

    const live = await statsJson(dir);
    const tick = live.reminders.find((reminder) => reminder.reminderId === 'tick');
    expect(tick).toMatchObject({ reminderId: 'tick', name: 'Tick', taken: 1, skipped: 0, snoozed: 1 });
    expect(tick?.due).toBeGreaterThanOrEqual(3);
    expect(live.days).toHaveLength(1);
    expect(live.days[0]).toMatchObject({ due: tick?.due, taken: 1, takenButton: 1, snoozed: 1 });

    // The log is beside settings.json; with the daemon gone the CLI reads it directly.
    expect((await readdir(dir)).some((name) => /^history-\d{4}-\d{2}\.jsonl$/.test(name))).toBe(true);
    const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
    daemon.kill('SIGTERM');
    await exited;
    const offline = await statsJson(dir);
    expect(offline.reminders.find((reminder) => reminder.reminderId === 'tick')).toEqual(tick);
  }, 30_000);
});
