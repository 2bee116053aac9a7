/**
 * Benchmark (issue 11 item 6: overlap hashing with I/O): myTimer's verified `copy` of files over
 * 100 MB — one 2 GB file, and five of 200 MB — cold (page cache dropped) and warm (the source read
 * into the cache first), beside the single-core OpenSSL SHA-512 rate measured in the same run, the
 * durable cp (cp -r + fdatasync per file), plain cp -r and a disk floor (dd). Each subject is a fresh
 * process under GNU time, spawned by the child the runner forks. Linux only.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  cpCommand,
  dropCaches,
  durableCpCommand,
  hasGnuTime,
  MANIFEST_NAME,
  oursCommand,
  readIntoCache,
  removeTree,
  runMeasured,
  sameTree,
  verifiedResult,
} from '../copy/measure.js';
import type { Measured } from '../copy/measure.js';
import { workspace, writevAll } from '../copy/tree.js';
import type { TreeLayout } from '../copy/tree.js';
import type { RunContext, Subject, SubjectGroup, SubjectResult, Suite, Target } from '../harness/suite.js';

const RUNS = 3;
/** The goal: ours copies at ≥ 0.9× the single-core OpenSSL SHA-512 rate of the same run. */
const GOAL_OF_OPENSSL = 0.9;
/** What `openssl speed` hashes at a time, and for how long. */
const OPENSSL_BLOCK_BYTES = 4 * 1024 * 1024;
const OPENSSL_SECONDS = 3;

interface FileSet {
  readonly id: string;
  readonly title: string;
  readonly files: number;
  /** Each file's size; not a multiple of 4096, so the O_DIRECT paths meet a tail. */
  readonly fileBytes: number;
}

const SETS: readonly FileSet[] = [
  { id: '2g', title: 'one 2 GB file', files: 1, fileBytes: 2_000_000_000 },
  { id: '200m', title: 'five 200 MB files', files: 5, fileBytes: 200_000_000 },
];

/** `--quick` (a smoke test, figures not comparable) makes the files ten times smaller. */
const scaled = (set: FileSet, { quick }: RunContext): FileSet =>
  quick ? { ...set, fileBytes: set.fileBytes / 10 } : set;

type Mode = 'cold' | 'warm';
const MODES: readonly Mode[] = ['cold', 'warm'];

type ToolId = 'openssl' | 'ours' | 'cpsync' | 'cp' | 'floor';

interface Tool {
  readonly id: ToolId;
  readonly label: string;
  /** The command to time, copying `source` into `destination` (which does not exist yet). */
  command(source: string, destination: string): { file: string; args: string[] };
  /** Checks the tool's own report; throws if it says the copy is not complete and verified. */
  check?(measured: Measured, files: number): Record<string, string | number | boolean>;
  /** Names besides the set's files that the copy may leave in the destination. */
  readonly extra?: readonly string[];
}

/** Every file written past the cache and synced by dd, then every copy read back from the device. */
const FLOOR_SCRIPT = `set -e
mkdir -- "$2"
for f in "$1"/*; do dd if="$f" of="$2/\${f##*/}" bs=4M oflag=direct conv=fdatasync status=none; done
for f in "$2"/*; do dd if="$f" of=/dev/null bs=4M iflag=direct status=none; done`;

const COPY_TOOLS: readonly Tool[] = [
  {
    id: 'ours',
    label: 'myTimer copy (verified: read back from the device)',
    command: oursCommand,
    check(measured, files) {
      const result = verifiedResult(measured.stdout, files);
      const readBack = result.readBack as { device?: number } | undefined;
      return { 'read back from the device': `${readBack?.device ?? 0} of ${files}` };
    },
    extra: [MANIFEST_NAME],
  },
  {
    id: 'cpsync',
    label: 'cp -r + fdatasync per file (durable)',
    command: durableCpCommand,
  },
  {
    id: 'cp',
    label: 'cp -r (no verification, no sync)',
    command: cpCommand,
  },
  {
    id: 'floor',
    label: 'disk floor: dd O_DIRECT write + fdatasync, then O_DIRECT read',
    command: (source, destination) => ({
      file: 'sh',
      args: ['-c', FLOOR_SCRIPT, 'dd-floor', source, destination],
    }),
  },
];

const OPENSSL: Tool = {
  id: 'openssl',
  label: `OpenSSL SHA-512, one core (openssl speed, ${OPENSSL_BLOCK_BYTES / 2 ** 20} MiB blocks)`,
  command: () => ({
    file: 'openssl',
    args: [
      'speed',
      '-evp',
      'sha512',
      '-bytes',
      String(OPENSSL_BLOCK_BYTES),
      '-seconds',
      String(OPENSSL_SECONDS),
    ],
  }),
};

const layoutOf = (set: FileSet): TreeLayout => ({
  files: Array.from({ length: set.files }, (_, index) => ({ path: `f${index}.bin`, size: set.fileBytes })),
  bytes: set.files * set.fileBytes,
  folders: 0,
});

/** Random bytes the files are made of, each 64 MiB block of a file headed by its own number. */
const POOL_BYTES = 64 * 1024 * 1024;
const HEADER_BYTES = 16;

/** The set's source folder, written on first use in this run (random content). */
function ensureSet(set: FileSet): string {
  const root = path.join(workspace(), `big-${set.id}-${set.fileBytes}`);
  if (existsSync(root)) return root;
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const pool = randomBytes(POOL_BYTES);
  for (const [index, file] of layoutOf(set).files.entries()) {
    const fd = openSync(path.join(partial, file.path), 'w');
    try {
      for (let position = 0, block = 0; position < file.size; block++) {
        const header = Buffer.alloc(HEADER_BYTES);
        header.write(`#${index}:${block}`, 'latin1');
        const body = pool.subarray(0, Math.min(POOL_BYTES, file.size - position) - HEADER_BYTES);
        position += writevAll(fd, [header, body], position);
      }
    } finally {
      closeSync(fd);
    }
  }
  renameSync(partial, root);
  return root;
}

/** The bytes/s `openssl speed` reports on its last line (`sha512  818000.00k`: thousands of bytes/s). */
function opensslRate(stdout: string): number {
  const match = /sha512\s+([\d.]+)k\s*$/m.exec(stdout.trim());
  if (!match) throw new Error(`no rate in openssl speed's output: ${stdout.slice(-200)}`);
  return Number(match[1]) * 1000;
}

/** Untimed: the command on a one-file folder, so the program's own code is in the cache again. */
async function warmUp(tool: Tool, work: string): Promise<void> {
  const source = path.join(work, 'warm-source');
  const destination = path.join(work, 'warm-copy');
  await mkdir(source);
  await writeFile(path.join(source, 'one.bin'), randomBytes(4096));
  const { file, args } = tool.command(source, destination);
  await runMeasured(file, args, { gnuTime: false, timeReport: '', cwd: work });
  await Promise.all([removeTree(source), removeTree(destination)]);
}

/** Reads every file of `root` once, so a warm run finds the source in the page cache. */
async function runOpenssl(fullSet: FileSet, context: RunContext): Promise<SubjectResult> {
  const set = scaled(fullSet, context);
  const { file, args } = OPENSSL.command('', '');
  const run = spawnSync(file, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl speed failed: ${run.stderr}`);
  const rate = opensslRate(run.stdout);
  const bytes = set.files * set.fileBytes;
  const seconds = bytes / rate;
  return { metrics: { seconds, mbPerSecond: rate / 1e6, lnSeconds: Math.log(seconds) } };
}

async function runCopy(
  fullSet: FileSet,
  mode: Mode,
  tool: Tool,
  context: RunContext,
): Promise<SubjectResult> {
  const set = scaled(fullSet, context);
  const source = ensureSet(set);
  const layout = layoutOf(set);
  const base = path.join(workspace(), `big-${set.id}-${mode}-${tool.id}`);
  const destination = `${base}.copy`;
  const work = `${base}.work`;
  await Promise.all([removeTree(destination), removeTree(work)]);
  await mkdir(work);
  try {
    const gnuTime = hasGnuTime();
    let cacheDropped = false;
    if (mode === 'cold') cacheDropped = dropCaches();
    else spawnSync('sync'); // what earlier runs left dirty is written before the timed run
    await warmUp(tool, work);
    if (mode === 'warm') readIntoCache(source);
    const { file, args } = tool.command(source, destination);
    const measured = await runMeasured(file, args, {
      gnuTime,
      timeReport: path.join(work, 'time.txt'),
      cwd: work,
    });
    const reported = tool.check?.(measured, set.files) ?? {};
    const seconds = measured.wallMs / 1000;
    let checks: Record<string, string | number | boolean> | undefined;
    if (context.verify) {
      const compared = await sameTree(source, destination, layout, tool.extra);
      checks = {
        'identical copy': compared.identical,
        ...(compared.problem !== undefined && { 'copy problem': compared.problem }),
        ...(mode === 'cold' && { 'page cache dropped': cacheDropped }),
        ...reported,
      };
    }
    return {
      metrics: {
        seconds,
        mbPerSecond: layout.bytes / 1e6 / seconds,
        rssMb: (measured.maxRssKb * 1024) / 1e6,
        ...(measured.cpuMs !== undefined && { cpuSeconds: measured.cpuMs / 1000 }),
        lnSeconds: Math.log(seconds),
      },
      ...(checks && { checks }),
    };
  } finally {
    // Outside the timed part: the next run starts from an empty destination.
    await Promise.all([removeTree(destination), removeTree(work)]);
  }
}

const groupId = (set: FileSet, mode: Mode): string => `${set.id}-${mode}`;
const subjectId = (set: FileSet, mode: Mode, tool: Tool): string => `${groupId(set, mode)}-${tool.id}`;

function targetsFor(set: FileSet, mode: Mode): Target[] {
  return [
    {
      label: `rate ≥ ${GOAL_OF_OPENSSL}× the single-core OpenSSL SHA-512 rate (ln time ≤ OpenSSL’s + ln(1/${GOAL_OF_OPENSSL}))`,
      subject: subjectId(set, mode, COPY_TOOLS[0]!),
      metric: 'lnSeconds',
      atMost: Math.log(1 / GOAL_OF_OPENSSL),
      relativeTo: subjectId(set, mode, OPENSSL),
    },
  ];
}

const groups: SubjectGroup[] = SETS.flatMap((set) =>
  MODES.map((mode) => ({
    id: groupId(set, mode),
    title: `${set.title}, ${mode} (${mode === 'cold' ? 'page cache dropped' : 'source in the page cache'})`,
    baseline: subjectId(set, mode, OPENSSL),
    runs: RUNS,
    note:
      `${set.files} × ${set.fileBytes.toLocaleString('en-US')} B of random bytes. The ratio column is OpenSSL's ` +
      `time ÷ this = this rate ÷ the OpenSSL rate: the goal reads it directly (ours ≥ ${GOAL_OF_OPENSSL.toFixed(2)}×).`,
    targets: targetsFor(set, mode),
  })),
);

const subjects: Subject[] = SETS.flatMap((set) =>
  MODES.flatMap((mode) => [
    {
      id: subjectId(set, mode, OPENSSL),
      label: OPENSSL.label,
      group: groupId(set, mode),
      run: (context: RunContext) => runOpenssl(set, context),
    },
    ...COPY_TOOLS.map((tool) => ({
      id: subjectId(set, mode, tool),
      label: tool.label,
      group: groupId(set, mode),
      run: (context: RunContext) => runCopy(set, mode, tool, context),
    })),
  ]),
);

export const suite: Suite = {
  id: 'copy-big',
  title: 'Verified copy of big files: myTimer vs the OpenSSL SHA-512 rate, durable cp, cp, a dd floor',
  description: `
Two sets of files over 100 MB, written once per \`node bench/run.js\` run under
\`$TMPDIR/mytimer-bench-copy-<runner pid>\` (random bytes; removed when the runner exits): **one 2 GB
file** and **five 200 MB files** (10⁹ B = 1 GB; sizes not a multiple of 4 KiB). Each is copied
**cold** (\`sync; echo 3 > /proc/sys/vm/drop_caches\` first: the source comes from the disk) and
**warm** (\`sync\`, then the source read once with \`cat\`: it comes from the page cache; the copy is
still written to and, for ours, read back from the disk). Every copying subject is a fresh process
under GNU \`/usr/bin/time -v\`, after an untimed warm-up of the same command on a one-file folder (the
program's own code back in the cache), into a fresh empty destination; median of ${RUNS} runs with
min–max, subjects interleaved run by run. Timed: spawn to exit. Not timed: removing the destination,
and on the first run comparing it with the source byte for byte ("identical copy").

- **OpenSSL SHA-512, one core**: \`openssl speed -evp sha512 -bytes ${OPENSSL_BLOCK_BYTES} -seconds ${OPENSSL_SECONDS}\`,
  run in the same child sequence as the copies; its **time s** is the set's bytes ÷ that rate: how
  long hashing them alone takes on one core, no I/O. The goal (issue 11 item 6): ours ≥ ${GOAL_OF_OPENSSL}× this rate.
- **myTimer copy**: \`node bin/mytimer.js copy <src> <dst> --json\`: SHA-512 of each source as it is read,
  written to a temp file, every chunk read back from the device (O_DIRECT) and compared, fdatasync,
  renamed. The run fails unless the result says \`ok\` for every file; "read back from the device" counts them.
- **durable cp**: \`cp -r\`, then \`find <dst> -type f -exec sync --data {} +\`. Verifies nothing.
- **cp -r**: copies, verifies nothing, syncs nothing (its bytes may still be in the page cache at exit).
- **disk floor**: per file \`dd bs=4M oflag=direct conv=fdatasync\` (written past the cache, synced), then
  per copy \`dd bs=4M iflag=direct\` to /dev/null (read back from the device): the disk work ours does,
  one step after another, with no hashing.

**time s** = wall time; **MB/s** = the set's bytes (10⁶) ÷ time; **peak RSS MB** = GNU time's maximum
resident set size; **CPU s** = user + system time of the subject and its children. **ln(time s)** only
serves the target: ln ours − ln OpenSSL ≤ ln(1/${GOAL_OF_OPENSSL}) is ours' rate ≥ ${GOAL_OF_OPENSSL}× OpenSSL's. Linux only.`,
  metrics: [
    { key: 'seconds', label: 'time s', digits: 2 },
    { key: 'mbPerSecond', label: 'MB/s' },
    { key: 'rssMb', label: 'peak RSS MB', digits: 1 },
    { key: 'cpuSeconds', label: 'CPU s', digits: 2 },
    { key: 'lnSeconds', label: 'ln(time s)', digits: 3 },
  ],
  groups,
  subjects,
  // The first child also writes 3 GB of sources; a verifying run reads source and copy in full.
  timeoutMs: 10 * 60_000,
  ...(process.platform !== 'linux' && {
    skip: `Linux only (drop_caches, /proc, GNU time, O_DIRECT); this is ${process.platform}.`,
  }),
};
