/**
 * Benchmark (issue 8, item 16): the built daemon started with 10,000 reminders of one schedule kind
 * (`every`, `daily`, `daily` on some weekdays, `cron`): time until its control socket answers, its
 * resident memory against a bare `node`, and the memory each reminder adds. Linux only (/proc).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from '../harness/measure.js';
import { mulberry32, randomInt } from '../harness/prng.js';
import type { RunContext, SubjectResult, Suite } from '../harness/suite.js';
import {
  BARE_SCRIPT,
  DAEMON_ENTRY,
  clockTicksPerSecond,
  launch,
  request,
  sampleProcess,
  socketOf,
  stop,
  waitReady,
  type Idler,
} from './idle.js';

const REMINDER_COUNT = 10_000;
const QUICK_REMINDER_COUNT = 1_000;
/** After ready: lets the start's garbage be collected and the first state write finish. */
const SETTLE_MS = 2_000;

type Kind = 'every' | 'daily' | 'weekdays' | 'cron';
const KINDS: readonly Kind[] = ['every', 'daily', 'weekdays', 'cron'];

const pad = (value: number): string => String(value).padStart(2, '0');

/** A seeded cron expression, from a mix of shapes so that most of 10,000 are distinct. */
function cronExpression(random: () => number): string {
  const minute = randomInt(random, 0, 59);
  const hour = randomInt(random, 0, 23);
  switch (randomInt(random, 0, 3)) {
    case 0:
      return `${minute} ${hour} * * *`;
    case 1:
      return `${minute} ${hour}-${Math.min(23, hour + randomInt(random, 1, 8))} * * 1-5`;
    case 2:
      return `*/${randomInt(random, 5, 30)} ${hour} * * ${randomInt(random, 0, 6)}`;
    default:
      return `${randomInt(random, 0, 59)} ${minute} ${hour} ${randomInt(random, 1, 28)} * *`;
  }
}

/** A seeded non-empty set of weekdays. */
function weekdays(random: () => number): number[] {
  const days = [0, 1, 2, 3, 4, 5, 6].filter(() => random() < 0.5);
  return days.length > 0 ? days : [randomInt(random, 0, 6)];
}

function schedule(kind: Kind, random: () => number): Record<string, unknown> {
  const time = `${pad(randomInt(random, 0, 23))}:${pad(randomInt(random, 0, 59))}`;
  switch (kind) {
    case 'every':
      return { kind: 'every', intervalMs: randomInt(random, 10, 1_440) * 60_000 };
    case 'daily':
      return { kind: 'daily', time };
    case 'weekdays':
      return { kind: 'daily', time, weekdays: weekdays(random) };
    case 'cron':
      return { kind: 'cron', expression: cronExpression(random) };
  }
}

/** settings.json with `count` seeded reminders of one kind, priorities 1–20. */
function settingsOf(kind: Kind, seed: number, count: number): { json: string; distinct: number } {
  const random = mulberry32(seed);
  const reminders = Array.from({ length: count }, (_, index) => ({
    id: `r${index}`,
    schedule: schedule(kind, random),
    priority: randomInt(random, 1, 20),
  }));
  const distinct = new Set(reminders.map((reminder) => JSON.stringify(reminder.schedule))).size;
  return { json: JSON.stringify({ version: 1, reminders }), distinct };
}

interface Measured {
  readyMs: number;
  startCpuMs: number;
  rssMb: number;
  loaded: number | string;
}

/** Starts one daemon in a fresh home, waits until it answers, lets it settle, samples it, stops it. */
async function measureDaemon(
  subjectId: string,
  settings: string | undefined,
  clockTicks: number,
  quick: boolean,
): Promise<Measured> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'mtk-'));
  let daemon: Idler | undefined;
  try {
    if (settings !== undefined) await writeFile(path.join(home, 'settings.json'), settings);
    daemon = launch(subjectId, [DAEMON_ENTRY], home);
    await waitReady(daemon, clockTicks);
    await sleep(quick ? SETTLE_MS / 4 : SETTLE_MS);
    const sample = await sampleProcess(daemon.pid);
    const reminders = (await request(socketOf(home), 'reminder.list'))?.result;
    return {
      readyMs: daemon.readyMs!,
      startCpuMs: daemon.cpuMsAtReady!,
      rssMb: sample.rssKb / 1024,
      loaded: Array.isArray(reminders) ? reminders.length : 'unknown',
    };
  } finally {
    if (daemon) await stop(daemon);
    await rm(home, { recursive: true, force: true });
  }
}

/** One daemon per kind, one after another (so no start competes with another), beside one bare node. */
async function runTogether({ seed, quick, verify }: RunContext): Promise<Record<string, SubjectResult>> {
  if (!existsSync(DAEMON_ENTRY)) throw new Error(`${DAEMON_ENTRY} is missing: run \`npm run build\``);
  const clockTicks = clockTicksPerSecond();
  const count = quick ? QUICK_REMINDER_COUNT : REMINDER_COUNT;
  const bare = launch('bare', ['-e', BARE_SCRIPT]);
  try {
    const base = await measureDaemon('daemon-default', undefined, clockTicks, quick);
    const measured: Partial<Record<Kind, Measured & { distinct: number }>> = {};
    for (const kind of KINDS) {
      const { json, distinct } = settingsOf(kind, seed, count);
      measured[kind] = { ...(await measureDaemon(`daemon-${kind}`, json, clockTicks, quick)), distinct };
    }
    const bareRssMb = (await sampleProcess(bare.pid)).rssKb / 1024;
    const results: Record<string, SubjectResult> = {
      bare: { metrics: { readyMs: 0, rssMb: bareRssMb, rssOverBareMb: 0 } },
      default: {
        metrics: {
          readyMs: base.readyMs,
          rssMb: base.rssMb,
          rssOverBareMb: base.rssMb - bareRssMb,
          startCpuMs: base.startCpuMs,
        },
      },
    };
    for (const kind of KINDS) {
      const figures = measured[kind]!;
      results[kind] = {
        metrics: {
          readyMs: figures.readyMs,
          rssMb: figures.rssMb,
          rssOverBareMb: figures.rssMb - bareRssMb,
          bytesPerReminder: Math.max(0, ((figures.rssMb - base.rssMb) * 1024 * 1024) / count),
          startCpuMs: figures.startCpuMs,
        },
        ...(verify && {
          checks: { 'reminders loaded': figures.loaded, 'distinct schedules': figures.distinct },
        }),
      };
    }
    return results;
  } finally {
    await stop(bare);
  }
}

const target = (kind: Kind) => [
  { label: 'ready ≤ 500 ms', subject: kind, metric: 'readyMs', atMost: 500 },
  { label: 'RSS ≤ bare node + 30 MB', subject: kind, metric: 'rssMb', atMost: 30, relativeTo: 'bare' },
  { label: '≤ 1 KB per reminder', subject: kind, metric: 'bytesPerReminder', atMost: 1024 },
];

export const suite: Suite = {
  id: 'reminder-kinds',
  title: 'Daemon start with 10,000 reminders of each schedule kind',
  description: `
One child per run starts a bare \`node -e "${BARE_SCRIPT}"\`, then, one at a time, the built daemon
(\`MYTIMER_HOME=<temp dir> node dist/app/workers/daemon.js\`) with default settings and with
${REMINDER_COUNT.toLocaleString('en-US')} reminders of one kind (${QUICK_REMINDER_COUNT.toLocaleString('en-US')} with \`--quick\`):
seeded \`every\` (10 min – 1 day), \`daily\` at a seeded HH:MM, \`daily\` on a seeded set of
weekdays, and \`cron\` from four seeded shapes (\`m h * * *\`, \`m h1-h2 * * 1-5\`,
\`*/n h * * d\`, \`s m h D * *\`), most of them distinct (the check says how many). Priorities 1–20.
**start→ready ms** = spawn until the control socket answers \`ping\` with \`"ok":true\`; **RSS MB** =
VmRSS ${SETTLE_MS / 1000} s after ready; **RSS over bare MB** = that minus the bare process's;
**B/reminder** = (RSS of that daemon − RSS of the default daemon) ÷ the number of reminders
(an RSS figure, so a few hundred KB of noise make ±30 B). Each daemon is stopped before the next starts.`,
  metrics: [
    { key: 'readyMs', label: 'start→ready ms' },
    { key: 'rssMb', label: 'RSS MB', digits: 1 },
    { key: 'rssOverBareMb', label: 'RSS over bare MB', digits: 1 },
    { key: 'bytesPerReminder', label: 'B/reminder' },
    { key: 'startCpuMs', label: 'CPU to ready ms' },
  ],
  groups: [
    {
      id: 'all',
      title: '10,000 reminders of one kind',
      baseline: 'default',
      runs: 3,
      targets: KINDS.flatMap(target),
    },
  ],
  subjects: [
    { id: 'bare', label: 'bare node (setInterval)', group: 'all' },
    { id: 'default', label: 'daemon, default settings', group: 'all' },
    { id: 'every', label: 'daemon, 10,000 `every`', group: 'all' },
    { id: 'daily', label: 'daemon, 10,000 `daily`', group: 'all' },
    { id: 'weekdays', label: 'daemon, 10,000 `daily` on weekdays', group: 'all' },
    { id: 'cron', label: 'daemon, 10,000 `cron`', group: 'all' },
  ],
  runTogether,
  timeoutMs: 240_000,
  ...(process.platform !== 'linux' && {
    skip: `Linux only (reads /proc); this is ${process.platform}.`,
  }),
};
