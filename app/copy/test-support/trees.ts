// Shared by the copy job's tests only: seeded random trees, tree comparison, temp-file checks.
import { execFileSync } from 'node:child_process';
import type { Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../shared/random.js';
import { startCopy } from '../copy-job.js';
import type { CopyJobOptions, CopyResult } from '../job-types.js';
import { MANIFEST_NAME } from '../manifest.js';
import { isTempName } from '../temp-names.js';

/** A new empty dir under the OS temp dir; pair with removeDir. */
export function makeTempDir(prefix = 'mytimer-copy-'): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Removes a dir made by makeTempDir. */
export function removeDir(dir: string): Promise<void> {
  return fsp.rm(dir, { recursive: true, force: true });
}

/** Runs a copy job to its result (worker script from dist/: `npm run build` first). */
export function copyTree(options: CopyJobOptions): Promise<CopyResult> {
  return startCopy({ workers: 2, ...options }).result;
}

/** Names that break naive copiers: spaces, newlines, tabs, Chinese, emoji, quotes, leading dots, 200 bytes. */
const ODD_NAMES = [
  'plain',
  'with space',
  'trailing space ',
  'new\nline',
  'tab\there',
  '中文文件',
  '中文 目录',
  'emoji 😀',
  `quote'"`,
  '.hidden',
  'dots...',
  'ünïcødé',
  'l'.repeat(200),
];
const FILE_MODES = [0o644, 0o600, 0o755, 0o640, 0o444, 0o700];
const DIR_MODES = [0o755, 0o700, 0o750, 0o555];
/** 2001-09-09 … 2025-05-18, with a fraction of a ms, as real file systems report. */
const MTIME_MIN_MS = 1_000_000_000_000;
const MTIME_SPAN_MS = 747_000_000_000;

/** What randomTree made, by relative path. */
export interface RandomTree {
  files: string[];
  dirs: string[];
  links: string[];
  fifos: string[];
  bytes: number;
}

/** Options for randomTree. */
export interface RandomTreeOptions {
  seed: number;
  /** Regular files besides the big one (default 40), sized 0 B – 1.5 MB, mostly under 64 KiB. */
  files?: number;
  /** One file of exactly this size, if set. */
  bigFileBytes?: number;
  /** Nesting depth of the one deep chain of folders (default 24). */
  depth?: number;
  /** Add a FIFO (skipped by the copy with a warning). */
  fifo?: boolean;
}

/**
 * Writes a reproducible random tree under `root` (which must exist): nested folders (one chain
 * `depth` deep), empty folders, files of random sizes, modes and mtimes with odd names, and
 * symbolic links (relative, absolute pointing out of the tree, dangling, to a folder).
 */
export async function randomTree(root: string, options: RandomTreeOptions): Promise<RandomTree> {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const tree: RandomTree = { files: [], dirs: [], links: [], fifos: [], bytes: 0 };
  const abs = (relative: string) => path.join(root, ...relative.split('/'));
  const dirMeta: Array<{ relative: string; mode: number; mtimeMs: number }> = [];
  const addDir = async (relative: string) => {
    await fsp.mkdir(abs(relative));
    tree.dirs.push(relative);
    dirMeta.push({ relative, mode: pick(DIR_MODES), mtimeMs: MTIME_MIN_MS + random() * MTIME_SPAN_MS });
  };

  for (let i = 0; i < 8; i++) {
    const parent = tree.dirs.length > 0 && random() < 0.6 ? pick(tree.dirs) : '';
    const name = `${pick(ODD_NAMES)}-d${i}`;
    await addDir(parent === '' ? name : `${parent}/${name}`);
  }
  let deep = '';
  for (let level = 0; level < (options.depth ?? 24); level++) {
    deep = deep === '' ? 'deep' : `${deep}/n${level}`;
    await addDir(deep);
  }
  const empties = ['empty', `${pick(tree.dirs)}/empty 空`];
  for (const empty of empties) await addDir(empty);
  const fillable = ['', ...tree.dirs.filter((dir) => !empties.includes(dir))];

  const sizes: number[] = [];
  for (let i = 0; i < (options.files ?? 40); i++) {
    const roll = random();
    sizes.push(
      roll < 0.1
        ? 0
        : roll < 0.45
          ? Math.floor(random() * 100)
          : roll < 0.93
            ? Math.floor(random() * 64 * 1024)
            : Math.floor(random() * 1.5 * 1024 * 1024),
    );
  }
  if (options.bigFileBytes !== undefined) sizes.push(options.bigFileBytes);
  for (const [i, size] of sizes.entries()) {
    const parent = i === sizes.length - 1 ? deep : pick(fillable);
    const name = `${pick(ODD_NAMES)}-f${i}`;
    const relative = parent === '' ? name : `${parent}/${name}`;
    await fsp.writeFile(abs(relative), randomBytes(random, size));
    await fsp.chmod(abs(relative), pick(FILE_MODES));
    const mtime = (MTIME_MIN_MS + random() * MTIME_SPAN_MS) / 1000;
    await fsp.utimes(abs(relative), mtime, mtime);
    tree.files.push(relative);
    tree.bytes += size;
  }

  const links: Array<[string, string]> = [
    ['link to file', tree.files[0] ?? 'nothing'],
    ['absolute link', '/etc/hostname'],
    ['dangling 链接', 'does/not/exist'],
    [`${pick(tree.dirs)}/link to dir`, '..'],
  ];
  for (const [relative, linkTarget] of links) {
    await fsp.symlink(linkTarget, abs(relative));
    tree.links.push(relative);
  }
  if (options.fifo) {
    execFileSync('mkfifo', [abs('a fifo')]);
    tree.fifos.push('a fifo');
  }
  // Folder times last, deepest first: creating entries in a folder changes its mtime.
  for (const meta of [...dirMeta].reverse()) {
    await fsp.chmod(abs(meta.relative), meta.mode);
    await fsp.utimes(abs(meta.relative), meta.mtimeMs / 1000, meta.mtimeMs / 1000);
  }
  return tree;
}

function randomBytes(random: () => number, size: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(random() * 0x1_0000_0000);
  return Buffer.from(words.buffer, 0, size);
}

/** One entry of a tree, as compared. */
interface Entry {
  stat: Stats;
  absolute: string;
}

/** Every entry under `root` (lstat, links not followed), by '/'-separated relative path; the root excluded. */
export async function listTree(root: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const pending = [''];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const name of await fsp.readdir(dir === '' ? root : path.join(root, ...dir.split('/')))) {
      const relative = dir === '' ? name : `${dir}/${name}`;
      const absolute = path.join(root, ...relative.split('/'));
      const stat = await fsp.lstat(absolute);
      entries.set(relative, { stat, absolute });
      if (stat.isDirectory()) pending.push(relative);
    }
  }
  return entries;
}

/**
 * Differences between a source tree and its copy, one line each (empty when identical): every
 * file byte for byte, every folder and link, modes, and mtimes to the millisecond. The copy's
 * manifest is ignored; FIFOs and other specials must be absent from the copy.
 */
export async function compareTrees(source: string, copy: string): Promise<string[]> {
  const [left, right] = await Promise.all([listTree(source), listTree(copy)]);
  right.delete(MANIFEST_NAME);
  const problems: string[] = [];
  for (const [relative, { stat, absolute }] of left) {
    const other = right.get(relative);
    right.delete(relative);
    const name = JSON.stringify(relative);
    const special = !stat.isFile() && !stat.isDirectory() && !stat.isSymbolicLink();
    if (special) {
      if (other) problems.push(`${name}: a special file was copied`);
      continue;
    }
    if (!other) {
      problems.push(`${name}: missing in the copy`);
      continue;
    }
    if (stat.isSymbolicLink()) {
      if (!other.stat.isSymbolicLink()) problems.push(`${name}: not a link in the copy`);
      else {
        const [a, b] = await Promise.all([
          fsp.readlink(absolute, { encoding: 'buffer' }),
          fsp.readlink(other.absolute, { encoding: 'buffer' }),
        ]);
        if (!a.equals(b)) problems.push(`${name}: link target ${a.toString()} became ${b.toString()}`);
      }
    } else if (stat.isDirectory() !== other.stat.isDirectory()) {
      problems.push(`${name}: type differs`);
      continue;
    } else if (stat.isFile()) {
      const [a, b] = await Promise.all([fsp.readFile(absolute), fsp.readFile(other.absolute)]);
      if (!a.equals(b)) problems.push(`${name}: bytes differ (${a.length} vs ${b.length} bytes)`);
    }
    if (!stat.isSymbolicLink() && (stat.mode & 0o7777) !== (other.stat.mode & 0o7777)) {
      problems.push(
        `${name}: mode ${(stat.mode & 0o7777).toString(8)} became ${(other.stat.mode & 0o7777).toString(8)}`,
      );
    }
    if (Math.abs(stat.mtimeMs - other.stat.mtimeMs) >= 1) {
      problems.push(`${name}: mtime ${stat.mtimeMs} became ${other.stat.mtimeMs}`);
    }
  }
  for (const relative of right.keys()) problems.push(`${JSON.stringify(relative)}: only in the copy`);
  return problems;
}

/** Temp files of ours (or of writeFileAtomic, or a probe) anywhere under `root`. */
export async function leftoverTemps(root: string): Promise<string[]> {
  const leftovers: string[] = [];
  for (const relative of (await listTree(root)).keys()) {
    const name = path.posix.basename(relative);
    if (isTempName(name) || /\.tmp-\d+-[0-9a-f]+$/.test(name) || name.startsWith('.mytimer-probe-')) {
      leftovers.push(relative);
    }
  }
  return leftovers;
}
