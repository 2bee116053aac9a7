import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './test-support/capture.js';
import { useCliHome } from './test-support/cli-home.js';
import { NOW, statusView, timerView } from './test-support/fake-daemon.js';

const cli = useCliHome();
const MINUTE = 60_000;

/** `mytimer --home <temp> …` in a Chinese terminal (LANG), UTC. */
const runZh = (...argv: string[]) =>
  runCaptured(['--home', cli.home, ...argv], { env: { TZ: 'UTC', LANG: 'zh_CN.UTF-8' } });

describe('the CLI in a Chinese locale', () => {
  it('status reports in Chinese: daemon line, upcoming, timers, notifications', async () => {
    await cli.startDaemon({
      status: statusView({
        upcoming: [
          { id: 'tea', kind: 'timer', name: 'Tea', priority: 3, dueAt: NOW + 4 * MINUTE, snoozed: true },
        ],
        timers: [timerView()],
        notifications: { delivered: 3, failed: 1, lastError: null },
      }),
    });
    const { code, stdout } = await runZh('status');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^myTimer 守护进程 pid 4242（mytimer-daemon），已运行 /);
    expect(stdout).toContain('即将到来：\n');
    expect(stdout).toMatch(/09:04 {2}4m后 {2}优先级 3 {2}Tea \(计时器\) \(已推迟\)/);
    expect(stdout).toContain('计时器：\n');
    expect(stdout).toContain('剩余 ');
    expect(stdout).toContain('通知：已送达 3，失败 1\n');
    expect(stdout).not.toMatch(/Upcoming|Timers|Notifications|priority/);
  });

  it('reminder list has Chinese headers, aligned by display width, and the Chinese default name', async () => {
    const { code, stdout } = await runZh('reminder', 'list');
    expect(code).toBe(0);
    expect(stdout).toBe(
      'ID         启用  优先级  时间安排  下次  名称\n' +
        'rest-eyes  是    5       every 1h  —     休息眼睛\n',
    );
  });

  it('follows settings.language over the OS locale', async () => {
    await writeFile(join(cli.home, 'settings.json'), JSON.stringify({ version: 1, language: 'en' }));
    const { stdout } = await runZh('reminder', 'list');
    expect(stdout.startsWith('ID         ENABLED')).toBe(true);
  });

  it('a daemon error comes out in Chinese (its catalog key), naming the id', async () => {
    const { code, stderr } = await runZh('reminder', 'remove', 'nope');
    expect(code).toBe(2);
    expect(stderr).toBe('mytimer: 没有提醒 "nope"\n');
  });

  it('--help describes the commands in Chinese', async () => {
    const { stdout } = await runZh('--help');
    expect(stdout).toContain('休息提醒、计时器和定时后台任务');
    expect(stdout).toMatch(/status \[options\]\s+显示守护进程的状态/);
    const reminderHelp = await runZh('reminder', '--help');
    expect(reminderHelp.stdout).toMatch(/list \[options\]\s+列出提醒/);
  });
});
