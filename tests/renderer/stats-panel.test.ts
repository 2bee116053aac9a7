import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyDir } from '../../app/shared/paths.js';
import { historyFileName, monthOf, type HistoryEvent } from '../../app/workers/history/index.js';
import { ROOT } from '../integration/support/daemon.js';
import { startDaemon, type TestDaemon } from './support/daemon.js';
import { openSettingsWindow, type SettingsWindow } from './support/settings-window.js';
import { chromiumSuiteTitle, hasChromium, startRenderer } from './support/chromium.js';
import type { StaticServer } from './support/static-server.js';

// The Statistics panel in real Chromium against a real daemon that reads a real history: the log
// files are written into the daemon's home before it starts, as the daemon itself writes them.

const DOCS = path.join(ROOT, 'docs');

const DAY_MS = 24 * 60 * 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * The seeded history, in UTC (the daemon runs with TZ=UTC). Today is left open, so the streak is the
 * three good days before it (day −4 has a skip). Over 7 days: 7 due, 5 taken (4 button, 1 natural),
 * 1 skipped; reminders were shown most at 10:00 (4 times). Day −10 only counts in the 30-day view.
 */
function seededEvents(nowMs: number): HistoryEvent[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const at = (daysAgo: number, hour: number, minute: number) =>
    today - daysAgo * DAY_MS + hour * HOUR_MS + minute * 60_000;
  const event = (time: number, kind: HistoryEvent['kind'], reason?: string): HistoryEvent => ({
    at: time,
    reminderId: 'eyes',
    name: 'Eyes',
    kind,
    ...(reason !== undefined && { reason }),
  });
  return [
    event(at(10, 10, 15), 'shown'),
    event(at(10, 10, 20), 'taken', 'button'),
    event(at(5, 9, 0), 'shown'),
    event(at(5, 9, 5), 'taken', 'button'),
    event(at(4, 10, 15), 'shown'),
    event(at(4, 10, 16), 'skipped'),
    event(at(3, 10, 15), 'shown'),
    event(at(3, 10, 16), 'taken', 'button'),
    event(at(3, 11, 15), 'shown'),
    event(at(2, 10, 15), 'shown'),
    event(at(2, 10, 20), 'taken', 'button'),
    event(at(1, 10, 15), 'shown'),
    event(at(1, 10, 20), 'taken', 'button'),
    event(at(1, 14, 15), 'shown'),
    event(at(1, 14, 30), 'natural', 'idle'),
  ];
}

/** Writes `events` as the daemon's log files (one per UTC month) into `home`. */
async function writeHistory(home: string, events: readonly HistoryEvent[]): Promise<void> {
  const dir = historyDir(home);
  await mkdir(dir, { recursive: true });
  for (const event of events) {
    await appendFile(path.join(dir, historyFileName(monthOf(event.at), 1)), `${JSON.stringify(event)}\n`);
  }
}

const title = chromiumSuiteTitle(
  'the Statistics panel (real Chromium, real daemon, real history files)',
  'the Statistics panel',
);

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    ({ browser, server } = await startRenderer());
    await mkdir(DOCS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function withWindow(
    run: (window: SettingsWindow, daemon: TestDaemon) => Promise<void>,
    options: { width?: number; language?: 'en' | 'zh-CN' } = {},
  ): Promise<void> {
    const daemon = await startDaemon({
      timeZone: 'UTC',
      prepareHome: (home) => writeHistory(home, seededEvents(Date.now())),
    });
    if (options.language)
      await daemon.client.request('settings.set', { patch: { language: options.language } });
    const window = await openSettingsWindow(browser, server.url, daemon, {
      viewport: { width: options.width ?? 1280, height: 900 },
    });
    try {
      await window.page.getByTestId('stats-streak').waitFor();
      await run(window, daemon);
    } finally {
      await window.close();
      await daemon.stop();
    }
    expect(window.problems).toEqual([]);
  }

  it('charts the recorded week: 7 bars of taken against due, the skip marked, the streak and the busiest hour', async () => {
    await withWindow(async ({ page }) => {
      const days = page.getByTestId('stats-chart').getByTestId('stats-day');
      expect(await days.count()).toBe(7);
      const bars = await days.evaluateAll((groups) =>
        groups.map((group) => ({
          due: Number(group.getAttribute('data-due')),
          taken: Number(group.getAttribute('data-taken')),
          skipped: Number(group.getAttribute('data-skipped')),
          natural: group.querySelectorAll('.stats-natural').length,
        })),
      );
      // Oldest first: days −6 … today.
      expect(bars).toEqual([
        { due: 0, taken: 0, skipped: 0, natural: 0 },
        { due: 1, taken: 1, skipped: 0, natural: 0 },
        { due: 1, taken: 0, skipped: 1, natural: 0 },
        { due: 2, taken: 1, skipped: 0, natural: 0 },
        { due: 1, taken: 1, skipped: 0, natural: 0 },
        { due: 2, taken: 2, skipped: 0, natural: 1 },
        { due: 0, taken: 0, skipped: 0, natural: 0 },
      ]);
      expect(await page.getByTestId('stats-skip-mark').count()).toBe(1);
      expect(await page.getByTestId('stats-streak').textContent()).toBe(
        'Streak: 3 days in a row (longest 3)',
      );
      expect(await page.getByTestId('stats-totals').textContent()).toBe(
        '5 taken of 7 due · 1 skipped · 0 snoozed',
      );
      expect(await page.getByTestId('stats-busiest').textContent()).toBe('Busiest hour: 10:00 (4 shown)');
      expect(await page.locator('.stats-hour.busiest').getAttribute('data-hour')).toBe('10');
      expect(await page.getByTestId('stats-hour').count()).toBe(24);

      // For screen readers: the chart's label sums it up, the hidden table has every number.
      expect(await page.getByTestId('stats-chart').getAttribute('role')).toBe('img');
      expect(await page.getByTestId('stats-chart').getAttribute('aria-label')).toBe(
        'Breaks over the last 7 days: 5 taken (4 with the button, 1 natural) of 7 due, 1 skipped',
      );
      expect(await page.getByRole('table', { name: 'Breaks per day' }).locator('tbody tr').count()).toBe(7);
      expect(await page.getByTestId('stats-table').locator('tbody tr').nth(5).textContent()).toMatch(
        /21100$/,
      );
    });
  });

  it('switches between 7 and 30 days', async () => {
    await withWindow(async ({ page }) => {
      const days = page.getByTestId('stats-chart').getByTestId('stats-day');
      await page.getByTestId('stats-range-month').click();
      await expect.poll(() => days.count()).toBe(30);
      expect(await page.getByTestId('stats-range-month').getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByTestId('stats-range-week').getAttribute('aria-pressed')).toBe('false');
      expect(await page.getByTestId('stats-totals').textContent()).toBe(
        '6 taken of 8 due · 1 skipped · 0 snoozed',
      );
      expect(await page.getByTestId('stats-busiest').textContent()).toBe('Busiest hour: 10:00 (5 shown)');

      await page.getByTestId('stats-range-week').click();
      await expect.poll(() => days.count()).toBe(7);
      expect(await page.getByTestId('stats-totals').textContent()).toBe(
        '5 taken of 7 due · 1 skipped · 0 snoozed',
      );
    });
  });

  it('a break taken now (rest-now) shows in the panel without reopening it, and extends the streak', async () => {
    await withWindow(async ({ page }, daemon) => {
      const [reminder] = await daemon.client.request('reminder.list', {});
      expect(reminder).toBeDefined();
      await daemon.client.request('rest-now', { id: reminder!.id });
      await expect
        .poll(() => page.getByTestId('stats-streak').textContent(), { timeout: 10_000 })
        .toBe('Streak: 4 days in a row (longest 4)');
      const today = page.getByTestId('stats-chart').getByTestId('stats-day').last();
      expect(await today.getAttribute('data-taken')).toBe('1');
    });
  });

  it("draws its bars in the dark theme's colours when the OS is dark", async () => {
    await withWindow(async ({ page }) => {
      const fill = () => page.evaluate(() => getComputedStyle(document.querySelector('.stats-button')!).fill);
      expect(await fill()).toBe('rgb(47, 111, 222)');
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await fill()).toBe('rgb(107, 156, 245)');
    });
  });

  for (const language of ['en', 'zh-CN'] as const) {
    for (const width of [480, 1280]) {
      it(`fits ${width} px in ${language} without scrolling sideways`, async () => {
        await withWindow(
          async ({ page }) => {
            const panel = page.locator('section.stats');
            await panel.scrollIntoViewIfNeeded();
            if (language === 'zh-CN') {
              await expect
                .poll(() => page.getByTestId('stats-streak').textContent())
                .toBe('连续 3 天（最长 3 天）');
              expect(await page.getByTestId('stats-busiest').textContent()).toBe(
                '最忙的时段：10:00（显示 4 次）',
              );
            }
            const measured = await page.evaluate(() => {
              const scroller = document.scrollingElement ?? document.documentElement;
              const section = document.querySelector('section.stats')!;
              return {
                scrollWidth: scroller.scrollWidth,
                clientWidth: scroller.clientWidth,
                panelScroll: section.scrollWidth,
                panelClient: section.clientWidth,
              };
            });
            await panel.screenshot({ path: path.join(DOCS, `stats-${language}-${width}.png`) });
            expect(measured.scrollWidth).toBeLessThanOrEqual(measured.clientWidth);
            expect(measured.panelScroll).toBeLessThanOrEqual(measured.panelClient);
          },
          { width, language },
        );
      });
    }
  }
});
