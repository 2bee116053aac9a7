import { afterEach, describe, expect, it, vi } from 'vitest';
import { packageVersion } from '../cli/program.js';
import { cliArguments, runCliMode } from './cli-mode.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cliArguments', () => {
  it('is null for the tray app, and what follows the first --cli for the CLI', () => {
    expect(cliArguments(['/opt/myTimer/mytimer'])).toBeNull();
    expect(cliArguments(['/opt/myTimer/mytimer', '--no-sandbox'])).toBeNull();
    expect(cliArguments(['/opt/myTimer/mytimer', '--cli'])).toEqual([]);
    expect(
      cliArguments(['/opt/myTimer/mytimer', '--ozone-platform=x11', '--cli', 'reminder', 'add', '--cli']),
    ).toEqual(['reminder', 'add', '--cli']);
  });
});

describe('runCliMode', () => {
  it('runs the real CLI, prints to stdout and exits with its status', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exit = vi.fn();
    expect(await runCliMode(['--version'], { exit })).toBe(0);
    expect(written.join('')).toBe(`${packageVersion()}\n`);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('exits with the usage status on a bad command, the message on stderr', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    const exit = vi.fn();
    expect(await runCliMode(['no-such-command'], { exit })).toBe(2);
    expect(errors.join('')).toMatch(/unknown command 'no-such-command'/);
    expect(exit).toHaveBeenCalledWith(2);
  });
});
