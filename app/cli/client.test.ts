import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methods, requestSchema } from '../shared/contract.js';
import type { DaemonEvent, Reply } from '../shared/contract.js';
import { ValidationError } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { startControlServer } from '../workers/control/index.js';
import type { ControlServer } from '../workers/control/index.js';
import {
  DaemonDisconnectedError,
  DaemonError,
  DaemonNotRunningError,
  DaemonTimeoutError,
  connectControl,
  requestOnce,
} from './client.js';
import type { ControlClient } from './client.js';

let dir: string;
let socketPath: string;
const servers: ControlServer[] = [];
const clients: ControlClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtc-'));
  socketPath = join(dir, 'daemon.sock');
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

/**
 * A daemon stand-in that validates like the real one: params are parsed with the contract and echoed,
 * an id param of `wait-<ms>` makes it wait first (to reorder replies), and bad input becomes a typed error.
 */
async function fakeDaemon(message: unknown): Promise<Reply> {
  const request = requestSchema.safeParse(message);
  if (!request.success) return { id: null, ok: false, error: { code: 'invalid', message: 'not a request' } };
  const { id, method, params } = request.data;
  try {
    const parsed: unknown = parseWith(methods[method].params, params ?? {}, 'params');
    const wait = /^wait-(\d+)$/.exec((parsed as { id?: string }).id ?? '')?.[1];
    if (wait !== undefined) await delay(Number(wait));
    return { id, ok: true, result: { method, params: parsed } };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { id, ok: false, error: { code: 'invalid', field: err.field, message: err.reason } };
  }
}

async function startDaemon(
  handle: (message: unknown) => Promise<Reply> = fakeDaemon,
): Promise<ControlServer> {
  const server = await startControlServer({ socketPath, handle });
  servers.push(server);
  return server;
}

async function connect(timeoutMs?: number): Promise<ControlClient> {
  const client = await connectControl(socketPath, { timeoutMs });
  clients.push(client);
  return client;
}

describe('request', () => {
  it('resolves to the result of the reply', async () => {
    await startDaemon();
    const client = await connect();
    expect(await client.send('reminder.snooze', { id: 'eyes', minutes: 5 })).toEqual({
      method: 'reminder.snooze',
      params: { id: 'eyes', minutes: 5 },
    });
    expect(await client.send('ping')).toEqual({ method: 'ping', params: {} });
  });

  it("checks the result against the method's result schema", async () => {
    await startDaemon(async (message) => {
      const { id, method } = requestSchema.parse(message);
      return { id, ok: true, result: method === 'ping' ? { pong: true, pid: 7 } : { pong: 'yes' } };
    });
    const client = await connect();
    const pong = await client.request('ping');
    expect(pong.pid).toBe(7);
    await expect(client.request('timer.list')).rejects.toThrow(
      /the daemon's reply to "timer.list" does not fit this CLI .*are both the same version\?/,
    );
  });

  it('matches concurrent requests to their own replies, whatever order they come back in', async () => {
    await startDaemon();
    const client = await connect();
    const ids = ['wait-60', 'wait-5', 'wait-30', 'wait-0'];
    const results = await Promise.all(ids.map((id) => client.send('timer.stop', { id })));
    expect(results).toEqual(ids.map((id) => ({ method: 'timer.stop', params: { id } })));
  });

  it('rejects ok:false with a DaemonError carrying code, field and message', async () => {
    await startDaemon();
    const client = await connect();
    const failure = client.send('pause', { durationMs: 5 });
    await expect(failure).rejects.toThrow(DaemonError);
    await expect(failure).rejects.toMatchObject({
      code: 'invalid',
      field: 'params.durationMs',
      message: 'must be from 60000 to 604800000 ms (1 minute to 7 days)',
    });
    // The connection is still good after an error reply.
    expect(await client.send('status')).toMatchObject({ method: 'status' });
  });

  it('pins an id-less refusal (a request over 1 MiB) on the one waiting request instead of timing out', async () => {
    await startDaemon();
    const client = await connect();
    const huge = client.request('reminder.remove', { id: 'x'.repeat(2 * 1024 * 1024) });
    await expect(huge).rejects.toMatchObject({ name: 'DaemonError', code: 'invalid' });
    await expect(huge).rejects.toThrow(/line exceeds/);
  });

  it('requestOnce connects, asks, and closes', async () => {
    const server = await startDaemon(async (message) => {
      const { id } = requestSchema.parse(message);
      return { id, ok: true, result: [] };
    });
    expect(await requestOnce(socketPath, 'timer.list')).toEqual([]);
    await expect.poll(() => server.clientCount).toBe(0);
  });
});

describe('failures', () => {
  it('rejects with DaemonNotRunningError and the start hint when there is no socket', async () => {
    const attempt = connectControl(socketPath);
    await expect(attempt).rejects.toThrow(DaemonNotRunningError);
    await expect(attempt).rejects.toThrow('no mytimer daemon is running — start one with `npx mytimer run`');
    await expect(requestOnce(socketPath, 'status')).rejects.toThrow(DaemonNotRunningError);
  });

  it.skipIf(process.platform === 'win32')(
    'rejects with DaemonNotRunningError on a stale socket of a crashed daemon (POSIX only: pipes leave no file)',
    async () => {
      await leaveStaleSocket(socketPath);
      await expect(connectControl(socketPath)).rejects.toMatchObject({
        name: 'DaemonNotRunningError',
        cause: { code: 'ECONNREFUSED' },
      });
    },
  );

  it('rejects with DaemonTimeoutError when the daemon never replies', async () => {
    await startDaemon(() => new Promise<Reply>(() => {}));
    const client = await connect(150);
    const started = Date.now();
    await expect(client.request('status')).rejects.toThrow(new DaemonTimeoutError('status', 150).message);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects waiting requests when the connection closes', async () => {
    const server = await startDaemon(() => new Promise<Reply>(() => {}));
    const client = await connect();
    const waiting = expect(client.request('status')).rejects.toThrow(DaemonDisconnectedError);
    await expect.poll(() => server.clientCount).toBe(1);
    await server.close();
    await waiting;
    await client.closed;
    await expect(client.request('ping')).rejects.toThrow(DaemonDisconnectedError);
  });
});

describe('subscribe', () => {
  it('delivers broadcast events after the daemon confirms the subscription', async () => {
    const server = await startDaemon();
    const client = await connect();
    const events: DaemonEvent[] = [];
    await client.subscribe((event) => events.push(event));
    const done: DaemonEvent = { event: 'timer-done', data: { id: 't1', name: '泡茶' } };
    const log: DaemonEvent = { event: 'log', data: { level: 'info', message: 'hello' } };
    server.broadcast(done);
    server.broadcast(log);
    await expect.poll(() => events).toEqual([done, log]);
    // Requests still work on a subscribed connection.
    expect(await client.send('ping')).toMatchObject({ method: 'ping' });
  });

  it('drops events that break the contract instead of handing them on', async () => {
    const server = await startDaemon();
    const warnings: string[] = [];
    const client = await connectControl(socketPath, { log: (_level, message) => warnings.push(message) });
    clients.push(client);
    const events: DaemonEvent[] = [];
    await client.subscribe((event) => events.push(event));
    server.broadcast({ event: 'timer-done', data: { id: 1 } } as unknown as DaemonEvent);
    server.broadcast({ event: 'timer-done', data: { id: 't2', name: 'ok' } });
    await expect.poll(() => events.length).toBe(1);
    expect(warnings.some((w) => w.startsWith('the daemon sent a malformed event'))).toBe(true);
  });
});

/** Starts a listener in a child process and SIGKILLs it, leaving the socket file with nobody behind it. */
async function leaveStaleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('ready'))", path],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`listener exited early (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
