import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp.js';

/** The renderer's origin: `app://mytimer`. A standard, secure scheme, so it has a real origin. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mytimer';

/** The settings window's page. */
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The break window's page. */
export const BREAK_URL = `${APP_SCHEME}://${APP_HOST}/break.html`;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Registers `app:` as standard and secure. Must run before app `ready` (Electron's rule), so the
 * composition root calls it at load time.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

/**
 * The file under `rootDir` that `requestUrl` names, or null when it is not ours: another scheme or
 * host, a malformed escape, a NUL byte or backslash, or a path that leaves `rootDir` (`..`, encoded
 * or not).
 * `/` serves `index.html`. Pure: symlinks are checked by {@link rendererResponse}.
 */
export function rendererFilePath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // A backslash is a separator on Windows: refused everywhere, so the check is the same on every OS.
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  return isInside(root, file) ? file : null;
}

/**
 * The response for one `app://mytimer/…` request: the file with its content type and the strict CSP,
 * 404 when it is missing, 403 when it is outside `rootDir` (after resolving symlinks too).
 */
export async function rendererResponse(rootDir: string, requestUrl: string): Promise<Response> {
  const file = rendererFilePath(rootDir, requestUrl);
  if (file === null) return textResponse(403, 'forbidden');
  let body: Buffer;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(rootDir), realpath(file)]);
    if (!isInside(realRoot, realFile)) return textResponse(403, 'forbidden');
    body = await readFile(realFile);
  } catch {
    return textResponse(404, 'not found');
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}

/** Serves `rootDir` (dist/renderer/) on `app://mytimer/`; call once, after app `ready`. */
export function serveRenderer(rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rootDir, request.url));
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

function textResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    },
  });
}
