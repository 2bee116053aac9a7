import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './test-support/capture.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('mytimer itself', () => {
  it('prints its version with --version (and -V)', async () => {
    expect(await runCaptured(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect((await runCaptured(['-V'])).stdout).toBe(`${version}\n`);
  });

  it('prints the help on stdout and exits 0 when run with no command', async () => {
    const result = await runCaptured([]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: mytimer \[options\] \[command\]/);
    expect(result.stdout).toContain('reminder');
  });

  it('still refuses an unknown command with exit 2', async () => {
    const result = await runCaptured(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
