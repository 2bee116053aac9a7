import { chmod, lstat, mkdir, utimes } from 'node:fs/promises';
import { errorCode, errorMessage } from './errors.js';
import { absolutePath, type ScannedDir } from './scan.js';

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
  for (const dir of dirs) {
    if (dir.path === '') continue;
    const parentReason = blocked.get(parentOf(dir.path));
    if (parentReason !== undefined) {
      blocked.set(dir.path, parentReason);
      continue;
    }
    const target = absolutePath(destination, dir.path);
    try {
      await mkdir(target, OWNER_RWX);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        blocked.set(dir.path, `destination: cannot create folder ${dir.path}: ${errorMessage(error)}`);
        continue;
      }
      const existing = await lstat(target);
      if (!existing.isDirectory()) {
        const what = existing.isSymbolicLink() ? 'a symbolic link' : 'not a folder';
        blocked.set(dir.path, `destination: ${dir.path} exists and is ${what}`);
      } else if ((existing.mode & OWNER_RWX) !== OWNER_RWX) {
        await chmod(target, (existing.mode & 0o7777) | OWNER_RWX);
      }
    }
  }
  return blocked;
}

/**
 * Gives each copied folder its source's mode and mtime, deepest first (writing into a folder
 * changes its mtime, so this comes after everything else). The destination root is left alone: it
 * holds the manifest and may be a folder the user already had. Returns one line per failure.
 */
export async function applyDirMetadata(
  dirs: readonly ScannedDir[],
  destination: string,
  blocked: BlockedDirs,
): Promise<string[]> {
  const problems: string[] = [];
  for (const dir of [...dirs].reverse()) {
    if (dir.path === '' || blocked.has(dir.path)) continue;
    const target = absolutePath(destination, dir.path);
    try {
      await chmod(target, dir.mode & 0o7777);
      await utimes(target, dir.atimeMs / 1000, dir.mtimeMs / 1000);
    } catch (error) {
      problems.push(`could not set the mode and mtime of ${dir.path}: ${errorMessage(error)}`);
    }
  }
  return problems;
}
