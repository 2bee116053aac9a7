/**
 * What a benchmark suite is. A suite module (bench/suites/<id>.ts) exports `suite: Suite` and is
 * listed in bench/suites/index.ts. The runner forks one fresh Node process (`--expose-gc`) per
 * subject per run; that process calls the subject's `run` once and prints its result as one JSON line.
 */
export interface Suite {
  /** Short name used on the command line: `node bench/run.js queue`. */
  readonly id: string;
  readonly title: string;
  /** Markdown for RESULTS.md: what is measured and on what data. */
  readonly description: string;
  /** What a run reports. The first is the headline: medians, ratios and the summary use it. Lower is better. */
  readonly metrics: readonly Metric[];
  /** Tables in the report; every subject belongs to one. */
  readonly groups: readonly SubjectGroup[];
  readonly subjects: readonly Subject[];
  /** Extra flags for the child processes (the runner always adds `--expose-gc`). */
  readonly nodeArgs?: readonly string[];
  /** A child that runs longer than this is killed and reported as failed. Default 120 s. */
  readonly timeoutMs?: number;
  /** Set when the suite cannot run here (say, it reads /proc): the report prints this instead of tables. */
  readonly skip?: string;
  /**
   * Measures every subject in ONE child per run, for subjects that must share a time window (processes
   * idling side by side): returns each subject's result by id, and the subjects' own `run` is not used.
   * Every subject then gets as many runs as the group with the most.
   */
  readonly runTogether?: (context: RunContext) => Promise<Readonly<Record<string, SubjectResult>>>;
}

export interface Metric {
  /** Key in {@link SubjectResult.metrics}. */
  readonly key: string;
  /** Column heading, unit included: `ns/op`, `push ns/op`. */
  readonly label: string;
  /** Decimals to print. Default 0. */
  readonly digits?: number;
}

export interface SubjectGroup {
  readonly id: string;
  readonly title: string;
  /** Markdown printed under the table. */
  readonly note?: string;
  /** The subject (in any group) every row is compared with: ratio = baseline median ÷ row median. */
  readonly baseline: string;
  /** Runs per subject in this group (fresh process each). Default: the command line's `--runs`, 5. */
  readonly runs?: number;
  /** Goals from the issues, checked against the figures and printed under the table as met / not met. */
  readonly targets?: readonly Target[];
}

/**
 * A goal on one figure: met when the subject's figure is at most `atMost`, or at most the `relativeTo`
 * subject's figure plus `atMost`. Lower is better, as for every metric.
 */
export interface Target {
  /** How the report states it: `≤ 1 µs per task`, `within +15 MB of the bare process`. */
  readonly label: string;
  readonly subject: string;
  /** A {@link Metric.key} of the suite. */
  readonly metric: string;
  readonly atMost: number;
  readonly relativeTo?: string;
  /** Which figure across the runs: the median (default), or the worst run (for counts that must be 0). */
  readonly over?: 'median' | 'max';
}

export interface Subject {
  /** Unique within the suite; the child finds the subject by it. */
  readonly id: string;
  /** Row label in the report. */
  readonly label: string;
  /** The {@link SubjectGroup.id} it is reported under. */
  readonly group: string;
  /** Set when this subject is not run (say, it cannot finish at this size): the report says why. */
  readonly skip?: string;
  /** Measures one run; required unless the suite has {@link Suite.runTogether}. */
  run?(context: RunContext): SubjectResult | Promise<SubjectResult>;
}

export interface RunContext {
  /** Seed for the suite's data: the same for every subject and run, so all see the same input. */
  readonly seed: number;
  /** 0-based run number. */
  readonly runIndex: number;
  /** Also check correctness (outside the timed part). True on the first run of each subject only. */
  readonly verify: boolean;
  /** Smoke-test mode (`--quick`): suites shrink their data about tenfold; figures are not comparable. */
  readonly quick: boolean;
}

export interface SubjectResult {
  /** Measured figures by {@link Metric.key}. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Facts from a verifying run (`verify`), reported as they are: `stable: false`, `inversions: 1234`. */
  readonly checks?: Readonly<Record<string, string | number | boolean>>;
}

/** How a child marks its result line on stdout, so stray output from a library is never taken for one. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** The subject id the runner passes to a child to run a suite's {@link Suite.runTogether}. */
export const ALL_SUBJECTS = '*';
