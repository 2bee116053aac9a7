import { describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { readSettingsFile } from '../test-support/fake-daemon.js';

const cli = useCliHome();
const run = (...argv: string[]) => runCaptured(['--home', cli.home, ...argv]);

describe('mytimer settings', () => {
  it('sets and gets general settings in the file when no daemon runs', async () => {
    const set = await run(
      'settings',
      'set',
      'language=zh-CN',
      'niceness=15',
      'jobsConcurrency=2',
      'sound=true',
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('Saved: language=zh-CN, niceness=15, sound=true, jobsConcurrency=2\n');
    expect(await readSettingsFile(cli.home)).toMatchObject({
      language: 'zh-CN',
      niceness: 15,
      jobsConcurrency: 2,
      sound: true,
    });
    const got = JSON.parse((await run('settings', 'get')).stdout) as Record<string, unknown>;
    expect(got).toMatchObject({ language: 'zh-CN', niceness: 15 });
    expect(got).not.toHaveProperty('reminders');
  });

  it('bad values: one line naming the setting and the range, exit 2, nothing written', async () => {
    const bad = await run('settings', 'set', 'niceness=25');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('mytimer: settings.niceness: must be a number from 0 to 19\n');
    const unknown = await run('settings', 'set', 'colour=blue');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^mytimer: unknown setting "colour" \(keys: language, niceness/);
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('says a switch must be true or false', async () => {
    expect(await run('settings', 'set', 'sound=yes')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: settings.sound: must be true or false\n',
    });
    expect((await run('settings', 'set', 'startAtLogin=1')).stderr).toBe(
      'mytimer: settings.startAtLogin: must be true or false\n',
    );
  });

  it('lists every key with what it takes in `settings set --help`', async () => {
    const { code, stdout } = await run('settings', 'set', '--help');
    expect(code).toBe(0);
    for (const line of [
      'language              auto, en or zh-CN',
      'niceness              0 to 19',
      'timeZone              an IANA zone',
      'sound                 true or false',
      'startAtLogin          true or false',
      'dndPolicy             hold, quiet or ignore',
      'meetingsHold          true or false',
      'idleThresholdMinutes  1 to 60',
      'jobsConcurrency       1 to 16',
    ]) {
      expect(stdout).toContain(`  ${line}`);
    }
  });

  it('prints the saved settings as JSON with --json', async () => {
    const result = await run('settings', 'set', 'niceness=12', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ niceness: 12, language: 'auto', sound: false });
    expect(JSON.parse(result.stdout)).not.toHaveProperty('reminders');
  });

  it('goes through the daemon when one runs', async () => {
    const daemon = await cli.startDaemon({ 'settings.set': () => ({ reminders: [] }) });
    expect((await run('settings', 'set', 'timeZone=Europe/Berlin')).code).toBe(0);
    expect(daemon.requests).toEqual([
      { method: 'settings.set', params: { patch: { timeZone: 'Europe/Berlin' } } },
    ]);
  });
});
