import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomicChunks } from '../shared/atomic-write.js';
import { errorCode, errorMessage } from './errors.js';

/** The manifest's file name in the destination root, unless the user names another path. */
export const MANIFEST_NAME = '.mytimer-manifest.json';
/** The `format` field: says what the file is to anyone who opens it. */
export const MANIFEST_FORMAT = 'mytimer-copy-manifest';
/** The `version` field; bumped on any incompatible change. */
export const MANIFEST_VERSION = 1;

/** What the manifest knows of one copied file: the source's size and mtime when it was copied, and the digest of its bytes. */
export interface ManifestEntry {
  size: number;
  /** The source's mtime in ms since the epoch, as the file system reported it (may hold a fraction). */
  mtimeMs: number;
  /** SHA-512 of the bytes, lowercase hex. */
  sha512: string;
  /**
   * Set by a `--verify-only` run that read the copy back and found other bytes (bit rot, a bad
   * disk): the next copy copies it again even though its size and mtime still match.
   */
  damaged?: true;
}

/** A manifest in memory: entries keyed by their '/'-separated path relative to the destination. */
export interface Manifest {
  /** The real path of the source folder these files were copied from. */
  source: string;
  /** True when the run that wrote it finished with every file verified. */
  complete: boolean;
  files: Map<string, ManifestEntry>;
}

/** A manifest that cannot be read or is not one of ours. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/**
 * The zod schemas of the manifest and its journal, loaded only when the hand-written check below
 * refuses a document: loading zod costs tens of ms at start-up (a no-change re-run of 10,000 files
 * takes ~0.2 s in all), and zod copies every one of up to 100,000s of entries it parses. Its
 * message names the field for the user.
 */
async function schemas() {
  const { z } = await import('zod');
  const insideDestination = z
    .string()
    .min(1)
    .refine(isInsideDestination, 'must be a relative path inside the destination');
  const entrySchema = z.object({
    path: insideDestination,
    size: z.number().int().min(0),
    mtimeMs: z.number(),
    sha512: z.string().regex(SHA512_HEX, 'must be 128 lowercase hex digits'),
    damaged: z.literal(true).optional(),
  });
  const manifestSchema = z.object({
    format: z.literal(MANIFEST_FORMAT),
    version: z.literal(MANIFEST_VERSION),
    source: z.string(),
    updatedAt: z.string(),
    complete: z.boolean(),
    files: z.array(entrySchema),
  });
  return { manifestSchema, journalSchema: entrySchema.extend({ source: z.string() }) };
}

const SHA512_HEX = /^[0-9a-f]{128}$/;

/** A non-empty '/'-separated relative path with no empty, `.` or `..` part (nothing outside the destination). */
function isInsideDestination(relative: string): boolean {
  for (let start = 0; ;) {
    const slash = relative.indexOf('/', start);
    const end = slash < 0 ? relative.length : slash;
    const length = end - start;
    if (length === 0) return false;
    if (
      length <= 2 &&
      relative.charCodeAt(start) === 0x2e &&
      (length === 1 || relative.charCodeAt(start + 1) === 0x2e)
    ) {
      return false;
    }
    if (slash < 0) return true;
    start = slash + 1;
  }
}

/**
 * One entry (with its path) checked by hand as the zod schema would accept it, or undefined when
 * it would not (then zod decides, and names what is wrong). Unknown fields are dropped, as zod does.
 */
function checkEntry(value: unknown): ManifestEntry | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { path: relative, size, mtimeMs, sha512, damaged } = value as Record<string, unknown>;
  if (
    typeof relative !== 'string' ||
    !isInsideDestination(relative) ||
    !Number.isSafeInteger(size) ||
    (size as number) < 0 ||
    typeof mtimeMs !== 'number' ||
    !Number.isFinite(mtimeMs) ||
    typeof sha512 !== 'string' ||
    !SHA512_HEX.test(sha512) ||
    (damaged !== undefined && damaged !== true)
  ) {
    return undefined;
  }
  return damaged
    ? { size: size as number, mtimeMs, sha512, damaged }
    : { size: size as number, mtimeMs, sha512 };
}

/** The manifest document checked by hand (see checkEntry), or undefined when zod must decide. */
function checkManifest(json: unknown): Manifest | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const document = json as Record<string, unknown>;
  if (
    document.format !== MANIFEST_FORMAT ||
    document.version !== MANIFEST_VERSION ||
    typeof document.source !== 'string' ||
    typeof document.updatedAt !== 'string' ||
    typeof document.complete !== 'boolean' ||
    !Array.isArray(document.files)
  ) {
    return undefined;
  }
  const files = new Map<string, ManifestEntry>();
  for (const value of document.files as unknown[]) {
    const entry = checkEntry(value);
    if (entry === undefined) return undefined;
    files.set((value as { path: string }).path, entry);
  }
  return { source: document.source, complete: document.complete, files };
}

/** An empty manifest for `source`. */
export function emptyManifest(source: string): Manifest {
  return { source, complete: false, files: new Map() };
}

/** The journal of a manifest: files verified since it was last written whole, one JSON line each. */
export function journalPathOf(manifestPath: string): string {
  return `${manifestPath}.journal`;
}

/**
 * Reads the manifest at `file` with its journal replayed on top (the files a run verified after the
 * manifest was last written whole — a run that was killed): null when there is neither, a
 * ManifestError when the manifest is unreadable or not ours. A journal line that does not parse
 * (the last one, torn by a crash mid-append) ends the replay.
 */
export async function readManifest(file: string): Promise<Manifest | null> {
  const [manifest, journal] = await Promise.all([readManifestOnly(file), readJournal(journalPathOf(file))]);
  if (journal.length === 0) return manifest;
  let merged: Manifest = manifest ?? emptyManifest(journal[0]?.source ?? '');
  for (const { source, path: relative, entry } of journal) {
    // A run for another source started a new manifest (see the copy's loadManifest): this is it.
    if (source !== merged.source) merged = emptyManifest(source);
    merged.files.set(relative, entry);
    merged.complete = false;
  }
  return merged;
}

interface JournalLine {
  source: string;
  path: string;
  entry: ManifestEntry;
}

/**
 * A journal line as the job wrote it, checked by hand; when that refuses it, zod decides (loaded
 * then only). Null for a line that does not parse.
 */
async function parseJournalLine(line: string): Promise<JournalLine | null> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const checked = checkEntry(json);
  if (checked !== undefined) {
    // checkEntry accepted an object with a string path.
    const { source, path: relative } = json as { source: unknown; path: string };
    const { size, mtimeMs, sha512 } = checked;
    if (typeof source === 'string') return { source, path: relative, entry: { size, mtimeMs, sha512 } };
  }
  const parsed = (await schemas()).journalSchema.safeParse(json);
  if (!parsed.success) return null;
  const { size, mtimeMs, sha512 } = parsed.data;
  return { source: parsed.data.source, path: parsed.data.path, entry: { size, mtimeMs, sha512 } };
}

async function readJournal(file: string): Promise<JournalLine[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw new ManifestError(`cannot read ${file}: ${errorMessage(error)}`);
  }
  const lines: JournalLine[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const parsed = await parseJournalLine(line);
    if (parsed === null) break;
    lines.push(parsed);
  }
  return lines;
}

/** One journal line (newline-terminated) for a verified file. */
export function journalLine(source: string, relative: string, entry: ManifestEntry): string {
  return `${JSON.stringify({ source, path: relative, size: entry.size, mtimeMs: entry.mtimeMs, sha512: entry.sha512 })}\n`;
}

/** Removes the journal once the manifest holds it all (written whole). */
export async function removeJournal(manifestPath: string): Promise<void> {
  await unlink(journalPathOf(manifestPath)).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}

async function readManifestOnly(file: string): Promise<Manifest | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new ManifestError(`cannot read ${file}: ${errorMessage(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${file} is not valid JSON (${errorMessage(error)})`);
  }
  const checked = checkManifest(json);
  if (checked !== undefined) return checked;
  const parsed = (await schemas()).manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new ManifestError(
      `${file} is not a mytimer copy manifest (${issue?.message ?? 'invalid'}${where})`,
    );
  }
  const files = new Map<string, ManifestEntry>();
  for (const { path: relative, size, mtimeMs, sha512, damaged } of parsed.data.files) {
    files.set(relative, damaged ? { size, mtimeMs, sha512, damaged } : { size, mtimeMs, sha512 });
  }
  return { source: parsed.data.source, complete: parsed.data.complete, files };
}

/** The serialized manifest is produced in pieces of about this many characters (see manifestChunks). */
const CHUNK_CHARS = 1 << 20;

/**
 * The manifest as JSON, in pieces of about CHUNK_CHARS: a readable header, then one line per file,
 * sorted by path (diff-friendly). In pieces so that writing the manifest of 100,000s of files never
 * holds its whole text (tens of MB) at once.
 */
export function* manifestChunks(manifest: Manifest, updatedAtMs: number): Generator<string> {
  const header = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    source: manifest.source,
    updatedAt: new Date(updatedAtMs).toISOString(),
    complete: manifest.complete,
  };
  const head = JSON.stringify(header, null, 2).slice(0, -2); // drop the closing "\n}"
  if (manifest.files.size === 0) {
    yield `${head},\n  "files": []\n}\n`;
    return;
  }
  const paths = [...manifest.files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let chunk = `${head},\n  "files": [\n    `;
  let separator = '';
  for (const relative of paths) {
    chunk += `${separator}${JSON.stringify({ path: relative, ...manifest.files.get(relative) })}`;
    separator = ',\n    ';
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n  ]\n}\n`;
}

/** The whole manifest as one JSON text (see manifestChunks). */
export function serializeManifest(manifest: Manifest, updatedAtMs: number): string {
  return [...manifestChunks(manifest, updatedAtMs)].join('');
}

/**
 * Writes the manifest atomically (temp file, fsync, read-back, rename), creating its folder if
 * needed: written and read back in pieces (see writeFileAtomicChunks).
 */
export async function writeManifest(file: string, manifest: Manifest, updatedAtMs: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomicChunks(file, manifestChunks(manifest, updatedAtMs));
}
