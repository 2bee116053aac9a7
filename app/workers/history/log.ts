/**
 * The history log: one JSON line per reminder event, in files beside settings.json
 * (`history-2026-12.jsonl`, then `history-2026-12.2.jsonl` … when a month outgrows the size cap).
 *
 * Crash safety: lines are only ever appended (O_APPEND), a batch at a time, and each batch is fsynced
 * before the next one starts. A crash loses at most the batch not yet written; it can tear the last
 * line of a file but never an earlier one, and the reader ignores a torn last line (and the writer
 * starts its next batch on a fresh line). Nothing here leaves the machine.
 */
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import { historyEventSchema, type HistoryEvent } from '../../shared/history-event.js';
import {
  HISTORY_FLUSH_DELAY_MS,
  HISTORY_KEEP_MONTHS_DEFAULT,
  HISTORY_MAX_FILE_BYTES,
} from '../../shared/limits.js';

/** The file operations the log uses: node:fs/promises, or a wrapper in tests. */
export type HistoryFs = Pick<typeof fsp, 'open' | 'readdir' | 'readFile' | 'unlink' | 'mkdir' | 'stat'>;

export interface HistoryLogOptions {
  /** The folder of settings.json (`appPaths(home).home`). */
  dir: string;
  clock?: Clock;
  /** Events wait at most this long before their batch is written and fsynced. */
  flushDelayMs?: number;
  /** Whole months kept, the current one included; older files are deleted. */
  keepMonths?: number;
  /** A month's file is continued in a new part past this size. */
  maxFileBytes?: number;
  fs?: HistoryFs;
  log?: (message: string) => void;
}

const FILE_NAME = /^history-(\d{4})-(\d{2})(?:\.(\d+))?\.jsonl$/;

/** A history file's month (`2026-12`) and part (1 for the first file of the month). */
export interface HistoryFile {
  name: string;
  month: string;
  part: number;
}

/** `2026-12`: the month an instant falls in, in UTC (the files are cut by UTC month; the stats by local day). */
export function monthOf(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 7);
}

export function historyFileName(month: string, part: number): string {
  return part === 1 ? `history-${month}.jsonl` : `history-${month}.${part}.jsonl`;
}

/** The history files in `dir`, oldest first. */
export async function listHistoryFiles(dir: string, fs: HistoryFs = fsp): Promise<HistoryFile[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: HistoryFile[] = [];
  for (const name of names) {
    const match = FILE_NAME.exec(name);
    if (match) files.push({ name, month: `${match[1]}-${match[2]}`, part: Number(match[3] ?? 1) });
  }
  return files.sort((a, b) => (a.month === b.month ? a.part - b.part : a.month < b.month ? -1 : 1));
}

/** What a read found: the events in time order, and how many lines were not events (torn or damaged). */
export interface HistoryRead {
  events: HistoryEvent[];
  ignoredLines: number;
}

/**
 * The events of `dir` at or after `fromMs` (all when absent), oldest first. A last line without its
 * newline is a write a crash cut short: ignored. A line that is not an event is skipped and counted.
 */
export async function readHistory(
  dir: string,
  options: { fromMs?: number; fs?: HistoryFs } = {},
): Promise<HistoryRead> {
  const fs = options.fs ?? fsp;
  const fromMs = options.fromMs ?? -Infinity;
  // Files are cut by UTC month of the write; an event is written within seconds of happening.
  const firstMonth = Number.isFinite(fromMs) ? monthOf(fromMs - 24 * 3_600_000) : '';
  const events: HistoryEvent[] = [];
  let ignoredLines = 0;
  for (const file of await listHistoryFiles(dir, fs)) {
    if (file.month < firstMonth) continue;
    let text: string;
    try {
      text = await fs.readFile(path.join(dir, file.name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // pruned meanwhile
      throw error;
    }
    const lines = text.split('\n');
    // The piece after the last newline is empty, or a torn write.
    if (lines.pop() !== '') ignoredLines++;
    for (const line of lines) {
      if (line === '') continue;
      const event = parseLine(line);
      if (event === undefined) ignoredLines++;
      else if (event.at >= fromMs) events.push(event);
    }
  }
  // Stable: events of one batch keep their order.
  return { events: events.sort((a, b) => a.at - b.at), ignoredLines };
}

function parseLine(line: string): HistoryEvent | undefined {
  try {
    const parsed = historyEventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The writing side: `append` queues an event; the batch is written with one O_APPEND write and one
 * fsync at most `flushDelayMs` later (or on `flush` / `close`). Batches are written one after another.
 */
export class HistoryLog {
  readonly dir: string;
  readonly #clock: Clock;
  readonly #fs: HistoryFs;
  readonly #flushDelayMs: number;
  readonly #keepMonths: number;
  readonly #maxFileBytes: number;
  readonly #log: (message: string) => void;
  #pending: string[] = [];
  #timer: TimerHandle | null = null;
  #writing: Promise<void> = Promise.resolve();
  /** The file being appended to, once known. */
  #current: { month: string; part: number; bytes: number } | null = null;
  #prunedFor = '';

  constructor(options: HistoryLogOptions) {
    this.dir = options.dir;
    this.#clock = options.clock ?? systemClock;
    this.#fs = options.fs ?? fsp;
    this.#flushDelayMs = options.flushDelayMs ?? HISTORY_FLUSH_DELAY_MS;
    this.#keepMonths = options.keepMonths ?? HISTORY_KEEP_MONTHS_DEFAULT;
    this.#maxFileBytes = options.maxFileBytes ?? HISTORY_MAX_FILE_BYTES;
    this.#log = options.log ?? (() => undefined);
  }

  /** Queues one event; it is on disk within the flush delay. */
  append(event: HistoryEvent): void {
    this.#pending.push(`${JSON.stringify(event)}\n`);
    this.#timer ??= this.#clock.setTimer(() => {
      this.#timer = null;
      void this.flush();
    }, this.#flushDelayMs);
  }

  /** Writes and fsyncs what is queued; resolves once it is on disk (errors are logged, not thrown). */
  flush(): Promise<void> {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    const batch = this.#pending.join('');
    this.#pending = [];
    if (batch === '') return this.#writing;
    this.#writing = this.#writing.then(() =>
      this.#write(batch).catch((error: unknown) => {
        this.#log(`history not written: ${(error as Error).message}`);
      }),
    );
    return this.#writing;
  }

  /** Flushes; the log stays usable (close is flush, named for the shutdown path). */
  close(): Promise<void> {
    return this.flush();
  }

  async #write(batch: string): Promise<void> {
    const month = monthOf(this.#clock.now());
    await this.#fs.mkdir(this.dir, { recursive: true });
    if (this.#prunedFor !== month) {
      this.#prunedFor = month;
      await this.#prune(month);
    }
    const target = await this.#target(month, Buffer.byteLength(batch));
    const handle = await this.#fs.open(path.join(this.dir, historyFileName(month, target.part)), 'a+');
    try {
      // A crash may have torn the file's last line: start this batch on a line of its own.
      const text = target.bytes > 0 && !(await endsWithNewline(handle, target.bytes)) ? `\n${batch}` : batch;
      await handle.write(text);
      await handle.datasync();
      target.bytes += Buffer.byteLength(text);
    } finally {
      await handle.close();
    }
  }

  /** The file this batch goes to: this month's last part, or a new part once that one is full. */
  async #target(month: string, batchBytes: number): Promise<{ month: string; part: number; bytes: number }> {
    if (this.#current?.month !== month) {
      const parts = (await listHistoryFiles(this.dir, this.#fs)).filter((f) => f.month === month);
      const part = parts.at(-1)?.part ?? 1;
      this.#current = {
        month,
        part,
        bytes: await sizeOf(this.#fs, path.join(this.dir, historyFileName(month, part))),
      };
    }
    const current = this.#current;
    if (current.bytes > 0 && current.bytes + batchBytes > this.#maxFileBytes) {
      this.#current = { month, part: current.part + 1, bytes: 0 };
    }
    return this.#current;
  }

  /** Deletes the files of months before the last `keepMonths` (the current one included). */
  async #prune(month: string): Promise<void> {
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    const oldestKept = monthOf(Date.UTC(year, monthNumber - this.#keepMonths, 1));
    for (const file of await listHistoryFiles(this.dir, this.#fs)) {
      if (file.month >= oldestKept) continue;
      await this.#fs.unlink(path.join(this.dir, file.name)).catch(() => undefined);
    }
  }
}

async function sizeOf(fs: HistoryFs, file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}

async function endsWithNewline(handle: fsp.FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}
