import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Request } from '../../shared/contract.js';
import { NOTIFY_ACTION_WAIT_SEC } from '../../shared/limits.js';
import { actOnNotification } from '../desktop/reminder-actions.js';
import {
  createNodeNotifierBackend,
  createNotifier,
  DeliveryError,
  type DeliveryRequest,
  type NotifierActionEvent,
} from './index.js';
import { pressedAction } from './node-notifier.js';

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

describe('buttons through node-notifier (macOS, Windows)', () => {
  type Answer = (error: unknown, response?: string, metadata?: Record<string, unknown>) => void;
  /**
   * A stand-in node-notifier that keeps each call's options and callback: a helper without `wait` returns at
   * once, one waiting for a press is answered by the test.
   */
  function fakeNodeNotifier() {
    const calls: { options: Record<string, unknown>; answer: Answer }[] = [];
    return {
      calls,
      notifier: {
        notify(options: object, answer: Answer) {
          calls.push({ options: { ...options }, answer });
          if (!('wait' in options) || options.wait !== true) answer(null);
        },
      },
    };
  }
  const labels = { snooze: 'Snooze 5 min', skip: 'Skip', 'start-break': 'Start break' } as const;
  const actionLabel = (action: keyof typeof labels) => labels[action];
  const reminder = {
    title: 'Rest your eyes',
    message: 'Look away',
    key: 'rest-eyes',
    actions: ['snooze', 'skip', 'start-break'] as const,
    snoozeMinutes: 5,
  };

  for (const [platform, helper, answer] of [
    // terminal-notifier's JSON: activationType actionClicked, activationValue the label (node-notifier lower-cases the type).
    [
      'darwin',
      'terminal-notifier',
      ['actionclicked', { activationType: 'actionClicked', activationValue: 'Snooze 5 min' }],
    ],
    // SnoreToast: the pressed button's label becomes the (lower-cased) response, and `button` keeps it.
    ['win32', 'SnoreToast', ['snooze 5 min', { action: 'buttonClicked', button: 'Snooze 5 min' }]],
  ] as const) {
    it(`on ${platform} (${helper}): passes the labels with wait, and a click on "Snooze 5 min" emits snooze for that reminder`, async () => {
      const fake = fakeNodeNotifier();
      const backend = createNodeNotifierBackend({ notifier: fake.notifier, platform, startGraceMs: 0 });
      const notifier = createNotifier({
        backend,
        actionLabel,
        pid: 7,
        processName: 'mytimer-daemon',
        log: () => undefined,
      });
      const pressed: NotifierActionEvent[] = [];
      notifier.onAction?.((event) => pressed.push(event));

      expect(await notifier.notify(reminder)).toEqual({ delivered: true });
      expect(fake.calls[0]?.options).toMatchObject({
        title: 'Rest your eyes',
        message: 'Look away\npid 7 · mytimer-daemon',
        actions: ['Snooze 5 min', 'Skip', 'Start break'],
        wait: true,
        timeout: NOTIFY_ACTION_WAIT_SEC,
      });
      fake.calls[0]?.answer(null, answer[0], answer[1]);
      expect(pressed).toEqual([{ key: 'rest-eyes', action: 'snooze', notificationId: 1 }]);

      // …which the daemon turns into the same request as a D-Bus press.
      const requests: Request[] = [];
      await actOnNotification(
        pressed[0]!,
        async (request) => (requests.push(request), null),
        () => undefined,
      );
      expect(requests[0]).toMatchObject({
        method: 'reminder.snooze',
        params: { id: 'rest-eyes', again: true },
      });
    });
  }

  it('a timed-out or dismissed notification, and a second callback, press nothing', async () => {
    const fake = fakeNodeNotifier();
    const backend = createNodeNotifierBackend({
      notifier: fake.notifier,
      platform: 'win32',
      startGraceMs: 0,
    });
    const notifier = createNotifier({ backend, actionLabel, log: () => undefined });
    const pressed: NotifierActionEvent[] = [];
    notifier.onAction?.((event) => pressed.push(event));
    await notifier.notify(reminder);
    fake.calls[0]?.answer(null, 'timeout', { action: 'timedout' });
    fake.calls[0]?.answer(null, 'skip', { button: 'Skip' }); // SnoreToast's double callback
    await notifier.notify(reminder);
    fake.calls[1]?.answer(null, 'dismissed', { action: 'dismissed' });
    expect(pressed).toEqual([]);
  });

  it('a click on the notification itself is reported as default', () => {
    const actions = [{ id: 'skip', label: 'Skip' }] as const;
    expect(pressedAction(actions, 'contentsclicked', { activationType: 'contentsClicked' })).toBe('default');
    expect(pressedAction(actions, 'activate', {})).toBe('default');
    expect(pressedAction(actions, 'skip', { button: 'Skip' })).toBe('skip');
    expect(pressedAction(actions, 'timeout', {})).toBeNull();
  });

  it('at most maxWaiting helpers wait for a press; the next notification goes without buttons until one ends', async () => {
    const fake = fakeNodeNotifier();
    const backend = createNodeNotifierBackend({
      notifier: fake.notifier,
      platform: 'darwin',
      maxWaiting: 2,
      startGraceMs: 0,
    });
    const notifier = createNotifier({ backend, actionLabel, log: () => undefined });
    await notifier.notify({ ...reminder, key: 'a' });
    await notifier.notify({ ...reminder, key: 'b' });
    await notifier.notify({ ...reminder, key: 'c' });
    expect(fake.calls.map((call) => [call.options.wait, call.options.actions])).toEqual([
      [true, ['Snooze 5 min', 'Skip', 'Start break']],
      [true, ['Snooze 5 min', 'Skip', 'Start break']],
      [false, undefined],
    ]);
    fake.calls[0]?.answer(null, 'timeout', {}); // one wait ends
    await notifier.notify({ ...reminder, key: 'd' });
    expect(fake.calls[3]?.options).toMatchObject({
      wait: true,
      actions: ['Snooze 5 min', 'Skip', 'Start break'],
    });
  });

  it('a helper that cannot start fails the delivery, and frees its waiting slot', async () => {
    const fake = fakeNodeNotifier();
    const backend = createNodeNotifierBackend({
      notifier: {
        notify: (options, answer) => {
          fake.notifier.notify(options, answer);
          answer(Object.assign(new Error('spawn terminal-notifier ENOENT'), { code: 'ENOENT' }));
        },
      },
      platform: 'darwin',
      maxWaiting: 1,
    });
    const notifier = createNotifier({ backend, actionLabel, log: () => undefined });
    expect(await notifier.notify(reminder)).toMatchObject({ delivered: false });
    expect(await notifier.notify(reminder)).toMatchObject({ delivered: false });
    expect(fake.calls.map((call) => call.options.wait)).toEqual([true, true]);
  });

  it('Linux, and notifications without a key or buttons, get no buttons', async () => {
    const fake = fakeNodeNotifier();
    const linux = createNotifier({
      backend: createNodeNotifierBackend({ notifier: fake.notifier, platform: 'linux' }),
      actionLabel,
      log: () => undefined,
    });
    await linux.notify(reminder);
    const mac = createNotifier({
      backend: createNodeNotifierBackend({ notifier: fake.notifier, platform: 'darwin' }),
      actionLabel,
      log: () => undefined,
    });
    await mac.notify({ title: 'Timer finished', message: 'Tea is done' });
    expect(fake.calls.map((call) => [call.options.wait, call.options.actions])).toEqual([
      [false, undefined],
      [false, undefined],
    ]);
  });
});
