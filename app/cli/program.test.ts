import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { COMMANDS, buildProgram, commandNameOf } from './program.js';
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

describe('commands load lazily', () => {
  const io: CliIO = { stdout: () => {}, stderr: () => {}, readInput: async () => '', now: () => 0, env: {} };
  const commandList = (program: Command) => program.helpInformation();

  it('the help built without any command module equals the help with every module loaded', async () => {
    expect(commandList(await buildProgram(io, []))).toBe(commandList(await buildProgram(io, 'all')));
  });

  it('the command list names every command the modules define, in order', async () => {
    const loaded = (await buildProgram(io, 'all')).commands.map((command) => command.name());
    expect(COMMANDS.map((entry) => entry.term.split(' ')[0])).toEqual(loaded);
  });

  it('finds the command after the program options, and the one `help` asks about', () => {
    expect(commandNameOf(['--home', '/tmp/x', 'status', '--json'])).toBe('status');
    expect(commandNameOf(['--home=/tmp/x', 'pause', '5m'])).toBe('pause');
    expect(commandNameOf(['help', 'reminder'])).toBe('reminder');
    expect(commandNameOf(['help'])).toBe('help');
    expect(commandNameOf(['--version'])).toBeUndefined();
  });

  it("shows a command's own help, options included, through `help <command>` and `<command> --help`", async () => {
    for (const argv of [
      ['help', 'pause'],
      ['pause', '--help'],
      ['--home', '/nowhere', 'resume', '--help'],
    ]) {
      const result = await runCaptured(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: mytimer (pause|resume) \[options\]/);
      expect(result.stdout).toContain('--json');
    }
  });
});
