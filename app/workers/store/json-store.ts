import { createHash } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ValidationError, describeValue } from '../../shared/errors.js';
import { unwrapParse } from '../../shared/validate.js';
import { errorCode, writeFileAtomic, type AtomicFs } from '../../shared/atomic-write.js';

/** How many of its own last writes a store remembers (a watcher may see an older one arrive late). */
const RECENT_WRITES = 8;

/** How loud a store message is. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Turns a document body of version n into one of version n + 1 (the `version` field is handled by the store). */
export type Migration = (doc: unknown) => unknown;

/** Options for JsonStore. */
export interface JsonStoreOptions<T extends object> {
  path: string;
  /** The document body at the current version, without `version`; its messages name the allowed range. */
  schema: z.ZodType<T>;
  /** Parses as `schema.safeParse` does, with the same result, faster (settings: 10,000 reminders). */
  safeParse?: (value: unknown) => z.ZodSafeParseResult<T>;
  defaults: () => T;
  /** The current document version, a whole number from 1. */
  version: number;
  /** `migrations[n]` upgrades a version-n body to version n + 1. */
  migrations?: Record<number, Migration>;
  log?: (level: LogLevel, message: string) => void;
  now?: () => number;
  /** File mode for written files (see writeFileAtomic). */
  mode?: number;
  /**
   * Salvages a body that is valid JSON but fails the schema (one bad entry): returns a body to parse
   * again and one line per repair, or null. The file as it was is kept as `<file>.bad-<ts>`.
   */
  repair?: (body: unknown) => { value: unknown; problems: string[] } | null;
  /** Injected into writeFileAtomic, for tests that fail a write. */
  fs?: AtomicFs;
}

/** What load() found. */
export interface LoadResult<T> {
  value: T;
  /** One line per problem, fit for the user: what was wrong, where the bad file went, what loaded. */
  warnings: string[];
  /** Where a damaged file was moved (`<file>.bad-<timestamp>`), when one was. */
  recovered?: string;
  /** `file` as stored; `migrated` from an older version; `repaired` (see the `repair` option); `backup` from `<file>.bak`; `defaults`. */
  source: 'file' | 'migrated' | 'repaired' | 'backup' | 'defaults';
}

type Decoded<T> =
  { ok: true; value: T; fromVersion: number; repairs?: string[] } | { ok: false; problem: string };

/**
 * A versioned JSON document (settings, state) that is never lost: writes are atomic and serialised,
 * bad values are refused before anything is written, older versions are migrated step by step, and a
 * damaged file is moved aside with its exact bytes while the last good copy loads.
 *
 * Last-good policy: every successful save writes the document twice, atomically — `<file>`, then
 * `<file>.bak` with the same bytes. So `.bak` is always the last document this store wrote, and a
 * file damaged outside the store (a bad hand edit, disk trouble) is replaced by exactly what the user
 * had, not one change behind. A damaged or newer-than-supported file is moved to
 * `<file>.bad-<timestamp>` (never over an older one); then `.bak` loads if it decodes — and is written
 * back to `<file>` at once, so a restart does not fall back to defaults — else the defaults load,
 * written only by the next save. A missing `<file>` means defaults even if `.bak` exists: deleting the
 * settings file is how a user resets them.
 */
export class JsonStore<T extends object> {
  readonly path: string;
  readonly backupPath: string;
  private readonly options: JsonStoreOptions<T>;
  private readonly name: string;
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * Digests of the last few texts written, not the texts: with 10,000 reminders a state or settings
   * text is ~1 MB, and keeping eight of each would hold ~16 MB for nothing but `wrote()`.
   */
  readonly #recentWrites: string[] = [];

  constructor(options: JsonStoreOptions<T>) {
    if (!Number.isInteger(options.version) || options.version < 1) {
      throw new ValidationError('version', `must be a whole number from 1 (got ${options.version})`);
    }
    this.options = options;
    this.path = options.path;
    this.backupPath = `${options.path}.bak`;
    this.name = path.basename(options.path);
  }

  /** Reads the document; never throws for bad content (see the class comment), only for unreadable files. */
  load(): Promise<LoadResult<T>> {
    return this.serialised(() => this.loadNow());
  }

  /** Validates `value` first (a ValidationError names the field and nothing is written), then saves it. */
  async save(value: T): Promise<void> {
    const checked = this.check(value);
    await this.serialised(() => this.write(checked));
  }

  /** Load, apply `fn`, validate and save, with no other load or save in between. Returns the saved value. */
  update(fn: (current: T) => T): Promise<T> {
    return this.serialised(async () => {
      const { value } = await this.loadNow();
      const next = this.check(fn(value));
      await this.write(next);
      return next;
    });
  }

  private serialised<R>(task: () => Promise<R>): Promise<R> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async loadNow(): Promise<LoadResult<T>> {
    let text: string | undefined;
    try {
      text = await readIfExists(this.path);
    } catch (error) {
      // A directory or an unreadable file in its place: set it aside like damage, never crash on it.
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      return this.recover(
        errorCode(cause) === 'EISDIR' ? 'is a directory' : `could not be read (${messageOf(cause)})`,
      );
    }
    if (text === undefined) return { value: this.options.defaults(), warnings: [], source: 'defaults' };
    const decoded = this.decode(text, true);
    if (decoded.ok && decoded.repairs) return this.keepRepaired(text, decoded.value, decoded.repairs);
    if (decoded.ok && decoded.fromVersion === this.options.version) {
      return { value: decoded.value, warnings: [], source: 'file' };
    }
    if (decoded.ok) {
      this.log(
        'info',
        `migrated ${this.name} from version ${decoded.fromVersion} to ${this.options.version}`,
      );
      const failure = await this.writeBack(decoded.value, 'the migrated document');
      if (failure) this.log('warn', failure);
      return { value: decoded.value, warnings: failure ? [failure] : [], source: 'migrated' };
    }
    return this.recover(decoded.problem);
  }

  /** The file had bad values that `repair` mended: keep it as it was, save the mended one, say what changed. */
  private async keepRepaired(text: string, value: T, repairs: string[]): Promise<LoadResult<T>> {
    let kept: string | undefined;
    let headline = `${this.name} has bad values`;
    try {
      kept = await this.copyAside(text, 'bad');
      headline += `; kept it as ${path.basename(kept)}`;
    } catch (error) {
      headline += `; could not keep a copy (${messageOf(error)})`;
    }
    const warnings = [`${headline}; repaired: ${repairs.join('; ')}`];
    const failure = await this.writeBack(value, 'the repaired document');
    if (failure) warnings.push(failure);
    warnings.forEach((warning) => this.log('warn', warning));
    return { value, warnings, ...(kept !== undefined && { recovered: kept }), source: 'repaired' };
  }

  /** The file has `problem`: move it aside, then load the last good copy or the defaults. */
  private async recover(problem: string): Promise<LoadResult<T>> {
    let recovered: string | undefined;
    let headline = `${this.name} ${problem}`;
    try {
      recovered = await this.moveAside();
      headline += `; moved it to ${path.basename(recovered)}`;
    } catch (error) {
      headline += `; could not move it aside (${messageOf(error)}), so it will be overwritten`;
    }
    const warnings: string[] = [];
    const fallback = await this.loadBackup(warnings);
    const loaded =
      fallback === undefined ? 'the defaults' : `the last good copy from ${path.basename(this.backupPath)}`;
    warnings.unshift(`${headline}; loaded ${loaded}`);
    if (fallback !== undefined) {
      const failure = await this.writeBack(fallback, 'the last good copy');
      if (failure) warnings.push(failure);
    }
    warnings.forEach((warning) => this.log('warn', warning));
    return fallback === undefined
      ? { value: this.options.defaults(), warnings, recovered, source: 'defaults' }
      : { value: fallback, warnings, recovered, source: 'backup' };
  }

  /**
   * Keeps `text` (by default the file as it is now) at `<file>.<tag>-<timestamp>[-n]`, never over an
   * earlier copy: before the owner saves a repaired version, or when it refuses a hand edit. Returns
   * the copy's path, or undefined when there is no file to keep.
   */
  keepCopy(tag: 'bad' | 'rejected', text?: string): Promise<string | undefined> {
    return this.serialised(async () => {
      const bytes = text ?? (await readIfExists(this.path));
      return bytes === undefined ? undefined : this.copyAside(bytes, tag);
    });
  }

  /**
   * Parses `text` as a whole document (as load() would) without touching any file: the value, or the
   * problem in the words load() would use. For owners that read the file themselves (a watcher).
   */
  parse(text: string): { ok: true; value: T } | { ok: false; problem: string } {
    const decoded = this.decode(text);
    if (!decoded.ok) return decoded;
    return { ok: true, value: decoded.value };
  }

  /** True when `text` is exactly what one of the recent saves wrote: an owner watching the file can tell its own writes. */
  wrote(text: string): boolean {
    return this.#recentWrites.includes(digestOf(text));
  }

  /** Writes `text` to `<file>.<tag>-<stamp>[-n]`, created exclusively so no earlier copy is replaced. */
  private async copyAside(text: string, tag: string): Promise<string> {
    const base = `${this.path}.${tag}-${fileStamp((this.options.now ?? Date.now)())}`;
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? base : `${base}-${n}`;
      try {
        await writeFile(candidate, text, { flag: 'wx', mode: this.options.mode ?? 0o600 });
        return candidate;
      } catch (error) {
        if (errorCode(error) === 'EEXIST') continue;
        throw error;
      }
    }
  }

  private async loadBackup(warnings: string[]): Promise<T | undefined> {
    const text = await readIfExists(this.backupPath).catch((error: unknown) => {
      warnings.push(`could not read ${path.basename(this.backupPath)} (${messageOf(error)})`);
      return undefined;
    });
    if (text === undefined) return undefined;
    const decoded = this.decode(text);
    if (decoded.ok) return decoded.value;
    warnings.push(`${path.basename(this.backupPath)} ${decoded.problem} too`);
    return undefined;
  }

  /** A load that must write (migration, restore) still succeeds if the write fails; it returns a warning instead. */
  private async writeBack(value: T, what: string): Promise<string | undefined> {
    try {
      await this.write(value);
      return undefined;
    } catch (error) {
      return `could not save ${what} to ${this.name} (${messageOf(error)}); it is in use but not yet on disk`;
    }
  }

  /** `allowRepair`: a load may mend bad values (see `repair`); a watcher judging a hand edit may not. */
  private decode(text: string, allowRepair = false): Decoded<T> {
    const { version, migrations = {}, schema } = this.options;
    const body = text.replace(/^\uFEFF/, ''); // editors on Windows like to add a BOM
    if (body.trim() === '') return { ok: false, problem: 'is empty' };
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (error) {
      return { ok: false, problem: `is not valid JSON (${messageOf(error)})` };
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      return { ok: false, problem: `is not a JSON object (got ${describeValue(doc)})` };
    }
    const { version: fromVersion, ...content } = doc as Record<string, unknown>;
    if (typeof fromVersion !== 'number' || !Number.isInteger(fromVersion) || fromVersion < 1) {
      const got = describeValue(fromVersion);
      return { ok: false, problem: `has no valid version (got ${got}; expected a whole number from 1)` };
    }
    if (fromVersion > version) {
      return {
        ok: false,
        problem: `is version ${fromVersion}, written by a newer myTimer; this one reads up to version ${version}`,
      };
    }
    let current: unknown = content;
    for (let step = fromVersion; step < version; step++) {
      const migrate = migrations[step];
      if (!migrate)
        return { ok: false, problem: `is version ${fromVersion} and no migration from ${step} exists` };
      try {
        current = migrate(current);
      } catch (error) {
        return { ok: false, problem: `could not be migrated from version ${step} (${messageOf(error)})` };
      }
    }
    try {
      return { ok: true, value: this.check(current), fromVersion };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const repaired = allowRepair ? this.options.repair?.(current) : null;
      const mended = repaired ? schema.safeParse(repaired.value) : null;
      if (repaired && mended?.success && repaired.problems.length > 0) {
        return { ok: true, value: mended.data, fromVersion, repairs: repaired.problems };
      }
      return { ok: false, problem: `has a bad value: ${error.message}` };
    }
  }

  /** The document checked against the schema; a ValidationError names the first bad field. */
  private check(value: unknown): T {
    const { schema, safeParse } = this.options;
    return unwrapParse(safeParse ? safeParse(value) : schema.safeParse(value));
  }

  private async write(value: T): Promise<void> {
    const text = `${JSON.stringify({ version: this.options.version, ...value }, null, 2)}\n`;
    const writeOptions = { mode: this.options.mode, fs: this.options.fs };
    await mkdir(path.dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, text, writeOptions);
    this.#recentWrites.push(digestOf(text));
    if (this.#recentWrites.length > RECENT_WRITES) this.#recentWrites.shift();
    try {
      await writeFileAtomic(this.backupPath, text, writeOptions);
    } catch (error) {
      // The document itself is saved; a stale .bak only matters if the file is later damaged.
      this.log(
        'warn',
        `saved ${this.name} but could not refresh ${path.basename(this.backupPath)}: ${messageOf(error)}`,
      );
    }
  }

  /** Moves the damaged file to `<file>.bad-<timestamp>[-n]` without ever replacing an earlier one. */
  private async moveAside(): Promise<string> {
    const base = `${this.path}.bad-${fileStamp((this.options.now ?? Date.now)())}`;
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? base : `${base}-${n}`;
      try {
        // link() fails with EEXIST rather than replace, which rename() would do silently.
        await link(this.path, candidate);
      } catch (error) {
        if (errorCode(error) === 'EEXIST') continue;
        // No hard links on this file system: check, then rename. The store's owner is the only
        // writer, so nothing can create the candidate in between.
        if (await exists(candidate)) continue;
        await rename(this.path, candidate);
        return candidate;
      }
      await unlink(this.path);
      return candidate;
    }
  }

  private log(level: LogLevel, message: string): void {
    this.options.log?.(level, message);
  }
}

/** A text's SHA-256, for telling the store's own writes apart (a collision would need an attack on a local file). */
function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** `20261125T041500Z`: an ISO instant without the characters file systems dislike. */
export function fileStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new Error(`could not read ${file}: ${messageOf(error)}`, { cause: error });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
