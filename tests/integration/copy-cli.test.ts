import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, open, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareTrees, leftoverTemps, makeTempDir, removeDir } from '../../app/copy/test-support/trees.js';
import { CLI, start, waitFor } from './support/daemon.js';

/** Node's option that makes the copy's reads slow (see support/slow-disk.mjs). */
const slowDisk = (ms: number): string =>
  `--import=${new URL(`./support/slow-disk.mjs?ms=${ms}`, import.meta.url).href}`;

const ESC = String.fromCharCode(0x1b);
/** CSI sequences (cursor, colours, clearing) and save/restore cursor (ESC 7, ESC 8). */
const TERMINAL_ESCAPE = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]|${ESC}[78]`, 'g');

const dirs: string[] = [];
const children: Array<ReturnType<typeof start>> = [];
afterEach(async () => {
  for (const run of children.splice(0)) run.child.kill('SIGKILL');
  while (dirs.length) await removeDir(dirs.pop() ?? '');
});

async function workspace(files: number): Promise<{ src: string; dst: string }> {
  const dir = await makeTempDir('mytimer-copy-it-');
  dirs.push(dir);
  const src = path.join(dir, 'src');
  await mkdir(path.join(src, '文件 夹'), { recursive: true });
  for (let i = 0; i < files; i++)
    await writeFile(path.join(src, '文件 夹', `f ${i}`), `${i}\n`.repeat(100 * i));
  return { src, dst: path.join(dir, 'dst') };
}

interface JsonLine {
  type: string;
  filesDone?: number;
  outcome?: string;
  copied?: number;
  skipped?: number;
}
const jsonLines = (output: string): JsonLine[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonLine);

describe('`mytimer copy` as a real process', () => {
  it('Ctrl-C: stops within a second with status 130, keeps verified files; the next run resumes', async () => {
    const { src, dst } = await workspace(30);
    const run = start(
      process.execPath,
      [slowDisk(60), CLI, 'copy', src, dst, '--json', '--workers', '2'], // slow enough to be interrupted mid-run
      {},
    );
    children.push(run);
    await waitFor(
      () => jsonLines(run.output()).some((line) => (line.filesDone ?? 0) >= 3),
      10_000,
      'three files copied',
    );
    const interruptedAt = Date.now();
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(Date.now() - interruptedAt).toBeLessThan(1_500);
    expect(exit).toEqual({ code: 130, signal: null });
    const result = jsonLines(run.output()).at(-1);
    expect(result).toMatchObject({ type: 'result', outcome: 'cancelled' });
    expect(result?.copied).toBeGreaterThanOrEqual(3);
    expect(result?.copied).toBeLessThan(30);
    expect(run.output()).toContain('mytimer: cancelled: ');
    expect(await leftoverTemps(dst)).toEqual([]);

    const resumed = execFileSync(process.execPath, [CLI, 'copy', src, dst, '--json'], { encoding: 'utf8' });
    expect(jsonLines(resumed).at(-1)).toMatchObject({
      outcome: 'ok',
      skipped: result?.copied,
      copied: 30 - (result?.copied ?? 0),
    });
    expect(await compareTrees(src, dst)).toEqual([]);
  });

  it('repair: verify-only marks a copy with a flipped byte, the next copy re-copies it; --repair does both', async () => {
    const { src, dst } = await workspace(6);
    execFileSync(process.execPath, [CLI, 'copy', src, dst], { encoding: 'utf8' });
    /** Flips one byte in place, keeping size and mtime: what bit rot looks like to a quick re-run. */
    const rot = async (relative: string) => {
      const file = path.join(dst, relative);
      const before = await stat(file);
      const handle = await open(file, 'r+');
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, 10);
      byte[0] = (byte[0] ?? 0) ^ 0xff;
      await handle.write(byte, 0, 1, 10);
      await handle.close();
      await utimes(file, before.atime, before.mtime);
    };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, 'copy', src, dst, '--json', ...args], { encoding: 'utf8' });
    const result = (output: string) => jsonLines(output).at(-1);

    await rot('文件 夹/f 3');
    const verify = run('--verify-only');
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain('"reason":"mismatch"');
    const manifest = JSON.parse(await readFile(path.join(dst, '.mytimer-manifest.json'), 'utf8')) as {
      files: Array<{ path: string; damaged?: boolean }>;
    };
    expect(manifest.files.filter((f) => f.damaged).map((f) => f.path)).toEqual(['文件 夹/f 3']);

    const copy = run();
    expect(copy.status).toBe(0);
    expect(result(copy.stdout)).toMatchObject({ outcome: 'ok', copied: 1, skipped: 5 });
    expect(await compareTrees(src, dst)).toEqual([]);

    await rot('文件 夹/f 5');
    const repair = run('--repair');
    expect(repair.status).toBe(0);
    const [checked, repaired] = jsonLines(repair.stdout).filter((line) => line.type === 'result');
    expect(checked).toMatchObject({ outcome: 'failed' });
    expect(repaired).toMatchObject({ outcome: 'ok', copied: 1, skipped: 5 });
    expect(await compareTrees(src, dst)).toEqual([]);
    expect(run('--verify-only').status).toBe(0);
  });

  it.skipIf(process.platform !== 'linux')(
    'draws a progress bar when stdout is a terminal (through script(1))',
    async () => {
      const { src, dst } = await workspace(4);
      const command = `${process.execPath} '${slowDisk(200)}' ${CLI} copy '${src}' '${dst}'`;
      const output = execFileSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
      expect(output).toMatch(/copying \|[█░]+\| \d+% \| \d\/4 files \|/);
      expect(output).toContain('Copied 4 of 4 files');
      expect(await readdir(path.join(dst, '文件 夹'))).toHaveLength(4);
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'after Ctrl-C on a terminal the bar is cleared before the cancel line and the summary (through script(1))',
    async () => {
      const { src, dst } = await workspace(30);
      const command = `exec ${process.execPath} '${slowDisk(100)}' ${CLI} copy '${src}' '${dst}' --workers 1`;
      const run = start('script', ['-qec', command, '/dev/null'], {});
      children.push(run);
      await waitFor(() => /copying \|/.test(run.output()), 10_000, 'the bar');
      const copier = execFileSync('ps', ['-o', 'pid=', '--ppid', String(run.child.pid)], {
        encoding: 'utf8',
      });
      process.kill(Number(copier.trim().split('\n')[0]), 'SIGINT');
      await run.exited;
      const output = run.output();
      // Each line as the terminal shows it: what follows the last return to column 1, escapes removed.
      const shown = output
        .split('\n')
        .map(
          (line) =>
            line
              .replace(/\r$/, '')
              .replaceAll(`${ESC}[1G`, '\r')
              .replace(TERMINAL_ESCAPE, '')
              .split('\r')
              .at(-1) ?? '',
        );
      const cancelLine = shown.find((line) => line.includes('mytimer: cancelling'));
      expect(cancelLine).toMatch(/^mytimer: cancelling/);
      const summaryLine = shown.find((line) => line.includes('Copied '));
      expect(summaryLine).toMatch(/^Copied \d+ of 30 files .* \((\d+(\.\d)? B|\d+\.\d [KMG]iB)\/s\)/);
      expect(shown.filter((line) => line.includes('|') && line.includes('ETA'))).toEqual([]);
    },
  );
});
