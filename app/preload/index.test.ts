import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DaemonEvent } from '../shared/contract.js';
import type { MyTimerApi } from './api.js';

// A stand-in for electron's preload modules: contextBridge records what is exposed, ipcRenderer is
// a tiny emitter whose invoke echoes its arguments.
const bridge = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const exposed = new Map<string, unknown>();
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => ({ channel, args }),
    on(channel: string, listener: Listener) {
      const set = listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(channel, set);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
    /** What main's `webContents.send(channel, payload)` does: the listener gets an event object first. */
    emit(channel: string, payload: unknown) {
      const ipcEvent = { sender: ipcRenderer, senderId: 0, ports: [] };
      for (const listener of listeners.get(channel) ?? []) listener(ipcEvent, payload);
    },
    listenerCount: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
  const contextBridge = {
    exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
  };
  const reset = () => {
    listeners.clear();
    exposed.clear();
  };
  return { ipcRenderer, contextBridge, exposed, reset };
});

vi.mock('electron', () => ({ ipcRenderer: bridge.ipcRenderer, contextBridge: bridge.contextBridge }));

const logEvent: DaemonEvent = { event: 'log', data: { level: 'info', message: 'hello' } };

async function loadApi(): Promise<MyTimerApi> {
  await import('./index.js');
  const api = bridge.exposed.get('mytimer');
  if (!api) throw new Error('nothing was exposed as "mytimer"');
  return api as MyTimerApi;
}

describe('the preload bridge', () => {
  beforeEach(() => {
    vi.resetModules();
    bridge.reset();
  });

  it('exposes exactly its named functions under "mytimer", and nothing else', async () => {
    const api = await loadApi();
    expect([...bridge.exposed.keys()]).toEqual(['mytimer']);
    expect(Object.keys(api).sort()).toEqual([
      'breakAction',
      'breakInfo',
      'onEvent',
      'pickFolder',
      'request',
      'status',
    ]);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.values(api)).not.toContain(bridge.ipcRenderer);
  });

  it('sends a request as { method, params } on mytimer:request and status on mytimer:status', async () => {
    const api = await loadApi();
    const params = { reminder: { id: 'water', schedule: { kind: 'every' as const, intervalMs: 60_000 } } };
    await expect(api.request('reminder.add', params)).resolves.toEqual({
      channel: 'mytimer:request',
      args: [{ method: 'reminder.add', params }],
    });
    await expect(api.status()).resolves.toEqual({ channel: 'mytimer:status', args: [] });
  });

  it('asks main for a folder on mytimer:pick-folder and relays the break window on its two channels', async () => {
    const api = await loadApi();
    await expect(api.pickFolder()).resolves.toEqual({ channel: 'mytimer:pick-folder', args: [] });
    await expect(api.breakInfo()).resolves.toEqual({ channel: 'mytimer:break-info', args: [] });
    const invoke = vi.spyOn(bridge.ipcRenderer, 'invoke');
    await expect(api.breakAction('postpone')).resolves.toBeUndefined();
    expect(invoke).toHaveBeenLastCalledWith('mytimer:break-action', 'postpone');
  });

  it('hands the listener the daemon event only, never the IPC event object', async () => {
    const api = await loadApi();
    const received: unknown[][] = [];
    api.onEvent((...args: unknown[]) => received.push(args));
    bridge.ipcRenderer.emit('mytimer:event', logEvent);
    expect(received).toEqual([[logEvent]]);
    expect(JSON.stringify(received)).not.toContain('sender');
  });

  it('stops calling a listener once it unsubscribed, and leaves the others subscribed', async () => {
    const api = await loadApi();
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = api.onEvent(first);
    api.onEvent(second);
    expect(bridge.ipcRenderer.listenerCount('mytimer:event')).toBe(2);

    unsubscribeFirst();
    bridge.ipcRenderer.emit('mytimer:event', logEvent);

    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith(logEvent);
    expect(bridge.ipcRenderer.listenerCount('mytimer:event')).toBe(1);
  });
});
