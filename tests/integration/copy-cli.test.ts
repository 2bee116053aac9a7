import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareTrees, leftoverTemps, makeTempDir, removeDir } from '../../app/copy/test-support/trees.js';
import { CLI, start, waitFor } from './support/daemon.js';

/** Node's option that makes the copy's reads slow (see support/slow-disk.mjs). */
const slowDisk = (ms: number): string =>
  `--import=${new URL(`./support/slow-disk.mjs?ms=${ms}`, import.meta.url).href}`;

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
});
