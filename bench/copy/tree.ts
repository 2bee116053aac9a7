/**
 * The copy suite's source trees: seeded, deterministic file sizes and paths, random content, generated
 * once per `node bench/run.js` run under a workspace in the temp dir that is removed when the runner
 * exits. Every child of the run (one per subject per run) finds the tree the first one generated.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writevSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32, randomInt } from '../harness/prng.js';

/** What a generated tree holds. Sizes are drawn from the seed; content is random bytes. */
export interface TreeSpec {
  readonly id: string;
  /** Regular files in all, the big ones included. */
  readonly files: number;
  /** How many of them are BIG_FILE_BYTES long (at seeded positions); the rest are `smallBytes` long. */
  readonly bigFiles: number;
  /** The size range of the other files, bytes (inclusive); MIN_SMALL_BYTES – MAX_SMALL_BYTES when absent. */
  readonly smallBytes?: readonly [min: number, max: number];
}

export const MIN_SMALL_BYTES = 512;
export const MAX_SMALL_BYTES = 256 * 1024;
export const BIG_FILE_BYTES = 8 * 1024 * 1024;
/** Files per leaf folder; folders are `d<n / 10>/d<n % 10>`, so 10,000 files make 10 × 10 folders of 100. */
const FILES_PER_FOLDER = 100;
/** Random bytes the files are cut from (at seeded offsets): generating 1.5 GB of fresh randomness would be slow. */
const POOL_BYTES = 2 * BIG_FILE_BYTES;
/** Written at the head of every file (its index), so no two files are identical. */
const HEADER_BYTES = 16;

export interface TreeFile {
  /** Relative to the tree's root, with `/`. */
  readonly path: string;
  readonly size: number;
}

export interface TreeLayout {
  readonly files: readonly TreeFile[];
  readonly bytes: number;
  readonly folders: number;
}

/** Mixes the tree id into the seed, so two trees of one run differ. */
function treeSeed(seed: number, id: string): number {
  let mixed = seed >>> 0;
  for (const char of id) mixed = Math.imul(mixed ^ char.charCodeAt(0), 0x9e3779b1) >>> 0;
  return mixed;
}

/** The paths and sizes of a tree: the same for every subject and run, given the seed. */
export function layoutOf(spec: TreeSpec, seed: number): TreeLayout {
  const random = mulberry32(treeSeed(seed, spec.id));
  const [minBytes, maxBytes] = spec.smallBytes ?? [MIN_SMALL_BYTES, MAX_SMALL_BYTES];
  const sizes = Array.from({ length: spec.files }, () => randomInt(random, minBytes, maxBytes));
  const big = new Set<number>();
  while (big.size < Math.min(spec.bigFiles, spec.files)) big.add(randomInt(random, 0, spec.files - 1));
  for (const index of big) sizes[index] = BIG_FILE_BYTES;
  const folders = new Set<string>();
  const files = sizes.map((size, index) => {
    const folder = Math.floor(index / FILES_PER_FOLDER);
    const dir = `d${Math.floor(folder / 10)}/d${folder % 10}`;
    folders.add(dir);
    folders.add(dir.slice(0, dir.indexOf('/')));
    return { path: `${dir}/f${String(index).padStart(5, '0')}.bin`, size };
  });
  return { files, bytes: sizes.reduce((sum, size) => sum + size, 0), folders: folders.size };
}

/** Writes the tree at `root` (which must not exist). Synchronous: nothing else runs meanwhile. */
function generate(root: string, layout: TreeLayout, seed: number): void {
  const pool = randomBytes(POOL_BYTES);
  const random = mulberry32(seed ^ 0x5eed);
  const header = Buffer.alloc(HEADER_BYTES);
  const made = new Set<string>();
  for (const [index, file] of layout.files.entries()) {
    const target = path.join(root, file.path);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    header.fill(0);
    header.write(`#${index}`, 'latin1');
    const bodyBytes = file.size - HEADER_BYTES;
    const offset = randomInt(random, 0, POOL_BYTES - bodyBytes);
    const fd = openSync(target, 'w');
    try {
      writevAll(fd, [header, pool.subarray(offset, offset + bodyBytes)]);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Writes every byte of `buffers` at `position` (the file's current offset when absent); writev may
 * write less than asked (rarely, for big buffers): what is left is written again. Returns the bytes.
 */
export function writevAll(fd: number, buffers: readonly Buffer[], position?: number): number {
  let pending = [...buffers];
  let total = 0;
  while (pending.length > 0) {
    let written =
      position === undefined ? writevSync(fd, pending) : writevSync(fd, pending, position + total);
    total += written;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (written >= buffer.length) written -= buffer.length;
      else {
        rest.push(buffer.subarray(written));
        written = 0;
      }
    }
    pending = rest;
  }
  return total;
}

const WORKSPACE_PREFIX = 'mytimer-bench-copy-';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The workspace of this benchmark run: `<tmp>/mytimer-bench-copy-<runner pid>`. The runner
 * (bench/run.js) is the parent of every child, so all children of one run share it. When it is
 * first created, a detached `sh` waits for the runner to exit and then removes it (so the trees
 * go away at the end of the run, or when it is killed), and workspaces of runs that are gone are
 * removed.
 */
export function workspace(): string {
  const owner = process.ppid;
  const dir = path.join(os.tmpdir(), `${WORKSPACE_PREFIX}${owner}`);
  if (existsSync(dir)) return dir;
  for (const name of readdirSync(os.tmpdir())) {
    const pid = name.startsWith(WORKSPACE_PREFIX) ? Number(name.slice(WORKSPACE_PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && pid !== owner && !isAlive(pid))
      rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  const reaper = spawn(
    'sh',
    [
      '-c',
      'while kill -0 "$1" 2>/dev/null; do sleep 2; done; rm -rf -- "$2"',
      'copy-bench-reaper',
      String(owner),
      dir,
    ],
    { detached: true, stdio: 'ignore' },
  );
  reaper.unref();
  return dir;
}

/** The tree for `spec`, generated on first use in this run. Returns its root and layout. */
export function ensureTree(
  spec: TreeSpec,
  seed: number,
): { root: string; layout: TreeLayout; generatedMs?: number } {
  const layout = layoutOf(spec, seed);
  const root = path.join(workspace(), `tree-${spec.id}-${seed}`);
  if (existsSync(root)) return { root, layout };
  const started = performance.now();
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true }); // left by a child killed while generating
  generate(partial, layout, seed);
  renameSync(partial, root);
  return { root, layout, generatedMs: performance.now() - started };
}
