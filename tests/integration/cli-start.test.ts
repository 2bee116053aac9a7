import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, tempHome } from './support/daemon.js';

const exec = promisify(execFile);
const RECORD_MODULES = path.join(ROOT, 'tests/integration/support/record-modules.mjs');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Runs `mytimer …` as its own process and returns what it printed and every module it loaded. */
async function modulesLoadedBy(...argv: string[]) {
  const { home, cleanup } = await tempHome();
  cleanups.push(cleanup);
  const log = path.join(home, 'modules.log');
  const env = { ...process.env, MYTIMER_HOME: home, MYTIMER_MODULE_LOG: log };
  const outcome = await exec(process.execPath, ['--import', RECORD_MODULES, CLI, ...argv], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const modules = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))].map((url) =>
    url.startsWith('file:') ? path.relative(ROOT, new URL(url).pathname) : url,
  );
  return { ...outcome, modules };
}

/** What only a command that does real work needs: zod, the daemon's engine, croner, cli-progress. */
const heavy = (modules: readonly string[]) =>
  modules.filter((module) => /node_modules\/(zod|croner|cli-progress)\/|dist\/app\/workers\//.test(module));

describe('what a quick mytimer command loads', () => {
  it('--help lists every command without loading any command module', async () => {
    const { code, stdout, modules } = await modulesLoadedBy('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('reminder');
    expect(modules.filter((module) => module.startsWith('dist/app/cli/commands/'))).toEqual([]);
    expect(heavy(modules)).toEqual([]);
  });

  it('--version loads no command module either', async () => {
    const { code, modules } = await modulesLoadedBy('--version');
    expect(code).toBe(0);
    expect(modules.filter((module) => module.startsWith('dist/app/cli/commands/'))).toEqual([]);
  });

  it('status with no daemon running says so without loading zod or the daemon engine', async () => {
    const { code, stderr, modules } = await modulesLoadedBy('status');
    expect(code).toBe(1);
    expect(stderr).toMatch(/no mytimer daemon is running/);
    expect(modules).toContain('dist/app/cli/commands/status.js');
    expect(heavy(modules)).toEqual([]);
  });

  it('a command that needs the engine still loads it (reminder list with no daemon)', async () => {
    const { code, modules } = await modulesLoadedBy('reminder', 'list');
    expect(code).toBe(0);
    expect(modules).toContain('dist/app/workers/service/service.js');
  });
});
