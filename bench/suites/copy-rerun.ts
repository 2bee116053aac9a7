/**
 * Benchmark (issue 11 item 8: memory and re-runs): myTimer's `copy` on trees of tiny files, where the
 * cost is per file, not per byte — the peak RSS of a first copy of 100,000 files (the manifest is an
 * append-only journal while the copy runs, written whole once at the end, in pieces), and a re-run
 * of 10,000 files that finds nothing changed (no worker is started) — each beside `rsync -a` doing
 * the same. Each subject is a fresh process under GNU time, spawned by the child the runner forks;
 * both targets are checked by the report (met / NOT met, with the runs' min – max). Linux only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32, randomInt } from '../harness/prng.js';
import { hasGnuTime, removeTree, runMeasured } from '../copy/measure.js';
import { workspace } from '../copy/tree.js';
import type { RunContext, Subject, SubjectGroup, SubjectResult, Suite } from '../harness/suite.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = path.join(ROOT, 'bin', 'mytimer.js');
/** Runs of the 100k first copy (about a minute each, ours and rsync); the re-runs take `--runs`. */
const RUNS = 3;
const FILES_PER_FOLDER = 100;

/** A tree of `files` tiny files (64 B – 4 KiB, seeded), `FILES_PER_FOLDER` to a folder; made once per run. */
function tinyTree(files: number, seed: number): string {
  const root = path.join(workspace(), `tiny-${files}-${seed}`);
  if (existsSync(root)) return root;
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const random = mulberry32(seed ^ files);
  const pool = Buffer.alloc(8192);
  for (let i = 0; i < pool.length; i++) pool[i] = randomInt(random, 0, 255);
  for (let i = 0; i < files; i++) {
    const folder = path.join(partial, `d${Math.floor(i / FILES_PER_FOLDER)}`);
    if (i % FILES_PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    const size = randomInt(random, 64, 4096);
    const start = randomInt(random, 0, pool.length - size);
    const bytes = Buffer.from(pool.subarray(start, start + size));
    bytes.writeUInt32LE(i, 0); // no two files alike
    writeFileSync(path.join(folder, `f${i}.bin`), bytes);
  }
  renameSync(partial, root);
  return root;
}

type Tool = 'ours' | 'rsync';
const command = (tool: Tool, source: string, destination: string): [string, string[]] =>
  tool === 'ours'
    ? [process.execPath, [CLI, 'copy', source, destination, '--json']]
    : ['rsync', ['-a', `${source}/`, `${destination}/`]];

/** The last JSON result line of `mytimer copy --json`. */
function resultOf(stdout: string): Record<string, unknown> {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"type":"result"'));
  if (!line) throw new Error(`no result line: ${stdout.slice(-200)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/** One timed run of `tool` copying the tree of `files` files (a re-run: onto its own complete copy). */
async function runOnce(
  tool: Tool,
  files: number,
  rerun: boolean,
  seed: number,
): Promise<{ seconds: number; rssMb: number; checks: Record<string, string | number | boolean> }> {
  const source = tinyTree(files, seed);
  const base = path.join(workspace(), `rerun-${files}-${tool}`);
  const destination = `${base}.copy`;
  const work = `${base}.work`;
  await Promise.all([removeTree(destination), removeTree(work)]);
  mkdirSync(work);
  try {
    const [file, args] = command(tool, source, destination);
    // A re-run starts from a complete copy, made untimed by the same tool.
    if (rerun) spawnSync(file, args, { stdio: 'ignore' });
    const measured = await runMeasured(file, args, {
      gnuTime: hasGnuTime(),
      timeReport: path.join(work, 'time.txt'),
      cwd: work,
    });
    const checks: Record<string, string | number | boolean> = {};
    if (tool === 'ours') {
      const result = resultOf(measured.stdout);
      if (result.outcome !== 'ok')
        throw new Error(`mytimer copy failed: ${JSON.stringify(result).slice(0, 300)}`);
      checks.copied = Number(result.copied);
      checks['workers started'] = Number(result.workersStarted);
    }
    return { seconds: measured.wallMs / 1000, rssMb: (measured.maxRssKb * 1024) / 1e6, checks };
  } finally {
    await Promise.all([removeTree(destination), removeTree(work)]);
  }
}

/**
 * One run of a subject. Our re-run is paired with one of `rsync -a` right after it, in the same
 * child (the same moment's load): `vsRsync` is ours ÷ rsync's time for that pair, the figure the
 * target is on, so a noisy machine moves both sides of each ratio alike.
 */
async function measure(
  tool: Tool,
  files: number,
  rerun: boolean,
  { seed }: RunContext,
): Promise<SubjectResult> {
  const ours = await runOnce(tool, files, rerun, seed);
  const metrics: Record<string, number> = { seconds: ours.seconds, rssMb: ours.rssMb };
  if (tool === 'ours' && rerun) {
    const rsync = await runOnce('rsync', files, rerun, seed);
    metrics.vsRsync = ours.seconds / rsync.seconds;
  }
  return { metrics, checks: ours.checks };
}

const groups: SubjectGroup[] = [
  {
    id: 'first-100k',
    title: 'First copy of 100,000 tiny files (64 B – 4 KiB, ~200 MB)',
    baseline: 'first-100k-ours',
    runs: RUNS,
    note: 'Peak RSS is the largest single process (GNU time). The ratio column is ours ÷ this, in time.',
    targets: [
      {
        label: 'peak RSS ≤ 150 MB, every run',
        subject: 'first-100k-ours',
        metric: 'rssMb',
        atMost: 150,
        over: 'max',
      },
    ],
  },
  {
    id: 'rerun-10k',
    title: 'Re-run of 10,000 tiny files, nothing changed',
    baseline: 'rerun-10k-ours',
    note:
      'The destination is a complete copy made (untimed) by the same tool. Ours should start no worker. ' +
      '÷ rsync -a (paired): each run of ours is followed by one of rsync -a in the same child; the ratio of the pair.',
    targets: [
      {
        label: 'time ≤ 2× rsync -a’s (each run paired with one of rsync right after it)',
        subject: 'rerun-10k-ours',
        metric: 'vsRsync',
        atMost: 2,
      },
    ],
  },
];

const subjects: Subject[] = [
  {
    id: 'first-100k-ours',
    label: 'myTimer copy',
    group: 'first-100k',
    run: (c) => measure('ours', 100_000, false, c),
  },
  {
    id: 'first-100k-rsync',
    label: 'rsync -a',
    group: 'first-100k',
    run: (c) => measure('rsync', 100_000, false, c),
  },
  {
    id: 'rerun-10k-ours',
    label: 'myTimer copy (re-run)',
    group: 'rerun-10k',
    run: (c) => measure('ours', 10_000, true, c),
  },
  {
    id: 'rerun-10k-rsync',
    label: 'rsync -a (re-run)',
    group: 'rerun-10k',
    run: (c) => measure('rsync', 10_000, true, c),
  },
];

const rsyncMissing = spawnSync('rsync', ['--version'], { stdio: 'ignore' }).status !== 0;

export const suite: Suite = {
  id: 'copy-rerun',
  title: 'Copy: memory at 100k files, and a no-change re-run',
  description:
    'Tiny-file trees, where a copy costs per file: the peak RSS of a first copy of 100,000 files (the manifest is ' +
    'an append-only journal, written whole once at the end, in pieces) and a re-run of 10,000 unchanged files ' +
    '(planned from the manifest and a stat per file; no worker thread is started), beside `rsync -a`. Page cache ' +
    'warm (the trees were just written or copied).',
  metrics: [
    { key: 'seconds', label: 'time s', digits: 2 },
    { key: 'rssMb', label: 'peak RSS MB', digits: 1 },
    { key: 'vsRsync', label: '÷ rsync -a (paired)', digits: 2 },
  ],
  groups,
  subjects,
  timeoutMs: 600_000,
  ...((process.platform !== 'linux' || rsyncMissing) && { skip: 'needs Linux and rsync' }),
};
