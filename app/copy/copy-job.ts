import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LockTimeoutError, withFileLock } from '../shared/file-lock.js';
import { resolveCopyInput, type CopyInput } from './copy-input.js';
import { applyDirMetadata, parentOf, prepareDirs } from './dest-dirs.js';
import { errorMessage } from './errors.js';
import type {
  CopyFailure,
  CopyJob,
  CopyJobEvents,
  CopyJobOptions,
  CopyPhase,
  CopyProgress,
  CopyResult,
  CopyWarning,
} from './job-types.js';
import { ManifestJournal } from './journal.js';
import {
  ManifestError,
  emptyManifest,
  journalPathOf,
  readManifest,
  removeJournal,
  writeManifest,
  type Manifest,
} from './manifest.js';
import { makeBatches, planFiles } from './plan.js';
import { CopyPool } from './pool.js';
import type { CopyTask, TaskOutcome } from './messages.js';
import { absolutePath, scanSource, type SourceTree } from './scan.js';
import { sweepStaleTemps } from './temp-names.js';
import { ThroughputMeter } from './throughput.js';

const PROGRESS_INTERVAL_MS = 250;
/** How often the journal of verified files is appended and synced (sooner when a batch fills). */
const JOURNAL_INTERVAL_MS = 1_000;
/** The lock is refreshed every third of this; a holder silent for this long is presumed dead. */
const LOCK_STALE_MS = 30_000;

/** The worker script: next to this module once built; under Vitest (running the .ts) the build in dist/. */
export function defaultWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/app/copy/copy-worker.js', import.meta.url)
    : new URL('./copy-worker.js', import.meta.url);
}

/**
 * Starts copying `options.source` into `options.destination` (or verifying the destination, with
 * `verifyOnly`) on a pool of worker threads, and returns at once with a handle: progress events,
 * the result promise and cancel(). See CopyJob, and the README's `mytimer copy` section.
 */
export function startCopy(options: CopyJobOptions): CopyJob {
  return new RunningCopy(options);
}

class RunningCopy implements CopyJob {
  readonly result: Promise<CopyResult>;
  private readonly emitter = new EventEmitter();
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly bytesMeter = new ThroughputMeter();
  private readonly filesMeter = new ThroughputMeter();
  private readonly partialBytes = new Map<CopyTask, number>();
  private readonly failures: CopyFailure[] = [];
  private readonly warnings: CopyWarning[] = [];
  private phase: CopyPhase = 'scanning';
  /** Made (and its workers started) as soon as the input is checked; runs once the plan is ready. */
  private pool: CopyPool | null = null;
  /** The pool was given the plan (false if the job was cancelled or failed before). */
  private poolRan = false;
  private cancelRequested = false;
  private manifest: Manifest | null = null;
  private journal: ManifestJournal | null = null;
  private manifestDirty = false;
  private ticker: NodeJS.Timeout | undefined;
  private counts = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, skipped: 0, failed: 0 };
  private tally = { copied: 0, retried: 0, verified: 0, links: 0, bytesCopied: 0 };
  private readBack = { device: 0, cache: 0 };

  constructor(private readonly options: CopyJobOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.result = this.run();
  }

  on<E extends keyof CopyJobEvents>(event: E, listener: (payload: CopyJobEvents[E]) => void): this {
    this.emitter.on(event, listener);
    return this;
  }

  off<E extends keyof CopyJobEvents>(event: E, listener: (payload: CopyJobEvents[E]) => void): this {
    this.emitter.off(event, listener);
    return this;
  }

  onProgress(listener: (progress: CopyProgress) => void): () => void {
    this.on('progress', listener);
    return () => void this.off('progress', listener);
  }

  progress(): CopyProgress {
    let inFlight = 0;
    for (const bytes of this.partialBytes.values()) inFlight += bytes;
    const bytesDone = this.counts.bytesDone + inFlight;
    const bytesEta = this.bytesMeter.etaMs(this.counts.bytesTotal - bytesDone);
    const filesEta = this.filesMeter.etaMs(this.counts.filesTotal - this.counts.filesDone);
    // Big files are bound by bytes, heaps of tiny ones by files: the slower of the two is the honest
    // ETA; while one is unknown (no file finished yet in the window), the other.
    const known = [bytesEta, filesEta].filter((eta) => eta !== null);
    const etaMs = this.phase === 'done' ? 0 : known.length > 0 ? Math.max(...known) : null;
    return {
      phase: this.phase,
      filesDone: this.counts.filesDone,
      filesTotal: this.counts.filesTotal,
      bytesDone,
      bytesTotal: this.counts.bytesTotal,
      filesSkipped: this.counts.skipped,
      filesFailed: this.counts.failed,
      bytesPerSecond: Math.round(this.bytesMeter.perSecond()),
      etaMs,
      elapsedMs: this.now() - this.startedAt,
    };
  }

  async cancel(): Promise<void> {
    this.cancelRequested = true;
    await this.pool?.cancel();
    await this.result.then(
      () => undefined,
      () => undefined,
    );
  }

  private emit<E extends keyof CopyJobEvents>(event: E, payload: CopyJobEvents[E]): void {
    try {
      this.emitter.emit(event, payload);
    } catch (error) {
      // A listener's bug must not break a copy half way; it is reported with the result instead.
      this.warnings.push({ path: null, message: `a ${event} listener threw: ${errorMessage(error)}` });
    }
  }

  private warn(path: string | null, message: string): void {
    const warning = { path, message };
    this.warnings.push(warning);
    this.emit('warning', warning);
  }

  private fail(failure: CopyFailure): void {
    this.failures.push(failure);
    this.counts.failed++;
  }

  private setPhase(phase: CopyPhase): void {
    this.phase = phase;
    this.tick();
  }

  private tick(): void {
    const at = this.now();
    const progress = this.progress();
    this.bytesMeter.record(at, progress.bytesDone);
    this.filesMeter.record(at, progress.filesDone);
    this.emit('progress', progress);
  }

  private async run(): Promise<CopyResult> {
    const input = await resolveCopyInput(this.options);
    const workerUrl = this.options.workerUrl ?? defaultWorkerUrl();
    if (workerUrl.protocol === 'file:' && !existsSync(fileURLToPath(workerUrl))) {
      throw new Error(`the copy worker ${fileURLToPath(workerUrl)} is missing: run \`npm run build\` first`);
    }
    this.ticker = setInterval(() => this.tick(), this.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
    this.ticker.unref();
    const pool = this.makePool(input, workerUrl);
    try {
      if (input.verifyOnly) return await this.verify(input, pool);
      const lockPath = `${input.manifestPath}.lock`;
      // Reading the source needs no lock: it is scanned while the destination is made and locked.
      const scan = new AbortController();
      const scanning = scanSource(input.source, (found) => (this.counts.filesTotal = found), scan.signal);
      scanning.catch(() => undefined); // copy() awaits it; if the lock is refused, nobody does
      try {
        await mkdir(input.destination, { recursive: true });
        return await withFileLock(lockPath, () => this.copy(input, pool, lockPath, scanning), {
          timeoutMs: 0,
          staleMs: LOCK_STALE_MS,
        }).catch((error: unknown) => {
          if (!(error instanceof LockTimeoutError)) throw error;
          throw new Error(`another copy job is writing to ${input.destination} (${error.message})`);
        });
      } finally {
        scan.abort(); // a no-op once the scan is done
      }
    } finally {
      clearInterval(this.ticker);
      pool.release();
    }
  }

  /**
   * The pool, its workers starting now: a worker takes tens of ms to start (an isolate, its
   * modules), which this overlaps with the lock, the scan and the plan. A cancel before the plan is
   * ready stops them.
   */
  private makePool(input: CopyInput, workerUrl: URL): CopyPool {
    const pool = new CopyPool(
      { size: input.workers, workerUrl },
      {
        // Never backwards, even when a copy is retried from byte 0: a bar that shrinks reads as a bug.
        onBytes: (task, bytes) =>
          this.partialBytes.set(task, Math.max(this.partialBytes.get(task) ?? 0, Math.min(bytes, task.size))),
        onOutcome: (task, outcome) => this.onOutcome(task, outcome),
      },
    );
    this.pool = pool;
    // Workers start once there is work for them (see copy() and verify()): a re-run that finds
    // nothing changed starts none.
    if (this.cancelRequested) void pool.cancel();
    return pool;
  }

  private async copy(
    input: CopyInput,
    pool: CopyPool,
    lockPath: string,
    scanning: Promise<SourceTree>,
  ): Promise<CopyResult> {
    const journalPath = journalPathOf(input.manifestPath);
    const journalLeft = existsSync(journalPath);
    const loading = this.loadManifest(input).then((loaded) => {
      // A first run copies everything: start the workers while the scan goes on.
      if (loaded.files.size === 0) pool.warmUp();
      return loaded;
    });
    // Temp files are left only by a run that did not finish: it left its journal (made before the
    // first file is copied) or an incomplete manifest. After a clean run the walk is skipped.
    const sweeping = loading.then((loaded) =>
      journalLeft || !loaded.complete ? sweepStaleTemps(input.destination) : 0,
    );
    const [tree, swept, manifest] = await Promise.all([scanning, sweeping, loading]);
    this.manifest = manifest;
    const wasComplete = manifest.complete;
    if (swept > 0) this.warn(null, `removed ${swept} temp file(s) left by an interrupted copy`);
    for (const special of tree.specials) this.warn(special.path, `skipped: a ${special.kind} is not copied`);
    for (const { path, message } of tree.unreadable) this.fail({ path, reason: 'unreadable', message });

    const blocked = await prepareDirs(tree.dirs, input.destination);
    const scannedFiles = tree.files.length;
    const work = await this.planWork(input, tree, manifest, blocked, [
      input.manifestPath,
      lockPath,
      journalPath,
    ]);

    const cancelledEarly = this.cancelRequested;
    let journalBegun = false;
    if (!cancelledEarly) {
      const journal = new ManifestJournal(input.manifestPath, manifest.source);
      this.journal = journal;
      // The journal exists from before the first temp file until the manifest is compacted: a
      // run that finds it knows the last one was killed (see the sweep above).
      if (work.batches.length > 0) {
        journalBegun = true;
        await journal.begin().catch((error: unknown) => {
          this.warn(null, `cannot write the manifest's journal: ${errorMessage(error)}`);
        });
      }
      const flusher = setInterval(
        () => void journal.flush().catch(() => undefined),
        this.options.manifestIntervalMs ?? JOURNAL_INTERVAL_MS,
      );
      flusher.unref();
      try {
        await this.runPool(pool, work.batches, 'copying');
      } finally {
        clearInterval(flusher);
        this.journal = null;
        await journal.close();
      }
    }

    this.setPhase('finishing');
    manifest.complete = !this.cancelRequested && this.failures.length === 0;
    let manifestError: string | null = null;
    // Compaction: the manifest written whole once, then the journal it now holds removed. A re-run
    // that changed nothing writes nothing.
    if (
      this.manifestDirty ||
      journalLeft ||
      journalBegun ||
      manifest.complete !== wasComplete ||
      !existsSync(input.manifestPath)
    ) {
      try {
        await writeManifest(input.manifestPath, manifest, this.now());
        await removeJournal(input.manifestPath);
      } catch (error) {
        manifestError = errorMessage(error);
      }
    }
    const metadataProblems = await applyDirMetadata(tree.dirs, input.destination, blocked);
    for (const problem of metadataProblems) this.warn(null, problem);
    return this.finish(input, scannedFiles, tree, manifestError);
  }

  private async verify(input: CopyInput, pool: CopyPool): Promise<CopyResult> {
    const manifest = input.manifest ?? emptyManifest(input.source);
    if (manifest.files.size > 0) pool.warmUp();
    const tasks: CopyTask[] = [...manifest.files].map(([path, entry]) => ({
      kind: 'verify',
      path,
      destination: absolutePath(input.destination, path),
      size: entry.size,
      sha512: entry.sha512,
    }));
    this.counts.filesTotal = tasks.length;
    this.counts.bytesTotal = tasks.reduce((sum, task) => sum + task.size, 0);
    if (!this.cancelRequested) await this.runPool(pool, makeBatches(tasks, input.workers), 'verifying');
    this.setPhase('finishing');
    const damaged = this.failures.filter((failure) => failure.reason === 'mismatch');
    if (damaged.length > 0) await this.markDamaged(input, damaged);
    return this.finish(input, tasks.length, null, null);
  }

  /**
   * Marks copies that read back other bytes than the manifest's digest as damaged, so the next copy
   * copies them again (their size and mtime still match: a quick re-run would skip them). Done
   * under the destination's lock, on the manifest as it is now; a copy that can no longer be
   * marked (a read-only backup, a job writing to it) is a warning: `--repair` re-copies anyway.
   */
  private async markDamaged(input: CopyInput, damaged: readonly CopyFailure[]): Promise<void> {
    const lockPath = `${input.manifestPath}.lock`;
    try {
      await withFileLock(
        lockPath,
        async () => {
          const manifest = await readManifest(input.manifestPath);
          if (!manifest) return;
          for (const failure of damaged) {
            const entry = manifest.files.get(failure.path);
            if (entry && entry.sha512 === failure.sourceSha512) entry.damaged = true;
          }
          manifest.complete = false;
          await writeManifest(input.manifestPath, manifest, this.now());
          await removeJournal(input.manifestPath);
        },
        { timeoutMs: 0, staleMs: LOCK_STALE_MS },
      );
    } catch (error) {
      this.warn(null, `could not mark the damaged copies in the manifest: ${errorMessage(error)}`);
    }
  }

  private linkTasks(tree: SourceTree, input: CopyInput, blocked: Map<string, string>): CopyTask[] {
    const tasks: CopyTask[] = [];
    for (const link of tree.links) {
      const reason = blocked.get(parentOf(link));
      if (reason !== undefined) {
        this.fail({ path: link, reason: 'write-error', message: reason });
        continue;
      }
      const source = absolutePath(input.source, link);
      tasks.push({
        kind: 'link',
        path: link,
        source,
        destination: absolutePath(input.destination, link),
        size: 0,
      });
    }
    return tasks;
  }

  /**
   * Decides what this run copies (see planFiles) and sets the totals. The scan's file list is let go
   * here, and the batches are the only holders of the tasks, so that each task is garbage once its
   * batch is done: at 100,000 files the list and the tasks are tens of MB.
   */
  private async planWork(
    input: CopyInput,
    tree: SourceTree,
    manifest: Manifest,
    blocked: Map<string, string>,
    reservedPaths: string[],
  ): Promise<{ batches: CopyTask[][] }> {
    const reserved = new Set(reservedPaths);
    const files = tree.files.filter((file) => {
      const reason = blocked.get(parentOf(file.path));
      if (reason !== undefined) this.fail({ path: file.path, reason: 'write-error', message: reason });
      else if (reserved.has(absolutePath(input.destination, file.path))) {
        this.warn(file.path, 'skipped: it would overwrite the copy manifest');
      } else return true;
      return false;
    });
    tree.files = [];
    const plan = await planFiles(files, input, manifest);
    const tasks = [...plan.tasks, ...this.linkTasks(tree, input, blocked)];
    this.counts.skipped = plan.skipped.length;
    this.counts.filesTotal = tasks.length;
    this.counts.bytesTotal = tasks.reduce((sum, task) => sum + task.size, 0);
    return { batches: makeBatches(tasks, input.workers) };
  }

  /** Runs the batches, which it empties: the pool alone holds them from then on. */
  private async runPool(pool: CopyPool, batches: CopyTask[][], phase: CopyPhase): Promise<void> {
    // This tick fires before any task is handed to a worker: a listener sees the plan before a file
    // is touched.
    this.setPhase(phase);
    this.poolRan = true;
    await pool.run(batches.splice(0));
  }

  private onOutcome(task: CopyTask, outcome: TaskOutcome): void {
    this.partialBytes.delete(task);
    this.counts.filesDone++;
    this.counts.bytesDone += task.size;
    switch (outcome.status) {
      case 'copied':
        this.tally.copied++;
        this.tally.bytesCopied += outcome.size;
        if (outcome.retried) this.tally.retried++;
        this.readBack[outcome.readBack]++;
        this.record(task.path, outcome);
        break;
      case 'unchanged':
        this.counts.skipped++;
        this.record(task.path, outcome);
        break;
      case 'linked':
        this.tally.links++;
        break;
      case 'verified':
        this.tally.verified++;
        break;
      case 'failed': {
        const { status: _status, ...failure } = outcome;
        this.fail({ path: task.path, ...failure });
        break;
      }
    }
    // An event object per file is garbage at 100,000s of files: made only for a listener.
    if (this.emitter.listenerCount('file') > 0)
      this.emit('file', { path: task.path, kind: task.kind, outcome });
  }

  /** A verified copy joins the manifest; a failed one keeps its old entry, which still describes the destination. */
  private record(path: string, outcome: { size: number; mtimeMs: number; sha512: string }): void {
    const entry = { size: outcome.size, mtimeMs: outcome.mtimeMs, sha512: outcome.sha512 };
    const known = this.manifest?.files.get(path);
    if (
      known &&
      !known.damaged &&
      known.size === entry.size &&
      known.mtimeMs === entry.mtimeMs &&
      known.sha512 === entry.sha512
    ) {
      return; // re-hashed and intact: the manifest already says so
    }
    this.manifest?.files.set(path, entry);
    this.journal?.add(path, entry);
    this.manifestDirty = true;
  }

  /** A missing, unreadable or foreign manifest starts afresh (everything is copied again), with a warning. */
  private async loadManifest(input: CopyInput): Promise<Manifest> {
    let manifest: Manifest | null;
    try {
      manifest = await readManifest(input.manifestPath);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      this.warn(null, `${error.message}; starting a new manifest, every file is copied again`);
      return emptyManifest(input.source);
    }
    if (manifest && manifest.source !== input.source) {
      this.warn(
        null,
        `the manifest was written for ${manifest.source}, not ${input.source}; starting a new one, every file is copied again`,
      );
      return emptyManifest(input.source);
    }
    return manifest ?? emptyManifest(input.source);
  }

  private finish(
    input: CopyInput,
    files: number,
    tree: SourceTree | null,
    manifestError: string | null,
  ): CopyResult {
    const incomplete = this.counts.filesDone < this.counts.filesTotal;
    const cancelled = this.cancelRequested && (incomplete || !this.poolRan);
    clearInterval(this.ticker);
    this.setPhase('done');
    return {
      outcome: cancelled ? 'cancelled' : this.failures.length > 0 || manifestError !== null ? 'failed' : 'ok',
      verifyOnly: input.verifyOnly,
      source: input.source,
      destination: input.destination,
      manifestPath: input.manifestPath,
      workers: input.workers,
      workersStarted: this.pool?.workersStarted ?? 0,
      files,
      copied: this.tally.copied,
      retried: this.tally.retried,
      readBack: { ...this.readBack },
      skipped: this.counts.skipped,
      verified: this.tally.verified,
      links: this.tally.links,
      dirs: tree ? tree.dirs.length - 1 : 0,
      specialsSkipped: tree ? tree.specials.length : 0,
      bytesCopied: this.tally.bytesCopied,
      failures: [...this.failures].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      warnings: [...this.warnings],
      elapsedMs: this.now() - this.startedAt,
      manifestError,
    };
  }
}
