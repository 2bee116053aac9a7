import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../app/copy/test-support/trees.js';
import { CLI, ROOT } from './support/daemon.js';

const exec = promisify(execFile);
const RECORD_MODULES = path.join(ROOT, 'tests/integration/support/record-modules.mjs');
const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

/** `mytimer copy src dst --json` as its own process: its result line and every module it loaded. */
async function copyRecorded(dir: string, src: string, dst: string) {
  const log = path.join(dir, `modules-${Date.now()}.log`);
  const env = { ...process.env, MYTIMER_HOME: dir, MYTIMER_MODULE_LOG: log };
  const { stdout } = await exec(
    process.execPath,
    ['--import', RECORD_MODULES, CLI, 'copy', src, dst, '--json'],
    {
      env,
    },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  return { result, modules };
}

describe('a `mytimer copy` re-run that finds nothing changed', () => {
  it('loads neither zod nor cli-progress, starts no worker and leaves every folder as it was', async () => {
    const dir = await makeTempDir('mytimer-rerun-it-');
    dirs.push(dir);
    const src = path.join(dir, 'src');
    const folders = ['a', 'a/b', 'c'];
    for (const folder of folders) {
      await mkdir(path.join(src, folder), { recursive: true });
      for (let i = 0; i < 5; i++) await writeFile(path.join(src, folder, `f${i}`), `${folder} ${i}\n`);
    }
    const dst = path.join(dir, 'dst');
    const first = await copyRecorded(dir, src, dst);
    expect(first.result).toMatchObject({ outcome: 'ok', copied: 15 });
    const ctimes = await Promise.all(
      folders.map(async (folder) => (await stat(path.join(dst, folder))).ctimeMs),
    );

    const again = await copyRecorded(dir, src, dst);
    expect(again.result).toMatchObject({ outcome: 'ok', copied: 0, skipped: 15, workersStarted: 0 });
    expect(again.modules.filter((module) => /node_modules\/(zod|cli-progress)\//.test(module))).toEqual([]);
    // Not even a chmod or utimes with the same values: those change a folder's ctime.
    const after = await Promise.all(
      folders.map(async (folder) => (await stat(path.join(dst, folder))).ctimeMs),
    );
    expect(after).toEqual(ctimes);
  });
});
