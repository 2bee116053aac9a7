import { open, type FileHandle } from 'node:fs/promises';
import { journalLine, journalPathOf, type ManifestEntry } from './manifest.js';

/** Lines gathered before they are appended and synced without waiting for the timer. */
export const JOURNAL_BATCH_LINES = 512;

/**
 * The manifest's append-only journal while a copy runs: one JSON line per verified file, appended
 * and synced (fdatasync) in batches, so a killed run resumes without copying those files again —
 * at the cost of a few bytes per file, where rewriting the whole manifest every few seconds cost
 * time and memory in proportion to the tree. The run writes the manifest whole at its end
 * (compaction) and then removes the journal.
 */
export class ManifestJournal {
  private pending: string[] = [];
  private handle: FileHandle | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly file: string;

  constructor(
    manifestPath: string,
    private readonly source: string,
  ) {
    this.file = journalPathOf(manifestPath);
  }

  /** Creates the journal (empty) now, before any file is copied. */
  async begin(): Promise<void> {
    this.handle ??= await open(this.file, 'a', 0o644);
  }

  /** Queues a verified file; a full batch is flushed at once. */
  add(relative: string, entry: ManifestEntry): void {
    this.pending.push(journalLine(this.source, relative, entry));
    if (this.pending.length >= JOURNAL_BATCH_LINES) void this.flush().catch(() => undefined);
  }

  /** Appends and syncs what is queued; flushes are queued, never concurrent. */
  flush(): Promise<void> {
    const write = this.writing.then(async () => {
      if (this.pending.length === 0) return;
      const lines = this.pending;
      this.pending = [];
      try {
        this.handle ??= await open(this.file, 'a', 0o644);
        await this.handle.write(lines.join(''));
        await this.handle.datasync();
      } catch (error) {
        this.pending = [...lines, ...this.pending];
        throw error;
      }
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** Flushes what is queued, if it can, and closes the file. */
  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    await this.writing;
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
  }
}
