/**
 * The heartbeat on the host ⇄ daemon IPC channel: the host pings (app/host's HeartbeatMonitor), the
 * daemon's transport echoes the same object back. Not a request of the contract: both sides tell it
 * apart with {@link isHeartbeat}.
 */

/** The ping a host sends; the daemon sends the same object back. */
export interface HeartbeatMessage {
  heartbeat: number;
}

/** True for a heartbeat ping or its echo (and for nothing the contract defines: no `method`, no `event`). */
export function isHeartbeat(message: unknown): message is HeartbeatMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { heartbeat?: unknown }).heartbeat === 'number' &&
    !('method' in message) &&
    !('event' in message)
  );
}
