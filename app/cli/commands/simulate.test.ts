import { describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import { defaultProcesses, simulate } from './simulate.js';

describe('mytimer simulate', () => {
  it('runs the default four processes by priority; Print Doc (5) before Write Doc (5.5)', async () => {
    const { code, stdout } = await runCaptured(['simulate', '--seed', '7', '--json']);
    expect(code).toBe(0);
    const ran = JSON.parse(stdout) as Array<{ name: string; priority: number }>;
    expect(ran.map((p) => p.name).sort()).toEqual(['Listen to music', 'Print Doc', 'Watch TV', 'Write Doc']);
    expect(ran.find((p) => p.name === 'Print Doc')?.priority).toBe(5);
    expect(ran.find((p) => p.name === 'Write Doc')?.priority).toBe(5.5);
    const expected = [...defaultProcesses(7)].map((p, i) => ({ ...p, i }));
    expected.sort((a, b) => a.priority - b.priority || a.i - b.i);
    expect(ran).toEqual(expected.map(({ name, priority }) => ({ name, priority })));
  });

  it('is reproducible with a seed and varies across seeds', () => {
    expect(defaultProcesses(1)).toEqual(defaultProcesses(1));
    const priorities = new Set(Array.from({ length: 20 }, (_, seed) => defaultProcesses(seed)[0]!.priority));
    expect(priorities.size).toBeGreaterThan(3);
    for (let seed = 0; seed < 200; seed++) {
      for (const p of defaultProcesses(seed).slice(0, 2)) {
        expect(Number.isInteger(p.priority) && p.priority >= 1 && p.priority <= 20).toBe(true);
      }
    }
  });

  it('prints one line per process with name and priority', async () => {
    const input = JSON.stringify([
      { name: 'b', priority: 2 },
      { name: 'a', priority: 1 },
    ]);
    const { code, stdout } = await runCaptured(['simulate', '--input', 'in.json'], {
      files: { 'in.json': input },
    });
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([' 1. a  priority 1', ' 2. b  priority 2']);
  });

  it('runs equal priorities in input order (the classic ordering bug does not exist)', () => {
    const input = Array.from({ length: 50 }, (_, i) => ({
      name: `job${i}`,
      priority: i % 2 === 0 ? 3 : 1.5,
    }));
    const ran = simulate(input).map((p) => p.name);
    const odd = input.filter((_, i) => i % 2 === 1).map((p) => p.name);
    const even = input.filter((_, i) => i % 2 === 0).map((p) => p.name);
    expect(ran).toEqual([...odd, ...even]);
  });

  it('reads stdin with --input -', async () => {
    const { code, stdout } = await runCaptured(['simulate', '--input', '-', '--json'], {
      files: { '-': '[{"name":"x","priority":20},{"name":"y","priority":1}]' },
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { name: 'y', priority: 1 },
      { name: 'x', priority: 20 },
    ]);
  });

  it.each([
    ['not an array', '{"name":"a"}', /^mytimer: input: input must be a JSON array/],
    ['a missing name', '[{"priority":3}]', /^mytimer: input\[0\]\.name: must be a string/],
    [
      'a priority above 20',
      '[{"name":"a","priority":3},{"name":"b","priority":21}]',
      /^mytimer: input\[1\]\.priority: must be a number from 1 to 20$/,
    ],
    [
      'a priority of 0',
      '[{"name":"a","priority":0}]',
      /^mytimer: input\[0\]\.priority: must be a number from 1 to 20$/,
    ],
    [
      'a string priority',
      '[{"name":"a","priority":"high"}]',
      /^mytimer: input\[0\]\.priority: must be a number from 1 to 20$/,
    ],
    ['broken JSON', '[{"name":', /^mytimer: --input: not valid JSON/],
  ])('exits 2 with one line for %s', async (_label, content, message) => {
    const { code, stdout, stderr } = await runCaptured(['simulate', '--input', 'in.json'], {
      files: { 'in.json': content },
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
  });

  it('exits 2 for a missing file and a bad seed', async () => {
    expect((await runCaptured(['simulate', '--input', 'nope.json'])).stderr).toMatch(
      /--input: cannot read "nope.json": no such file/,
    );
    const bad = await runCaptured(['simulate', '--seed', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--seed: must be a whole number/);
  });
});
