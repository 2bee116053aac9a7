import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../integration/support/daemon.js';
import { startDaemon } from './support/daemon.js';
import { openSettingsWindow } from './support/settings-window.js';
import { chromiumSuiteTitle, hasChromium, startRenderer } from './support/chromium.js';
import type { StaticServer } from './support/static-server.js';

// The settings window at a narrow (480 px) and a wide (1280 px) width, in both languages: nothing
// scrolls sideways, and the toast never sits on a badge.

const DOCS = path.join(ROOT, 'docs');

const title = chromiumSuiteTitle(
  'the settings window layout (real Chromium, real daemon)',
  'the settings window layout',
);

/** Boxes of the toast and every badge, and the page's scroll extent. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const box = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    };
    const scroller = document.scrollingElement ?? document.documentElement;
    const notice = document.querySelector('[data-testid="notice"]');
    return {
      scrollWidth: scroller.scrollWidth,
      clientWidth: scroller.clientWidth,
      notice: notice ? box(notice) : null,
      badges: [...document.querySelectorAll('.badge')].map(box),
    };
  });
}

type Box = { left: number; top: number; right: number; bottom: number };
const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

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

  for (const language of ['en', 'zh-CN'] as const) {
    for (const width of [480, 1280]) {
      it(`does not scroll sideways and keeps the toast off the badges at ${width} px in ${language}`, async () => {
        const daemon = await startDaemon();
        await daemon.client.request('settings.set', { patch: { language } });
        await daemon.client.request('reminder.add', {
          reminder: {
            id: 'water',
            name: 'Water with a rather long name that needs room',
            message: 'Drink a glass of water',
            schedule: { kind: 'every', intervalMs: 45 * 60_000 },
            priority: 3,
          },
        });
        await daemon.client.request('timer.start', {
          mode: 'countdown',
          durationMs: 25 * 60_000,
          name: 'Tea',
        });
        const window = await openSettingsWindow(browser, server.url, daemon, {
          viewport: { width, height: 800 },
        });
        try {
          const page = window.page;
          await page.getByTestId('reminder-item-water').waitFor();
          // A toast, as after any saved change.
          await page.getByTestId(`reminder-enabled-water`).click();
          await expect.poll(() => page.getByTestId('notice').textContent()).not.toBe('');
          const measured = await measure(page);
          await page.screenshot({ path: path.join(DOCS, `settings-${language}-${width}.png`) });
          expect(measured.scrollWidth).toBeLessThanOrEqual(measured.clientWidth);
          expect(measured.notice).not.toBeNull();
          expect(measured.badges.length).toBeGreaterThan(0);
          for (const badge of measured.badges) expect(overlaps(measured.notice!, badge)).toBe(false);
        } finally {
          await window.close();
          await daemon.stop();
        }
        expect(window.problems).toEqual([]);
      });
    }
  }
});
