import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createNodeNotifierBackend, DeliveryError, type DeliveryRequest } from './index.js';

type Callback = (error: unknown) => void;

// The macOS and Windows helpers cannot run here: stand in for node-notifier's default export.
const notify = vi.fn<(options: Record<string, unknown>, callback: Callback) => void>();
vi.mock('node-notifier', () => ({ default: { notify } }));

const request: DeliveryRequest = { appName: 'myTimer', title: 'Rest', body: 'Look away', urgency: 'normal' };

async function failureOf(promise: Promise<void>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('node-notifier backend', () => {
  beforeEach(() => {
    notify.mockReset();
  });

  it('maps the request onto node-notifier options', async () => {
    notify.mockImplementation((_options, callback) => callback(null));
    const backend = createNodeNotifierBackend({ windowsAppId: 'com.example.mytimer' });
    await backend.send({ ...request, sound: true, iconPath: '/i.png', timeoutSec: 5 });
    expect(notify.mock.calls[0]?.[0]).toEqual({
      title: 'Rest',
      message: 'Look away',
      wait: false,
      timeout: 5,
      sound: true,
      icon: '/i.png',
      appID: 'com.example.mytimer',
    });
  });

  it('leaves out what was not asked for, and lets terminal-notifier return at once', async () => {
    notify.mockImplementation((_options, callback) => callback(null));
    await createNodeNotifierBackend().send(request);
    expect(notify.mock.calls[0]?.[0]).toEqual({
      title: 'Rest',
      message: 'Look away',
      wait: false,
      timeout: false,
    });
  });

  it('settles on the first callback when the helper calls back twice', async () => {
    notify.mockImplementation((_options, callback) => {
      callback(Object.assign(new Error('toast failed'), { code: -1 }));
      callback(null);
    });
    const error = await failureOf(createNodeNotifierBackend().send(request));
    expect(error).toMatchObject({ reason: 'failed', message: 'toast failed' });
  });

  it('accepts stderr text in place of an Error, and names a helper that cannot start', async () => {
    notify.mockImplementationOnce((_options, callback) => callback('some stderr'));
    expect(await failureOf(createNodeNotifierBackend().send(request))).toMatchObject({
      message: 'some stderr',
    });

    notify.mockImplementationOnce((_options, callback) =>
      callback(Object.assign(new Error('spawn terminal-notifier EACCES'), { code: 'EACCES' })),
    );
    const error = await failureOf(createNodeNotifierBackend().send(request));
    expect(error.reason).toBe('notifier-missing');
    expect(error.hint).toContain('asar');
  });

  it('gives up waiting for a helper that never calls back', async () => {
    notify.mockImplementation(() => undefined);
    const error = await failureOf(createNodeNotifierBackend({ timeoutMs: 50 }).send(request));
    expect(error.reason).toBe('timed-out');
  });
});

describe('helper binaries in a packaged app', () => {
  it('points node-notifier at the unpacked terminal-notifier / SnoreToast beside app.asar', async () => {
    const { unpackedHelperPath } = await import('./node-notifier.js');
    const dir = path.join(
      '/Applications/myTimer.app/Contents/Resources/app.asar',
      'node_modules',
      'node-notifier',
    );
    expect(unpackedHelperPath(dir, 'darwin')).toBe(
      path.join(
        '/Applications/myTimer.app/Contents/Resources/app.asar.unpacked/node_modules/node-notifier',
        'vendor/mac.noindex/terminal-notifier.app/Contents/MacOS/terminal-notifier',
      ),
    );
    expect(unpackedHelperPath(dir, 'win32', 'x64')).toMatch(
      /app\.asar\.unpacked.*snoreToast.snoretoast-x64\.exe$/,
    );
    expect(unpackedHelperPath('/work/main/node_modules/node-notifier', 'darwin')).toBeUndefined();
  });
});
