import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DaemonHost } from './daemon-host.js';
import { stopDaemonOnQuit } from './quit.js';
import { app, electronFake, fakeEvent } from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => {
  electronFake.reset();
  vi.useFakeTimers();
  return () => vi.useRealTimers();
});

describe('quitting the app', () => {
  it('holds the quit back, stops the daemon (shutdown, then kill after 2 s), then quits', async () => {
    const host = new DaemonHost({ modulePath: '/d.js', home: '/h' });
    const allowClose = vi.fn();
    stopDaemonOnQuit(host, allowClose);
    host.start();
    const child = electronFake.child.spawn();

    const first = fakeEvent();
    app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    expect(allowClose).toHaveBeenCalled();
    expect(child.posted).toEqual([{ id: 'stop', method: 'shutdown', params: {} }]);

    // A second quit request while stopping is held back too, without a second shutdown.
    const second = fakeEvent();
    app.emit('before-quit', second);
    expect(second.defaultPrevented).toBe(true);
    expect(child.posted).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(child.kill).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
    electronFake.childProcessGone({ reason: 'killed' });
    await vi.advanceTimersByTimeAsync(0);
    expect(app.quit).toHaveBeenCalledTimes(1);

    // The quit that follows goes through.
    const last = fakeEvent();
    app.emit('before-quit', last);
    expect(last.defaultPrevented).toBe(false);
    host.dispose();
  });

  it('lets the app quit at once when no daemon runs', () => {
    const host = new DaemonHost({ modulePath: '/d.js', home: '/h' });
    stopDaemonOnQuit(host, () => undefined);
    const event = fakeEvent();
    app.emit('before-quit', event);
    expect(event.defaultPrevented).toBe(false);
    host.dispose();
  });
});
