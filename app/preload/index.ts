import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DaemonEvent, Status } from '../shared/contract.js';
import { IPC_CHANNELS } from '../shared/ipc-channels.js';
import type { BreakInfo, MyTimerApi } from './api.js';

/**
 * The settings window's preload: runs sandboxed, bundled into one CommonJS file (only `electron` is
 * required at run time). It exposes three named wrappers as `window.mytimer`; the page never sees
 * `ipcRenderer`, the IPC event object, or a way to invoke an arbitrary channel. Main validates every
 * request against the contract, so nothing is checked twice here.
 */

const api: MyTimerApi = {
  request: (method, params) => ipcRenderer.invoke(IPC_CHANNELS.request, { method, params }),
  status: () => ipcRenderer.invoke(IPC_CHANNELS.status) as Promise<Status | null>,
  onEvent(listener) {
    // The IpcRendererEvent carries `sender` (the ipcRenderer itself): it must never reach the page.
    const forward = (_event: IpcRendererEvent, daemonEvent: DaemonEvent) => listener(daemonEvent);
    ipcRenderer.on(IPC_CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, forward);
    };
  },
  pickFolder: () => ipcRenderer.invoke(IPC_CHANNELS.pickFolder) as Promise<string | null>,
  breakInfo: () => ipcRenderer.invoke(IPC_CHANNELS.breakInfo) as Promise<BreakInfo | null>,
  breakAction: async (action) => {
    await ipcRenderer.invoke(IPC_CHANNELS.breakAction, action);
  },
};

contextBridge.exposeInMainWorld('mytimer', api);
