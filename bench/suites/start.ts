/**
 * Benchmark (issue 9, item 8): what starting costs. How long quick `mytimer` commands take against a
 * bare `node -e 0`, paired in one child so the ratio holds when the machine's speed drifts, and how
 * many modules each loads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunContext, SubjectResult, Suite } from '../harness/suite.js';

/** The project root, from this file's compiled place (dist/bench/suites). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = path.join(ROOT, 'bin/mytimer.js');
const RECORD_MODULES = path.join(ROOT, 'tests/integration/support/record-modules.mjs');
/** Pairs (bare, command) per run; the run's figure is the median of their ratios. */
const PAIRS = 15;
const QUICK_PAIRS = 3;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Wall time of one process from spawn to exit, in ms. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - startedAt));
  });
}

/** The ES modules (builtins apart) `node <args>` loads, counted by the test suite's recording hook. */
function modulesLoaded(args: readonly string[], env: NodeJS.ProcessEnv, home: string): number {
  const log = path.join(home, 'modules.log');
  spawnSync(process.execPath, ['--import', RECORD_MODULES, ...args], {
    env: { ...env, MYTIMER_MODULE_LOG: log },
    stdio: 'ignore',
  });
  const urls = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean));
  rmSync(log);
  return [...urls].filter((url) => !url.startsWith('node:')).length;
}

/** A subject timing `mytimer <argv>` (no daemon running: an empty temp home) against `node -e 0`. */
function command(id: string, argv: readonly string[]) {
  return {
    id,
    label: `mytimer ${argv.join(' ')}`,
    group: 'cli',
    async run({ quick }: RunContext): Promise<SubjectResult> {
      const home = mkdtempSync(path.join(os.tmpdir(), 'mtb-start-'));
      try {
        const env = { ...process.env, MYTIMER_HOME: home };
        const ratios: number[] = [];
        const commandMs: number[] = [];
        const bareMs: number[] = [];
        for (let pair = 0; pair < (quick ? QUICK_PAIRS : PAIRS); pair++) {
          const bare = await timeProcess(['-e', '0'], env);
          const ours = await timeProcess([CLI, ...argv], env);
          bareMs.push(bare);
          commandMs.push(ours);
          ratios.push(ours / bare);
        }
        return {
          metrics: {
            ratio: median(ratios),
            ms: median(commandMs),
            bareMs: median(bareMs),
            modules: modulesLoaded([CLI, ...argv], env, home),
          },
        };
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

export const suite: Suite = {
  id: 'start',
  title: 'Start-up: quick CLI commands against a bare node',
  description: `
Each run spawns, one after the other, \`node -e 0\` and the command (with an empty temp
\`MYTIMER_HOME\`, so no daemon runs) ${PAIRS} times (${QUICK_PAIRS} with \`--quick\`); **ratio** is the
median of the pairwise ratios (command ÷ bare, wall time from spawn to exit), so it holds when the
machine's speed drifts. **modules** counts the ES modules the command loads (builtins apart), recorded
by tests/integration/support/record-modules.mjs (commander's CommonJS files are not seen).
`,
  metrics: [
    { key: 'ratio', label: 'ratio to node -e 0', digits: 2 },
    { key: 'ms', label: 'ms', digits: 1 },
    { key: 'bareMs', label: 'node -e 0 ms', digits: 1 },
    { key: 'modules', label: 'modules' },
  ],
  groups: [
    {
      id: 'cli',
      title: 'Quick commands against a bare node',
      baseline: 'help',
      targets: [
        { label: '≤ 2× `node -e 0`', subject: 'help', metric: 'ratio', atMost: 2 },
        {
          label: '≤ 2× `node -e 0` (no daemon)',
          subject: 'status',
          metric: 'ratio',
          atMost: 2,
        },
      ],
    },
  ],
  subjects: [command('help', ['--help']), command('version', ['--version']), command('status', ['status'])],
};
