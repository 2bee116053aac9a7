/**
 * The one D-Bus wrapper of the daemon: a small promise-based client over @homebridge/dbus-native — connect to a
 * bus by address, call a method, read a property, subscribe to a signal (AddMatch; the unsubscribe removes the
 * rule), own a name, emit a signal, close. Notifications, idle, logind, DND, the tests' private buses and the
 * bench all use it.
 *
 * Why this design (issue 9, "one of everything"): there were two wrappers, this one and bus.ts (SessionBus). This
 * one was the richer (any bus by address, per-call timeouts, RequestName and signal emission for tests and
 * benches, variant helpers), so it stayed and took over what only bus.ts had: {@link connectSessionBus} (a clear
 * `{ ok: false, reason }` instead of a throw, so notifications fall back to notify-send), a per-connection
 * default call timeout, `arg0` in match rules ({@link matchRule}), and signal handlers that cannot throw out of
 * the library's event. The library speaks callbacks, never fails a call whose connection died, and emits an
 * unhandled 'error' on a broken socket; here every call is bounded by a timeout, pending calls fail with
 * `disconnected` when the connection ends, and no socket error escapes (it would crash the daemon).
 */
import { createRequire } from 'node:module';

/** dbus-native is CommonJS; createRequire keeps this file ESM and the import typed where the library has types. */
const require = createRequire(import.meta.url);

/** The part of dbus-native we use, typed here because its index.d.ts lacks createClient, addMatch and signals. */
interface NativeBus {
  invoke(
    message: NativeMessage,
    callback: (error: { name?: string; message?: unknown } | null | undefined, ...body: unknown[]) => void,
  ): void;
  addMatch(rule: string, callback: (error: unknown) => void): void;
  removeMatch(rule: string, callback: (error: unknown) => void): void;
  readonly signals: NodeJS.EventEmitter;
  readonly connection: NodeJS.EventEmitter & { end(): void; stream: { destroy(): void } };
  mangle(path: string, iface: string, member: string): string;
  sendSignal(path: string, iface: string, member: string, signature: string, body: unknown[]): void;
}
interface NativeMessage {
  destination?: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}
interface NativeModule {
  createClient(options: { busAddress: string }): NativeBus;
}
// Cast: the shipped types declare only systemBus(); createClient exists (index.js) and returns the bus above.
const native = require('@homebridge/dbus-native') as NativeModule;

/** Default time a call may take before it is abandoned, and the default for connecting. */
export const DEFAULT_CALL_TIMEOUT_MS = 2_000;

const DBUS = {
  destination: 'org.freedesktop.DBus',
  path: '/org/freedesktop/DBus',
  interface: 'org.freedesktop.DBus',
};

/** A D-Bus error reply, or a timeout, naming the call. */
export class DBusError extends Error {
  /** The D-Bus error name, e.g. `org.freedesktop.DBus.Error.ServiceUnknown`, or `timeout` / `disconnected`. */
  readonly dbusName: string;
  constructor(dbusName: string, message: string) {
    super(message);
    this.name = 'DBusError';
    this.dbusName = dbusName;
  }
}

/** One method call. `signature` and `body` describe the arguments (dbus-native's marshalling). */
export interface CallOptions {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
  timeoutMs?: number;
}

/** Which signals a subscription wants; each field narrows the match rule. */
export interface SignalMatch {
  /** A well-known or unique bus name; left out, a signal from anyone matches. */
  sender?: string;
  path: string;
  interface: string;
  member: string;
  /** The first argument, when it is a string (e.g. the name in NameOwnerChanged). */
  arg0?: string;
}

/** `type='signal',sender='…',path='…',interface='…',member='…',arg0='…'`; the values are bus names, never quoted text. */
export function matchRule(match: SignalMatch): string {
  const parts = [`type='signal'`];
  if (match.sender !== undefined) parts.push(`sender='${match.sender}'`);
  parts.push(`path='${match.path}'`, `interface='${match.interface}'`, `member='${match.member}'`);
  if (match.arg0 !== undefined) parts.push(`arg0='${match.arg0}'`);
  return parts.join(',');
}

export interface ConnectOptions {
  /** The handshake and a first answer must come within this. Default {@link DEFAULT_CALL_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** A call without its own `timeoutMs` must be answered within this. Default {@link DEFAULT_CALL_TIMEOUT_MS}. */
  callTimeoutMs?: number;
}

/**
 * Unwraps a variant as dbus-native returns it (`[signatureTree, [value]]`) into its value; a value
 * that is not a variant is returned as is. Nested variants are unwrapped one level per call.
 */
export function unwrapVariant(value: unknown): unknown {
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Array.isArray(value[0]) &&
    Array.isArray(value[1]) &&
    value[1].length === 1
  ) {
    return value[1][0];
  }
  return value;
}

/** An `a{sv}` as dbus-native returns it (`[[key, variant], …]`) as a plain record of unwrapped values. */
export function dictOfVariants(value: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!Array.isArray(value)) return result;
  for (const entry of value) {
    if (Array.isArray(entry) && typeof entry[0] === 'string') result[entry[0]] = unwrapVariant(entry[1]);
  }
  return result;
}

/** A connection to one bus. Created by {@link DBusClient.connect} or {@link connectSessionBus}. */
export class DBusClient {
  readonly address: string;
  readonly #bus: NativeBus;
  readonly #callTimeoutMs: number;
  #closed = false;
  #closeError: Error | null = null;
  readonly #pending = new Set<(error: Error) => void>();

  private constructor(address: string, bus: NativeBus, callTimeoutMs: number) {
    this.address = address;
    this.#bus = bus;
    this.#callTimeoutMs = callTimeoutMs;
    // A socket error is an 'error' event on the connection: unhandled, Node would throw it and kill the daemon.
    const fail = (error: Error) => {
      if (this.#closed) return;
      this.#closeError = error;
      this.#closed = true;
      for (const reject of [...this.#pending]) reject(error);
      this.#pending.clear();
      try {
        bus.connection.end();
      } catch {
        // The socket is already gone.
      }
    };
    bus.connection.on('error', (error: Error) =>
      fail(new DBusError('disconnected', `D-Bus ${address}: ${error.message}`)),
    );
    bus.connection.on('end', () =>
      fail(new DBusError('disconnected', `D-Bus ${address}: connection closed`)),
    );
  }

  /**
   * Connects to the bus at `address` (e.g. `unix:path=/run/user/1000/bus`) and waits for the bus to
   * answer (Hello, then a Ping), so a wrong address fails here, within `timeoutMs`. Rejects with a
   * {@link DBusError} naming the address; {@link connectSessionBus} never rejects.
   */
  static async connect(
    address: string,
    timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
    options: Pick<ConnectOptions, 'callTimeoutMs'> = {},
  ): Promise<DBusClient> {
    if (address.trim() === '') throw new RangeError('address must be a D-Bus address (got an empty string)');
    let bus: NativeBus;
    try {
      bus = native.createClient({ busAddress: address });
    } catch (error) {
      throw new DBusError('disconnected', `D-Bus ${address}: ${(error as Error).message}`);
    }
    const client = new DBusClient(address, bus, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
    try {
      await client.call({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus.Peer',
        member: 'Ping',
        timeoutMs,
      });
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Calls a method; resolves with the reply's body (one element per out argument). */
  call(options: CallOptions): Promise<unknown[]> {
    if (this.#closed) {
      return Promise.reject(
        this.#closeError ?? new DBusError('disconnected', `D-Bus ${this.address}: closed`),
      );
    }
    const what = `${options.destination} ${options.path} ${options.interface}.${options.member}`;
    const timeoutMs = options.timeoutMs ?? this.#callTimeoutMs;
    return new Promise<unknown[]>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, body?: unknown[]) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#pending.delete(rejectPending);
        if (error) reject(error);
        else resolve(body ?? []);
      };
      const rejectPending = (error: Error) => finish(error);
      this.#pending.add(rejectPending);
      const timer = setTimeout(
        () => finish(new DBusError('timeout', `${what}: no reply within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const message: NativeMessage = {
        destination: options.destination,
        path: options.path,
        interface: options.interface,
        member: options.member,
        ...(options.signature !== undefined && { signature: options.signature, body: options.body ?? [] }),
      };
      try {
        this.#bus.invoke(message, (error, ...body) => {
          if (error) {
            const text = typeof error.message === 'string' ? error.message : '';
            finish(
              new DBusError(
                error.name ?? 'unknown',
                `${what}: ${error.name ?? 'error'}${text ? `: ${text}` : ''}`,
              ),
            );
          } else {
            finish(null, body);
          }
        });
      } catch (error) {
        // Marshalling errors (a body that does not fit the signature) are thrown synchronously.
        finish(new DBusError('invalid-args', `${what}: ${(error as Error).message}`));
      }
    });
  }

  /** Reads one property (org.freedesktop.DBus.Properties.Get), unwrapped from its variant. */
  async getProperty(
    destination: string,
    path: string,
    iface: string,
    name: string,
    timeoutMs?: number,
  ): Promise<unknown> {
    const [value] = await this.call({
      destination,
      path,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: [iface, name],
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    return unwrapVariant(value);
  }

  /**
   * Subscribes to a signal: adds a match rule on the bus (AddMatch, so the bus routes it to us) and
   * calls `listener` with the signal's body. Resolves once the bus accepted the rule, with a
   * function that unsubscribes (and removes the rule).
   */
  async onSignal(match: SignalMatch, listener: (body: unknown[]) => void): Promise<() => void> {
    const rule = matchRule(match);
    await this.call({ ...DBUS, member: 'AddMatch', signature: 's', body: [rule] });
    // dbus-native dispatches signals by (path, interface, member); sender and arg0 are checked by the bus's rule.
    const key = this.#bus.mangle(match.path, match.interface, match.member);
    const handler = (body: unknown[] | undefined) => {
      try {
        listener(body ?? []);
      } catch {
        // A throwing listener must not escape through the connection's 'message' event (it would crash the daemon).
      }
    };
    this.#bus.signals.on(key, handler);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.#bus.signals.off(key, handler);
      if (!this.#closed) {
        void this.call({ ...DBUS, member: 'RemoveMatch', signature: 's', body: [rule] }).catch(
          () => undefined,
        );
      }
    };
  }

  /** Whether some connection owns `name` on this bus. */
  async nameHasOwner(name: string, timeoutMs?: number): Promise<boolean> {
    const [owned] = await this.call({
      ...DBUS,
      member: 'NameHasOwner',
      signature: 's',
      body: [name],
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    return owned === true;
  }

  /**
   * Asks the bus for a well-known name (RequestName, flag DO_NOT_QUEUE); resolves true when this
   * connection now owns it. For tests and benchmarks that play a service.
   */
  async requestName(name: string): Promise<boolean> {
    const [answer] = await this.call({
      ...DBUS,
      member: 'RequestName',
      signature: 'su',
      body: [name, 4],
    });
    return answer === 1 || answer === 4; // PRIMARY_OWNER, ALREADY_OWNER
  }

  /** Emits a signal from this connection (broadcast). */
  emitSignal(path: string, iface: string, member: string, signature: string, body: unknown[]): void {
    if (this.#closed)
      throw this.#closeError ?? new DBusError('disconnected', `D-Bus ${this.address}: closed`);
    this.#bus.sendSignal(path, iface, member, signature, body);
  }

  /** Closes the connection; pending calls fail with `disconnected`. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = new DBusError('disconnected', `D-Bus ${this.address}: closed`);
    for (const reject of this.#pending) reject(this.#closeError);
    this.#pending.clear();
    this.#bus.signals.removeAllListeners();
    try {
      this.#bus.connection.end();
      this.#bus.connection.stream.destroy();
    } catch {
      // already gone
    }
  }
}

/** What {@link connectSessionBus} got: a client, or why there is none, written for a log line. */
export type ConnectResult = { ok: true; client: DBusClient } | { ok: false; reason: string };

/**
 * Connects to the session bus (default: {@link sessionBusAddress}). Never rejects: no address, an unsupported
 * one, a refused socket, a failed handshake or no answer in time all come back as `{ ok: false, reason }`
 * (`no session bus …`), so the caller can fall back (notifications: notify-send / node-notifier).
 */
export async function connectSessionBus(
  options: ConnectOptions & { address?: string | null } = {},
): Promise<ConnectResult> {
  const address = options.address === undefined ? sessionBusAddress() : options.address;
  if (!address) return { ok: false, reason: 'no session bus (DBUS_SESSION_BUS_ADDRESS is not set)' };
  try {
    const client = await DBusClient.connect(address, options.timeoutMs, {
      ...(options.callTimeoutMs !== undefined && { callTimeoutMs: options.callTimeoutMs }),
    });
    return { ok: true, client };
  } catch (error) {
    const message = (error as Error).message.replace(`D-Bus ${address}: `, '');
    return { ok: false, reason: `no session bus at ${address}: ${message}` };
  }
}

/** The session bus's address from the environment, or null when there is none (no desktop session). */
export function sessionBusAddress(env: NodeJS.ProcessEnv = process.env): string | null {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (address) return address;
  // systemd user sessions put the bus at a fixed place even when the variable is not exported.
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime ? `unix:path=${runtime}/bus` : null;
}

/** The system bus's address: DBUS_SYSTEM_BUS_ADDRESS, else the well-known socket. */
export function systemBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DBUS_SYSTEM_BUS_ADDRESS || 'unix:path=/var/run/dbus/system_bus_socket';
}
