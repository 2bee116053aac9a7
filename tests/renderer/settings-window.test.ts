import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DaemonError } from '../../app/cli/client.js';
import type { Status } from '../../app/shared/contract.js';
import { ROOT } from '../integration/support/daemon.js';
import { startDaemon, type TestDaemon } from './support/daemon.js';
import { openSettingsWindow, type SettingsWindow } from './support/settings-window.js';
import { chromiumSuiteTitle, hasChromium, startRenderer } from './support/chromium.js';
import type { StaticServer } from './support/static-server.js';

// The settings window in real Chromium, served with the production CSP, talking to a real daemon.

const SCREENSHOTS = path.join(ROOT, 'test-results');

const title = chromiumSuiteTitle(
  'the settings window (real Chromium, production CSP, real daemon)',
  'the settings window',
);

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  let server: StaticServer;
  let daemon: TestDaemon;
  let settingsWindow: SettingsWindow;
  let page: Page;

  beforeAll(async () => {
    ({ browser, server } = await startRenderer());
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    daemon = await startDaemon();
    settingsWindow = await openSettingsWindow(browser, server.url, daemon);
    page = settingsWindow.page;
    await page.getByTestId('reminder-item-rest-eyes').waitFor();
  });

  afterEach(async () => {
    const problems = [...(settingsWindow?.problems ?? [])];
    await settingsWindow?.close();
    await daemon?.stop();
    expect(problems, 'CSP violations or page errors').toEqual([]);
  });

  const status = async () => (await daemon.client.request('status', {})) as Status;
  const upcomingIds = () =>
    page
      .getByTestId('upcoming-item')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));

  it('adds a reminder, previews its schedule, and lists it in upcoming ahead of the hourly default', async () => {
    await page.getByTestId('reminder-add').click();
    await page.getByTestId('reminder-name').fill('Stretch');
    await page.getByTestId('reminder-message').fill('Stand up and stretch');
    await page.getByTestId('reminder-schedule').fill('every 30m');
    await expect.poll(() => page.getByTestId('schedule-preview').locator('li').count()).toBe(5);
    await page.getByTestId('reminder-priority').fill('2');
    await page.getByTestId('reminder-save').click();

    await page.getByTestId('reminder-item-stretch').waitFor();
    await expect.poll(upcomingIds).toEqual(['stretch', 'rest-eyes']);
    const items = page.getByTestId('upcoming-item');
    expect(await items.nth(0).getAttribute('data-priority')).toBe('2');
    expect(await items.nth(1).getAttribute('data-priority')).toBe('5');
    expect(await items.nth(0).textContent()).toContain('Stretch');
    expect(await items.nth(1).textContent()).toContain('Rest your eyes');
    // The window shows the daemon's own order.
    expect((await status()).upcoming.map((task) => task.id)).toEqual(['stretch', 'rest-eyes']);
    await expect.poll(() => page.getByTestId('reminder-editor').count()).toBe(0);
  });

  it("shows the daemon's message next to an invalid priority, and marks the field invalid", async () => {
    const daemonMessage = await daemon.client
      .request('reminder.add', {
        reminder: { id: 'probe', schedule: { kind: 'every', intervalMs: 1_800_000 }, priority: 25 },
      })
      .then(
        () => 'accepted',
        (error: unknown) => (error instanceof DaemonError ? error.message : String(error)),
      );
    expect(daemonMessage).toMatch(/20/);

    await page.getByTestId('reminder-add').click();
    await page.getByTestId('reminder-name').fill('Too urgent');
    await page.getByTestId('reminder-schedule').fill('every 30m');
    await page.getByTestId('reminder-priority').fill('25');
    await page.getByTestId('reminder-priority').press('Enter');

    const slot = page.getByTestId('field-error-priority');
    await slot.waitFor();
    expect(await slot.textContent()).toBe(daemonMessage);
    const priority = page.getByTestId('reminder-priority');
    expect(await priority.getAttribute('aria-invalid')).toBe('true');
    expect((await priority.getAttribute('aria-describedby'))?.split(' ')).toContain(
      await slot.getAttribute('id'),
    );
    expect(await priority.evaluate((input) => input === document.activeElement)).toBe(true);
    expect((await status()).upcoming.map((task) => task.id)).toEqual(['rest-eyes']);
  });

  it('starts a 5-minute countdown and pauses it', async () => {
    await page.getByTestId('timer-start-5').click();
    const item = page.getByTestId('timer-list').locator('li.timer');
    await item.waitFor();
    const id = ((await item.getAttribute('data-testid')) ?? '').replace('timer-item-', '');
    expect(id).not.toBe('');
    const clock = page.getByTestId(`timer-clock-${id}`);
    expect(await clock.textContent()).toMatch(/^(5:00|4:5\d)$/);

    await page.getByTestId(`timer-pause-${id}`).click();
    await expect.poll(() => item.getAttribute('data-state')).toBe('paused');
    expect(await page.getByTestId(`timer-state-${id}`).textContent()).toBe('Paused');
    await page.getByTestId(`timer-resume-${id}`).waitFor();
    expect((await status()).timers).toMatchObject([{ id, state: 'paused' }]);
    // A paused clock stands still.
    const shown = await clock.textContent();
    await page.waitForTimeout(1_100);
    expect(await clock.textContent()).toBe(shown);

    await page.getByTestId(`timer-stop-${id}`).click();
    await expect.poll(() => page.getByTestId('timer-list').locator('li.timer').count()).toBe(0);
  });

  it('switches to zh-CN and back to English (screenshots in test-results/)', async () => {
    await daemon.client.request('reminder.add', {
      reminder: {
        id: 'water',
        name: 'Water',
        message: 'Drink a glass of water',
        schedule: { kind: 'every', intervalMs: 45 * 60_000 },
        priority: 3,
      },
    });
    await daemon.client.request('timer.start', { mode: 'countdown', durationMs: 25 * 60_000, name: 'Tea' });
    await daemon.client.request('pomodoro.start', {});
    await page.getByTestId('reminder-item-water').waitFor();
    await page.getByTestId('reminder-edit-water').click();
    await expect.poll(() => page.getByTestId('schedule-preview').locator('li').count()).toBe(5);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-en.png'), fullPage: true });

    await page.getByTestId('language-select').selectOption('zh-CN');
    await expect.poll(() => page.locator('#reminders-heading').textContent()).toBe('提醒');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // Announced in the live region, in the new language.
    await expect.poll(() => page.getByRole('status').textContent()).toBe('设置已保存');
    expect(await page.getByTestId('reminder-item-rest-eyes').textContent()).toContain(
      '不要 Coding，休息一下眼睛吧',
    );
    expect(await page.getByTestId('timer-start-5').textContent()).toBe('5 分钟');
    // The open form was re-labelled and kept its contents.
    expect(await page.locator('label[for="reminder-name"]').textContent()).toBe('名称');
    expect(await page.getByTestId('reminder-name').inputValue()).toBe('Water');
    await expect.poll(() => page.getByTestId('schedule-preview').locator('li').count()).toBe(5);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-zh-CN.png'), fullPage: true });

    await page.getByTestId('language-select').selectOption('en');
    await expect.poll(() => page.locator('#reminders-heading').textContent()).toBe('Reminders');
    expect(await page.getByTestId('reminder-item-rest-eyes').textContent()).toContain(
      "Don't code — rest your eyes",
    );
  });

  it('is usable from the keyboard: Tab to Add, Enter saves, Escape cancels', async () => {
    await page.locator('body').focus();
    let focused: string | null = null;
    for (let presses = 0; presses < 15 && focused !== 'reminder-add'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    }
    expect(focused).toBe('reminder-add');

    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reminder-name');
    await page.keyboard.type('Water');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Drink some water');
    await page.keyboard.press('Tab');
    await page.keyboard.type('every 45m');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reminder-priority');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');

    await page.getByTestId('reminder-item-water').waitFor();
    await expect.poll(() => page.getByTestId('reminder-editor').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'reminder-add',
    );
    expect((await status()).upcoming.find((task) => task.id === 'water')).toMatchObject({ priority: 3 });

    await page.keyboard.press('Enter');
    await page.keyboard.type('Never saved');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('reminder-editor').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'reminder-add',
    );
    expect(await page.getByTestId('reminder-list').locator('li.reminder').count()).toBe(2);
  });

  it('sets a reminder to open the break window, with its break length and strict mode', async () => {
    await page.getByTestId('reminder-edit-rest-eyes').click();
    expect(await page.getByTestId('reminder-break-fields').isVisible()).toBe(false);
    await page.getByTestId('reminder-alert').selectOption('window');
    await page.getByTestId('reminder-break-minutes').fill('150');
    await page.getByTestId('reminder-save').click();
    // Out of range: the daemon's message next to the field.
    await expect.poll(() => page.getByTestId('field-error-breakMinutes').textContent()).toMatch(/1.*120/);
    await page.getByTestId('reminder-break-minutes').fill('10');
    await page.getByTestId('reminder-strict').check();
    await page.getByTestId('reminder-save').click();
    await expect.poll(() => page.getByTestId('reminder-editor').count()).toBe(0);
    const saved = (await daemon.client.request('reminder.list', {})).find((r) => r.id === 'rest-eyes');
    expect(saved).toMatchObject({ alert: 'window', breakMinutes: 10, strict: true });
  });

  it('follows a dark OS theme (screenshot in test-results/)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await daemon.client.request('timer.start', { mode: 'stopwatch', name: 'Stopwatch' });
    await page.getByTestId('timer-list').locator('li.timer').waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(22, 24, 28)');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-dark.png'), fullPage: true });
  });
});
