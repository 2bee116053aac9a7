import { describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';

const cli = useCliHome();

const run = (...argv: string[]) => runCaptured(['--home', cli.home, ...argv]);

describe('mytimer rest-now', () => {
  it('asks the daemon for a break notification', async () => {
    const daemon = await cli.startDaemon({ 'rest-now': { delivered: true } });
    expect(await run('rest-now')).toEqual({
      code: 0,
      stdout: 'Time for a break: the rest notification is on screen\n',
      stderr: '',
    });
    expect(daemon.requests).toEqual([{ method: 'rest-now', params: {} }]);
  });

  it('exits 1 when the notification could not be shown', async () => {
    await cli.startDaemon({ 'rest-now': { delivered: false } });
    expect(await run('rest-now')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: the rest notification could not be shown; `mytimer status` has the last error\n',
    });
  });

  it('prints the reply with --json', async () => {
    await cli.startDaemon({ 'rest-now': { delivered: true } });
    expect(await run('rest-now', '--json')).toEqual({ code: 0, stdout: '{"delivered":true}\n', stderr: '' });
  });

  it('needs a running daemon', async () => {
    expect(await run('rest-now')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: no mytimer daemon is running — start one with `npx mytimer run`\n',
    });
  });

  it('has examples in --help', async () => {
    expect((await run('rest-now', '--help')).stdout).toContain('Examples:\n  mytimer rest-now');
  });
});
