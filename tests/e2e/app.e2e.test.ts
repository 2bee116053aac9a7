import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADLESS_SWITCHES } from '../../app/cli/commands/service.js';
import type { TrayMenuItem } from '../../app/main/tray-menu.js';
import type {} from '../../app/main/test-hook.js';

/**
 * The desktop app end to end, through Playwright's `_electron` (playwright-core): launch the built app
 * with a temp MYTIMER_HOME and the e2e hook (MYTIMER_E2E=1), add a reminder through the settings UI,
 * see the tray menu follow the daemon, quit, and check that no daemon process is left. Then the app
 * binary as the CLI: `<electron> <app> --cli run` hosts the daemon as a utility process that
 * `--cli status` reaches, and SIGTERM stops both.
 *
 * Needs the Electron binary, detected by its files (never by requiring electron, which would try to
 * download it), and `npm run build` first. On Linux without DISPLAY it starts its own Xvfb (Debian:
 * `apt-get install xvfb`); without either, it is skipped with the reason in its title.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');
const hasElectron =
  existsSync(path.join(ELECTRON_DIR, 'path.txt')) && existsSync(path.join(ELECTRON_DIR, 'dist'));
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY;
const hasXvfb = !needsXvfb || spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status === 0;

const skipReason = !hasElectron
  ? 'SKIPPED: Electron binary not installed (node_modules/electron/dist missing)'
  : !hasXvfb
    ? 'SKIPPED: no DISPLAY and no Xvfb to start one (apt-get install xvfb)'
    : null;

const MINUTE = 60_000;

/** The Electron binary that node_modules/electron downloaded. */
function electronBinary(): string {
  return path.join(ELECTRON_DIR, 'dist', readFileSync(path.join(ELECTRON_DIR, 'path.txt'), 'utf8').trim());
}

/** The environment the app gets: this one, without ELECTRON_RUN_AS_NODE, plus `extra`. */
function appEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  return Object.assign(env, extra);
}

/** Polls `probe` until it returns a value that is not null/undefined/false, or fails after `timeoutMs`. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts Xvfb on a free display number (it picks one and writes it to fd 3). */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return { display, process: xvfb };
}

function labelsOf(items: TrayMenuItem[]): string[] {
  return items.flatMap((item) => [item.label ?? '', ...labelsOf(item.submenu ?? [])]);
}

describe.skipIf(skipReason !== null)(`myTimer desktop app${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let home: string;
  let xvfb: ChildProcess | undefined;
  let app: ElectronApplication | undefined;

  beforeAll(async () => {
    for (const built of [
      'dist/app/main/index.js',
      'dist/app/preload/index.cjs',
      'dist/renderer/index.html',
    ]) {
      if (!existsSync(path.join(ROOT, built)))
        throw new Error(`${built} is missing: run \`npm run build\` first`);
    }
    home = await mkdtemp(path.join(tmpdir(), 'mytimer-e2e-'));
    const env = appEnv({ MYTIMER_E2E: '1', MYTIMER_HOME: home, LANG: 'en_US.UTF-8' });
    if (needsXvfb) {
      const started = await startXvfb();
      xvfb = started.process;
      env.DISPLAY = started.display;
    }
    const executablePath = electronBinary();
    app = await _electron.launch({ executablePath, args: [ROOT], env, cwd: ROOT, timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    if (app && app.process().exitCode === null) await app.close().catch(() => undefined);
    xvfb?.kill();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('opens the break window when a window-alert reminder fires, counts down, and Skip closes it', async () => {
    if (!app) throw new Error('the app did not launch');
    const electronApp = app;
    await eventually('the daemon', () =>
      electronApp.evaluate(() => globalThis.__mytimerTest?.status()?.pid ?? null),
    );
    const breakOpened = electronApp.waitForEvent('window', { timeout: 30_000 });
    const at = Date.now() + 2_000;
    await electronApp.evaluate(
      (_electron, dueAt) =>
        globalThis.__mytimerTest?.request?.('reminder.add', {
          reminder: {
            id: 'stretch',
            name: 'Stretch',
            schedule: { kind: 'once', at: dueAt },
            alert: 'window',
            breakMinutes: 2,
          },
        }),
      at,
    );
    const page: Page = await breakOpened;
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe('app://mytimer/break.html');
    await page.locator('[data-testid="break-name"]').getByText('Stretch').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="break-countdown"]').textContent()).toMatch(/^[12]:\d\d$/);
    const closed = page.waitForEvent('close', { timeout: 15_000 });
    await page.click('[data-testid="break-skip"]');
    await closed;
  }, 90_000);

  it('adds a reminder in the settings window, shows it in the tray menu, and quits without a daemon left', async () => {
    if (!app) throw new Error('the app did not launch');
    const electronApp = app;

    // The daemon is up once main has its first status.
    const daemonPid = await eventually('the daemon', () =>
      electronApp.evaluate(() => globalThis.__mytimerTest?.status()?.pid ?? null),
    );
    expect(isAlive(daemonPid)).toBe(true);

    const windowOpened = electronApp.waitForEvent('window', { timeout: 30_000 });
    await electronApp.evaluate(() => globalThis.__mytimerTest?.openSettings());
    const page: Page = await windowOpened;
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe('app://mytimer/index.html');

    await page.click('[data-testid="reminder-add"]');
    await page.fill('[data-testid="reminder-name"]', 'Drink water');
    await page.fill('[data-testid="reminder-schedule"]', 'every 45m');
    await page.click('[data-testid="reminder-save"]');
    await page
      .locator('[data-testid="upcoming-list"]')
      .getByText('Drink water')
      .first()
      .waitFor({ timeout: 15_000 });

    // The tray follows the daemon's status event, not a poll of ours.
    const menu = await eventually('the tray menu to list the new reminder', async () => {
      const template = await electronApp.evaluate(() => globalThis.__mytimerTest?.trayMenuTemplate() ?? []);
      return labelsOf(template).some((label) => label.endsWith('Drink water')) ? template : null;
    });
    const waterLine = labelsOf(menu).find((label) => label.endsWith('Drink water')) ?? '';
    const [, hours, minutes] = waterLine.match(/^(?:\p{L}+\.? )?(\d\d):(\d\d) {2}Drink water$/u) ?? [];
    expect(hours, waterLine).toBeDefined();
    // Due 45 minutes after it was added: within a couple of minutes of now + 45 min, on the clock.
    const expectedAt = new Date(Date.now() + 45 * MINUTE);
    const drift = Math.abs(
      Number(hours) * 60 + Number(minutes) - (expectedAt.getHours() * 60 + expectedAt.getMinutes()),
    );
    expect(Math.min(drift, 24 * 60 - drift)).toBeLessThanOrEqual(2);

    // Quit through the app (the tray's Quit does the same): the daemon is asked to shut down first.
    const mainProcess = electronApp.process();
    const closed = electronApp.waitForEvent('close', { timeout: 30_000 });
    await electronApp.evaluate(() => globalThis.__mytimerTest?.quit()).catch(() => undefined);
    await closed;
    await eventually(
      'the main process to exit',
      async () => mainProcess.exitCode !== null || mainProcess.signalCode !== null,
    );
    await eventually('the daemon to be gone', async () => !isAlive(daemonPid), 5_000);
    app = undefined;
  }, 120_000);
});

describe.skipIf(skipReason !== null)(
  `myTimer --cli run in the app binary${skipReason ? ` — ${skipReason}` : ''}`,
  () => {
    let home: string;
    let env: Record<string, string>;
    let xvfb: ChildProcess | undefined;
    let run: ChildProcess | undefined;
    /** The Chromium switches the Linux launcher and the systemd unit put before `--cli`. */
    const launcherSwitches: readonly string[] = process.platform === 'linux' ? HEADLESS_SWITCHES : [];

    beforeAll(async () => {
      for (const built of ['dist/app/main/index.js', 'dist/app/cli/index.js', 'dist/app/workers/daemon.js']) {
        if (!existsSync(path.join(ROOT, built)))
          throw new Error(`${built} is missing: run \`npm run build\` first`);
      }
      home = await mkdtemp(path.join(tmpdir(), 'mytimer-e2e-cli-'));
      env = appEnv({ MYTIMER_HOME: home, LANG: 'en_US.UTF-8' });
      // As the Linux launcher runs it (build/linux/mytimer.sh): Ozone's headless platform, no display.
      if (process.platform === 'linux') {
        delete env.DISPLAY;
        delete env.WAYLAND_DISPLAY;
      } else if (needsXvfb) {
        const started = await startXvfb();
        xvfb = started.process;
        env.DISPLAY = started.display;
      }
    }, 30_000);

    afterAll(async () => {
      if (run && run.exitCode === null && run.signalCode === null) run.kill('SIGKILL');
      xvfb?.kill();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('hosts the daemon as a utility process that `--cli status` reaches; SIGTERM stops both, exit 0', async () => {
      // The development Electron stands for the installed binary: `<electron> <app> --cli` is `myTimer --cli`.
      const cli = (...args: string[]) =>
        promisify(execFile)(electronBinary(), [ROOT, ...launcherSwitches, '--cli', ...args], {
          env,
          cwd: ROOT,
          timeout: 30_000,
        });
      const output: string[] = [];
      const host = spawn(electronBinary(), [ROOT, ...launcherSwitches, '--cli', 'run'], {
        env,
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      run = host;
      host.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      host.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        host.once('exit', (code, signal) => resolve({ code, signal })),
      );

      const status = await eventually(
        '`--cli status --json` to answer',
        async () => JSON.parse((await cli('status', '--json')).stdout) as { pid?: number; home?: string },
        60_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- run's output ---\n${output.join('')}`);
      });
      const daemonPid = status.pid;
      if (daemonPid === undefined) throw new Error(`status has no pid: ${JSON.stringify(status)}`);
      expect(status.home).toBe(home);
      expect(isAlive(daemonPid)).toBe(true);
      if (process.platform === 'linux') {
        // A utility process of the `run` host (Chromium's --type=utility), not a fork of the app binary.
        const commandLine = readFileSync(`/proc/${daemonPid}/cmdline`, 'utf8').split('\0');
        expect(commandLine).toContain('--type=utility');
        const parentPid = Number(
          readFileSync(`/proc/${daemonPid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1],
        );
        expect(parentPid).toBe(host.pid);
      }

      host.kill('SIGTERM');
      expect(await exited, output.join('')).toEqual({ code: 0, signal: null });
      await eventually('the daemon to be gone', async () => !isAlive(daemonPid), 5_000);
      run = undefined;
    }, 120_000);
  },
);
