/**
 * Benchmark (issue: verified copy): myTimer's `copy` against `cp -r`, `cp -r` + `sha512sum` of both
 * trees, and the seed-style Python multiprocessing.Pool copy, on one seeded tree per size (and on
 * 100,000 tiny files against `rsync -a` only, where the cost is per file). Each
 * subject is a fresh process, spawned under GNU time by the child the runner forks; the child drops
 * the page cache first and compares the copy with the source after (first run). Linux only.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SAMPLE_MS,
  dropCaches,
  hasGnuTime,
  cpCommand,
  durableCpCommand,
  lastJson,
  MANIFEST_NAME,
  oursCommand,
  readIntoCache,
  removeTree,
  runMeasured,
  sameTree,
  verifiedResult,
} from '../copy/measure.js';
import type { Measured } from '../copy/measure.js';
import {
  BIG_FILE_BYTES,
  MAX_SMALL_BYTES,
  MIN_SMALL_BYTES,
  ensureTree,
  layoutOf,
  workspace,
} from '../copy/tree.js';
import type { TreeLayout, TreeSpec } from '../copy/tree.js';
import type { RunContext, Subject, SubjectGroup, SubjectResult, Suite, Target } from '../harness/suite.js';

/** The repository root, from this file's compiled place (dist/bench/suites). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PYTHON_SCRIPT = path.join(ROOT, 'bench', 'copy', 'python_pool_copy.py');
const RUNS = 3;

/**
 * `--quick` runs the 1,000-file tree only. A subject's `skip` is read by the runner, which gets no
 * RunContext, so the flag is taken from the runner's own command line (a child never sees it there,
 * and never needs to: it runs only the subjects the runner asks for).
 */
const QUICK_RUN = process.argv.slice(2).includes('--quick');

type ToolId = 'ours' | 'cp' | 'cpsync' | 'rsync' | 'cpsha' | 'python';

/** Cold: the page cache dropped before each timed run; warm: the source tree read into it first. */
type Mode = 'cold' | 'warm';

interface Tree extends TreeSpec {
  readonly title: string;
  /** The modes this tree runs in: cold only when absent. */
  readonly modes?: readonly Mode[];
  /** The tools run on this tree: all when absent. */
  readonly tools?: readonly ToolId[];
  /** Why the runner leaves this tree out, if it does. */
  readonly skip?: string;
}

const QUICK_SKIP = '`--quick` runs the 1,000-file tree only';

const TREES: readonly Tree[] = [
  { id: 'small', title: '1,000 files', files: 1_000, bigFiles: 3 },
  {
    id: 'full',
    title: '10,000 files',
    files: 10_000,
    bigFiles: 24,
    modes: ['cold', 'warm'],
    ...(QUICK_RUN && { skip: QUICK_SKIP }),
  },
  {
    // Where a copy costs per file, not per byte (issue 11 item 7): beside rsync -a only, which
    // neither verifies nor syncs; the other peers would add minutes to the suite and say nothing new.
    id: 'tiny',
    title: '100,000 tiny files',
    files: 100_000,
    bigFiles: 0,
    smallBytes: [64, 4096],
    tools: ['ours', 'rsync'],
    modes: ['cold', 'warm'],
    ...(QUICK_RUN && { skip: QUICK_SKIP }),
  },
];

interface Tool {
  readonly id: ToolId;
  readonly label: string;
  /** The command to time, copying `source` into `destination` (which does not exist yet). */
  command(source: string, destination: string, work: string): { file: string; args: string[] };
  /** Checks the tool's own report; throws if it says the copy is not complete and verified. */
  check?(measured: Measured, layout: TreeLayout): Record<string, string | number | boolean>;
  /** Names besides the tree's files that the copy may leave in the destination. */
  readonly extra?: readonly string[];
  /** Why the runner leaves this tool out, if it does. */
  readonly skip?: string;
}

/** Whether `command` is on the PATH (the runner asks once, when it lists the subjects). */
function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Both trees hashed at once (one `sha512sum` pipeline per tree on 2+ cores), then the lists compared. */
const CP_SHA_SCRIPT = `set -e
export LC_ALL=C
cp -r -- "$1" "$2"
(cd -- "$1" && find . -type f -print0 | sort -z | xargs -0 sha512sum) > "$3/source.sha512" &
hashing=$!
(cd -- "$2" && find . -type f -print0 | sort -z | xargs -0 sha512sum) > "$3/destination.sha512"
wait "$hashing"
cmp -s "$3/source.sha512" "$3/destination.sha512"`;

const TOOLS: readonly Tool[] = [
  {
    id: 'ours',
    label: 'myTimer copy (verified)',
    command: oursCommand,
    check(measured, layout) {
      const result = verifiedResult(measured.stdout, layout.files.length);
      return { workers: Number(result.workers) };
    },
    extra: [MANIFEST_NAME],
  },
  {
    id: 'cp',
    label: 'cp -r (no verification)',
    command: cpCommand,
  },
  {
    // The fair durable peer: the same bytes made durable file by file, as ours are (no verification).
    id: 'cpsync',
    label: 'cp -r + fdatasync per file (durable)',
    command: durableCpCommand,
  },
  {
    id: 'rsync',
    label: 'rsync -a (no verification, no sync)',
    command: (source, destination) => ({ file: 'rsync', args: ['-a', '--', `${source}/`, destination] }),
    ...(!onPath('rsync') && { skip: 'skipped: rsync missing' }),
  },
  {
    id: 'cpsha',
    label: 'cp -r + sha512sum both + cmp',
    command: (source, destination, work) => ({
      file: 'sh',
      args: ['-c', CP_SHA_SCRIPT, 'cp-sha512sum', source, destination, work],
    }),
  },
  {
    id: 'python',
    label: 'Python Pool: copy2 + sha512 both',
    command: (source, destination) => ({ file: 'python3', args: [PYTHON_SCRIPT, source, destination] }),
    check(measured, layout) {
      const result = lastJson(measured.stdout);
      if (result.files !== layout.files.length || result.mismatches !== 0)
        throw new Error(`the Python copy did not verify every file: ${JSON.stringify(result)}`);
      return { workers: Number(result.workers) };
    },
  },
];

/**
 * Untimed, right after the cache drop: the same command on a one-file tree, so the program's own code
 * (node and the CLI's modules, python3 and multiprocessing, the coreutils) is back in the cache and the
 * timed run reads only the source tree cold. Without it node's start alone takes ~0.1 s longer.
 */
async function warmUp(tool: Tool, work: string): Promise<void> {
  const source = path.join(work, 'warm-source');
  const destination = path.join(work, 'warm-copy');
  await mkdir(source);
  await writeFile(path.join(source, 'one.bin'), randomBytes(4096));
  const { file, args } = tool.command(source, destination, work);
  await runMeasured(file, args, { gnuTime: false, timeReport: '', cwd: work });
  await Promise.all([removeTree(source), removeTree(destination)]);
}

async function runSubject(
  tree: Tree,
  mode: Mode,
  tool: Tool,
  { seed, verify }: RunContext,
): Promise<SubjectResult> {
  const { root, layout, generatedMs } = ensureTree(tree, seed);
  const base = path.join(workspace(), `${tree.id}-${mode}-${tool.id}`);
  const destination = `${base}.copy`;
  const work = `${base}.work`;
  await Promise.all([removeTree(destination), removeTree(work)]);
  await mkdir(work);
  try {
    const gnuTime = hasGnuTime();
    const cacheDropped = mode === 'cold' && dropCaches();
    await warmUp(tool, work);
    if (mode === 'warm') readIntoCache(root);
    const { file, args } = tool.command(root, destination, work);
    const measured = await runMeasured(file, args, {
      gnuTime,
      timeReport: path.join(work, 'time.txt'),
      cwd: work,
    });
    const reported = tool.check?.(measured, layout) ?? {};
    const seconds = measured.wallMs / 1000;
    let checks: Record<string, string | number | boolean> | undefined;
    if (verify) {
      const compared = await sameTree(root, destination, layout, tool.extra);
      checks = {
        'identical copy': compared.identical,
        ...(compared.problem !== undefined && { 'copy problem': compared.problem }),
        ...(mode === 'cold' && { 'page cache dropped': cacheDropped }),
        processes: measured.processes,
        ...reported,
        ...(generatedMs !== undefined && { 'tree generated ms': Math.round(generatedMs) }),
      };
    }
    return {
      metrics: {
        seconds,
        mbPerSecond: layout.bytes / 1e6 / seconds,
        filesPerSecond: layout.files.length / seconds,
        rssMb: (measured.maxRssKb * 1024) / 1e6,
        treeRssMb: (measured.treeRssKb * 1024) / 1e6,
        ...(measured.cpuMs !== undefined && { cpuSeconds: measured.cpuMs / 1000 }),
        ...(measured.switches !== undefined && { switches: measured.switches }),
        lnSeconds: Math.log(seconds),
      },
      ...(checks && { checks }),
    };
  } finally {
    // Outside the timed part: the next run starts from an empty destination.
    await Promise.all([removeTree(destination), removeTree(work)]);
  }
}

const modesOf = (tree: Tree): readonly Mode[] => tree.modes ?? ['cold'];
const groupId = (tree: Tree, mode: Mode): string => `${tree.id}-${mode}`;
const subjectId = (tree: Tree, mode: Mode, tool: Tool): string => `${groupId(tree, mode)}-${tool.id}`;

function targetsFor(tree: Tree, mode: Mode): Target[] {
  const ours = subjectId(tree, mode, TOOLS[0]!);
  const peer = (id: ToolId): string => `${groupId(tree, mode)}-${id}`;
  if (tree.id === 'tiny') {
    return [
      {
        label: 'time ≤ 2× rsync -a’s (ln time ≤ rsync’s + ln 2)',
        subject: ours,
        metric: 'lnSeconds',
        atMost: Math.log(2),
        relativeTo: peer('rsync'),
      },
    ];
  }
  return [
    {
      label: 'time ≤ 0.8× the Python pool’s (ln time ≤ Python’s + ln 0.8)',
      subject: ours,
      metric: 'lnSeconds',
      atMost: Math.log(0.8),
      relativeTo: peer('python'),
    },
    {
      label: 'time ≤ 1.0× the durable cp’s (cp -r + fdatasync per file)',
      subject: ours,
      metric: 'lnSeconds',
      atMost: 0,
      relativeTo: peer('cpsync'),
    },
    {
      label: 'time ≤ 1.5× plain cp -r’s (ln time ≤ cp’s + ln 1.5)',
      subject: ours,
      metric: 'lnSeconds',
      atMost: Math.log(1.5),
      relativeTo: peer('cp'),
    },
    { label: 'peak RSS < 150 MB, every run', subject: ours, metric: 'rssMb', atMost: 150, over: 'max' },
  ];
}

function describeTree(tree: Tree): string {
  const layout = layoutOf(tree, 0);
  const small = tree.files - tree.bigFiles;
  const [minBytes, maxBytes] = tree.smallBytes ?? [MIN_SMALL_BYTES, MAX_SMALL_BYTES];
  const big = tree.bigFiles > 0 ? ` and ${tree.bigFiles} of ${BIG_FILE_BYTES / 2 ** 20} MiB` : '';
  return (
    `${tree.files.toLocaleString('en-US')} files in ${layout.folders} folders: ${small.toLocaleString('en-US')} of ` +
    `${minBytes} B – ${maxBytes / 1024} KiB${big}, about ${(layout.bytes / 1e9).toFixed(2)} GB`
  );
}

const toolsOf = (tree: Tree): readonly Tool[] =>
  TOOLS.filter((tool) => tree.tools?.includes(tool.id) ?? true);

const MODE_TITLES: Readonly<Record<Mode, string>> = {
  cold: 'cold (page cache dropped)',
  warm: 'warm (source in the page cache)',
};

const groups: SubjectGroup[] = TREES.flatMap((tree) =>
  modesOf(tree).map((mode) => ({
    id: groupId(tree, mode),
    title: `${tree.title} (${describeTree(tree).split(', ').pop() ?? ''}), ${MODE_TITLES[mode]}`,
    baseline: subjectId(tree, mode, TOOLS[0]!),
    runs: RUNS,
    note:
      tree.id === 'tiny'
        ? `${describeTree(tree)}. The ratio column is ours ÷ this, in time: the target reads it directly (rsync row ≤ 2.00×).`
        : `${describeTree(tree)}. The ratio column is ours ÷ this, in time: the targets read it directly (Python row ≤ 0.80×, durable cp row ≤ 1.00×, cp -r row ≤ 1.50×).`,
    targets: targetsFor(tree, mode),
  })),
);

const subjects: Subject[] = TREES.flatMap((tree) =>
  modesOf(tree).flatMap((mode) =>
    toolsOf(tree).map((tool) => ({
      id: subjectId(tree, mode, tool),
      label: tool.label,
      group: groupId(tree, mode),
      ...((tree.skip ?? tool.skip) !== undefined && { skip: tree.skip ?? tool.skip }),
      run: (context: RunContext) => runSubject(tree, mode, tool, context),
    })),
  ),
);

export const suite: Suite = {
  id: 'copy',
  title: 'Verified copy of a tree: myTimer vs cp -r, cp -r + sha512sum, a Python pool',
  description: `
Each subject copies one seeded tree into a fresh, empty destination, in a fresh process spawned
under GNU \`/usr/bin/time -v\` by the child the runner forks; median of ${RUNS} runs with min–max,
subjects interleaved run by run. The trees are generated once per \`node bench/run.js\` run in
\`$TMPDIR/mytimer-bench-copy-<runner pid>\` (seeded sizes and paths, random bytes, 100 files per
folder) and removed when the runner exits. **Cold** groups: before **every** timed run, for every subject:
\`sync; echo 3 > /proc/sys/vm/drop_caches\` (needs root: the "page cache dropped" check says whether it
worked; if not, every subject reads a warm cache), then an untimed warm-up of the same command on a
one-file tree, so the program's own code (node and the CLI, python3 and multiprocessing, coreutils)
is cached again while the source tree is still read from disk. **Warm** groups (the 10,000- and
100,000-file trees): no drop; after the warm-up, \`sync\` and the whole source tree read once with
\`cat\`, so the copy reads its source from the page cache. Timed: spawn to exit. Not timed:
removing the destination, and on the first run comparing it with the source byte for byte
("identical copy"). MB = 10⁶ bytes.

- **myTimer copy**: \`node bin/mytimer.js copy <src> <dst> --json\`, default workers (one per core):
  SHA-512 of each source as it streams into a temp file, \`fdatasync\`, read back and compared byte for byte, renamed
  when the digests match, manifest written. The run fails unless the result says \`ok\` for every file.
- **cp -r**: \`cp -r <src> <dst>\`: copies, verifies nothing, syncs nothing.
- **durable cp** (the fair peer): \`cp -r\`, then \`find <dst> -type f -exec sync --data {} +\`
  (fdatasync of every file). Verifies nothing.
- **rsync -a**: \`rsync -a <src>/ <dst>\` when rsync is installed (else "skipped: rsync missing").
- **cp -r + sha512sum**: \`cp -r\`, then \`find . -type f -print0 | sort -z | xargs -0 sha512sum\` in each
  tree (the two trees at once, in the background and foreground of one \`sh\`), then \`cmp\` of the lists.
- **Python pool**: [bench/copy/python_pool_copy.py](copy/python_pool_copy.py): \`os.walk\`, folders made
  first, then \`multiprocessing.Pool(os.cpu_count())\`, \`imap_unordered\` (16 files a chunk); a task is
  \`shutil.copy2\` then \`hashlib.sha512\` of source and destination (1 MiB reads), compared. No fsync.

The 100,000-file tree (64 B – 4 KiB each, where a copy costs per file: create, sync, rename) runs
myTimer and \`rsync -a\` only; \`--quick\` leaves it out, as it does the 10,000-file tree.

**time s** = wall time from spawn to exit; **MB/s** = tree bytes (10⁶) ÷ time; **files/s** likewise;
**peak RSS MB** = GNU time's "Maximum resident set size" (10⁶ B): the largest single process of the
subject's tree (for ours the one Node process, worker threads included; for the pool the largest of
its processes); **tree RSS MB** = the highest sum of VmRSS over all the subject's processes, sampled
from /proc every ${SAMPLE_MS} ms (shared pages counted in each process); **CPU s** = user + system time
of the subject and its children, **ctx switches** their voluntary + involuntary context switches
(GNU time: how often they blocked or were preempted). **ln(time s)** only serves the ratio targets: the harness
compares by difference, and ln a − ln b ≤ ln 0.8 is a ÷ b ≤ 0.8. Linux only.`,
  metrics: [
    { key: 'seconds', label: 'time s', digits: 2 },
    { key: 'mbPerSecond', label: 'MB/s' },
    { key: 'filesPerSecond', label: 'files/s' },
    { key: 'rssMb', label: 'peak RSS MB', digits: 1 },
    { key: 'treeRssMb', label: 'tree RSS MB', digits: 1 },
    { key: 'cpuSeconds', label: 'CPU s', digits: 2 },
    { key: 'switches', label: 'ctx switches' },
    { key: 'lnSeconds', label: 'ln(time s)', digits: 3 },
  ],
  groups,
  subjects,
  // The first child of a run also generates the tree; a verifying run reads source and copy in full.
  timeoutMs: 15 * 60_000,
  ...(process.platform !== 'linux' && {
    skip: `Linux only (drop_caches, /proc, GNU time); this is ${process.platform}.`,
  }),
};
