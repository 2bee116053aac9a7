import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../integration/support/daemon.js';
import { startDaemon, type TestDaemon } from './support/daemon.js';
import { openSettingsWindow, type SettingsWindow } from './support/settings-window.js';
import { chromiumSuiteTitle, hasChromium, startRenderer } from './support/chromium.js';
import type { StaticServer } from './support/static-server.js';

// The Backups panel in real Chromium against a real daemon copying real folders. Outside Electron
// there is no folder dialog: the paths are typed, as a user may always do.

const DOCS = path.join(ROOT, 'docs');

const title = chromiumSuiteTitle(
  'the Backups panel (real Chromium, real daemon, real files)',
  'the Backups panel',
);

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  let server: StaticServer;
  let folders: string;

  beforeAll(async () => {
    ({ browser, server } = await startRenderer());
    folders = await mkdtemp(path.join(os.tmpdir(), 'mytimer-backups-'));
    await mkdir(DOCS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (folders) await rm(folders, { recursive: true, force: true });
  });

  async function withWindow(
    run: (window: SettingsWindow, daemon: TestDaemon) => Promise<void>,
    options: {
      width?: number;
      language?: 'en' | 'zh-CN';
      /** Runs before the window opens, so its first status already holds what it made. */
      prepare?: (daemon: TestDaemon) => Promise<void>;
    } = {},
  ): Promise<void> {
    const daemon = await startDaemon();
    if (options.language)
      await daemon.client.request('settings.set', { patch: { language: options.language } });
    await options.prepare?.(daemon);
    const window = await openSettingsWindow(browser, server.url, daemon, {
      viewport: { width: options.width ?? 1280, height: 900 },
    });
    try {
      await window.page.getByTestId('backup-add').waitFor();
      await run(window, daemon);
    } finally {
      await window.close();
      await daemon.stop();
    }
    expect(window.problems).toEqual([]);
  }

  it('adds a backup with typed folders, runs it now, and shows its result and history', async () => {
    const source = path.join(folders, 'photos');
    const destination = path.join(folders, 'photos-backup');
    await mkdir(path.join(source, '2026'), { recursive: true });
    await writeFile(path.join(source, 'a.txt'), 'first');
    await writeFile(path.join(source, '2026', 'b.txt'), 'second');
    await withWindow(async ({ page }, daemon) => {
      await page.getByTestId('backup-add').click();
      // No folder dialog outside the app: no Browse button, the path is typed.
      expect(await page.getByTestId('backup-source-browse').count()).toBe(0);
      await page.getByTestId('backup-name').fill('Photos');
      await page.getByTestId('backup-source').fill(source);
      await page.getByTestId('backup-destination').fill(destination);
      await page.getByTestId('backup-schedule').fill('daily 18:00');
      await page.getByTestId('backup-save').click();
      await page.getByTestId('backup-item-photos').waitFor();
      expect(await page.getByTestId('backup-last-photos').textContent()).toBe('Not run yet');
      expect(await page.getByTestId('backup-next-photos').textContent()).toMatch(/^Next run: .*18:00/);
      expect(await daemon.client.request('job.list', {})).toMatchObject([
        { id: 'photos', source, destination, schedule: { kind: 'daily' } },
      ]);

      await page.getByTestId('backup-run-photos').click();
      await expect
        .poll(() => page.getByTestId('backup-last-photos').textContent(), { timeout: 15_000 })
        .toMatch(/OK, 2 files copied/);
      expect(existsSync(path.join(destination, '2026', 'b.txt'))).toBe(true);

      await page.getByTestId('backup-history-photos').click();
      await expect.poll(() => page.getByTestId('backup-history-list').locator('> li').count()).toBe(1);
      expect(await page.getByTestId('backup-history-list').textContent()).toMatch(/OK, 2 files copied/);
    });
  });

  it("edits a backup in place (same id, history kept) and shows the daemon's message for an empty folder", async () => {
    await withWindow(async ({ page }, daemon) => {
      await daemon.client.request('job.add', {
        job: {
          id: 'docs',
          kind: 'copy',
          source: path.join(folders, 'docs'),
          destination: path.join(folders, 'docs-backup'),
          schedule: { kind: 'daily', time: '12:00' },
        },
      });
      await page.getByTestId('backup-item-docs').waitFor();
      await page.getByTestId('backup-edit-docs').click();
      await page.getByTestId('backup-destination').fill('');
      await page.getByTestId('backup-save').click();
      await page.getByTestId('field-error-destination').waitFor();
      expect(await page.getByTestId('field-error-destination').textContent()).toMatch(/folder path/);

      await page.getByTestId('backup-destination').fill(path.join(folders, 'elsewhere'));
      await page.getByTestId('backup-schedule').fill('every 6h');
      await page.getByTestId('backup-save').click();
      await expect.poll(() => page.getByTestId('backup-editor').count()).toBe(0);
      expect(await daemon.client.request('job.list', {})).toMatchObject([
        { id: 'docs', destination: path.join(folders, 'elsewhere'), schedule: { kind: 'every' } },
      ]);
    });
  });

  it('shows live progress of a running backup and cancels it', async () => {
    const source = path.join(folders, 'big');
    await mkdir(source, { recursive: true });
    // 4 GiB that cost no disk to make (sparse): reading, hashing and writing it takes far longer than
    // the few clicks below, so the run is still going when Cancel is pressed.
    const big = await open(path.join(source, 'disk.img'), 'w');
    await big.truncate(4 * 1024 ** 3);
    await big.close();
    await withWindow(async ({ page }, daemon) => {
      await daemon.client.request('job.add', {
        job: {
          id: 'big',
          kind: 'copy',
          source,
          destination: path.join(folders, 'big-backup'),
          workers: 1,
          schedule: { kind: 'daily', time: '12:00' },
        },
      });
      await page.getByTestId('backup-run-big').click();
      await page.getByTestId('backup-progress-big').waitFor();
      await page.getByTestId('backup-cancel-big').click();
      await expect
        .poll(() => page.getByTestId('backup-last-big').textContent(), { timeout: 15_000 })
        .toMatch(/Cancelled/);
      expect((await daemon.client.request('job.history', { id: 'big' }))[0]?.outcome).toBe('cancelled');
    });
  });

  it('lists the files that failed in a run', async () => {
    const source = path.join(folders, 'broken');
    await mkdir(source, { recursive: true });
    await writeFile(path.join(source, 'fine.txt'), 'fine');
    await writeFile(path.join(source, 'blocked.txt'), 'blocked');
    // A folder where the copy of blocked.txt must go: that one file fails, the other is copied.
    await mkdir(path.join(folders, 'broken-backup', 'blocked.txt'), { recursive: true });
    await writeFile(path.join(folders, 'broken-backup', 'blocked.txt', 'keep'), 'keep');
    await withWindow(async ({ page }, daemon) => {
      await daemon.client.request('job.add', {
        job: {
          id: 'broken',
          kind: 'copy',
          source,
          destination: path.join(folders, 'broken-backup'),
          schedule: { kind: 'daily', time: '12:00' },
        },
      });
      await page.getByTestId('backup-run-broken').click();
      await expect
        .poll(() => page.getByTestId('backup-last-broken').textContent(), { timeout: 15_000 })
        .toMatch(/Last run/);
      expect(await page.getByTestId('backup-last-broken').textContent()).toMatch(/1 files failed/);
      await page.getByTestId('backup-history-broken').click();
      await page.getByTestId('backup-failures').waitFor();
      expect(await page.getByTestId('backup-failures').textContent()).toBe('blocked.txt: write-error');
    });
  });

  for (const language of ['en', 'zh-CN'] as const) {
    for (const width of [480, 1280]) {
      it(`fits ${width} px in ${language} without scrolling sideways (screenshot in docs/)`, async () => {
        await withWindow(
          async ({ page }) => {
            await page.getByTestId('backup-item-home').waitFor();
            await page.getByTestId('backup-add').click();
            const widths = await page.evaluate(() => {
              const scroller = document.scrollingElement ?? document.documentElement;
              return [scroller.scrollWidth, scroller.clientWidth];
            });
            expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
            await page.locator('section.backups').screenshot({
              path: path.join(DOCS, `backups-${language}-${width}.png`),
            });
          },
          {
            width,
            language,
            prepare: async (daemon) => {
              await daemon.client.request('job.add', {
                job: {
                  id: 'home',
                  name: language === 'zh-CN' ? '主目录' : 'Home folder',
                  kind: 'copy',
                  source: '/home/someone/Documents/Projects/a-rather-long-folder-name',
                  destination: '/media/backup-disk/mytimer/Documents/Projects',
                  schedule: { kind: 'daily', time: '18:00' },
                },
              });
            },
          },
        );
      });
    }
  }
});
