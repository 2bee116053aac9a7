import { chmodSync, lstatSync, mkdirSync, utimesSync, type Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { errorCode, errorMessage } from './errors.js';
import { sameMtime } from './plan.js';
import { absolutePath, type ScannedDir } from './scan.js';
import { eventLoopTurns } from './event-loop-turns.js';

/** The job must be able to write into every folder it fills, whatever mode the source folder has. */
const OWNER_RWX = 0o700;

/** Folders of the destination that could not be made: relative path → why. Their contents fail. */
export type BlockedDirs = Map<string, string>;

/** The folder part of a '/'-separated relative path ('' for the root). */
export function parentOf(relative: string): string {
  const slash = relative.lastIndexOf('/');
  return slash < 0 ? '' : relative.slice(0, slash);
}

/**
 * Creates the destination's folders, parents first (`dirs` in scan order). An existing folder is
 * reused and made writable for the owner until applyDirMetadata restores its mode; an existing
 * entry that is not a real folder — a file, or a symbolic link, which would lead the copy out of
 * the tree — blocks that folder and everything under it.
 */
export async function prepareDirs(dirs: readonly ScannedDir[], destination: string): Promise<BlockedDirs> {
  const blocked: BlockedDirs = new Map();
  await mkdir(destination, { recursive: true });
  const nextCall = eventLoopTurns();
  for (const dir of dirs) {
    const turn = nextCall();
    if (turn) await turn;
    if (dir.path === '') continue;
    const parentReason = blocked.get(parentOf(dir.path));
    if (parentReason !== undefined) {
      blocked.set(dir.path, parentReason);
      continue;
    }
    const reason = prepareDir(absolutePath(destination, dir.path), dir.path);
    if (reason !== undefined) blocked.set(dir.path, reason);
  }
  return blocked;
}

/** Makes (or reuses) one folder; why it cannot be used, if it cannot. */
function prepareDir(target: string, relative: string): string | undefined {
  let existing: Stats | undefined;
  try {
    // Look first: on a re-run every folder exists, and a failed mkdir costs an exception each.
    existing = lstatSync(target, { throwIfNoEntry: false });
    if (existing === undefined) {
      mkdirSync(target, OWNER_RWX);
      return undefined;
    }
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') {
      return `destination: cannot create folder ${relative}: ${errorMessage(error)}`;
    }
    existing = lstatSync(target); // made meanwhile by someone else
  }
  if (!existing.isDirectory()) {
    const what = existing.isSymbolicLink() ? 'a symbolic link' : 'not a folder';
    return `destination: ${relative} exists and is ${what}`;
  }
  if ((existing.mode & OWNER_RWX) !== OWNER_RWX) chmodSync(target, (existing.mode & 0o7777) | OWNER_RWX);
  return undefined;
}

/**
 * Gives each copied folder its source's mode and mtime, deepest first (writing into a folder
 * changes its mtime, so this comes after everything else); one that has them already (a re-run
 * that changed nothing in it) is left as it is. The destination root is left alone: it holds the
 * manifest and may be a folder the user already had. Returns one line per failure.
 */
export async function applyDirMetadata(
  dirs: readonly ScannedDir[],
  destination: string,
  blocked: BlockedDirs,
): Promise<string[]> {
  const problems: string[] = [];
  const nextCall = eventLoopTurns();
  for (let index = dirs.length - 1; index >= 0; index--) {
    const turn = nextCall();
    if (turn) await turn;
    const dir = dirs[index]!;
    if (dir.path === '' || blocked.has(dir.path)) continue;
    const target = absolutePath(destination, dir.path);
    try {
      const current = lstatSync(target);
      const mode = dir.mode & 0o7777;
      if ((current.mode & 0o7777) === mode && sameMtime(current.mtimeMs, dir.mtimeMs)) continue;
      chmodSync(target, mode);
      utimesSync(target, dir.atimeMs / 1000, dir.mtimeMs / 1000);
    } catch (error) {
      problems.push(`could not set the mode and mtime of ${dir.path}: ${errorMessage(error)}`);
    }
  }
  return problems;
}
