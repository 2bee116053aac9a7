/**
 * Running one copy subject as a process and measuring it: wall time, peak RSS (GNU time's
 * "Maximum resident set size", plus the sampled sum over the whole process tree from /proc),
 * CPU time; dropping the page cache before; comparing the copy with its source after. Linux only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { open, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowNs } from '../harness/measure.js';
import type { TreeLayout } from './tree.js';

const GNU_TIME = '/usr/bin/time';
/** How often the process tree's memory is sampled. */
export const SAMPLE_MS = 50;

/** What one measured process did. */
export interface Measured {
  readonly wallMs: number;
  /** The largest single process's peak RSS: GNU time's figure, or the largest VmHWM sampled. */
  readonly maxRssKb: number;
  readonly maxRssSource: 'time -v' | 'VmHWM sampled';
  /** Peak over the samples of VmRSS summed over the whole tree (0 if it ended before the first sample). */
  readonly treeRssKb: number;
  /** Processes seen in the tree. */
  readonly processes: number;
  /** User + system CPU of the process and its children, from GNU time; undefined without it. */
  readonly cpuMs: number | undefined;
  /** Voluntary + involuntary context switches of the process and its children, from GNU time. */
  readonly switches: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether GNU time (with -v) is at /usr/bin/time. */
export function hasGnuTime(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && probe.stderr.includes('Maximum resident set size');
}

/**
 * `sync`, then `echo 3 > /proc/sys/vm/drop_caches` (page cache, dentries and inodes). Returns
 * whether the kernel took it (it needs root).
 */
export function dropCaches(): boolean {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

function statusKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/**
 * Follows a process tree through /proc: the parent of each new pid is read once from its stat
 * (there is no /proc/<pid>/task/<tid>/children on every kernel), then the members' status.
 */
class TreeSampler {
  private readonly parents = new Map<number, number>();
  private readonly members = new Set<number>();
  private readonly everSeen = new Set<number>();
  treeRssKb = 0;
  maxHwmKb = 0;

  /** `includeRoot`: count the root itself (the subject), not only its descendants (GNU time's children). */
  constructor(
    private readonly root: number,
    includeRoot: boolean,
  ) {
    if (includeRoot) {
      this.parents.set(root, -1);
      this.members.add(root);
      this.everSeen.add(root);
    }
  }

  sample(): void {
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || this.parents.has(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        this.parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // gone between the listing and the read
      }
    }
    let sum = 0;
    for (const [pid, parent] of this.parents) {
      if (!this.members.has(pid) && (this.members.has(parent) || parent === this.root)) {
        this.members.add(pid);
        this.everSeen.add(pid);
      }
      if (!this.members.has(pid)) continue;
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        sum += statusKb(status, 'VmRSS');
        this.maxHwmKb = Math.max(this.maxHwmKb, statusKb(status, 'VmHWM'));
      } catch {
        this.members.delete(pid); // exited; a pid is not reused within one run
        this.parents.delete(pid);
      }
    }
    this.treeRssKb = Math.max(this.treeRssKb, sum);
  }

  /** Processes of the tree seen so far. */
  get seen(): number {
    return this.everSeen.size;
  }
}

/** GNU time's "Maximum resident set size (kbytes): N", user + system seconds and context switches. */
function parseGnuTime(report: string): { maxRssKb: number; cpuMs: number; switches: number } {
  const number = (label: string): number => {
    const match = new RegExp(`${label}:\\s*([\\d.]+)`).exec(report);
    if (!match) throw new Error(`no "${label}" in the report of ${GNU_TIME} -v`);
    return Number(match[1]);
  };
  return {
    maxRssKb: number('Maximum resident set size \\(kbytes\\)'),
    cpuMs: (number('User time \\(seconds\\)') + number('System time \\(seconds\\)')) * 1000,
    switches: number('Voluntary context switches') + number('Involuntary context switches'),
  };
}

/**
 * Runs `command args` (under `/usr/bin/time -v` when `gnuTime`), timing it from spawn to exit and
 * sampling its process tree's memory every SAMPLE_MS. Rejects if it exits non-zero.
 */
export async function runMeasured(
  command: string,
  args: readonly string[],
  options: { gnuTime: boolean; timeReport: string; cwd?: string },
): Promise<Measured> {
  const [file, argv] = options.gnuTime
    ? [GNU_TIME, ['-v', '-o', options.timeReport, command, ...args]]
    : [command, [...args]];
  let stdout = '';
  let stderr = '';
  const started = nowNs();
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  // Under GNU time the subject is the time process's child: its tree is what we sample.
  const sampler = new TreeSampler(child.pid, !options.gnuTime);
  const timer = setInterval(() => sampler.sample(), SAMPLE_MS);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-64_000)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8_000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  const wallMs = (nowNs() - started) / 1e6;
  clearInterval(timer);
  if (code !== 0)
    throw new Error(
      `${command} exited with ${String(code)}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
    );
  const timed = options.gnuTime ? parseGnuTime(await readFile(options.timeReport, 'utf8')) : undefined;
  return {
    wallMs,
    maxRssKb: timed?.maxRssKb ?? sampler.maxHwmKb,
    maxRssSource: timed ? 'time -v' : 'VmHWM sampled',
    treeRssKb: sampler.treeRssKb,
    processes: sampler.seen,
    cpuMs: timed?.cpuMs,
    switches: timed?.switches,
    stdout,
    stderr,
  };
}

const COMPARE_CHUNK = 1 << 20;
/** sameTree compares one file at a time: one pair of buffers serves them all (2 MiB per file was minutes at 100k files). */
const compareBuffers = { left: Buffer.alloc(0), right: Buffer.alloc(0) };

async function sameContent(first: string, second: string, size: number): Promise<boolean> {
  const [a, b] = await Promise.all([open(first, 'r'), open(second, 'r')]);
  try {
    if ((await b.stat()).size !== size || (await a.stat()).size !== size) return false;
    if (compareBuffers.left.length === 0) {
      compareBuffers.left = Buffer.allocUnsafe(COMPARE_CHUNK);
      compareBuffers.right = Buffer.allocUnsafe(COMPARE_CHUNK);
    }
    const { left, right } = compareBuffers;
    for (let position = 0; position < size; position += COMPARE_CHUNK) {
      const [{ bytesRead: readLeft }, { bytesRead: readRight }] = await Promise.all([
        a.read(left, 0, COMPARE_CHUNK, position),
        b.read(right, 0, COMPARE_CHUNK, position),
      ]);
      if (readLeft !== readRight || !left.subarray(0, readLeft).equals(right.subarray(0, readRight)))
        return false;
    }
    return true;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listFiles(root, child)));
    else found.push(child);
  }
  return found;
}

/**
 * Whether `destination` holds exactly the tree's files, byte for byte, and nothing else but the
 * names in `extra` (the manifest, for ours). Reads both trees in full: verifying runs only.
 */
export async function sameTree(
  source: string,
  destination: string,
  layout: TreeLayout,
  extra: readonly string[] = [],
): Promise<{ identical: boolean; problem?: string }> {
  const expected = new Set(layout.files.map((file) => file.path));
  for (const name of await listFiles(destination)) {
    if (!expected.has(name) && !extra.includes(name)) return { identical: false, problem: `extra ${name}` };
  }
  for (const file of layout.files) {
    const copy = path.join(destination, file.path);
    if (!existsSync(copy)) return { identical: false, problem: `missing ${file.path}` };
    if (!(await sameContent(path.join(source, file.path), copy, file.size)))
      return { identical: false, problem: `differs: ${file.path}` };
  }
  return { identical: true };
}

/** Removes a destination (outside the timed part). */
export function removeTree(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** The last stdout line that parses as a JSON object. */
export function lastJson(stdout: string): Record<string, unknown> {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // not a JSON line
    }
  }
  throw new Error(`no JSON result in the output: ${stdout.slice(-200)}`);
}

/** A command to time: the program and its arguments. */
export interface PeerCommand {
  file: string;
  args: string[];
}

/** The CLI the copy suites run, from this file's compiled place (dist/bench/copy). */
const CLI = fileURLToPath(new URL('../../../bin/mytimer.js', import.meta.url));
/** The manifest ours leaves in the destination, beside the tree's files. */
export const MANIFEST_NAME = '.mytimer-manifest.json';

/** `mytimer copy --json` of `source` into `destination`. */
export function oursCommand(source: string, destination: string): PeerCommand {
  return { file: process.execPath, args: [CLI, 'copy', source, destination, '--json'] };
}

/** The fair durable peer: `cp -r`, then every copied file made durable with `sync --data` (fdatasync). */
export function durableCpCommand(source: string, destination: string): PeerCommand {
  return {
    file: 'sh',
    args: [
      '-c',
      'cp -r -- "$1" "$2" && find "$2" -type f -exec sync --data {} +',
      'cp-sync',
      source,
      destination,
    ],
  };
}

/** Plain `cp -r`. */
export function cpCommand(source: string, destination: string): PeerCommand {
  return { file: 'cp', args: ['-r', '--', source, destination] };
}

/** Ours' `--json` result line; throws unless it says all `files` were copied and verified. */
export function verifiedResult(stdout: string, files: number): Record<string, unknown> {
  const result = lastJson(stdout);
  if (result.type !== 'result' || result.outcome !== 'ok' || result.copied !== files)
    throw new Error(`mytimer copy did not verify every file: ${JSON.stringify(result).slice(0, 300)}`);
  return result;
}

/** Warm mode: the whole tree under `root` read once, so a timed copy finds its source in the page cache. */
export function readIntoCache(root: string): void {
  spawnSync('sync');
  spawnSync('sh', ['-c', 'find "$1" -type f -exec cat -- {} + > /dev/null', 'warm', root]);
}
