import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import type { CliIO } from '../io.js';
import {
  UNIT_NAME,
  currentRunCommand,
  execWord,
  parseService,
  runService,
  serviceUnit,
  unitPath,
  type ServiceSystem,
} from './service.js';

let dir: string;
let configHome: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mytimer-service-'));
  configHome = path.join(dir, 'config');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A `systemctl` on PATH that records its arguments, one call a line, and exits `status`. */
function fakeSystemctl(status = 0): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'systemctl.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    path.join(bin, 'systemctl'),
    `#!/bin/sh\necho "$*" >> '${log}'\n[ ${status} = 0 ] || echo "Failed to connect to bus" >&2\nexit ${status}\n`,
  );
  chmodSync(path.join(bin, 'systemctl'), 0o755);
  return {
    env: { XDG_CONFIG_HOME: configHome, PATH: bin },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

const unitFile = () => path.join(configHome, 'systemd', 'user', UNIT_NAME);

describe('the systemd unit', () => {
  it('runs `mytimer run` with the current node and CLI entry, restarts on failure, starts with the session', () => {
    const unit = serviceUnit(['/usr/bin/node', '/opt/my timer/dist/app/cli/main.js', 'run']);
    expect(unit).toContain('\nExecStart=/usr/bin/node "/opt/my timer/dist/app/cli/main.js" run\n');
    expect(unit).toContain('\nRestart=on-failure\n');
    expect(unit).toMatch(/\[Install\]\nWantedBy=default\.target\n$/);
    expect(serviceUnit(['/usr/bin/node', '/x/main.js', 'run'], '/home/me/timer')).toContain(
      'ExecStart=/usr/bin/node /x/main.js --home /home/me/timer run\n',
    );
  });

  it('uses the app binary with --cli when the CLI runs inside the installed app', () => {
    expect(currentRunCommand('/opt/myTimer/mytimer', '38.0.0')).toEqual([
      '/opt/myTimer/mytimer',
      '--ozone-platform=headless',
      '--disable-gpu',
      '--cli',
      'run',
    ]);
    const [node, entry, run] = currentRunCommand('/usr/bin/node', undefined);
    expect([node, run]).toEqual(['/usr/bin/node', 'run']);
    expect(entry).toMatch(/[/\\]cli[/\\]main\.js$/);
  });

  it('runs the AppImage itself with --cli, not the binary in its temporary mount, when the app is an AppImage', () => {
    const appImage = { APPIMAGE: '/home/me/Applications/myTimer.AppImage' };
    expect(currentRunCommand('/tmp/.mount_myTimeXyZ/mytimer', '38.0.0', appImage)).toEqual([
      '/home/me/Applications/myTimer.AppImage',
      '--ozone-platform=headless',
      '--disable-gpu',
      '--cli',
      'run',
    ]);
    // Under Node, APPIMAGE (inherited from some other app) means nothing.
    expect(currentRunCommand('/usr/bin/node', undefined, appImage)[0]).toBe('/usr/bin/node');
  });

  it('quotes words for ExecStart so paths are taken literally', () => {
    expect(execWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(execWord('/a b/"c"\\d')).toBe('"/a b/\\"c\\"\\\\d"');
    expect(execWord('/100%/$HOME')).toBe('"/100%%/$$HOME"');
  });

  it('lives in ~/.config/systemd/user, or under an absolute XDG_CONFIG_HOME', () => {
    expect(unitPath({ HOME: '/home/me' })).toBe('/home/me/.config/systemd/user/mytimer.service');
    expect(unitPath({ HOME: '/home/me', XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/systemd/user/mytimer.service');
    expect(unitPath({ HOME: '/home/me', XDG_CONFIG_HOME: 'relative' })).toBe(
      '/home/me/.config/systemd/user/mytimer.service',
    );
  });

  const analyze = spawnSync('systemd-analyze', ['--version']).error ? null : 'systemd-analyze';
  it.skipIf(analyze === null)(
    'passes `systemd-analyze --user verify` as written (needs systemd-analyze: Debian package systemd)',
    async () => {
      const result = await runCaptured(['service', 'install'], {
        env: { XDG_CONFIG_HOME: configHome, PATH: '' },
      });
      expect(result.code, result.stderr).toBe(0);
      const runtime = path.join(dir, 'runtime');
      mkdirSync(runtime, { mode: 0o700 });
      const verify = spawnSync('systemd-analyze', ['--user', 'verify', unitFile()], {
        env: { ...process.env, XDG_RUNTIME_DIR: runtime },
        encoding: 'utf8',
      });
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
    },
  );
});

describe('mytimer service', () => {
  it('install writes the unit under XDG_CONFIG_HOME and prints the commands to start it', async () => {
    const { env, calls } = fakeSystemctl();
    const result = await runCaptured(['service', 'install'], { env });
    expect(result).toEqual({
      code: 0,
      stdout: `Wrote ${unitFile()}\nTo start it now and at every login, run:\n  systemctl --user daemon-reload\n  systemctl --user enable --now mytimer.service\n`,
      stderr: '',
    });
    const unit = readFileSync(unitFile(), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} `);
    expect(unit).toMatch(/main\.js run\n/);
    expect(calls()).toEqual([]);
  });

  it('install --now enables and starts it with systemctl --user', async () => {
    const { env, calls } = fakeSystemctl();
    const result = await runCaptured(['service', 'install', '--now'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(calls()).toEqual(['--user daemon-reload', '--user enable --now mytimer.service']);
    expect(result.stdout).toMatch(/Enabled and started/);
  });

  it('runs the daemon on the chosen --home', async () => {
    const { env } = fakeSystemctl();
    await runCaptured(['--home', path.join(dir, 'h'), 'service', 'install'], { env });
    expect(readFileSync(unitFile(), 'utf8')).toContain(` --home ${path.join(dir, 'h')} run\n`);
  });

  it('says which systemctl command failed, and why', async () => {
    const { env } = fakeSystemctl(1);
    expect(await runCaptured(['service', 'install', '--now'], { env })).toMatchObject({
      code: 1,
      stderr: 'mytimer: service: `systemctl --user daemon-reload` failed: Failed to connect to bus\n',
    });
  });

  it('install --now without systemctl keeps the unit and names the command to run', async () => {
    const result = await runCaptured(['service', 'install', '--now'], {
      env: { XDG_CONFIG_HOME: configHome, PATH: path.join(dir, 'empty') },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'mytimer: service: systemctl is not on PATH; run `systemctl --user daemon-reload` where systemd is\n',
    );
    expect(existsSync(unitFile())).toBe(true);
  });

  it('uninstall --now stops and disables it, removes the unit and reloads', async () => {
    const { env, calls } = fakeSystemctl();
    await runCaptured(['service', 'install'], { env });
    const wants = path.join(path.dirname(unitFile()), 'default.target.wants');
    mkdirSync(wants);
    writeFileSync(path.join(wants, UNIT_NAME), '');
    const result = await runCaptured(['service', 'uninstall', '--now'], { env });
    expect(result).toEqual({ code: 0, stdout: `Removed ${unitFile()}\n`, stderr: '' });
    expect(calls()).toEqual(['--user disable --now mytimer.service', '--user daemon-reload']);
    expect(existsSync(unitFile())).toBe(false);
    expect(existsSync(path.join(wants, UNIT_NAME))).toBe(false);
  });

  it('uninstall without a unit says there was nothing to remove, and prints how to stop one', async () => {
    const { env } = fakeSystemctl();
    const result = await runCaptured(['service', 'uninstall'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `No unit at ${unitFile()}: nothing to remove\nIf it is running, stop it and reload systemd:\n  systemctl --user stop mytimer.service\n  systemctl --user daemon-reload\n`,
    );
  });

  it('refuses an unknown action with exit 2', async () => {
    expect(await runCaptured(['service', 'start'], { env: { XDG_CONFIG_HOME: configHome } })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: service: the action must be install or uninstall, not "start"\n',
    });
  });

  it('speaks Chinese for zh-CN', async () => {
    const { env } = fakeSystemctl();
    const result = await runCaptured(['service', 'install'], { env: { ...env, LANG: 'zh_CN.UTF-8' } });
    expect(result.stdout).toContain(`已写入 ${unitFile()}`);
    expect(result.stdout).toContain('要立即启动并在每次登录时启动，请运行：');
  });

  it('is Linux only, with a clear error elsewhere, writing nothing', () => {
    const io: CliIO = {
      stdout: () => undefined,
      stderr: () => undefined,
      readInput: async () => '',
      now: () => 0,
      env: { XDG_CONFIG_HOME: configHome },
      locale: 'en',
    };
    const mac: ServiceSystem = {
      platform: 'darwin',
      runCommand: ['node', 'run'],
      systemctl: () => ({ status: 0, stderr: '' }),
    };
    expect(() => runService(parseService('install', {}, {}, io.env), io, mac)).toThrow(
      'service: a systemd user unit is for Linux only (this is darwin); use the tray app\'s "Start at login"',
    );
    expect(existsSync(unitFile())).toBe(false);
  });
});
