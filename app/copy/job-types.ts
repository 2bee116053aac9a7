import type { CopyRequest } from './copy-input.js';
import type { CopyTask, FailureReason, TaskOutcome } from './messages.js';

/** Where a copy job is: scanning the source, copying (or verifying), writing the manifest, done. */
export type CopyPhase = 'scanning' | 'copying' | 'verifying' | 'finishing' | 'done';

/** A progress tick, at most every `progressIntervalMs` (250 ms by default) and on each phase change. */
export interface CopyProgress {
  phase: CopyPhase;
  /** Files (and links) handed to the workers this run that have an outcome, of filesTotal (while scanning: files found so far). */
  filesDone: number;
  filesTotal: number;
  /** Bytes read so far of bytesTotal (what this run copies or verifies; skipped files are not counted). */
  bytesDone: number;
  bytesTotal: number;
  /** Files left alone because they are unchanged. */
  filesSkipped: number;
  filesFailed: number;
  /** Over the last 5 s. */
  bytesPerSecond: number;
  /** Null while unknown (before the first measurable progress). */
  etaMs: number | null;
  elapsedMs: number;
}

/** A file the job could not copy or verify, and why. Paths are relative to the tree's root. */
export interface CopyFailure {
  path: string;
  reason: FailureReason;
  message: string;
  /** With `mismatch`: the source's digest (in verify-only mode, the manifest's). */
  sourceSha512?: string;
  /** With `mismatch`: the digest of the destination as read back. */
  destinationSha512?: string;
}

/** Something the user should know that is not a failed file: a skipped FIFO, a manifest started afresh. */
export interface CopyWarning {
  /** The entry concerned, relative to the root; null for the job as a whole. */
  path: string | null;
  message: string;
}

/** One task's outcome, as it lands. */
export interface CopyFileEvent {
  path: string;
  kind: CopyTask['kind'];
  outcome: TaskOutcome;
}

/** What a finished (or cancelled) job did. */
export interface CopyResult {
  /** ok: every file verified; failed: some did not (see failures) or the manifest could not be written. */
  outcome: 'ok' | 'failed' | 'cancelled';
  verifyOnly: boolean;
  /** Real, absolute paths. */
  source: string;
  destination: string;
  manifestPath: string;
  workers: number;
  /** Worker threads actually started: 0 when there was nothing to copy or verify. */
  workersStarted: number;
  /** Regular files in the source (copy), or in the manifest (verify-only). */
  files: number;
  /** Files copied and verified this run. */
  copied: number;
  /** Of those, files that needed the second try (a mismatch or a source changing mid-copy). */
  retried: number;
  /**
   * Of those, files read back from the device (O_DIRECT, Linux) and files read back only through
   * the page cache (tmpfs, a file system refusing O_DIRECT, macOS, Windows): see file-io.ts.
   */
  readBack: { device: number; cache: number };
  /** Files left alone because they were unchanged (quick check, or re-hashed and still intact). */
  skipped: number;
  /** Verify-only: files whose destination digest matches the manifest. */
  verified: number;
  /** Symbolic links created or found already right. */
  links: number;
  /** Folders in the tree, the root excluded. */
  dirs: number;
  /** FIFOs, sockets and devices skipped (each also has a warning). */
  specialsSkipped: number;
  bytesCopied: number;
  failures: CopyFailure[];
  warnings: CopyWarning[];
  elapsedMs: number;
  /** Why the manifest could not be written at the end, if it could not. */
  manifestError: string | null;
}

/** How to start a copy job: a CopyRequest plus knobs for hosts and tests. */
export interface CopyJobOptions extends CopyRequest {
  /** How often progress events fire while the job runs; default 250 ms (4 per second). */
  progressIntervalMs?: number;
  /** How often the journal of verified files is appended and synced while copying, so a killed job resumes; default 1 s (sooner every 512 files). */
  manifestIntervalMs?: number;
  /**
   * The script the worker threads run; default `./copy-worker.js` next to this module (from `dist/`
   * under Vitest). Tests give one whose file I/O fails, corrupts, dies or is slow on cue.
   */
  workerUrl?: URL;
  /** Wall clock, injectable. */
  now?: () => number;
}

/** The events a running job emits. Listeners run synchronously; one that throws is reported as a warning, never breaks the job. */
export interface CopyJobEvents {
  progress: CopyProgress;
  file: CopyFileEvent;
  warning: CopyWarning;
}

/**
 * A running copy job, as returned by startCopy. The daemon subscribes with `on`, forwards the
 * events, awaits `result` and calls `cancel()` to stop it.
 */
export interface CopyJob {
  /**
   * Resolves when the job ends — completed, failed or cancelled — with what it did. Rejects only
   * when the job could not start: a ValidationError (bad input: exit status 2 in the CLI), another
   * job holding the destination, or the worker script missing.
   */
  readonly result: Promise<CopyResult>;
  /** Subscribes to an event. */
  on<E extends keyof CopyJobEvents>(event: E, listener: (payload: CopyJobEvents[E]) => void): this;
  /** Unsubscribes. */
  off<E extends keyof CopyJobEvents>(event: E, listener: (payload: CopyJobEvents[E]) => void): this;
  /**
   * Shorthand for `on('progress', listener)`, in the shape the daemon's JobRunner takes
   * (StartedJob.onProgress). Returns a function that unsubscribes.
   */
  onProgress(listener: (progress: CopyProgress) => void): () => void;
  /** The progress right now (the same object a tick would carry). */
  progress(): CopyProgress;
  /**
   * Stops the job: workers abandon their current file within milliseconds (terminated after
   * 250 ms if they do not), temp files are removed, every file verified so far stays in place and
   * in the manifest, which is written. Resolves once all that is done; `result` then resolves
   * with outcome `cancelled`. Idempotent.
   */
  cancel(): Promise<void>;
}
