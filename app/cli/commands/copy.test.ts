import { mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as CopyEngine from '../../copy/index.js';
import { faultyWorker } from '../../copy/test-support/faulty-worker-url.js';
import { runCaptured } from '../test-support/capture.js';
import { displayPath, formatBytes, formatEta, summary } from './copy.js';

/** The worker script the command's copies run on: the real one unless a test slows the disk. */
const engine = vi.hoisted(() => ({ workerUrl: undefined as URL | undefined }));
vi.mock('../../copy/index.js', async (importOriginal) => {
  const copy = await importOriginal<typeof CopyEngine>();
  return {
    ...copy,
    startCopy: (options: Parameters<typeof copy.startCopy>[0]) =>
      copy.startCopy({ workerUrl: engine.workerUrl, ...options }),
  };
});

let dir: string;
let src: string;
let dst: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mytimer-copy-cli-'));
  src = path.join(dir, 'src');
  dst = path.join(dir, 'dst');
  await mkdir(path.join(src, 'sub dir'), { recursive: true });
  await writeFile(path.join(src, 'a.txt'), 'alpha');
  await writeFile(path.join(src, 'sub dir', '中文.txt'), 'bravo');
});
afterEach(async () => {
  engine.workerUrl = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Bad input: status 2, one line on stderr naming the problem, nothing on stdout. */
async function expectBadInput(argv: string[], line: string | RegExp): Promise<void> {
  const { code, stdout, stderr } = await runCaptured(['copy', ...argv]);
  expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
  expect(stderr.split('\n')).toHaveLength(2); // one line and its newline
  expect(stderr.trimEnd()).toMatch(line);
}

describe('mytimer copy: bad input is status 2 and one line', () => {
  it('a missing source, or one that is a file', async () => {
    await expectBadInput(
      [path.join(dir, 'nope'), dst],
      `mytimer: source: ${path.join(dir, 'nope')} does not exist`,
    );
    await expectBadInput(
      [path.join(src, 'a.txt'), dst],
      `mytimer: source: ${path.join(src, 'a.txt')} is not a folder`,
    );
  });

  it('a destination inside the source, or the source itself through a link', async () => {
    await expectBadInput(
      [src, path.join(src, 'sub dir', 'backup')],
      /^mytimer: destination: .* is inside the source folder /,
    );
    await symlink(src, path.join(dir, 'alias'));
    await expectBadInput([src, path.join(dir, 'alias')], 'mytimer: destination: is the source folder itself');
  });

  it('a destination that cannot be written', async () => {
    await expectBadInput([src, path.join(src, 'a.txt', 'x')], /^mytimer: destination: .* cannot be created/);
  });

  it.each(['0', '65', 'abc', '1.5'])(
    'a --workers count of %s (not a whole number from 1 to 64)',
    async (workers) => {
      await expectBadInput(
        [src, dst, '--workers', workers],
        `mytimer: --workers: must be a whole number from 1 to 64 (got "${workers}")`,
      );
    },
  );

  it('--verify-only without a manifest, and a --manifest inside the source', async () => {
    await mkdir(dst);
    await expectBadInput(
      [src, dst, '--verify-only'],
      /^mytimer: --manifest: there is no manifest at .*: copy first$/,
    );
    await expectBadInput(
      [src, dst, '--manifest', path.join(src, 'm.json')],
      /^mytimer: --manifest: .* is inside the source folder/,
    );
  });

  it('a missing argument', async () => {
    const { code, stderr } = await runCaptured(['copy', src]);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'dst'");
  });
});

describe('mytimer copy', () => {
  it('copies, says so, and on a re-run says how many files it skipped', async () => {
    const first = await runCaptured(['copy', src, dst, '--workers', '2']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /^Copied 2 of 2 files \(10 B\) in \d+\.\d s \(.*\/s\): 0 unchanged \(skipped\), 0 links, 1 folder, 0 failed\.\n/,
    );
    expect(first.stdout).toContain(`Manifest: ${path.join(dst, '.mytimer-manifest.json')}`);
    expect(await readFile(path.join(dst, 'sub dir', '中文.txt'), 'utf8')).toBe('bravo');

    const again = await runCaptured(['copy', src, dst]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Copied 0 of 2 files (0 B)');
    expect(again.stdout).toContain('2 unchanged (skipped)');
  });

  it('--json: progress objects at most ~4 per second, then the result object', async () => {
    engine.workerUrl = await faultyWorker({ chunkDelayMs: 300 }, dir); // each read waits 300 ms
    const startedAt = Date.now();
    const { code, stdout } = await runCaptured(['copy', src, dst, '--json']);
    const elapsedMs = Date.now() - startedAt;
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; phase?: string });
    const progress = lines.filter((line) => line.type === 'progress');
    expect(lines.at(-1)).toMatchObject({ type: 'result', outcome: 'ok', copied: 2, failures: [] });
    expect(progress[0]).toMatchObject({ phase: 'copying', filesDone: 0, filesTotal: 2, bytesTotal: 10 });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', filesDone: 2, bytesDone: 10, etaMs: 0 });
    // One tick per 250 ms, plus one per phase change (copying, finishing, done).
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 250) + 3);
    expect(progress.length).toBeGreaterThanOrEqual(4);
  });

  it('status 1 with the failed files listed when a copy no longer matches its manifest', async () => {
    expect((await runCaptured(['copy', src, dst])).code).toBe(0);
    const victim = path.join(dst, 'a.txt');
    const before = await stat(victim);
    await writeFile(victim, 'ALPHA');
    await utimes(victim, before.atime, before.mtime);

    const { code, stdout, stderr } = await runCaptured(['copy', src, dst, '--verify-only']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Verified 1 of 2 files against .* in \d+\.\d s; 1 failed\.\n$/);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('failed: a.txt (mismatch): its SHA-512 differs from the manifest');
    expect(lines[1]).toMatch(/^ {2}expected sha512 [0-9a-f]{128}$/);
    expect(lines[2]).toMatch(/^ {2}found {4}sha512 [0-9a-f]{128}$/);
    expect(lines[3]).toBe('mytimer: 1 of 2 files failed (listed above)');
  });
});

describe('mytimer copy: names that could drive the terminal', () => {
  it('shows a failed file named with ESC or a bidi override as escapes', async () => {
    const names = ['evil\u001b[2J.txt', 'gnp\u202eexe.txt'];
    for (const name of names) await writeFile(path.join(src, name), 'x');
    expect((await runCaptured(['copy', src, dst])).code).toBe(0);
    for (const name of names) {
      const victim = path.join(dst, name);
      const before = await stat(victim);
      await writeFile(victim, 'y');
      await utimes(victim, before.atime, before.mtime);
    }
    const { code, stderr } = await runCaptured(['copy', src, dst, '--verify-only']);
    expect(code).toBe(1);
    expect(stderr).not.toContain('\u001b');
    expect(stderr).not.toContain('\u202e');
    expect(stderr).toContain('failed: "evil\\x1b[2J.txt" (mismatch)');
    expect(stderr).toContain('failed: "gnp\\u{202e}exe.txt" (mismatch)');
  });
});

describe('formatting', () => {
  it('writes bytes in binary units, ETAs as clock times and odd paths quoted', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '5.0 GiB',
    ]);
    expect([formatEta(null), formatEta(4_000), formatEta(754_000), formatEta(3_723_000)]).toEqual([
      '--:--',
      '0:04',
      '12:34',
      '1:02:03',
    ]);
    expect(displayPath('with space/中文')).toBe('with space/中文');
    const slow = summary({
      readBack: { device: 0, cache: 0 },
      outcome: 'ok',
      verifyOnly: false,
      source: '/s',
      destination: '/d',
      manifestPath: '/d/m',
      workers: 1,
      workersStarted: 1,
      files: 1,
      copied: 1,
      retried: 0,
      skipped: 0,
      verified: 0,
      links: 0,
      dirs: 0,
      specialsSkipped: 0,
      bytesCopied: 80,
      failures: [],
      warnings: [],
      elapsedMs: 3_700,
      manifestError: null,
    });
    expect(slow).toContain('(80 B) in 3.7 s (21.6 B/s)');
    expect(displayPath('new\nline')).toBe('"new\\nline"');
  });
});
