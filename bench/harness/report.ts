import type { Environment } from './environment.js';
import { summarize } from './stats.js';
import type { Summary } from './stats.js';
import type { Metric, Subject, SubjectGroup, SubjectResult, Suite, Target } from './suite.js';

/** Everything one subject produced across its runs. */
export interface SubjectOutcome {
  readonly subject: Subject;
  readonly results: SubjectResult[];
  readonly failures: string[];
}

export interface SuiteOutcome {
  readonly suite: Suite;
  readonly outcomes: readonly SubjectOutcome[];
  /** When the suite started (ISO 8601) and the load average then: sections of RESULTS.md may come from different runs. */
  readonly startedAt?: string;
  readonly loadAverage?: string;
}

export interface RunSettings {
  readonly runs: number;
  readonly seed: number;
  readonly quick: boolean;
  readonly command: string;
}

/** The median/min/max of one metric for one subject, or undefined if no run succeeded. */
export function metricSummary(outcome: SubjectOutcome, key: string): Summary | undefined {
  const values = outcome.results.map((result) => result.metrics[key]).filter((value) => value !== undefined);
  return values.length > 0 ? summarize(values) : undefined;
}

/** Baseline median ÷ this subject's median, on the suite's headline metric: 0.5 means the baseline takes half the time. */
function ratioToBaseline(suiteOutcome: SuiteOutcome, outcome: SubjectOutcome): number | undefined {
  const { suite, outcomes } = suiteOutcome;
  const headline = suite.metrics[0]!.key;
  const group = suite.groups.find((candidate) => candidate.id === outcome.subject.group);
  const baseline = outcomes.find((candidate) => candidate.subject.id === group?.baseline);
  const baselineMedian = baseline && metricSummary(baseline, headline)?.median;
  const median = metricSummary(outcome, headline)?.median;
  // A zero on either side (no CPU ticks, no inversions) has no meaningful ratio.
  return baselineMedian && median ? baselineMedian / median : undefined;
}

/** A target checked against the figures: `met` is undefined when a subject it names has no figure. */
export interface TargetVerdict {
  readonly target: Target;
  readonly metric: Metric | undefined;
  readonly figure: number | undefined;
  readonly limit: number | undefined;
  readonly met: boolean | undefined;
  /** The subject's lowest and highest figure across its runs. */
  readonly min?: number;
  readonly max?: number;
}

/** Checks one of a group's targets against the median (or worst run) of the subjects it names. */
export function evaluateTarget(suiteOutcome: SuiteOutcome, target: Target): TargetVerdict {
  const { suite, outcomes } = suiteOutcome;
  const summaryOf = (subjectId: string) => {
    const outcome = outcomes.find((candidate) => candidate.subject.id === subjectId);
    return outcome && metricSummary(outcome, target.metric);
  };
  const summary = summaryOf(target.subject);
  const figure = target.over === 'max' ? summary?.max : summary?.median;
  const reference = target.relativeTo === undefined ? 0 : summaryOf(target.relativeTo)?.median;
  const limit = reference === undefined ? undefined : reference + target.atMost;
  return {
    target,
    metric: suite.metrics.find((metric) => metric.key === target.metric),
    figure,
    limit,
    met: figure === undefined || limit === undefined ? undefined : figure <= limit,
    ...(summary && { min: summary.min, max: summary.max }),
  };
}

/** `ours ≤ 1 µs per task: met (median 0.62 µs/task, limit 1.00)`, without markup. */
function describeVerdict(
  suiteOutcome: SuiteOutcome,
  verdict: TargetVerdict,
  bold: (text: string) => string,
): string {
  const { target, metric, figure, limit, met, min, max } = verdict;
  const subjectLabel =
    suiteOutcome.outcomes.find((outcome) => outcome.subject.id === target.subject)?.subject.label ??
    target.subject;
  const status = met === undefined ? 'no figures' : met ? 'met' : bold('NOT met');
  const digits = metric?.digits ?? 0;
  const which = target.over === 'max' ? 'worst run' : 'median';
  const detail =
    figure === undefined || limit === undefined
      ? ''
      : ` (${which} ${format(figure, digits)} ${metric?.label ?? target.metric}` +
        `${min === undefined || max === undefined || min === max ? '' : `, min – max ${format(min, digits)} – ${format(max, digits)}`}` +
        `${target.relativeTo === undefined ? '' : `, limit ${format(limit, digits)}`})`;
  return `${subjectLabel} ${target.label}: ${status}${detail}`;
}

function targetsOf(group: SubjectGroup): readonly Target[] {
  return group.targets ?? [];
}

function format(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function checksOf(outcome: SubjectOutcome): Readonly<Record<string, string | number | boolean>> {
  return outcome.results.find((result) => result.checks)?.checks ?? {};
}

function formatCheck(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : '**no**';
  return typeof value === 'number' ? format(value) : value;
}

/** RESULTS.md: environment, then per suite and group a table of medians, ranges, ratios and checks. */
export function renderMarkdown(
  environment: Environment,
  settings: RunSettings,
  suites: readonly SuiteOutcome[],
): string {
  const lines = [
    '# Benchmark results',
    '',
    `Generated by \`node bench/run.js\`; see [README.md](README.md) for what each benchmark measures. A run replaces the sections of the suites it ran and keeps the others: each section says when, by which command and under which load it was measured (sections without that line are older than the stamp); the environment below is the latest run's.`,
    '',
  ];
  if (settings.quick)
    lines.push(
      '> **Quick mode**: data shrunk about tenfold; these figures are a smoke test, not a comparison.',
      '',
    );
  lines.push(
    '| Environment | |',
    '| --- | --- |',
    `| Date | ${environment.date} |`,
    `| Node | ${environment.node} (V8 ${environment.v8}) |`,
    `| CPU | ${environment.cpu}, ${environment.cores} cores |`,
    `| OS | ${environment.os} |`,
    `| Memory | ${environment.memory} |`,
    `| Load average at start (1 / 5 / 15 min) | ${environment.loadAverage} |`,
    `| Runs | median of ${settings.runs} (unless a group says otherwise), each in a fresh \`node --expose-gc\`; seed ${settings.seed} |`,
    '',
  );
  for (const suiteOutcome of suites) {
    const { suite, outcomes } = suiteOutcome;
    const [headline, ...others] = suite.metrics;
    lines.push(`## ${suite.title}`, '');
    if (suiteOutcome.startedAt)
      lines.push(
        `_Measured ${suiteOutcome.startedAt} by \`${settings.command}\`${settings.quick ? ' (quick mode)' : ''}; load average at the suite's start ${suiteOutcome.loadAverage ?? '?'}._`,
        '',
      );
    lines.push(suite.description.trim(), '');
    if (suite.skip) {
      lines.push(`_Not run: ${suite.skip}_`, '');
      continue;
    }
    for (const group of suite.groups) {
      const members = outcomes.filter((outcome) => outcome.subject.group === group.id);
      if (members.length === 0) continue;
      const baselineLabel = outcomes.find((outcome) => outcome.subject.id === group.baseline)?.subject.label;
      const checkKeys = [...new Set(members.flatMap((outcome) => Object.keys(checksOf(outcome))))];
      lines.push(`### ${group.title}`, '');
      const headers = [
        'Subject',
        `${headline!.label} (median)`,
        'min – max',
        ...others.map((metric) => metric.label),
        `${baselineLabel ?? group.baseline} ÷ this`,
        ...checkKeys,
      ];
      const alignments = [
        '---',
        '---:',
        '---:',
        ...others.map(() => '---:'),
        '---:',
        ...checkKeys.map(() => '---'),
      ];
      lines.push(`| ${headers.join(' | ')} |`, `| ${alignments.join(' | ')} |`);
      for (const outcome of members) {
        const summary = metricSummary(outcome, headline!.key);
        const cells = [outcome.subject.label];
        if (summary) {
          cells.push(
            format(summary.median, headline!.digits),
            `${format(summary.min, headline!.digits)} – ${format(summary.max, headline!.digits)}`,
          );
        } else if (outcome.subject.skip) {
          cells.push('not run', '');
        } else {
          cells.push(`failed: ${(outcome.failures[0] ?? 'no result').replaceAll('|', '\\|')}`, '');
        }
        for (const metric of others) {
          const median = metricSummary(outcome, metric.key)?.median;
          cells.push(median === undefined ? '' : format(median, metric.digits));
        }
        const ratio = ratioToBaseline(suiteOutcome, outcome);
        cells.push(ratio === undefined ? '' : `${ratio.toFixed(2)}×`);
        const checks = checksOf(outcome);
        for (const key of checkKeys) cells.push(formatCheck(checks[key]));
        lines.push(`| ${cells.join(' | ')} |`);
      }
      const runs = Math.min(group.runs ?? settings.runs, settings.runs);
      lines.push('');
      if (runs !== settings.runs) lines.push(`Runs per subject in this table: ${runs}.`, '');
      if (group.note) lines.push(group.note.trim(), '');
      const targets = targetsOf(group);
      if (targets.length > 0) {
        lines.push('Targets (from the issues; not asserted):', '');
        for (const target of targets)
          lines.push(
            `- ${describeVerdict(suiteOutcome, evaluateTarget(suiteOutcome, target), (text) => `**${text}**`)}`,
          );
        lines.push('');
      }
      const skipped = members.filter((outcome) => outcome.subject.skip);
      for (const outcome of skipped)
        lines.push(`- ${outcome.subject.label}: not run: ${outcome.subject.skip}`);
      if (skipped.length > 0) lines.push('');
      const failed = members.filter((outcome) => outcome.failures.length > 0);
      for (const outcome of failed)
        lines.push(
          `- ${outcome.subject.label}: ${outcome.failures.length} failed run(s): ${outcome.failures[0]}`,
        );
      if (failed.length > 0) lines.push('');
    }
  }
  return lines.join('\n');
}

/** The part before the first `## ` heading, and each `## ` section keyed by its heading line. */
function splitSections(markdown: string): { head: string; sections: Map<string, string> } {
  const sections = new Map<string, string>();
  const parts = markdown.split(/^(?=## )/m);
  const head = parts[0]?.startsWith('## ') ? '' : (parts.shift() ?? '');
  for (const part of parts) {
    const heading = part.slice(0, part.indexOf('\n') < 0 ? part.length : part.indexOf('\n')).trim();
    sections.set(heading, `${part.trimEnd()}\n\n`);
  }
  return { head, sections };
}

/**
 * RESULTS.md after a run: the fresh report's head (environment), then every suite's section in
 * `titles` order (the fresh one if this run measured it, else the previous file's), then any other
 * section the previous file had (written by hand), in its order. Running one suite keeps the rest.
 */
export function mergeResults(previous: string, fresh: string, titles: readonly string[]): string {
  const old = splitSections(previous);
  const now = splitSections(fresh);
  const out: string[] = [`${now.head.trimEnd()}\n\n`];
  const used = new Set<string>();
  for (const title of titles) {
    const heading = `## ${title}`;
    const section = now.sections.get(heading) ?? old.sections.get(heading);
    if (section === undefined) continue;
    out.push(section);
    used.add(heading);
  }
  for (const [heading, section] of [...now.sections, ...old.sections])
    if (!used.has(heading)) {
      out.push(section);
      used.add(heading);
    }
  return `${out.join('').trimEnd()}\n`;
}

/** A few lines per group for the terminal. */
export function renderSummary(suites: readonly SuiteOutcome[]): string {
  const lines: string[] = [];
  for (const suiteOutcome of suites) {
    const { suite, outcomes } = suiteOutcome;
    const headline = suite.metrics[0]!;
    lines.push('', suite.title);
    if (suite.skip) {
      lines.push(`  not run: ${suite.skip}`);
      continue;
    }
    for (const group of suite.groups) {
      const members = outcomes.filter((outcome) => outcome.subject.group === group.id);
      if (members.length === 0) continue;
      const baselineLabel = outcomes.find((outcome) => outcome.subject.id === group.baseline)?.subject.label;
      lines.push(`  ${group.title}  [ratio = ${baselineLabel ?? group.baseline} ÷ this]`);
      for (const outcome of members) {
        const summary = metricSummary(outcome, headline.key);
        const ratio = ratioToBaseline(suiteOutcome, outcome);
        const checks = Object.entries(checksOf(outcome))
          .map(([key, value]) => `${key}: ${String(value)}`)
          .join(', ');
        const range =
          summary && `(${format(summary.min, headline.digits)}–${format(summary.max, headline.digits)})`;
        const figure = summary
          ? `${format(summary.median, headline.digits).padStart(8)} ${headline.label} ${range!.padEnd(13)}`
          : outcome.subject.skip
            ? 'not run'
            : `FAILED: ${outcome.failures[0] ?? 'no result'}`;
        const ratioText = ratio === undefined ? '' : `${ratio.toFixed(2)}×`.padStart(7);
        lines.push(`    ${outcome.subject.label.padEnd(36)}${figure}${ratioText}  ${checks}`.trimEnd());
      }
      for (const target of targetsOf(group))
        lines.push(
          `    target: ${describeVerdict(suiteOutcome, evaluateTarget(suiteOutcome, target), (text) => text)}`,
        );
    }
  }
  return lines.join('\n');
}
