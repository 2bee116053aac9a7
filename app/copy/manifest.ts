import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../shared/atomic-write.js';
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

const insideDestination = z
  .string()
  .min(1)
  .refine(
    (relative) =>
      !relative.startsWith('/') && relative.split('/').every((part) => !['', '.', '..'].includes(part)),
    'must be a relative path inside the destination',
  );

const entrySchema = z.object({
  path: insideDestination,
  size: z.number().int().min(0),
  mtimeMs: z.number(),
  sha512: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 lowercase hex digits'),
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

const journalSchema = entrySchema.extend({ source: z.string() });

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
    let parsed;
    try {
      parsed = journalSchema.safeParse(JSON.parse(line));
    } catch {
      break;
    }
    if (!parsed.success) break;
    const { source, path: relative, size, mtimeMs, sha512 } = parsed.data;
    lines.push({ source, path: relative, entry: { size, mtimeMs, sha512 } });
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
  const parsed = manifestSchema.safeParse(json);
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

/** The manifest as JSON: a readable header, then one line per file, sorted by path (diff-friendly). */
export function serializeManifest(manifest: Manifest, updatedAtMs: number): string {
  const header = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    source: manifest.source,
    updatedAt: new Date(updatedAtMs).toISOString(),
    complete: manifest.complete,
  };
  const lines = [...manifest.files.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((relative) => {
      const entry = manifest.files.get(relative);
      return JSON.stringify({ path: relative, ...entry });
    });
  const head = JSON.stringify(header, null, 2).slice(0, -2); // drop the closing "\n}"
  const files = lines.length === 0 ? '[]' : `[\n    ${lines.join(',\n    ')}\n  ]`;
  return `${head},\n  "files": ${files}\n}\n`;
}

/** Writes the manifest atomically (temp file, fsync, read-back, rename), creating its folder if needed. */
export async function writeManifest(file: string, manifest: Manifest, updatedAtMs: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, serializeManifest(manifest, updatedAtMs));
}
