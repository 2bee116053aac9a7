/**
 * The Electron IPC channels between the settings window's preload and main. Names only (no electron
 * import), so main, the preload and tests agree on one spelling.
 *
 * - `request`: renderer → main, `ipcRenderer.invoke(request, { method, params })`. Main checks the
 *   sender, validates the payload against the contract and forwards it to the daemon; it resolves to a
 *   `Reply` (`{ id, ok: true, result }` or `{ id, ok: false, error: { code, field?, message } }`) and
 *   never rejects.
 * - `status`: renderer → main, `ipcRenderer.invoke(status)`: the last `Status` main received from the
 *   daemon, or null before the first one.
 * - `event`: main → renderer, `webContents.send(event, daemonEvent)`: every `DaemonEvent`, pushed.
 * - `pickFolder`: settings window → main: a folder chosen in the OS dialog (`string`), or null.
 * - `breakInfo`: break window → main: the break on screen (`BreakInfo`), or null.
 * - `breakAction`: break window → main, with `'postpone' | 'skip' | 'done' | 'emergency'`.
 */
export const IPC_CHANNELS = Object.freeze({
  request: 'mytimer:request',
  status: 'mytimer:status',
  event: 'mytimer:event',
  pickFolder: 'mytimer:pick-folder',
  breakInfo: 'mytimer:break-info',
  breakAction: 'mytimer:break-action',
} as const);

/** One of the channel names in {@link IPC_CHANNELS}. */
export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];
