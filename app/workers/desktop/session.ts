/**
 * Suspend, resume, lock and unlock, headless on Linux, from logind on the system bus:
 * PrepareForSleep(true/false) on the Manager → 'suspend' / 'resume' the moment it arrives; the
 * session's Lock / Unlock signals and its LockedHint property → 'lock-screen' / 'unlock-screen'
 * (each change reported once, whichever of the two told us first).
 */
import { dictOfVariants, type DBusClient } from './dbus-client.js';
import { LOGIND } from './idle.js';

/** The host events this source produces (a subset of app/shared/contract.ts `hostEventSchema`). */
export type SessionEvent = 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen';

export interface SessionWatch {
  /** The logind session object watched for lock/unlock, or null when none was found (sleep only). */
  readonly sessionPath: string | null;
  /** Whether the session is locked, as last reported. */
  readonly locked: boolean;
  close(): void;
}

export interface SessionWatchOptions {
  system: DBusClient;
  onEvent: (event: SessionEvent) => void;
  /** The logind session id; default XDG_SESSION_ID, else 'auto' (logind resolves it to the caller's session). */
  sessionId?: string;
  timeoutMs?: number;
}

/** The session's object path from logind, or null when logind does not know one for us. */
async function resolveSessionPath(
  system: DBusClient,
  sessionId: string,
  timeoutMs: number | undefined,
): Promise<string | null> {
  try {
    const [path] = await system.call({
      destination: LOGIND.name,
      path: LOGIND.path,
      interface: LOGIND.manager,
      member: 'GetSession',
      signature: 's',
      body: [sessionId],
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

/**
 * Subscribes to logind's sleep and lock signals. Resolves once the subscriptions are in place; if
 * the session starts locked, 'lock-screen' is reported at once. Rejects when logind is not there.
 */
export async function watchSession(options: SessionWatchOptions): Promise<SessionWatch> {
  const { system, onEvent } = options;
  const unsubscribers: (() => void)[] = [];
  let locked = false;
  let closed = false;
  const setLocked = (next: boolean) => {
    if (closed || next === locked) return;
    locked = next;
    onEvent(next ? 'lock-screen' : 'unlock-screen');
  };
  if (!(await system.nameHasOwner(LOGIND.name, options.timeoutMs))) {
    throw new Error(`logind (${LOGIND.name}) is not on the system bus ${system.address}`);
  }
  try {
    unsubscribers.push(
      await system.onSignal(
        { sender: LOGIND.name, path: LOGIND.path, interface: LOGIND.manager, member: 'PrepareForSleep' },
        ([start]) => {
          if (!closed) onEvent(start === true ? 'suspend' : 'resume');
        },
      ),
    );
    const sessionId = options.sessionId ?? process.env.XDG_SESSION_ID ?? 'auto';
    const sessionPath = await resolveSessionPath(system, sessionId, options.timeoutMs);
    if (sessionPath !== null) {
      const onSession = (member: string, listener: (body: unknown[]) => void) =>
        system.onSignal(
          { sender: LOGIND.name, path: sessionPath, interface: LOGIND.session, member },
          listener,
        );
      unsubscribers.push(await onSession('Lock', () => setLocked(true)));
      unsubscribers.push(await onSession('Unlock', () => setLocked(false)));
      unsubscribers.push(
        await system.onSignal(
          {
            sender: LOGIND.name,
            path: sessionPath,
            interface: 'org.freedesktop.DBus.Properties',
            member: 'PropertiesChanged',
          },
          ([iface, changed]) => {
            if (iface !== LOGIND.session) return;
            const hint = dictOfVariants(changed).LockedHint;
            if (typeof hint === 'boolean') setLocked(hint);
          },
        ),
      );
      try {
        const hint = await system.getProperty(
          LOGIND.name,
          sessionPath,
          LOGIND.session,
          'LockedHint',
          options.timeoutMs,
        );
        if (hint === true) setLocked(true);
      } catch {
        // Older logind has no LockedHint: the signals still work.
      }
    }
    return {
      sessionPath,
      get locked() {
        return locked;
      },
      close() {
        closed = true;
        for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      },
    };
  } catch (error) {
    for (const unsubscribe of unsubscribers) unsubscribe();
    throw error;
  }
}
