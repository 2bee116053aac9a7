import { lstatSync, type Stats } from 'node:fs';
import type { Manifest } from './manifest.js';
import type { CopyTask } from './messages.js';
import { absolutePath, type ScannedFile } from './scan.js';
import { eventLoopTurns } from './event-loop-turns.js';

/** Files at least this big get a batch of their own; smaller ones travel together. */
export const SMALL_FILE_BYTES = 1 << 20;
/** A batch of small files holds at most this many bytes … */
export const BATCH_BYTES_MAX = 8 << 20;
/** … and at most this many files. */
export const BATCH_FILES_MAX = 64;
/** Batches of small files per worker, at least, so a slow batch does not leave the others idle. */
const BATCHES_PER_WORKER = 4;
/**
 * Two mtimes are the same when they are less than 1 ms apart: the manifest keeps the source's
 * mtime as the file system reported it, and setting it on the copy (utimes takes seconds as a
 * double) can move it by a few hundred nanoseconds.
 */
export function sameMtime(a: number, b: number): boolean {
  return Math.abs(a - b) < 1;
}

/** What to do with each source file on this run. */
export interface FilePlan {
  /** Files to copy: new, changed, or whose copy must be re-hashed (`expectSha512`). */
  tasks: CopyTask[];
  /** Files whose source and destination both still match the manifest: left alone. */
  skipped: string[];
}

/**
 * Decides, file by file, what a re-run copies — the quick mode:
 * - no manifest entry, an entry a `--verify-only` run marked damaged, or the source's size or
 *   mtime differs from it → copy;
 * - else the destination is trusted if its size, mtime and mode still match → skip (no reading);
 * - else if it is a file of the right size → re-hash it in a worker: copy only if its digest
 *   no longer matches the manifest, otherwise just restore its mode and mtime;
 * - else (missing, another size, not a file) → copy.
 * A source edited without changing its size or mtime (rare: tools that restore mtimes) is not
 * noticed by a re-run; `--verify-only` re-hashes the destination in full.
 */
export async function planFiles(
  files: readonly ScannedFile[],
  roots: { source: string; destination: string },
  manifest: Manifest,
): Promise<FilePlan> {
  const plan: FilePlan = { tasks: [], skipped: [] };
  // Each decision lstats the destination synchronously (see SYNC_CALLS_PER_TURN).
  const nextCall = eventLoopTurns();
  for (const file of files) {
    const turn = nextCall();
    if (turn) await turn;
    const decision = decide(file, roots, manifest);
    if (decision.kind === 'skip') plan.skipped.push(decision.path);
    else plan.tasks.push(decision.task);
  }
  return plan;
}

function decide(
  file: ScannedFile,
  roots: { source: string; destination: string },
  manifest: Manifest,
): { kind: 'skip'; path: string } | { kind: 'copy'; task: CopyTask } {
  const task: CopyTask = {
    kind: 'file',
    path: file.path,
    source: absolutePath(roots.source, file.path),
    destination: absolutePath(roots.destination, file.path),
    size: file.size,
  };
  const entry = manifest.files.get(file.path);
  if (!entry || entry.damaged || entry.size !== file.size || !sameMtime(entry.mtimeMs, file.mtimeMs)) {
    return { kind: 'copy', task };
  }
  let copy: Stats | null;
  try {
    copy = lstatSync(task.destination);
  } catch {
    copy = null; // missing or unreadable: copied (again)
  }
  if (!copy?.isFile() || copy.size !== entry.size) return { kind: 'copy', task };
  if (sameMtime(copy.mtimeMs, entry.mtimeMs) && (copy.mode & 0o7777) === (file.mode & 0o7777)) {
    return { kind: 'skip', path: file.path };
  }
  return { kind: 'copy', task: { ...task, expectSha512: entry.sha512 } };
}

/**
 * Groups tasks into batches for the pool: each big file alone (biggest first, so the long ones
 * start early and the end of the job is not one worker on one huge file), then small files in
 * path order (neighbours share folders), a few batches per worker so the load evens out.
 */
export function makeBatches(tasks: readonly CopyTask[], workers: number): CopyTask[][] {
  const big = tasks.filter((task) => task.size >= SMALL_FILE_BYTES).sort((a, b) => b.size - a.size);
  const small = tasks.filter((task) => task.size < SMALL_FILE_BYTES);
  const perBatch = Math.min(
    BATCH_FILES_MAX,
    Math.max(1, Math.ceil(small.length / (workers * BATCHES_PER_WORKER))),
  );
  const batches = big.map((task) => [task]);
  let current: CopyTask[] = [];
  let bytes = 0;
  for (const task of small) {
    current.push(task);
    bytes += task.size;
    if (current.length >= perBatch || bytes >= BATCH_BYTES_MAX) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
