import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './support/daemon.js';

const run = promisify(execFile);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const hasNpm = await run(npm, ['--version']).then(
  () => true,
  () => false,
);

// What the README tells users to do so that `mytimer` works from any folder: a global install of the
// project folder (what `npm link` does), here into a throwaway prefix. Offline: npm links the folder.
describe.skipIf(!hasNpm || process.platform === 'win32')('mytimer installed from the project folder', () => {
  it('runs from another folder through the installed bin link', async () => {
    const prefix = await tempDir('mytimer-prefix-');
    const elsewhere = await tempDir('mytimer-cwd-');
    await run(
      npm,
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        ROOT,
      ],
      { cwd: elsewhere },
    );
    const bin = path.join(prefix, 'bin', 'mytimer');
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const env = { ...process.env, MYTIMER_HOME: elsewhere };
    expect((await run(bin, ['--version'], { cwd: elsewhere, env })).stdout).toBe(`${version}\n`);
    // A real command, loaded lazily from the linked package: with no daemon it says how to start one.
    const status = await run(bin, ['status'], { cwd: elsewhere, env }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(status).toEqual({
      code: 1,
      stderr: 'mytimer: no mytimer daemon is running — start one with `npx mytimer run`\n',
    });
  }, 60_000);
});
