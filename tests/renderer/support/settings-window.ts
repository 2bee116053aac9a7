import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { DaemonError } from '../../../app/cli/client.js';
import type { DaemonEvent, Method, Params, Reply } from '../../../app/shared/contract.js';
import type { TestDaemon } from './daemon.js';

/**
 * The settings window as Electron shows it, minus Electron: the built page in real Chromium, with
 * `window.mytimer` backed by a real daemon. What main + preload do over IPC, the test does over the
 * daemon's control socket: `request` and `status` are page bindings, and every daemon event is
 * dispatched into the page. The renderer cannot tell the difference.
 */

/** What the init script adds to the page (test-only globals; the real preload exposes just `mytimer`). */
interface HarnessWindow {
  __mytimerRequest(method: string, params: unknown): Promise<Reply>;
  __mytimerStatus(): Promise<unknown>;
  __mytimerCspViolation(text: string): Promise<void>;
  __mytimerDispatch?: (event: DaemonEvent) => void;
}

export interface SettingsWindow {
  readonly page: Page;
  /** CSP violations and uncaught page errors seen so far; a test passes only with none. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Forwards one request to the daemon and answers as main would: a Reply, never a rejection. */
async function forward(daemon: TestDaemon, method: string, params: unknown): Promise<Reply> {
  try {
    const result = await daemon.client.request(method as Method, params as Params<Method>);
    return { id: null, ok: true, result };
  } catch (error) {
    if (error instanceof DaemonError) {
      return {
        id: null,
        ok: false,
        error: {
          code: error.code,
          message: error.message,
          ...(error.field !== undefined && { field: error.field }),
        },
      };
    }
    return { id: null, ok: false, error: { code: 'unavailable', message: (error as Error).message } };
  }
}

export async function openSettingsWindow(
  browser: Browser,
  url: string,
  daemon: TestDaemon,
  options: BrowserContextOptions = {},
): Promise<SettingsWindow> {
  const context = await browser.newContext({
    viewport: { width: 960, height: 720 },
    locale: 'en-US',
    colorScheme: 'light',
    ...options,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });

  await page.exposeBinding('__mytimerRequest', (_source, method: string, params: unknown) =>
    forward(daemon, method, params),
  );
  await page.exposeBinding('__mytimerStatus', async () => {
    const reply = await forward(daemon, 'status', {});
    return reply.ok ? reply.result : null;
  });
  await page.exposeBinding('__mytimerCspViolation', (_source, text: string) => {
    problems.push(`CSP violation: ${text}`);
  });
  await page.addInitScript(() => {
    const harness = window as unknown as HarnessWindow;
    const listeners = new Set<(event: DaemonEvent) => void>();
    harness.__mytimerDispatch = (event) => {
      for (const listener of listeners) listener(event);
    };
    Object.defineProperty(window, 'mytimer', {
      value: Object.freeze({
        request: (method: string, params: unknown) => harness.__mytimerRequest(method, params),
        status: () => harness.__mytimerStatus(),
        onEvent(listener: (event: DaemonEvent) => void) {
          listeners.add(listener);
          return () => void listeners.delete(listener);
        },
      }),
    });
    document.addEventListener('securitypolicyviolation', (event) => {
      void harness.__mytimerCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`,
      );
    });
  });

  const unsubscribe = daemon.onEvent((event) => {
    // Before the page (or after it) exists there is nobody to tell: the page reads status itself on load.
    page
      .evaluate((pushed) => (window as unknown as HarnessWindow).__mytimerDispatch?.(pushed), event)
      .catch(() => {});
  });

  await page.goto(url);
  return {
    page,
    problems,
    async close() {
      unsubscribe();
      await context.close();
    },
  };
}
