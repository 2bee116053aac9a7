import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { access, open, realpath, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ValidationError, describeValue } from '../shared/errors.js';
import { errorCode } from './errors.js';
import { MANIFEST_NAME, ManifestError, readManifest, type Manifest } from './manifest.js';

/** Fewest and most worker threads a copy may use. */
export const WORKERS_MIN = 1;
export const WORKERS_MAX = 64;

/** What a caller asks for: paths as the user gave them (relative ones against the cwd). */
export interface CopyRequest {
  source: string;
  destination: string;
  /** Default: `<destination>/.mytimer-manifest.json`. */
  manifestPath?: string;
  /** 1–64; default: the number of CPU cores (capped at 64). */
  workers?: number;
  /** Re-hash the destination against its manifest; copy nothing. */
  verifyOnly?: boolean;
}

/** A checked request: real, absolute paths; `manifest` is loaded already in verify-only mode. */
export interface CopyInput {
  source: string;
  destination: string;
  manifestPath: string;
  workers: number;
  verifyOnly: boolean;
  manifest: Manifest | null;
}

/** One worker per core, as the issue asks, within 1–64. */
export function defaultWorkerCount(): number {
  return Math.min(WORKERS_MAX, Math.max(WORKERS_MIN, os.availableParallelism()));
}

/** Whether `inner` is `outer` or lies under it (both absolute and real). */
function isWithin(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

/** The deepest existing ancestor of `target` (itself included), its stat, and the real path of `target`. */
async function resolveThroughAncestors(
  field: string,
  target: string,
): Promise<{ existing: string; stat: Stats; real: string; exists: boolean }> {
  const missing: string[] = [];
  for (let current = target; ;) {
    try {
      const found = await stat(current);
      if (!found.isDirectory() && missing.length > 0) {
        throw new ValidationError(field, `${target} cannot be created: ${current} is not a folder`);
      }
      return {
        existing: current,
        stat: found,
        real: path.join(await realpath(current), ...missing),
        exists: missing.length === 0,
      };
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      const code = errorCode(error);
      const parent = path.dirname(current);
      if (code === 'ENOTDIR') {
        throw new ValidationError(field, `${target} cannot be created: a part of it is a file`);
      }
      if (code !== 'ENOENT' || parent === current) {
        throw new ValidationError(field, `${target} cannot be reached (${code ?? String(error)})`);
      }
      missing.unshift(path.basename(current));
      current = parent;
    }
  }
}

function checkWorkers(workers: number | undefined): number {
  if (workers === undefined) return defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < WORKERS_MIN || workers > WORKERS_MAX) {
    throw new ValidationError(
      'workers',
      `must be a whole number from ${WORKERS_MIN} to ${WORKERS_MAX} (got ${describeValue(workers)})`,
    );
  }
  return workers;
}

async function checkSource(given: string): Promise<string> {
  const source = path.resolve(given);
  let real: string;
  try {
    real = await realpath(source);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') throw new ValidationError('source', `${source} does not exist`);
    if (code === 'ENOTDIR') throw new ValidationError('source', `${source} is not a folder`);
    throw new ValidationError('source', `${source} cannot be read (${code ?? String(error)})`);
  }
  if (!(await stat(real)).isDirectory()) throw new ValidationError('source', `${source} is not a folder`);
  try {
    await access(real, constants.R_OK | constants.X_OK);
  } catch (error) {
    throw new ValidationError('source', `${source} cannot be read (${errorCode(error) ?? String(error)})`);
  }
  return real;
}

/** Root bypasses permission bits, so only a real file creation tells a read-only mount (EROFS) apart. */
async function checkWritable(destination: string, folder: string): Promise<void> {
  const probe = path.join(folder, `.mytimer-probe-${randomBytes(6).toString('hex')}`);
  try {
    await access(folder, constants.W_OK | constants.X_OK);
    await (await open(probe, 'wx', 0o600)).close();
  } catch (error) {
    throw new ValidationError(
      'destination',
      `${destination} is not writable (${errorCode(error) ?? String(error)})`,
    );
  }
  await unlink(probe).catch(() => undefined);
}

/**
 * Checks a copy request and resolves its paths, or throws a ValidationError naming the field:
 * a missing or non-folder source, a destination that is the source or inside it (compared as real
 * paths, so links and `..` do not fool it), a destination that cannot be written, a manifest inside
 * the source, a worker count outside 1–64. In verify-only mode the source is not needed (it may be
 * gone: verifying a backup is the point), but the destination and a valid manifest are.
 */
export async function resolveCopyInput(request: CopyRequest): Promise<CopyInput> {
  const workers = checkWorkers(request.workers);
  const verifyOnly = request.verifyOnly === true;
  const source = verifyOnly ? path.resolve(request.source) : await checkSource(request.source);

  const destinationGiven = path.resolve(request.destination);
  const target = await resolveThroughAncestors('destination', destinationGiven);
  if (target.exists && !target.stat.isDirectory()) {
    throw new ValidationError('destination', `${destinationGiven} is not a folder`);
  }
  const destination = target.real;
  if (!verifyOnly) {
    if (destination === source) throw new ValidationError('destination', 'is the source folder itself');
    if (isWithin(destination, source)) {
      throw new ValidationError('destination', `${destinationGiven} is inside the source folder ${source}`);
    }
    await checkWritable(destinationGiven, target.existing);
  } else if (!target.exists) {
    throw new ValidationError('destination', `${destinationGiven} does not exist`);
  }

  const manifestGiven =
    request.manifestPath === undefined
      ? path.join(destination, MANIFEST_NAME)
      : path.resolve(request.manifestPath);
  const manifestTarget = await resolveThroughAncestors('manifest', manifestGiven);
  if (manifestTarget.exists && manifestTarget.stat.isDirectory()) {
    throw new ValidationError('manifest', `${manifestGiven} is a folder`);
  }
  const manifestPath = manifestTarget.real;
  if (!verifyOnly && isWithin(manifestPath, source)) {
    throw new ValidationError('manifest', `${manifestGiven} is inside the source folder ${source}`);
  }

  let manifest: Manifest | null = null;
  if (verifyOnly) {
    try {
      manifest = await readManifest(manifestPath);
    } catch (error) {
      if (error instanceof ManifestError) throw new ValidationError('manifest', error.message);
      throw error;
    }
    if (!manifest)
      throw new ValidationError('manifest', `there is no manifest at ${manifestGiven}: copy first`);
  }
  return { source, destination, manifestPath, workers, verifyOnly, manifest };
}
