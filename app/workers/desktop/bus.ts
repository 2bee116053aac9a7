/**
 * A small typed, promise-based face of @homebridge/dbus-native for the session bus: connect, call, read a
 * property, subscribe to a signal, close. The library speaks callbacks, never fails a call whose connection
 * died, and throws an unhandled 'error' event on a broken socket; this wrapper bounds every call with a
 * timeout, fails pending calls when the connection ends, and never throws out of an event.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';

/** One method call. `signature` and `body` follow dbus-native: a variant is `[signature, value]`. */
export interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: readonly unknown[];
}

/** Which signals to receive; becomes a bus match rule (`type='signal',…`). */
export interface SignalMatch {
  path: string;
  interface: string;
  member: string;
  /** A well-known or unique bus name; left out, a signal from anyone matches. */
  sender?: string;
  /** The first argument, when it is a string (e.g. the name in NameOwnerChanged). */
  arg0?: string;
}

/** A D-Bus error reply (`name` like `org.freedesktop.DBus.Error.ServiceUnknown`), a timeout or a lost bus. */
export class DbusError extends Error {
  override readonly name = 'DbusError';
  constructor(
    /** The D-Bus error name, or `timeout` / `disconnected`. */
    readonly dbusName: string,
    message: string,
  ) {
    super(message);
  }
}

/** The outcome of {@link connectSessionBus}: a bus, or why there is none, written for a log line. */
export type ConnectResult = { ok: true; bus: SessionBus } | { ok: false; reason: string };

export interface ConnectOptions {
  /** Default: `DBUS_SESSION_BUS_ADDRESS`. */
  address?: string;
  /** The handshake and Hello must finish within this. Default 2 s. */
  timeoutMs?: number;
  /** Every method call must be answered within this. Default 5 s. */
  callTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
const DEFAULT_CALL_TIMEOUT_MS = 5_000;
const DBUS = {
  destination: 'org.freedesktop.DBus',
  path: '/org/freedesktop/DBus',
  interface: 'org.freedesktop.DBus',
};

// The shapes of dbus-native we use. Its index.d.ts declares neither sessionBus()/createClient() nor `signals`,
// `addMatch`, `name` or the connection's `end()`, so the module is loaded untyped and described here.
interface NativeConnection extends EventEmitter {
  end(): void;
}
interface NativeBus {
  connection: NativeConnection;
  signals: EventEmitter;
  invoke(
    message: MethodCall,
    callback: (error: { name?: string; message?: string } | null | undefined, ...body: unknown[]) => void,
  ): void;
  mangle(path: string, iface: string, member: string): string;
}
interface NativeModule {
  sessionBus(options: { busAddress: string }): NativeBus;
}
// dbus-native is CommonJS; createRequire keeps it out of the ESM loader's named-export guessing.
const native = createRequire(import.meta.url)('@homebridge/dbus-native') as NativeModule;

/**
 * Connects to the session bus. Never rejects: a missing address, an unsupported one (abstract sockets need an
 * optional native module), a refused socket, a failed handshake or no answer in time all come back as
 * `{ ok: false, reason }`.
 */
export async function connectSessionBus(options: ConnectOptions = {}): Promise<ConnectResult> {
  const address = options.address ?? process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) return { ok: false, reason: 'no session bus (DBUS_SESSION_BUS_ADDRESS is not set)' };
  let nativeBus: NativeBus;
  try {
    nativeBus = native.sessionBus({ busAddress: address });
  } catch (error) {
    return { ok: false, reason: `no session bus at ${address}: ${(error as Error).message}` };
  }
  const bus = new SessionBus(nativeBus, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  try {
    // Hello is the first message on the wire; any reply after it means the bus took us in.
    await bus.call({ ...DBUS, member: 'GetId' }, options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    return { ok: true, bus };
  } catch (error) {
    bus.close();
    return { ok: false, reason: `no session bus at ${address}: ${(error as Error).message}` };
  }
}

/** A connection to a session bus. Create it with {@link connectSessionBus}. */
export class SessionBus {
  readonly #native: NativeBus;
  readonly #callTimeoutMs: number;
  readonly #pending = new Set<(error: DbusError) => void>();
  readonly #closeListeners = new Set<(reason: string) => void>();
  #closedReason: string | null = null;

  /** @internal use {@link connectSessionBus}. */
  constructor(nativeBus: NativeBus, callTimeoutMs: number) {
    this.#native = nativeBus;
    this.#callTimeoutMs = callTimeoutMs;
    // A socket error is an 'error' event on the connection: unhandled, Node would throw it and kill the daemon.
    nativeBus.connection.on('error', (error: Error) => this.#lost(error.message));
    nativeBus.connection.on('end', () => this.#lost('the bus closed the connection'));
  }

  /** Whether the connection is gone (closed here or lost); every call then fails at once. */
  get closed(): boolean {
    return this.#closedReason !== null;
  }

  /** Calls a method; resolves to the reply's body (one element per out argument). */
  call(message: MethodCall, timeoutMs = this.#callTimeoutMs): Promise<unknown[]> {
    if (this.#closedReason !== null) {
      return Promise.reject(new DbusError('disconnected', `the session bus is gone (${this.#closedReason})`));
    }
    return new Promise<unknown[]>((resolve, reject) => {
      const fail = (error: DbusError) => {
        clearTimeout(timer);
        this.#pending.delete(fail);
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new DbusError(
              'timeout',
              `${message.interface}.${message.member} got no answer in ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      this.#pending.add(fail);
      this.#native.invoke({ ...message, body: message.body ? [...message.body] : [] }, (error, ...body) => {
        if (!this.#pending.has(fail)) return; // timed out or disconnected already
        if (error) {
          const name = error.name ?? 'org.freedesktop.DBus.Error.Failed';
          fail(new DbusError(name, `${message.interface}.${message.member}: ${error.message || name}`));
          return;
        }
        clearTimeout(timer);
        this.#pending.delete(fail);
        resolve(body);
      });
    });
  }

  /** Reads one property through org.freedesktop.DBus.Properties.Get, unwrapping its variant. */
  async getProperty(destination: string, path: string, iface: string, name: string): Promise<unknown> {
    const [variant] = await this.call({
      destination,
      path,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: [iface, name],
    });
    // dbus-native reads a variant as [signatureTree, [value]].
    const value = Array.isArray(variant) ? (variant[1] as unknown) : undefined;
    return Array.isArray(value) ? (value[0] as unknown) : value;
  }

  /** Whether some connection owns `name` on this bus. */
  async nameHasOwner(name: string): Promise<boolean> {
    const [owned] = await this.call({ ...DBUS, member: 'NameHasOwner', signature: 's', body: [name] });
    return owned === true;
  }

  /**
   * Receives a signal: adds the match rule on the bus, then calls `handler` with each signal's body. Resolves
   * to a function that stops it (and removes the rule while the bus is up).
   */
  async subscribe(match: SignalMatch, handler: (body: unknown[]) => void): Promise<() => Promise<void>> {
    const rule = matchRule(match);
    await this.call({ ...DBUS, member: 'AddMatch', signature: 's', body: [rule] });
    const key = this.#native.mangle(match.path, match.interface, match.member);
    const listener = (body: unknown[] | undefined) => {
      try {
        handler(body ?? []);
      } catch {
        // A throwing handler must not escape through the connection's 'message' event.
      }
    };
    this.#native.signals.on(key, listener);
    return async () => {
      this.#native.signals.off(key, listener);
      if (this.closed) return;
      await this.call({ ...DBUS, member: 'RemoveMatch', signature: 's', body: [rule] }).catch(
        () => undefined,
      );
    };
  }

  /** Runs `listener` once when the connection is lost (not when closed here). */
  onLost(listener: (reason: string) => void): void {
    this.#closeListeners.add(listener);
  }

  /** Ends the connection; pending calls fail with `disconnected`. Idempotent. */
  close(): void {
    if (this.#closedReason !== null) return;
    this.#closedReason = 'closed';
    this.#failPending('closed');
    this.#closeListeners.clear();
    try {
      this.#native.connection.end();
    } catch {
      // Already torn down by the library.
    }
  }

  #lost(reason: string): void {
    if (this.#closedReason !== null) return;
    this.#closedReason = reason;
    this.#failPending(reason);
    for (const listener of this.#closeListeners) listener(reason);
    this.#closeListeners.clear();
    try {
      this.#native.connection.end();
    } catch {
      // The socket is already gone.
    }
  }

  #failPending(reason: string): void {
    for (const fail of [...this.#pending])
      fail(new DbusError('disconnected', `the session bus is gone (${reason})`));
  }
}

/** `type='signal',sender='…',path='…',interface='…',member='…'`; the values are bus names, never quoted text. */
export function matchRule(match: SignalMatch): string {
  const parts = [`type='signal'`];
  if (match.sender !== undefined) parts.push(`sender='${match.sender}'`);
  parts.push(`path='${match.path}'`, `interface='${match.interface}'`, `member='${match.member}'`);
  if (match.arg0 !== undefined) parts.push(`arg0='${match.arg0}'`);
  return parts.join(',');
}
