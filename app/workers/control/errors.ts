/**
 * Another daemon of this user answers on the control socket. One daemon per user is the rule (it is the
 * single writer of the settings and state files), so the newcomer must exit rather than steal the socket.
 */
export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
  constructor(readonly socketPath: string) {
    super(`another mytimer daemon is already running (socket ${socketPath})`);
  }
}

/**
 * Something that is not a socket sits at the control socket's path. Removing a stale socket is safe;
 * removing an arbitrary file is not, so the daemon stops and names it.
 */
export class SocketPathOccupiedError extends Error {
  override readonly name = 'SocketPathOccupiedError';
  constructor(readonly socketPath: string) {
    super(`${socketPath} exists and is not a socket; remove it or choose another runtime directory`);
  }
}
