import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { errorCode, errorMessage } from './errors.js';
import { eventLoopTurns } from './event-loop-turns.js';

/** A folder of the source tree; `path` is relative to the root, '/'-separated ('' is the root). */
export interface ScannedDir {
  path: string;
  mode: number;
  atimeMs: number;
  mtimeMs: number;
}

/** A regular file of the source tree, as the scan saw it. */
export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
  mode: number;
}

/** Anything that is neither a file, a folder nor a link: skipped with a warning. */
export interface ScannedSpecial {
  path: string;
  kind: 'FIFO' | 'socket' | 'character device' | 'block device' | 'unknown file type';
}

/** Everything under a source root, links not followed. */
export interface SourceTree {
  /** Parents before children, the root first. */
  dirs: ScannedDir[];
  files: ScannedFile[];
  /** Symbolic links (relative paths): copied as links. */
  links: string[];
  specials: ScannedSpecial[];
  /** Folders that could not be listed (their contents are not copied). */
  unreadable: Array<{ path: string; message: string }>;
}

/**
 * The absolute path of a '/'-separated relative path under `root` (`root` absolute and normalized,
 * `relative` with no empty, `.` or `..` part: the scan's paths and a checked manifest's). On POSIX
 * plain concatenation: path.join's normalization builds a chain of string pieces per call, which
 * 100,000 tasks of a big tree held as hundreds of bytes each.
 */
export function absolutePath(root: string, relative: string): string {
  if (relative === '') return root;
  if (path.sep !== '/') return path.join(root, ...relative.split('/'));
  return root.endsWith('/') ? `${root}${relative}` : `${root}/${relative}`;
}

function specialKind(stat: Stats): ScannedSpecial['kind'] {
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  return 'unknown file type';
}

/**
 * Walks `root` breadth-first with lstat, so symbolic links are reported, never followed (not even
 * a link to a folder inside the tree). Entries that vanish during the scan are left out; folders
 * that cannot be listed are reported. Files are sorted by path for a reproducible job. An aborted
 * `signal` stops the walk at the next folder (the promise then rejects with its reason).
 */
export async function scanSource(
  root: string,
  onProgress?: (files: number) => void,
  signal?: AbortSignal,
): Promise<SourceTree> {
  const rootStat = await lstat(root);
  const tree: SourceTree = {
    dirs: [{ path: '', mode: rootStat.mode, atimeMs: rootStat.atimeMs, mtimeMs: rootStat.mtimeMs }],
    files: [],
    links: [],
    specials: [],
    unreadable: [],
  };
  const nextCall = eventLoopTurns();
  for (let next = 0; next < tree.dirs.length; next++) {
    signal?.throwIfAborted();
    const dir = tree.dirs[next];
    if (!dir) break;
    let names: string[];
    try {
      names = readdirSync(absolutePath(root, dir.path)).sort();
    } catch (error) {
      if (errorCode(error) !== 'ENOENT')
        tree.unreadable.push({ path: dir.path, message: errorMessage(error) });
      continue;
    }
    for (const name of names) {
      const turn = nextCall();
      if (turn) await turn;
      const relative = join(dir.path, name);
      let stat: Stats;
      try {
        stat = lstatSync(absolutePath(root, relative));
      } catch (error) {
        if (errorCode(error) !== 'ENOENT')
          tree.unreadable.push({ path: relative, message: errorMessage(error) });
        continue;
      }
      classify(tree, relative, stat);
    }
    onProgress?.(tree.files.length);
  }
  tree.files.sort((a, b) => compare(a.path, b.path));
  return tree;
}

function classify(tree: SourceTree, relative: string, stat: Stats): void {
  if (stat.isDirectory()) {
    tree.dirs.push({ path: relative, mode: stat.mode, atimeMs: stat.atimeMs, mtimeMs: stat.mtimeMs });
  } else if (stat.isFile()) {
    tree.files.push({ path: relative, size: stat.size, mtimeMs: stat.mtimeMs, mode: stat.mode });
  } else if (stat.isSymbolicLink()) tree.links.push(relative);
  else tree.specials.push({ path: relative, kind: specialKind(stat) });
}

/**
 * `parent/name` as one flat string: `+` or a template would make a chain of pieces that keeps the
 * listing's name alive too (~90 bytes a path against ~35), and every path of the tree is kept to
 * the end of the job (the manifest's keys).
 */
function join(parent: string, name: string): string {
  return parent === '' ? name : [parent, name].join('/');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
