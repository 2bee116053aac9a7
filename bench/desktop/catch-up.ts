/**
 * Issue 10's end-to-end resume figure: from logind's PrepareForSleep(false) to the catch-up notification,
 * through the real built daemon. A suspend cannot be done here, so it is simulated the way a process sees
 * one: the wall clock jumps forward while the monotonic clock does not. The daemon runs under libfaketime
 * (LD_PRELOAD) with its offset in a file the bench rewrites (FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE=1),
 * and FAKETIME_DONT_FAKE_MONOTONIC=1, so only `Date.now()` jumps; `setTimeout` and /proc/uptime (the
 * daemon's elapsed clock, CLOCK_BOOTTIME) do not. The daemon classifies that as a wall-clock change (see
 * app/shared/clock.ts): interval reminders move with it, calendar ones (`once`, `daily`) keep their wall
 * instant, so a `once` reminder due during the "suspend" is overdue and the resume's re-check fires it.
 *
 * Two private buses (plain dbus-daemons): a system bus with python-dbusmock's logind template and a session
 * bus with its notification_daemon template. Both mocks log every call and emitted signal on stdout with
 * their own `time.time()` (ms resolution); the figure is the notification mock's Notify stamp minus the
 * logind mock's PrepareForSleep(false) emit stamp: one real clock, nothing faked, no polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DBusClient } from '../../app/workers/desktop/dbus-client.js';
import { LOGIND } from '../../app/workers/desktop/idle.js';
import { sleep } from '../harness/measure.js';
import type { RunContext, SubjectResult } from '../harness/suite.js';
import { DAEMON_ENTRY, request } from '../suites/idle.js';
import { missingTools, privateBus, PYTHON, stopChild, waitForName } from './measure.js';

/** Debian's libfaketime (package `faketime`, which depends on `libfaketime`). */
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const NOTIFICATIONS = 'org.freedesktop.Notifications';
const MOCK_IFACE = 'org.freedesktop.DBus.Mock';
const SESSION_ID = 'c1';
const MINUTE = 60_000;
/** The reminder is due 10 minutes ahead; the "suspend" lasts 11. */
const DUE_IN_MS = 10 * MINUTE;
const JUMP = '+11m';
const READY_TIMEOUT_MS = 20_000;
/** The daemon re-reads the clock at least every 30 s (its capped timer): the control waits a bit longer. */
const CONTROL_TIMEOUT_MS = 40_000;
const REMINDER_NAME = 'Bench catch-up';
/** What the mock server offers: GNOME Shell's set, so the daemon takes its full path (actions, replaces_id). */
const CAPABILITIES = 'actions body body-markup icon-static persistence sound';

/** Why the suite cannot run here, or undefined. */
export function catchUpSkip(): string | undefined {
  return (
    missingTools() ??
    (existsSync(LIBFAKETIME) ? undefined : `needs ${LIBFAKETIME} (apt-get install faketime)`)
  );
}

/** A line a python-dbusmock process logged: `<epoch seconds, 3 decimals> <call or emit>`. */
interface MockLine {
  /** The mock's own wall clock (real, not faked), ms since the epoch. */
  epochMs: number;
  text: string;
  /** When the bench read the line, on its `performance.now()`. */
  seenAt: number;
}

/** A dbusmock process whose stdout log is collected line by line, with waits on it. */
class MockProcess {
  readonly child: ChildProcess;
  readonly lines: MockLine[] = [];
  #waiters: Array<() => void> = [];

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(PYTHON, ['-m', 'dbusmock', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let pending = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      const seenAt = performance.now();
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        const match = /^(\d+\.\d+) (.*)$/.exec(line);
        if (match) this.lines.push({ epochMs: Number(match[1]) * 1_000, text: match[2] ?? '', seenAt });
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Lines logged since index `from` whose text matches. */
  matching(pattern: RegExp, from = 0): MockLine[] {
    return this.lines.slice(from).filter((line) => pattern.test(line.text));
  }

  /** The first line (from index `from` on) that matches, waiting up to `timeoutMs` for it. */
  async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<MockLine> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.matching(pattern, from)[0];
      if (found) return found;
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} in the mock's log`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

const NOTIFY_LINE = /^Notify /;
const RESUME_EMIT = /^emit \S+ org\.freedesktop\.login1\.Manager\.PrepareForSleep False/;

/**
 * One run: fresh buses, mocks and daemon; a `once` reminder due in 10 minutes; an 11-minute wall jump. With
 * `signal`, PrepareForSleep(true), the jump, PrepareForSleep(false) (the order of a real suspend), timed from
 * the resume signal; without, the jump alone, timed from the jump (the daemon finds out at its next capped
 * re-check, armed when it started just before: about 30 s, the worst case).
 */
export async function catchUpLatency(context: RunContext, signal: boolean): Promise<SubjectResult> {
  const [system, session] = await Promise.all([privateBus(), privateBus()]);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'mytimer-bench-catch-up-'));
  const mocks: MockProcess[] = [];
  const clients: DBusClient[] = [];
  let daemon: ChildProcess | undefined;
  try {
    const logind = new MockProcess(['--template', 'logind'], system.env);
    const notifications = new MockProcess(
      ['--template', 'notification_daemon', '-p', JSON.stringify({ capabilities: CAPABILITIES })],
      session.env,
    );
    mocks.push(logind, notifications);
    const [systemClient, sessionClient] = await Promise.all([
      DBusClient.connect(system.address),
      DBusClient.connect(session.address),
    ]);
    clients.push(systemClient, sessionClient);
    await Promise.all([waitForName(systemClient, LOGIND.name), waitForName(sessionClient, NOTIFICATIONS)]);
    await systemClient.call({
      destination: LOGIND.name,
      path: LOGIND.path,
      interface: MOCK_IFACE,
      member: 'AddSession',
      signature: 'ssusb',
      body: [SESSION_ID, 'seat0', 1000, 'user', true],
    });
    const emitPrepareForSleep = (start: boolean) =>
      systemClient.call({
        destination: LOGIND.name,
        path: LOGIND.path,
        interface: MOCK_IFACE,
        member: 'EmitSignal',
        signature: 'sssav',
        body: [LOGIND.manager, 'PrepareForSleep', 'b', [['b', start]]],
      });

    // The daemon's home: one `once` reminder 10 minutes ahead. The fake clock starts at offset +0, so the
    // bench's own (real) Date.now() is the daemon's at this point.
    const home = path.join(scratch, 'home');
    mkdirSync(home);
    const dueAt = Date.now() + DUE_IN_MS;
    writeFileSync(
      path.join(home, 'settings.json'),
      JSON.stringify({
        version: 1,
        reminders: [
          { id: 'catch-up', name: REMINDER_NAME, schedule: { kind: 'once', at: dueAt }, priority: 5 },
        ],
      }),
    );
    const fakeTimeFile = path.join(scratch, 'faketime');
    writeFileSync(fakeTimeFile, '+0\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MYTIMER_HOME: home,
      DBUS_SYSTEM_BUS_ADDRESS: system.address,
      DBUS_SESSION_BUS_ADDRESS: session.address,
      XDG_SESSION_ID: SESSION_ID,
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME_TIMESTAMP_FILE: fakeTimeFile,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
    delete env.FAKETIME; // it would win over the file
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, [DAEMON_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    daemon = child;
    let output = '';
    let resumeLoggedAt = NaN; // when the bench read the daemon's `host: resume` log line
    const collect = (chunk: string) => {
      output += chunk;
      if (Number.isNaN(resumeLoggedAt) && output.includes('host: resume')) resumeLoggedAt = performance.now();
    };
    child.stdout?.setEncoding('utf8').on('data', collect);
    child.stderr?.setEncoding('utf8').on('data', collect);
    const waitOutput = async (text: string, timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`the daemon exited (${child.exitCode}): ${output}`);
        if (performance.now() > deadline) throw new Error(`timed out waiting for "${text}" from the daemon`);
        await sleep(10);
      }
    };
    const socket = path.join(home, 'run', 'daemon.sock');
    for (;;) {
      const reply = await request(socket, 'ping');
      if (reply?.ok === true) break;
      if (child.exitCode !== null) throw new Error(`the daemon exited (${child.exitCode}): ${output}`);
      if (performance.now() - spawnedAt > READY_TIMEOUT_MS) throw new Error('the daemon was not ready');
      await sleep(20);
    }
    const readyMs = performance.now() - spawnedAt;
    // Ready answers before the desktop sources are up (they start asynchronously): wait for them.
    await waitOutput('desktop: idle', READY_TIMEOUT_MS);
    const notifiedEarly = notifications.matching(NOTIFY_LINE).length > 0;
    const notifyFrom = notifications.lines.length;

    let t0Epoch: number; // the instant timed from, on the real wall clock
    let t0Bench: number; // the same on the bench's performance.now()
    if (signal) {
      await emitPrepareForSleep(true);
      await waitOutput('host: suspend', 5_000);
      writeFileSync(fakeTimeFile, `${JUMP}\n`); // "asleep" for 11 minutes
      const emitFrom = logind.lines.length;
      t0Bench = performance.now();
      await emitPrepareForSleep(false);
      t0Epoch = (await logind.waitFor(RESUME_EMIT, 5_000, emitFrom)).epochMs;
    } else {
      t0Bench = performance.now();
      t0Epoch = Date.now();
      writeFileSync(fakeTimeFile, `${JUMP}\n`);
    }
    const notify = await notifications.waitFor(NOTIFY_LINE, signal ? 5_000 : CONTROL_TIMEOUT_MS, notifyFrom);
    const latencyMs = notify.epochMs - t0Epoch;
    const benchMs = notify.seenAt - t0Bench;
    let checks: Record<string, boolean | number> | undefined;
    if (context.verify) {
      await sleep(500); // a second Notify for the same reminder would come within this
      const notifies = notifications.matching(NOTIFY_LINE, notifyFrom);
      checks = {
        'nothing notified before the jump': !notifiedEarly,
        'one notification, naming the reminder':
          notifies.length === 1 && notifies[0]?.text.includes(REMINDER_NAME) === true,
        'notified after the instant timed from': latencyMs >= 0,
        ...(signal && { 'the daemon logged host: resume': output.includes('host: resume') }),
      };
    }
    // The service logs `host: resume` once its re-check ran (the notification is then on its way).
    const metrics: Record<string, number> = { latencyMs, benchMs, readyMs };
    if (signal) metrics.resumeMs = resumeLoggedAt - t0Bench;
    return { metrics, ...(checks && { checks }) };
  } finally {
    if (daemon) await stopChild(daemon);
    for (const client of clients) client.close();
    for (const mock of mocks) await stopChild(mock.child);
    await Promise.all([system.stop(), session.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}
