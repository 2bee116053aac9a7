/**
 * Measurements for the desktop suites (issue 10): the headless desktop sources. (1) From logind's PrepareForSleep(false) signal to the
 * session module's 'resume' event, on a private bus. (2) How often the idle poll wakes the daemon,
 * for a user at the keyboard and a user away, against a mock Mutter IdleMonitor. (3) What the work
 * piggy-backing on each poll costs: the /proc scan for a camera, a gsettings read for GNOME's DND.
 * Linux only; needs dbus-daemon and python3-dbusmock (Debian's /usr/bin/python3).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../app/shared/clock.js';
import { DBusClient } from '../../app/workers/desktop/dbus-client.js';
import { readShowBanners } from '../../app/workers/desktop/dnd.js';
import { IdlePoller, mutterReader, MUTTER_IDLE, LOGIND } from '../../app/workers/desktop/idle.js';
import { cameraInUse } from '../../app/workers/desktop/meeting.js';
import { Presence } from '../../app/workers/desktop/presence.js';
import { watchSession } from '../../app/workers/desktop/session.js';
import { sleep } from '../harness/measure.js';
import { percentile } from '../harness/stats.js';
import type { RunContext, SubjectResult } from '../harness/suite.js';

export const PYTHON = '/usr/bin/python3';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** The default rest reminder's break (5 min) and a 20-20-20 eye break (20 s): the poll aims at both. */
const BREAKS = [
  { reminderId: 'eyes', lengthMs: 20 * SECOND },
  { reminderId: 'rest-eyes', lengthMs: 5 * MINUTE },
];

export function missingTools(): string | undefined {
  if (process.platform !== 'linux') return 'Linux only (reads /proc, runs dbus-daemon)';
  if (spawnSync('dbus-daemon', ['--version']).status !== 0) return 'needs dbus-daemon (apt-get install dbus)';
  if (spawnSync(PYTHON, ['-c', 'import dbusmock']).status !== 0)
    return 'needs python3-dbusmock (apt-get install python3-dbusmock)';
  return undefined;
}

/** A private bus (a plain dbus-daemon), removed with its scratch directory on stop. */
export async function privateBus(): Promise<{
  address: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mytimer-bench-bus-'));
  const config = path.join(dir, 'bus.conf');
  writeFileSync(
    config,
    `<busconfig><type>session</type><listen>unix:dir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
  );
  const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let printed = '';
    bus.stdout?.setEncoding('utf8');
    bus.stdout?.on('data', (chunk: string) => {
      printed += chunk;
      if (printed.includes('\n')) resolve(printed.slice(0, printed.indexOf('\n')));
    });
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)));
  });
  return {
    address,
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, DBUS_SYSTEM_BUS_ADDRESS: address },
    async stop() {
      bus.kill('SIGTERM');
      if (bus.exitCode === null) await once(bus, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

export async function waitForName(client: DBusClient, name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await client.nameHasOwner(name))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name}`);
    await sleep(50);
  }
}

/**
 * The bench plays logind itself (owns org.freedesktop.login1 and emits PrepareForSleep(false)), so t0
 * is the instant the signal leaves: the figure is bus hop + our parsing + dispatch, nothing of Python's.
 */
export async function resumeLatency(context: RunContext): Promise<SubjectResult> {
  const bus = await privateBus();
  const logind = await DBusClient.connect(bus.address);
  const daemonSide = await DBusClient.connect(bus.address);
  try {
    if (!(await logind.requestName(LOGIND.name))) throw new Error('could not own org.freedesktop.login1');
    let resolveResume: (() => void) | null = null;
    const watch = await watchSession({
      system: daemonSide,
      sessionId: 'none', // GetSession fails (we answer no calls): sleep signals only, which is what is measured
      timeoutMs: 200,
      onEvent: (event) => {
        if (event === 'resume') resolveResume?.();
      },
    });
    const count = context.quick ? 20 : 200;
    const latencies: number[] = [];
    for (let i = 0; i < count + 5; i++) {
      const resumed = new Promise<void>((resolve) => (resolveResume = resolve));
      const t0 = performance.now();
      logind.emitSignal(LOGIND.path, LOGIND.manager, 'PrepareForSleep', 'b', [false]);
      await resumed;
      if (i >= 5) latencies.push(performance.now() - t0); // the first few warm up the JIT
      await sleep(5);
    }
    watch.close();
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      metrics: {
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        maxMs: sorted[sorted.length - 1] ?? NaN,
      },
      checks: context.verify ? { 'every signal became one resume': latencies.length === count } : undefined,
    };
  } finally {
    logind.close();
    daemonSide.close();
    await bus.stop();
  }
}

function contextSwitches(): number {
  let total = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
      total += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      total += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // thread gone
    }
  }
  return total;
}

function windowSeconds(quick: boolean): number {
  const fromEnv = Number(process.env.BENCH_DESKTOP_SECONDS);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return quick ? 20 : 60;
}

/** The real IdlePoller on the system clock against a mock Mutter answering a fixed idle time. */
export async function idleWakeups(context: RunContext, idleMs: number): Promise<SubjectResult> {
  const bus = await privateBus();
  const mock = spawn(PYTHON, ['-m', 'dbusmock', MUTTER_IDLE.name, MUTTER_IDLE.path, MUTTER_IDLE.iface], {
    stdio: 'ignore',
    env: bus.env,
  });
  const client = await DBusClient.connect(bus.address);
  try {
    await waitForName(client, MUTTER_IDLE.name);
    await client.call({
      destination: MUTTER_IDLE.name,
      path: MUTTER_IDLE.path,
      interface: 'org.freedesktop.DBus.Mock',
      member: 'AddMethod',
      signature: 'sssss',
      body: [MUTTER_IDLE.iface, 'GetIdletime', '', 't', `ret = dbus.UInt64(${idleMs})`],
    });
    const presence = new Presence({ clock: systemClock });
    presence.setBreaks(BREAKS);
    const poller = new IdlePoller({ reader: mutterReader(client), sink: presence, clock: systemClock });
    poller.start();
    await sleep(500); // the first read, at start, is outside the window
    const seconds = windowSeconds(context.quick);
    const polls0 = poller.polls;
    const switches0 = contextSwitches();
    await sleep(seconds * SECOND);
    const polls = poller.polls - polls0;
    const switches = contextSwitches() - switches0;
    poller.stop();
    return {
      metrics: {
        pollsPer10s: (polls * 10) / seconds,
        switchesPer10s: (switches * 10) / seconds,
        windowS: seconds,
      },
    };
  } finally {
    client.close();
    await stopChild(mock);
    await bus.stop();
  }
}

export async function medianOf(times: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return percentile(samples, 0.5);
}

export function countFds(): { processes: number; fds: number } {
  let processes = 0;
  let fds = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      fds += readdirSync(`/proc/${pid}/fd`).length;
      processes++;
    } catch {
      // not ours
    }
  }
  return { processes, fds };
}

export function gsettingsPath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v gsettings'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** One /proc scan for a held video device, the median of 20, and how much it walked. */
export async function cameraScan(): Promise<SubjectResult> {
  const msPerCheck = await medianOf(20, () => cameraInUse('/proc'));
  return { metrics: { msPerCheck, ...countFds() } };
}

/** One `gsettings get … show-banners`, the median of 20. */
export async function gsettingsRead(): Promise<SubjectResult> {
  const binary = gsettingsPath() ?? 'gsettings';
  return { metrics: { msPerCheck: await medianOf(20, () => readShowBanners(binary)) } };
}
