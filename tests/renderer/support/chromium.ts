import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from '../../integration/support/daemon.js';
import { serveStatic, type StaticServer } from './static-server.js';

// What every renderer test file starts with: Debian's Chromium and the built pages served over HTTP.

export const CHROMIUM = '/usr/bin/chromium';
export const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
export const hasChromium = existsSync(CHROMIUM);

/** `title`, or `<what> — SKIPPED, needs /usr/bin/chromium (apt-get install …)` where Chromium is missing. */
export function chromiumSuiteTitle(title: string, what: string): string {
  return hasChromium
    ? title
    : `${what} — SKIPPED, needs ${CHROMIUM} (apt-get install chromium fonts-noto-cjk)`;
}

/**
 * Launches Chromium headless and serves dist/renderer (checking that `bundle` was built). The background-networking flags keep Chromium
 * from reaching for Google's hosts, which this machine's closed network refuses.
 */
export async function startRenderer(bundle = 'app.js'): Promise<{ browser: Browser; server: StaticServer }> {
  if (!existsSync(path.join(RENDERER_DIR, bundle))) {
    throw new Error(`dist/renderer/${bundle} is missing: run \`npm run build\` first`);
  }
  const [browser, server] = await Promise.all([
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    }),
    serveStatic(RENDERER_DIR),
  ]);
  return { browser, server };
}
