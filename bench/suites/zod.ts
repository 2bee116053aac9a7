/**
 * Benchmark (issue 9, item 8): the resident memory zod and the contract's schemas add to a process,
 * with zod's classic API, with zod/mini, and with schemas built lazily.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubjectResult, Suite } from '../harness/suite.js';

/** The project root, from this file's compiled place (dist/bench/suites). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A script for a pristine `node --expose-gc` that imports `specifiers`, settles, and prints its RSS. */
const rssScript = (specifiers: readonly string[]) => `
${specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`).join('\n')}
globalThis.gc(); await new Promise((resolve) => setTimeout(resolve, 100)); globalThis.gc();
process.stdout.write(String(process.memoryUsage().rss));`;

/** A subject measuring the RSS of a fresh process that loads `specifiers` (resolved from the project root). */
function loading(id: string, label: string, specifiers: readonly string[]) {
  return {
    id,
    label,
    group: 'all',
    run(): SubjectResult {
      const measure = (imports: readonly string[]) => {
        const result = spawnSync(
          process.execPath,
          ['--expose-gc', '--input-type=module', '-e', rssScript(imports)],
          { cwd: ROOT, encoding: 'utf8' },
        );
        if (result.status !== 0) throw new Error(`loading ${imports.join(', ')} failed: ${result.stderr}`);
        return Number(result.stdout) / 2 ** 20;
      };
      const rssMb = measure(specifiers);
      return { metrics: { rssMb, overBareMb: rssMb - measure([]) } };
    },
  };
}

const dist = (file: string) => path.join(ROOT, 'dist/app', file);
const SCHEMAS = [dist('shared/contract.js'), dist('shared/settings.js')];

export const suite: Suite = {
  id: 'zod',
  title: 'Memory: what loading zod and the schemas costs',
  description: `
A fresh \`node --expose-gc\` imports the modules named and reports its RSS after two GCs; **over bare MB**
subtracts a process that imports nothing, measured in the same run. The contract and settings row
builds every schema at import, as the daemon does today; "zod only" is what schemas built lazily cost
until the first one is used; "zod/mini only" is the floor of a port to zod/mini's functional API (the
same schemas, without methods on every instance), schemas not counted.`,
  metrics: [
    { key: 'rssMb', label: 'RSS MB', digits: 1 },
    { key: 'overBareMb', label: 'over bare MB', digits: 1 },
  ],
  groups: [{ id: 'all', title: 'RSS of loading zod and the schemas', baseline: 'zod' }],
  subjects: [
    loading('zod', 'zod only (schemas built lazily)', ['zod']),
    loading('mini', 'zod/mini only', ['zod/mini']),
    loading('schemas', 'zod + contract + settings schemas', SCHEMAS),
  ],
};
