import { describe, expect, it } from 'vitest';
import { createNotifier, DeliveryError, type DeliveryRequest, type NotifyBackend } from './index.js';

/** A backend that records what it was asked and fails while `failWith` is set. */
function fakeBackend() {
  const requests: DeliveryRequest[] = [];
  const backend: NotifyBackend & { failWith: unknown } = {
    name: 'fake',
    failWith: undefined,
    async send(request) {
      requests.push(request);
      if (backend.failWith !== undefined) throw backend.failWith;
    },
  };
  return { backend, requests };
}

function setup() {
  const { backend, requests } = fakeBackend();
  const logs: { level: string; msg: string }[] = [];
  const notifier = createNotifier({
    backend,
    pid: 4242,
    processName: 'mytimer-daemon',
    log: (level, msg) => logs.push({ level, msg }),
  });
  return { notifier, backend, requests, logs };
}

const missingNotifySend = () =>
  new DeliveryError(
    'notifier-missing',
    'notify-send not found',
    'install libnotify-bin (Debian/Ubuntu) or libnotify (Fedora/Arch)',
  );

describe('what is sent', () => {
  it('puts a footer line with the pid and process name under the message', async () => {
    const { notifier, requests } = setup();
    await expect(notifier.notify({ title: 'Rest', message: 'Look away for 20 s' })).resolves.toEqual({
      delivered: true,
    });
    expect(requests).toEqual([
      {
        appName: 'myTimer',
        title: 'Rest',
        body: 'Look away for 20 s\npid 4242 · mytimer-daemon',
        urgency: 'normal',
        timeoutSec: undefined,
        sound: undefined,
        iconPath: undefined,
      },
    ]);
  });

  it('passes title and message through unchanged, shell metacharacters, newlines and Chinese included', async () => {
    const { notifier, requests } = setup();
    const title = `-t "it's" $HOME`;
    const message = `Rest $(touch /tmp/pwned) \`id\` "quoted" 'single'\nline2 C:\\temp\\new 不要 Coding，休息一下眼睛吧`;
    await notifier.notify({ title, message });
    expect(requests[0]?.title).toBe(title);
    expect(requests[0]?.body).toBe(`${message}\npid 4242 · mytimer-daemon`);
  });

  it('passes sound, urgency, display time and icon through', async () => {
    const { backend, requests } = fakeBackend();
    const notifier = createNotifier({ backend, pid: 1, processName: 'p', iconPath: '/icons/tray.png' });
    await notifier.notify({ title: 't', message: 'm', sound: true, urgency: 'critical', timeoutSec: 8 });
    expect(requests[0]).toMatchObject({
      sound: true,
      urgency: 'critical',
      timeoutSec: 8,
      iconPath: '/icons/tray.png',
    });
  });

  it('defaults the footer to this process, read when the notification is sent', async () => {
    const { backend, requests } = fakeBackend();
    const notifier = createNotifier({ backend });
    const before = process.title;
    process.title = 'mytimer-daemon-test';
    try {
      await notifier.notify({ title: 't', message: 'm' });
    } finally {
      process.title = before;
    }
    expect(requests[0]?.body).toBe(`m\npid ${process.pid} · mytimer-daemon-test`);
  });

  it('titles an untitled notification with the app name and keeps the footer as the only body line', async () => {
    const { notifier, requests } = setup();
    await notifier.notify({ title: '', message: '' });
    expect(requests[0]).toMatchObject({ title: 'myTimer', body: 'pid 4242 · mytimer-daemon' });
  });
});

describe('failures', () => {
  it('logs the first failure once with its hint, stays quiet while it repeats, and retries every time', async () => {
    const { notifier, backend, requests, logs } = setup();
    backend.failWith = missingNotifySend();
    for (let i = 0; i < 4; i++) {
      await expect(notifier.notify({ title: 'Rest', message: `try ${i}` })).resolves.toEqual({
        delivered: false,
        error: 'notify-send not found',
      });
    }
    expect(requests).toHaveLength(4);
    expect(logs).toEqual([
      {
        level: 'warn',
        msg:
          'desktop notifications failed: notify-send not found — install libnotify-bin (Debian/Ubuntu) or ' +
          'libnotify (Fedora/Arch); reminders still run',
      },
    ]);

    backend.failWith = undefined;
    await expect(notifier.notify({ title: 'Rest', message: 'back' })).resolves.toEqual({ delivered: true });
    expect(requests).toHaveLength(5);
    expect(logs).toHaveLength(1);
  });

  it('logs again when failures come back after a success, or when their cause changes', async () => {
    const { notifier, backend, logs } = setup();
    backend.failWith = missingNotifySend();
    await notifier.notify({ title: 't', message: 'm' });
    backend.failWith = new DeliveryError('no-server', 'no notification server answered');
    await notifier.notify({ title: 't', message: 'm' });
    await notifier.notify({ title: 't', message: 'm' });
    backend.failWith = undefined;
    await notifier.notify({ title: 't', message: 'm' });
    backend.failWith = new DeliveryError('no-server', 'no notification server answered');
    await notifier.notify({ title: 't', message: 'm' });
    expect(logs.map((entry) => entry.msg.split(';')[0])).toEqual([
      'desktop notifications failed: notify-send not found — install libnotify-bin (Debian/Ubuntu) or libnotify (Fedora/Arch)',
      'desktop notifications failed: no notification server answered',
      'desktop notifications failed: no notification server answered',
    ]);
  });

  it('never rejects: not on a thrown non-Error, a synchronous throw, or a throwing logger', async () => {
    const throwingSync: NotifyBackend = {
      name: 'sync-throw',
      send: () => {
        throw new TypeError('boom');
      },
    };
    const notifier = createNotifier({
      backend: throwingSync,
      log: () => {
        throw new Error('logger down');
      },
    });
    await expect(notifier.notify({ title: 't', message: 'm' })).resolves.toEqual({
      delivered: false,
      error: 'boom',
    });

    const { backend } = fakeBackend();
    backend.failWith = 'a string, not an Error';
    const logs: string[] = [];
    const other = createNotifier({ backend, log: (_level, msg) => logs.push(msg) });
    await expect(other.notify({ title: 't', message: 'm' })).resolves.toEqual({
      delivered: false,
      error: 'a string, not an Error',
    });
    expect(logs).toEqual(['desktop notifications failed: a string, not an Error; reminders still run']);
  });

  it('logs once when concurrent notifications fail together', async () => {
    const { notifier, backend, logs } = setup();
    backend.failWith = missingNotifySend();
    const results = await Promise.all([1, 2, 3].map((i) => notifier.notify({ title: 't', message: `${i}` })));
    expect(results.every((result) => !result.delivered)).toBe(true);
    expect(logs).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('300 notifications at once keep at most 3 deliveries in flight, in order, and deliver all', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const titles: string[] = [];
    const backend: NotifyBackend = {
      name: 'slow',
      async send(request) {
        titles.push(request.title);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
      },
    };
    const notifier = createNotifier({ backend, log: () => {} });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => notifier.notify({ title: `r${i}`, message: 'm' })),
    );
    expect(results.every((result) => result.delivered)).toBe(true);
    expect(maxInFlight).toBe(3);
    expect(titles).toEqual(Array.from({ length: 300 }, (_, i) => `r${i}`));
  });

  it('a failed delivery frees its slot for the next one', async () => {
    let calls = 0;
    const backend: NotifyBackend = {
      name: 'failing',
      async send() {
        calls++;
        throw new DeliveryError('failed', 'nope');
      },
    };
    const notifier = createNotifier({ backend, log: () => {}, maxInFlight: 1 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => notifier.notify({ title: 't', message: 'm' })),
    );
    expect(results.map((result) => result.delivered)).toEqual([false, false, false, false, false]);
    expect(calls).toBe(5);
  });
});
