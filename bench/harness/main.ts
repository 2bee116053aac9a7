/**
 * The runner behind `npm run bench` (bench/run.js): forks one fresh `node --expose-gc` per subject
 * per run, interleaving subjects run by run so drift on the machine spreads evenly over them, then
 * writes RESULTS.md and prints a summary.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadSuite, suiteLoaders } from '../suites/index.js';
import { describeEnvironment } from './environment.js';
import { mergeResults, renderMarkdown, renderSummary } from './report.js';
import type { RunSettings, SubjectOutcome, SuiteOutcome } from './report.js';
import { ALL_SUBJECTS, RESULT_PREFIX } from './suite.js';
import type { Subject, SubjectResult, Suite } from './suite.js';

const CHILD_ENTRY = fileURLToPath(new URL('./child.js', import.meta.url));
const DEFAULT_RUNS = 5;
const DEFAULT_SEED = 20_240_601;
const DEFAULT_TIMEOUT_MS = 120_000;

const USAGE = `usage: node bench/run.js [suite ...] [--runs N] [--seed N] [--quick]
  suites: ${Object.keys(suiteLoaders).join(', ')} (default: all)
  --runs N   runs per subject, each in a fresh process (default ${DEFAULT_RUNS}); the median is reported
  --seed N   seed for the generated data (default ${DEFAULT_SEED})
  --quick    shrink data about tenfold (idle window 5 s): a smoke test of the harness, not a comparison
  env BENCH_IDLE_SECONDS=N   length of the idle suite's window (default 60, 5 with --quick)`;

interface Options {
  readonly suiteIds: string[];
  readonly runs: number;
  readonly seed: number;
  readonly quick: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const suiteIds: string[] = [];
  let runs = DEFAULT_RUNS;
  let seed = DEFAULT_SEED;
  let quick = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const integerAfter = (flag: string): number => {
      const value = Number(argv[++index]);
      if (!Number.isInteger(value) || value < (flag === '--runs' ? 1 : 0))
        throw new Error(`${flag} needs a whole number`);
      return value;
    };
    if (argument === '--runs') runs = integerAfter(argument);
    else if (argument === '--seed') seed = integerAfter(argument);
    else if (argument === '--quick') quick = true;
    else if (argument.startsWith('-')) throw new Error(`unknown option ${argument}`);
    else suiteIds.push(argument);
  }
  return { suiteIds: suiteIds.length > 0 ? suiteIds : Object.keys(suiteLoaders), runs, seed, quick };
}

/**
 * Runs one subject once in a fresh process (or every subject, for `ALL_SUBJECTS`) and returns its
 * parsed result line.
 */
function runInChild(suite: Suite, subjectId: string, options: Options, runIndex: number): Promise<unknown> {
  const args = [
    '--expose-gc',
    ...(suite.nodeArgs ?? []),
    CHILD_ENTRY,
    suite.id,
    subjectId,
    String(options.seed),
    String(runIndex),
    String(runIndex === 0),
    String(options.quick),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), suite.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as unknown);
      } else {
        const why = stderr.trim().split('\n')[0] || `exited with ${signal ?? `code ${String(code)}`}`;
        reject(new Error(why));
      }
    });
  });
}

/** Records one run's result (or failure) for a subject and prints its progress line. */
function record(
  suite: Suite,
  outcome: SubjectOutcome,
  prefix: string,
  result: SubjectResult | undefined,
  failure?: string,
): void {
  const headline = suite.metrics[0]!;
  if (result) {
    outcome.results.push(result);
    const figure = result.metrics[headline.key];
    console.log(
      `${prefix}: ${figure === undefined ? '?' : figure.toFixed(headline.digits ?? 0)} ${headline.label}`,
    );
  } else {
    const message = failure ?? 'no result';
    outcome.failures.push(message);
    console.log(`${prefix}: FAILED ${message}`);
  }
}

async function runSuite(suite: Suite, options: Options): Promise<SuiteOutcome> {
  const outcomes: SubjectOutcome[] = suite.subjects.map((subject) => ({
    subject,
    results: [],
    failures: [],
  }));
  if (suite.skip) {
    console.log(`${suite.id}: not run: ${suite.skip}`);
    return { suite, outcomes };
  }
  const stamp = {
    startedAt: new Date().toISOString(),
    loadAverage: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' / '),
  };
  // A group's `runs` can only lower the count: `--runs 1` is one run everywhere.
  const runsOf = (subject: Subject): number =>
    Math.min(suite.groups.find((group) => group.id === subject.group)?.runs ?? options.runs, options.runs);
  const mostRuns = Math.max(...suite.subjects.map(runsOf));
  const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  for (let runIndex = 0; runIndex < mostRuns; runIndex++) {
    if (suite.runTogether) {
      let results: Readonly<Record<string, SubjectResult>> = {};
      let failure: string | undefined;
      try {
        results = (await runInChild(suite, ALL_SUBJECTS, options, runIndex)) as typeof results;
      } catch (error) {
        failure = errorText(error);
      }
      for (const outcome of outcomes) {
        const prefix = `${suite.id} · run ${runIndex + 1}/${mostRuns} · ${outcome.subject.label}`;
        record(suite, outcome, prefix, results[outcome.subject.id], failure);
      }
      continue;
    }
    for (const outcome of outcomes) {
      if (runIndex >= runsOf(outcome.subject) || outcome.subject.skip) continue;
      const prefix = `${suite.id} · run ${runIndex + 1}/${runsOf(outcome.subject)} · ${outcome.subject.label}`;
      try {
        const result = (await runInChild(suite, outcome.subject.id, options, runIndex)) as SubjectResult;
        record(suite, outcome, prefix, result);
      } catch (error) {
        record(suite, outcome, prefix, undefined, errorText(error));
      }
    }
  }
  for (const outcome of outcomes)
    if (outcome.subject.skip) console.log(`${suite.id} · ${outcome.subject.label}: not run`);
  return { suite, outcomes, ...stamp };
}

/**
 * Runs the suites named in `argv` (all by default), writes the report to `resultsPath`, prints a
 * summary. Returns the process exit code: 0, or 1 if any run failed, or 2 for bad arguments.
 */
export async function main(argv: readonly string[], resultsPath: URL): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: Options;
  let suites: Suite[];
  try {
    options = parseOptions(argv);
    suites = await Promise.all(options.suiteIds.map(loadSuite));
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const environment = describeEnvironment();
  console.log(
    `${environment.node} · ${environment.cpu} · ${environment.cores} cores · load ${environment.loadAverage}`,
  );
  const outcomes: SuiteOutcome[] = [];
  for (const suite of suites) outcomes.push(await runSuite(suite, options));
  const settings: RunSettings = {
    runs: options.runs,
    seed: options.seed,
    quick: options.quick,
    command: ['node bench/run.js', ...argv].join(' '),
  };
  // The sections of the suites not run this time stay as the last run that measured them left them.
  const previous = await readFile(resultsPath, 'utf8').catch(() => '');
  const titles = await Promise.all(Object.keys(suiteLoaders).map(async (id) => (await loadSuite(id)).title));
  await writeFile(
    resultsPath,
    mergeResults(previous, renderMarkdown(environment, settings, outcomes), titles),
  );
  console.log(renderSummary(outcomes));
  console.log(`\nWritten to ${fileURLToPath(resultsPath)}`);
  const anyFailed = outcomes.some(({ outcomes: subjects }) =>
    subjects.some((outcome) => outcome.failures.length > 0),
  );
  return anyFailed ? 1 : 0;
}
