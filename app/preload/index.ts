import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DaemonEvent, Status } from '../shared/contract.js';
import type { MyTimerApi } from './api.js';

/**
 * The settings window's preload: runs sandboxed, bundled into one CommonJS file (only `electron` is
 * required at run time). It exposes three named wrappers as `window.mytimer`; the page never sees
 * `ipcRenderer`, the IPC event object, or a way to invoke an arbitrary channel. Main validates every
 * request against the contract, so nothing is checked twice here.
 */

// The channel names main listens on (app/shared/ipc-channels.ts, owned by main).
const REQUEST_CHANNEL = 'mytimer:request';
const STATUS_CHANNEL = 'mytimer:status';
const EVENT_CHANNEL = 'mytimer:event';

const api: MyTimerApi = {
  request: (method, params) => ipcRenderer.invoke(REQUEST_CHANNEL, { method, params }),
  status: () => ipcRenderer.invoke(STATUS_CHANNEL) as Promise<Status | null>,
  onEvent(listener) {
    // The IpcRendererEvent carries `sender` (the ipcRenderer itself): it must never reach the page.
    const forward = (_event: IpcRendererEvent, daemonEvent: DaemonEvent) => listener(daemonEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('mytimer', api);
