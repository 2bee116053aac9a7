// `npm run bench` = `npm run build && node bench/run.js [suite ...] [--runs N] [--seed N] [--quick]`.
// Plain JS so it runs without a TypeScript loader: the suites and the runner are compiled to dist/bench.
import { existsSync } from 'node:fs';

const runner = new URL('../dist/bench/harness/main.js', import.meta.url);
if (!existsSync(runner)) {
  console.error('bench: dist/bench is missing: run `npm run build` first (`npm run bench` does both).');
  process.exit(2);
}
const { main } = await import(runner.href);
process.exitCode = await main(process.argv.slice(2), new URL('./RESULTS.md', import.meta.url));
