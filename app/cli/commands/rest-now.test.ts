import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import { makeHome, removeHome, startFakeDaemon, type FakeDaemon } from '../test-support/fake-daemon.js';

let home: string;
let daemon: FakeDaemon | undefined;

beforeEach(async () => {
  home = await makeHome();
});

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await removeHome(home);
});

const run = (...argv: string[]) => runCaptured(['--home', home, ...argv]);

describe('mytimer rest-now', () => {
  it('asks the daemon for a break notification', async () => {
    daemon = await startFakeDaemon(home, { 'rest-now': { delivered: true } });
    expect(await run('rest-now')).toEqual({
      code: 0,
      stdout: 'Time for a break: the rest notification is on screen\n',
      stderr: '',
    });
    expect(daemon.requests).toEqual([{ method: 'rest-now', params: {} }]);
  });

  it('exits 1 when the notification could not be shown', async () => {
    daemon = await startFakeDaemon(home, { 'rest-now': { delivered: false } });
    expect(await run('rest-now')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: the rest notification could not be shown; `mytimer status` has the last error\n',
    });
  });

  it('prints the reply with --json', async () => {
    daemon = await startFakeDaemon(home, { 'rest-now': { delivered: true } });
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
