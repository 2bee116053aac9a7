/**
 * Entry of a child process: one subject, one run, in a fresh Node started by the runner as
 * `node --expose-gc child.js <suite> <subject> <seed> <runIndex> <verify> <quick>`.
 * Prints the result as one `RESULT_PREFIX` + JSON line on stdout; exits non-zero on failure.
 * With the subject `*` (ALL_SUBJECTS) it runs the suite's `runTogether` and prints the results by subject id.
 */
import { loadSuite } from '../suites/index.js';
import { ALL_SUBJECTS, RESULT_PREFIX } from './suite.js';
import type { RunContext } from './suite.js';

const [suiteId = '', subjectId = '', seed = '0', runIndex = '0', verify = 'false', quick = 'false'] =
  process.argv.slice(2);

try {
  const suite = await loadSuite(suiteId);
  const context: RunContext = {
    seed: Number(seed),
    runIndex: Number(runIndex),
    verify: verify === 'true',
    quick: quick === 'true',
  };
  let result: unknown;
  if (subjectId === ALL_SUBJECTS) {
    if (!suite.runTogether) throw new Error(`suite ${suiteId} does not run its subjects together`);
    result = await suite.runTogether(context);
  } else {
    const subject = suite.subjects.find((candidate) => candidate.id === subjectId);
    if (!subject?.run) throw new Error(`suite ${suiteId} has no subject ${subjectId} to run alone`);
    result = await subject.run(context);
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
