import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security.js';
import {
  RENDERER_URL,
  registerAppScheme,
  rendererFilePath,
  rendererResponse,
  serveRenderer,
} from './protocol.js';
import { electronFake, protocol } from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

let base: string;
let root: string;

beforeEach(async () => {
  electronFake.reset();
  base = await mkdtemp(path.join(tmpdir(), 'mytimer-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>myTimer</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(base, 'secret.txt'), 'do not serve');
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('the app:// scheme', () => {
  it('is registered as standard and secure', () => {
    registerAppScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true } },
    ]);
  });

  it('serves files from the renderer folder with their type and the strict CSP', async () => {
    serveRenderer(root);
    const handler = electronFake.protocolHandlers.get('app');
    const response = (await handler?.({ url: RENDERER_URL })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>myTimer</title>');

    const script = await rendererResponse(root, 'app://mytimer/assets/app.js');
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect((await rendererResponse(root, 'app://mytimer/')).status).toBe(200);
    expect((await rendererResponse(root, 'app://mytimer/missing.js')).status).toBe(404);
  });

  it('refuses paths outside the renderer folder, other hosts and other schemes', async () => {
    for (const url of [
      'app://mytimer/..%2fsecret.txt',
      'app://mytimer/%2e%2e%2fsecret.txt',
      'app://mytimer/assets/..%2f..%2fsecret.txt',
      'app://mytimer/..%5csecret.txt',
      'app://mytimer/%00index.html',
      'app://mytimer/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
    ]) {
      expect(rendererFilePath(root, url), url).toBeNull();
      expect((await rendererResponse(root, url)).status, url).toBe(403);
    }
    // The URL parser folds plain dot segments first: these stay inside (and are simply not found).
    expect(rendererFilePath(root, 'app://mytimer/../secret.txt')).toBe(path.join(root, 'secret.txt'));
  });

  it('refuses a symlink that leads out of the renderer folder', async () => {
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'leak.txt'));
    expect((await rendererResponse(root, 'app://mytimer/leak.txt')).status).toBe(403);
  });
});
