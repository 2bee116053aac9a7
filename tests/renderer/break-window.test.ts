import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BreakInfo } from '../../app/preload/api.js';
import { ROOT } from '../integration/support/daemon.js';
import { startDaemon, type TestDaemon } from './support/daemon.js';
import { chromiumSuiteTitle, hasChromium, startRenderer } from './support/chromium.js';
import type { StaticServer } from './support/static-server.js';

// The break window's page in real Chromium with the production CSP. `window.mytimer` is what the
// preload gives it: breakInfo() from main, breakAction() back to main — here Postpone reaches a real
// daemon as main's BreakWindows would send it (reminder.snooze). Time is Playwright's clock, stepped.

const DOCS = path.join(ROOT, 'docs');
const START = new Date('2026-01-05T09:00:00Z');

const title = chromiumSuiteTitle(
  'the break window page (real Chromium, production CSP)',
  'the break window page',
);

interface BreakPage {
  page: Page;
  actions: string[];
  problems: string[];
  close(): Promise<void>;
}

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    ({ browser, server } = await startRenderer('break.js'));
    await mkdir(DOCS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openBreak(
    info: Partial<BreakInfo>,
    options: { width?: number; daemon?: TestDaemon } = {},
  ): Promise<BreakPage> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 720 },
      locale: 'en-US',
    });
    const page = await context.newPage();
    await page.clock.install({ time: START });
    const actions: string[] = [];
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    const full: BreakInfo = {
      reminderId: 'rest-eyes',
      name: 'Rest your eyes',
      message: "Don't code — rest your eyes",
      breakMinutes: 5,
      strict: false,
      endsAt: START.getTime() + 5 * 60_000,
      locale: 'en',
      ...info,
    };
    await page.exposeBinding('__breakInfo', () => full);
    await page.exposeBinding('__breakAction', async (_source, action: string) => {
      actions.push(action);
      if (action === 'postpone' && options.daemon) {
        await options.daemon.client.request('reminder.snooze', { id: full.reminderId });
      }
    });
    await page.addInitScript(() => {
      const harness = window as unknown as {
        __breakInfo(): Promise<unknown>;
        __breakAction(action: string): Promise<void>;
      };
      Object.defineProperty(window, 'mytimer', {
        value: Object.freeze({
          breakInfo: () => harness.__breakInfo(),
          breakAction: (action: string) => harness.__breakAction(action),
        }),
      });
    });
    await page.goto(`${server.url}break.html`);
    await page.getByTestId('break-countdown').waitFor();
    return { page, actions, problems, close: () => context.close() };
  }

  it('counts the break down and asks main to end it when the time is up', async () => {
    const { page, actions, problems, close } = await openBreak({});
    try {
      expect(await page.getByTestId('break-countdown').textContent()).toBe('5:00');
      await page.clock.runFor(61_000);
      expect(await page.getByTestId('break-countdown').textContent()).toBe('3:59');
      expect(actions).toEqual([]);
      await page.clock.runFor(4 * 60_000);
      await expect.poll(() => page.getByTestId('break-countdown').textContent()).toBe('Break over');
      await expect.poll(() => actions).toEqual(['done']);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('Postpone snoozes the reminder in the daemon; Skip asks main to skip', async () => {
    const daemon = await startDaemon();
    try {
      await daemon.client.request('reminder.add', {
        reminder: { id: 'stretch', schedule: { kind: 'every', intervalMs: 60_000 }, alert: 'window' },
      });
      const dueAt = async () =>
        (await daemon.client.request('reminder.list', {})).find((r) => r.id === 'stretch')?.nextDueAt ?? 0;
      const before = await dueAt();
      const postponed = await openBreak({ reminderId: 'stretch' }, { daemon });
      await postponed.page.getByTestId('break-postpone').click();
      await expect.poll(() => postponed.actions).toEqual(['postpone']);
      // Postponed by the reminder's 5 snooze minutes: due about 4 minutes later than it was.
      expect(await dueAt()).toBeGreaterThan(before + 3 * 60_000);
      // Clicking again sends nothing more: one answer per break.
      await postponed.page.getByTestId('break-postpone').click();
      expect(postponed.actions).toEqual(['postpone']);
      await postponed.close();

      const skipped = await openBreak({});
      await skipped.page.getByTestId('break-skip').click();
      await expect.poll(() => skipped.actions).toEqual(['skip']);
      await skipped.close();
    } finally {
      await daemon.stop();
    }
  });

  it('strict mode hides Postpone and Skip; Ctrl+Alt+X counts only when held the full 3 s', async () => {
    const { page, actions, problems, close } = await openBreak({ strict: true });
    try {
      expect(await page.getByTestId('break-postpone').count()).toBe(0);
      expect(await page.getByTestId('break-skip').count()).toBe(0);
      await page.getByTestId('break-strict').waitFor();

      await page.keyboard.down('Control');
      await page.keyboard.down('Alt');
      await page.keyboard.down('x');
      expect(await page.getByTestId('break-hold').isVisible()).toBe(true);
      await page.clock.runFor(2_900);
      await page.keyboard.up('x');
      await page.clock.runFor(5_000);
      expect(actions).toEqual([]);

      await page.keyboard.down('x');
      await page.clock.runFor(2_999);
      expect(actions).toEqual([]);
      await page.clock.runFor(1);
      await expect.poll(() => actions).toEqual(['emergency']);
      await page.keyboard.up('x');
      await page.keyboard.up('Alt');
      await page.keyboard.up('Control');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    for (const width of [480, 1280]) {
      it(`fits ${width} px in ${locale} without scrolling sideways (screenshot in docs/)`, async () => {
        const zh = locale === 'zh-CN';
        const { page, close } = await openBreak(
          {
            locale,
            name: zh ? '休息眼睛' : 'Rest your eyes',
            message: zh ? '不要 Coding，休息一下眼睛吧' : "Don't code — rest your eyes",
          },
          { width },
        );
        try {
          await page.clock.runFor(12_000);
          const widths = await page.evaluate(() => {
            const scroller = document.scrollingElement ?? document.documentElement;
            return [scroller.scrollWidth, scroller.clientWidth];
          });
          expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
          expect(await page.getByTestId('break-postpone').textContent()).toBe(zh ? '推迟' : 'Postpone');
          await page.screenshot({ path: path.join(DOCS, `break-${locale}-${width}.png`) });
        } finally {
          await close();
        }
      });
    }
  }
});
