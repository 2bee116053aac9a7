/**
 * Benchmark 5 (issue 3): what the daemon costs while it waits. The built daemon, with default settings
 * and with 10,000 reminders, idles beside a bare `node` process during ONE shared window; CPU and
 * memory come from /proc, so the suite is Linux only.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../harness/measure.js';
import { mulberry32, randomInt } from '../harness/prng.js';
import type { RunContext, SubjectResult, Suite } from '../harness/suite.js';

/** The compiled daemon, next to this file's compiled form: dist/bench/suites → dist/app/workers. */
export const DAEMON_ENTRY = fileURLToPath(new URL('../../app/workers/daemon.js', import.meta.url));
export const BARE_SCRIPT = 'setInterval(()=>{}, 1<<30)';
const WINDOW_SECONDS = 60;
const QUICK_WINDOW_SECONDS = 5;
/** Between the last process becoming ready and the window: lets startup work (state writes, GC) finish. */
const SETTLE_MS = 2_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 3_000;
const REMINDER_COUNT = 10_000;

/** The idle window in seconds: BENCH_IDLE_SECONDS if set, else 60 (5 with `--quick`). */
function windowSeconds(quick: boolean): number {
  const fromEnv = Number(process.env.BENCH_IDLE_SECONDS);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return quick ? QUICK_WINDOW_SECONDS : WINDOW_SECONDS;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ, almost always 100). */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** One reading of a process's counters from /proc. */
interface ProcSample {
  /** utime + stime of the whole process, in clock ticks (/proc/<pid>/stat). */
  readonly cpuTicks: number;
  /** Time on CPU summed over its live threads, in ns (/proc/<pid>/task/<tid>/schedstat): precise, unlike ticks. */
  readonly cpuNs: number;
  /** Voluntary + involuntary context switches summed over its live threads: how often it woke up. */
  readonly switches: number;
  readonly rssKb: number;
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return ''; // a thread that ended between listing and reading
  }
}

function statusField(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

export async function sampleProcess(pid: number): Promise<ProcSample> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): index 0 is field 3 (state), so field N is N - 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  let cpuNs = 0;
  let switches = 0;
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const [schedstat, threadStatus] = await Promise.all([
      readOptional(`/proc/${pid}/task/${tid}/schedstat`),
      readOptional(`/proc/${pid}/task/${tid}/status`),
    ]);
    cpuNs += Number(schedstat.split(' ')[0]) || 0;
    switches +=
      statusField(threadStatus, 'voluntary_ctxt_switches') +
      statusField(threadStatus, 'nonvoluntary_ctxt_switches');
  }
  return { cpuTicks, cpuNs, switches, rssKb: statusField(status, 'VmRSS') };
}

/** Sends one request line on the daemon's control socket; resolves with the parsed reply, or undefined. */
export function request(socketPath: string, method: string): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    let received = '';
    const finish = (reply: Record<string, unknown> | undefined) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(5_000, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('connect', () => socket.write(`${JSON.stringify({ id: 1, method })}\n`));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end < 0) return;
      try {
        finish(JSON.parse(received.slice(0, end)) as Record<string, unknown>);
      } catch {
        finish(undefined);
      }
    });
  });
}

/** A process of the window: the bare baseline or a daemon. */
export interface Idler {
  readonly subjectId: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly spawnedAt: number;
  /** The daemon's home (a temp dir), or undefined for the bare process. */
  readonly home: string | undefined;
  stderr: string;
  readyMs?: number;
  cpuMsAtReady?: number;
}

export function launch(subjectId: string, args: readonly string[], home?: string): Idler {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    env: home === undefined ? process.env : { ...process.env, MYTIMER_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${subjectId}`);
  const idler: Idler = { subjectId, child, pid: child.pid, spawnedAt, home, stderr: '' };
  // Keep the tail only: an idle daemon logs a couple of lines; a failing one says why at the end.
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    idler.stderr = (idler.stderr + chunk).slice(-4_000);
  });
  return idler;
}

export const socketOf = (home: string): string => path.join(home, 'run', 'daemon.sock');

/** Polls `ping` until the daemon answers ok (not "starting"): spawn-to-ready time and CPU spent on it. */
export async function waitReady(idler: Idler, clockTicks: number): Promise<void> {
  const socketPath = socketOf(idler.home!);
  const deadline = idler.spawnedAt + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (idler.child.exitCode !== null)
      throw new Error(`${idler.subjectId} exited (${idler.child.exitCode}): ${idler.stderr.trim()}`);
    const reply = await request(socketPath, 'ping');
    if (reply?.ok === true) {
      idler.readyMs = performance.now() - idler.spawnedAt;
      idler.cpuMsAtReady = ((await sampleProcess(idler.pid)).cpuTicks * 1000) / clockTicks;
      return;
    }
    await sleep(10);
  }
  throw new Error(`${idler.subjectId} not ready after ${READY_TIMEOUT_MS} ms: ${idler.stderr.trim()}`);
}

export async function stop(idler: Idler): Promise<void> {
  if (idler.child.exitCode !== null || idler.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => idler.child.once('exit', () => resolve()));
  idler.child.kill('SIGTERM');
  const timer = setTimeout(() => idler.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** settings.json with `count` seeded reminders: intervals of whole minutes from 10 min to 1 day, priorities 1–20. */
function remindersSettings(seed: number, count: number): string {
  const random = mulberry32(seed);
  const reminders = Array.from({ length: count }, (_, index) => ({
    id: `r${index}`,
    schedule: { kind: 'every', intervalMs: randomInt(random, 10, 1_440) * 60_000 },
    priority: randomInt(random, 1, 20),
  }));
  return JSON.stringify({ version: 1, reminders });
}

/** Starts the three processes one after another, then samples them all over one shared window. */
async function runTogether({ seed, quick, verify }: RunContext): Promise<Record<string, SubjectResult>> {
  if (!existsSync(DAEMON_ENTRY)) throw new Error(`${DAEMON_ENTRY} is missing: run \`npm run build\``);
  const clockTicks = clockTicksPerSecond();
  const seconds = windowSeconds(quick);
  const idlers: Idler[] = [];
  const homes: string[] = [];
  const makeHome = async (): Promise<string> => {
    // Short: a socket path is limited to about 104 bytes.
    const home = await mkdtemp(path.join(os.tmpdir(), 'mtb-'));
    homes.push(home);
    return home;
  };
  const killAll = () => idlers.forEach((idler) => idler.child.kill('SIGKILL'));
  process.once('exit', killAll);
  try {
    idlers.push(launch('bare', ['-e', BARE_SCRIPT]));
    const defaultHome = await makeHome();
    const remindersHome = await makeHome();
    await writeFile(path.join(remindersHome, 'settings.json'), remindersSettings(seed, REMINDER_COUNT));
    // One daemon at a time, so neither start competes with the other for the CPU.
    for (const [subjectId, home] of [
      ['daemon-default', defaultHome],
      ['daemon-10k', remindersHome],
    ] as const) {
      const daemon = launch(subjectId, [DAEMON_ENTRY], home);
      idlers.push(daemon);
      await waitReady(daemon, clockTicks);
    }
    await sleep(quick ? SETTLE_MS / 4 : SETTLE_MS);
    const before = await Promise.all(idlers.map((idler) => sampleProcess(idler.pid)));
    const windowStart = performance.now();
    await sleep(seconds * 1000);
    const after = await Promise.all(idlers.map((idler) => sampleProcess(idler.pid)));
    const windowMs = performance.now() - windowStart;
    const results: Record<string, SubjectResult> = {};
    for (const [index, idler] of idlers.entries()) {
      const start = before[index]!;
      const end = after[index]!;
      let checks: Record<string, string | number | boolean> | undefined;
      if (verify && idler.home !== undefined) {
        const status = (await request(socketOf(idler.home), 'status'))?.result as
          { notifications?: { delivered?: number; failed?: number } } | undefined;
        const reminders = (await request(socketOf(idler.home), 'reminder.list'))?.result;
        const notified = (status?.notifications?.delivered ?? 0) + (status?.notifications?.failed ?? 0);
        checks = {
          'reminders loaded': Array.isArray(reminders) ? reminders.length : 'unknown',
          'quiet (no notification)': status !== undefined && notified === 0,
        };
      }
      results[idler.subjectId] = {
        metrics: {
          cpuMs: ((end.cpuTicks - start.cpuTicks) * 1000) / clockTicks,
          cpuPreciseMs: (end.cpuNs - start.cpuNs) / 1e6,
          switches: end.switches - start.switches,
          rssMb: end.rssKb / 1024,
          ...(idler.readyMs !== undefined && { readyMs: idler.readyMs }),
          ...(idler.cpuMsAtReady !== undefined && { startCpuMs: idler.cpuMsAtReady }),
        },
        ...(verify && {
          checks: { ...checks, 'window s': Number((windowMs / 1000).toFixed(1)) },
        }),
      };
    }
    return results;
  } finally {
    await Promise.all(idlers.map(stop));
    process.removeListener('exit', killAll);
    await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
  }
}

export const suite: Suite = {
  id: 'idle',
  title: 'Daemon idle: CPU and memory while waiting',
  description: `
One child per run starts three processes with the same \`node\` binary: a bare
\`node -e "${BARE_SCRIPT}"\`, then the built daemon (\`MYTIMER_HOME=<temp dir> node dist/app/workers/daemon.js\`,
standalone) with default settings (one reminder, every hour), then one with ${REMINDER_COUNT.toLocaleString('en-US')}
reminders (seeded \`every\` intervals of 10 min to 1 day in whole minutes, priorities 1–20, so none
comes due in the window: this measures waiting, not notifying). Each daemon is started only after the
previous one is ready; **start→ready ms** runs from spawn until its control socket answers
\`{"id":1,"method":"ping"}\` with \`"ok":true\`, and **CPU to ready ms** is the CPU it used by then.

After a ${SETTLE_MS / 1000} s settle, all three idle **side by side in one window** of ${WINDOW_SECONDS} s
(${QUICK_WINDOW_SECONDS} s with \`--quick\`; \`BENCH_IDLE_SECONDS=<s>\` overrides), sampled at its start
and end: **idle CPU ms** = utime + stime from \`/proc/<pid>/stat\`, clock ticks (USER_HZ) → ms;
**CPU ms (schedstat)** the same from \`/proc/<pid>/task/*/schedstat\`, in ns, so it resolves what one
10 ms tick cannot; **ctx switches** = voluntary + involuntary context switches of all threads (how
often the process woke); **RSS MB** = VmRSS from \`/proc/<pid>/status\` at the end of the window.
Linux only.`,
  metrics: [
    { key: 'cpuMs', label: 'idle CPU ms' },
    { key: 'cpuPreciseMs', label: 'CPU ms (schedstat)', digits: 2 },
    { key: 'switches', label: 'ctx switches' },
    { key: 'rssMb', label: 'RSS MB', digits: 1 },
    { key: 'readyMs', label: 'start→ready ms' },
    { key: 'startCpuMs', label: 'CPU to ready ms' },
  ],
  groups: [
    {
      id: 'all',
      title: `Idle over one shared window (${WINDOW_SECONDS} s unless --quick)`,
      baseline: 'bare',
      runs: 3,
      note: 'Three runs (each about a minute). "Indistinguishable" CPU is read as: within one clock tick (10 ms at USER_HZ 100) of the bare process over the window.',
      targets: [
        {
          label: 'idle CPU within one tick (+10 ms) of the bare process',
          subject: 'daemon-default',
          metric: 'cpuMs',
          atMost: 10,
          relativeTo: 'bare',
        },
        {
          label: 'idle CPU within one tick (+10 ms) of the bare process',
          subject: 'daemon-10k',
          metric: 'cpuMs',
          atMost: 10,
          relativeTo: 'bare',
        },
        {
          label: 'RSS within +15 MB of the bare process',
          subject: 'daemon-default',
          metric: 'rssMb',
          atMost: 15,
          relativeTo: 'bare',
        },
      ],
    },
  ],
  subjects: [
    { id: 'bare', label: 'bare node (setInterval)', group: 'all' },
    { id: 'daemon-default', label: 'daemon, default settings', group: 'all' },
    { id: 'daemon-10k', label: 'daemon, 10,000 reminders', group: 'all' },
  ],
  runTogether,
  timeoutMs: (windowSeconds(false) + 90) * 1000,
  ...(process.platform !== 'linux' && {
    skip: `Linux only (reads /proc); this is ${process.platform}.`,
  }),
};
