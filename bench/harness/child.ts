/**
 * Entry of a child process: one subject, one run, in a fresh Node started by the runner as
 * `node --expose-gc child.js <suite> <subject> <seed> <runIndex> <verify> <quick>`.
 * Prints the result as one `RESULT_PREFIX` + JSON line on stdout; exits non-zero on failure.
 */
import { loadSuite } from '../suites/index.js';
import { RESULT_PREFIX } from './suite.js';

const [suiteId = '', subjectId = '', seed = '0', runIndex = '0', verify = 'false', quick = 'false'] =
  process.argv.slice(2);

try {
  const suite = await loadSuite(suiteId);
  const subject = suite.subjects.find((candidate) => candidate.id === subjectId);
  if (!subject) throw new Error(`suite ${suiteId} has no subject ${subjectId}`);
  const result = await subject.run({
    seed: Number(seed),
    runIndex: Number(runIndex),
    verify: verify === 'true',
    quick: quick === 'true',
  });
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
