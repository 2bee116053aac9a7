import { describe, expect, it } from 'vitest';
import { mergeResults } from '../../bench/harness/report.js';

const previous = [
  '# Benchmark results',
  '',
  'old environment',
  '',
  '## Queue',
  '',
  'old queue table',
  '',
  '## Copy',
  '',
  'old copy table',
  '',
  '## Notes written by hand',
  '',
  'kept',
  '',
].join('\n');

describe('RESULTS.md after a run of some suites (bench/harness/report.ts mergeResults)', () => {
  it('replaces the sections of the suites run, keeps the others in suite order, and keeps hand-written ones', () => {
    const fresh = [
      '# Benchmark results',
      '',
      'new environment',
      '',
      '## Copy',
      '',
      'new copy table',
      '',
    ].join('\n');
    const merged = mergeResults(previous, fresh, ['Queue', 'Copy', 'Start']);
    expect(merged).toBe(
      [
        '# Benchmark results',
        '',
        'new environment',
        '',
        '## Queue',
        '',
        'old queue table',
        '',
        '## Copy',
        '',
        'new copy table',
        '',
        '## Notes written by hand',
        '',
        'kept',
        '',
      ].join('\n'),
    );
  });

  it('adds a suite measured for the first time in its place, and works without a previous file', () => {
    const fresh = ['# R', '', 'env', '', '## Start', '', 'start table', '', '## Queue', '', 'q', ''].join(
      '\n',
    );
    expect(mergeResults(previous, fresh, ['Queue', 'Start', 'Copy'])).toMatch(
      /## Queue\n\nq\n\n## Start\n\nstart table\n\n## Copy\n\nold copy table\n\n## Notes written by hand/,
    );
    expect(mergeResults('', fresh, ['Queue', 'Start'])).toBe(
      ['# R', '', 'env', '', '## Queue', '', 'q', '', '## Start', '', 'start table', ''].join('\n'),
    );
  });
});
