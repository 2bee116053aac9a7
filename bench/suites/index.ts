import type { Suite } from '../harness/suite.js';

/**
 * Every suite, in report order. Loaded lazily so a child process imports only the suite it runs.
 * To add a suite: write bench/suites/<id>.ts exporting `suite: Suite`, then list it here.
 */
export const suiteLoaders: Readonly<Record<string, () => Promise<{ suite: Suite }>>> = {
  queue: () => import('./queue.js'),
  registration: () => import('./registration.js'),
  lateness: () => import('./lateness.js'),
  'same-instant': () => import('./same-instant.js'),
  idle: () => import('./idle.js'),
  'reminder-kinds': () => import('./reminder-kinds.js'),
  copy: () => import('./copy.js'),
  'copy-rerun': () => import('./copy-rerun.js'),
  'copy-big': () => import('./copy-big.js'),
  start: () => import('./start.js'),
  zod: () => import('./zod.js'),
  'desktop-resume': () => import('./desktop-resume.js'),
  'desktop-idle': () => import('./desktop-idle.js'),
  'desktop-cost': () => import('./desktop-cost.js'),
  'desktop-catch-up': () => import('./desktop-catch-up.js'),
};

/** The suite with this id. @throws Error naming the known ids. */
export async function loadSuite(id: string): Promise<Suite> {
  const load = suiteLoaders[id];
  if (!load) throw new Error(`unknown suite "${id}" (known: ${Object.keys(suiteLoaders).join(', ')})`);
  return (await load()).suite;
}
