import { spawn } from 'node:child_process';
import { lstat, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../shared/contract.js';
import { AlreadyRunningError, SocketPathOccupiedError } from './errors.js';
import { LineSplitter, MAX_LINE_BYTES } from '../../shared/lines.js';
import { startControlServer } from './socket-server.js';
import type { ControlServer, ControlServerOptions } from './socket-server.js';

let dir: string;
let socketPath: string;
const servers: ControlServer[] = [];
const sockets: net.Socket[] = [];

beforeEach(async () => {
  // mkdtemp creates the directory 0700, as the real runtime dir is; short name for the 104-byte sun_path.
  dir = await mkdtemp(join(tmpdir(), 'mtc-'));
  socketPath = join(dir, 'daemon.sock');
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Answers every message with itself as the result, under the message's id. */
const echo = async (message: unknown): Promise<Reply> => ({
  id: (message as { id?: string | number }).id ?? null,
  ok: true,
  result: message,
});

async function start(options: Partial<ControlServerOptions> = {}): Promise<ControlServer> {
  const server = await startControlServer({ socketPath, handle: echo, ...options });
  servers.push(server);
  return server;
}

/** A bare socket that speaks the wire format by hand, to send what a well-behaved client never would. */
async function rawClient(path = socketPath) {
  const socket = net.createConnection(path);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const splitter = new LineSplitter(64 * MAX_LINE_BYTES);
  const received: unknown[] = [];
  const waiters: ((message: unknown) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const line of splitter.push(chunk).lines) {
      const message: unknown = JSON.parse(line);
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else received.push(message);
    }
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {}); // the server may close on us mid-write; the test asserts on `ended`
  return {
    socket,
    ended,
    send: (text: string | Buffer) => void socket.write(text),
    next: (): Promise<unknown> =>
      received.length > 0
        ? Promise.resolve(received.shift())
        : new Promise((resolve) => waiters.push(resolve)),
  };
}

describe('request and reply', () => {
  it('passes each parsed line to handle and writes the reply as one line', async () => {
    await start();
    const client = await rawClient();
    client.send('{"id":1,"method":"ping"}\n{"id":"two","method":"status","params":{}}\n');
    expect(await client.next()).toEqual({ id: 1, ok: true, result: { id: 1, method: 'ping' } });
    expect(await client.next()).toEqual({
      id: 'two',
      ok: true,
      result: { id: 'two', method: 'status', params: {} },
    });
  });

  it('handles requests of one connection concurrently; each reply carries its id', async () => {
    // The first request is held until the second one's reply has arrived: no timing involved.
    let releaseFirst!: () => void;
    const firstReleased = new Promise<void>((resolve) => (releaseFirst = resolve));
    const slowFirst = async (message: unknown): Promise<Reply> => {
      const { id } = message as { id: number };
      if (id === 1) await firstReleased;
      return { id, ok: true, result: id * 10 };
    };
    await start({ handle: slowFirst });
    const client = await rawClient();
    client.send('{"id":1,"method":"ping"}\n{"id":2,"method":"ping"}\n');
    expect(await client.next()).toEqual({ id: 2, ok: true, result: 20 });
    releaseFirst();
    expect(await client.next()).toEqual({ id: 1, ok: true, result: 10 });
  });

  it('replies internal with the request id when handle throws, and keeps serving', async () => {
    const logged: string[] = [];
    await start({
      handle: async (message) => {
        if ((message as { method: string }).method === 'shutdown') throw new Error('boom');
        return echo(message);
      },
      log: (level, text) => logged.push(`${level}: ${text}`),
    });
    const client = await rawClient();
    client.send('{"id":7,"method":"shutdown"}\n');
    expect(await client.next()).toEqual({ id: 7, ok: false, error: { code: 'internal', message: 'boom' } });
    expect(logged).toContain('error: control handler threw: boom');
    client.send('{"id":8,"method":"ping"}\n');
    expect(await client.next()).toMatchObject({ id: 8, ok: true });
  });
});

describe('bad input', () => {
  it('answers a line that is not JSON with an invalid error and keeps the connection usable', async () => {
    await start();
    const client = await rawClient();
    client.send('hello there\n');
    expect(await client.next()).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(/^not valid JSON: /) },
    });
    client.send('{"id":2,"method":"ping"}\n');
    expect(await client.next()).toMatchObject({ id: 2, ok: true });
  });

  it('answers a JSON value that is not an object (an array, a number) with an invalid error', async () => {
    await start();
    const client = await rawClient();
    client.send('[1,2,3]\n42\n');
    expect(await client.next()).toEqual({
      id: null,
      ok: false,
      error: { code: 'invalid', message: 'a message must be a JSON object (got an array)' },
    });
    expect(await client.next()).toMatchObject({ ok: false, error: { code: 'invalid' } });
    client.send('{"id":3,"method":"ping"}\n');
    expect(await client.next()).toMatchObject({ id: 3, ok: true });
  });

  it('answers a line over 1 MiB with an error and closes only that connection', async () => {
    const server = await start();
    const bystander = await rawClient();
    const flooder = await rawClient();
    // No newline: the server must not wait for one before refusing to buffer more.
    flooder.send(Buffer.alloc(MAX_LINE_BYTES + 1, 0x61));
    expect(await flooder.next()).toEqual({
      id: null,
      ok: false,
      error: {
        code: 'invalid',
        message: `line exceeds ${MAX_LINE_BYTES} bytes (1 MiB); closing the connection`,
      },
    });
    await flooder.ended;
    bystander.send('{"id":1,"method":"ping"}\n');
    expect(await bystander.next()).toMatchObject({ id: 1, ok: true });
    const fresh = await rawClient();
    fresh.send('{"id":2,"method":"ping"}\n');
    expect(await fresh.next()).toMatchObject({ id: 2, ok: true });
    await expect.poll(() => server.clientCount).toBe(2);
  });

  it('round-trips Chinese text whose multi-byte character is split across two chunks', async () => {
    const seen: unknown[] = [];
    await start({ handle: async (message) => (seen.push(message), echo(message)) });
    const client = await rawClient();
    const bytes = Buffer.from('{"id":1,"method":"ping","params":{"name":"番茄钟"}}\n');
    const cut = bytes.indexOf(Buffer.from('茄')) + 1; // inside the 3-byte sequence
    client.send(bytes.subarray(0, cut));
    // Let the first half arrive as its own read. Real time on purpose: the split happens in the kernel's
    // socket buffers, which no Clock reaches, and the server offers no hook for "a read happened".
    await delay(30);
    client.send(bytes.subarray(cut));
    const expected = { id: 1, method: 'ping', params: { name: '番茄钟' } };
    expect(await client.next()).toEqual({ id: 1, ok: true, result: expected });
    expect(seen).toEqual([expected]);
  });
});

describe('socket file', () => {
  it.skipIf(process.platform === 'win32')('is mode 0600 (POSIX only: named pipes have no mode)', async () => {
    const before = process.umask(0o022);
    try {
      await start();
      expect((await stat(socketPath)).mode & 0o777).toBe(0o600);
      // The umask is restored, so files the daemon creates later are not affected.
      expect(process.umask(0o022)).toBe(0o022);
    } finally {
      process.umask(before);
    }
  });

  it('refuses to start while a live daemon answers on the path', async () => {
    await start();
    await expect(startControlServer({ socketPath, handle: echo })).rejects.toThrow(AlreadyRunningError);
    await expect(startControlServer({ socketPath, handle: echo })).rejects.toThrow(
      `another mytimer daemon is already running (socket ${socketPath})`,
    );
  });

  it.skipIf(process.platform === 'win32')(
    'replaces a stale socket left by a SIGKILLed daemon (POSIX only: pipes vanish with their process)',
    async () => {
      await leaveStaleSocket(socketPath);
      expect((await lstat(socketPath)).isSocket()).toBe(true);
      const logged: string[] = [];
      await start({ log: (_level, text) => logged.push(text) });
      expect(logged).toContain(`removed stale control socket ${socketPath}`);
      const client = await rawClient();
      client.send('{"id":1,"method":"ping"}\n');
      expect(await client.next()).toMatchObject({ id: 1, ok: true });
    },
  );

  it.skipIf(process.platform === 'win32')('refuses to remove a path that is not a socket', async () => {
    await writeFile(socketPath, 'not a socket');
    await expect(startControlServer({ socketPath, handle: echo })).rejects.toThrow(SocketPathOccupiedError);
  });

  it('close() ends the clients and removes the socket file', async () => {
    const server = await startControlServer({ socketPath, handle: echo });
    const client = await rawClient();
    await server.close();
    await client.ended;
    expect(server.clientCount).toBe(0);
    await expect(lstat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
    // And the path is free for the next daemon.
    await start();
  });
});

describe('events', () => {
  it('broadcasts only to clients that subscribed', async () => {
    const server = await start();
    const subscriber = await rawClient();
    const requester = await rawClient();
    subscriber.send('{"subscribe":true}\n');
    expect(await subscriber.next()).toEqual({ id: null, ok: true, result: { subscribed: true } });
    expect(server.clientCount).toBe(2);

    const event = { event: 'timer-done', data: { id: 't1', name: 'Tea' } } as const;
    server.broadcast(event);
    expect(await subscriber.next()).toEqual(event);
    // Had the event reached the requester, it would be read before this reply.
    requester.send('{"id":1,"method":"ping"}\n');
    expect(await requester.next()).toMatchObject({ id: 1, ok: true });
  });

  it('echoes an id on the subscribe line and rejects a non-boolean subscribe', async () => {
    await start();
    const client = await rawClient();
    client.send('{"id":5,"subscribe":true}\n{"subscribe":"yes"}\n');
    expect(await client.next()).toEqual({ id: 5, ok: true, result: { subscribed: true } });
    expect(await client.next()).toEqual({
      id: null,
      ok: false,
      error: { code: 'invalid', field: 'subscribe', message: 'must be true or false' },
    });
  });
});

/** Starts a listener in a child process and SIGKILLs it: exactly what a crashed daemon leaves behind. */
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

describe('resource bounds', () => {
  /** A reply of about `bytes` bytes, so a few hundred of them outgrow the write-buffer limit. */
  const bulky =
    (bytes: number) =>
    async (message: unknown): Promise<Reply> => ({
      id: (message as { id?: number }).id ?? null,
      ok: true,
      result: 'x'.repeat(bytes),
    });

  /** `count` ping requests as one buffer, so a client can pipeline them without waiting. */
  const pings = (count: number, from = 1) =>
    Array.from({ length: count }, (_, i) => `{"id":${from + i},"method":"ping"}\n`).join('');

  it('stops reading from a pipelining client that never reads, so its unsent replies stay bounded', async () => {
    let handled = 0;
    const replyBytes = 16 * 1024;
    const server = await start({
      handle: async (message) => (handled++, bulky(replyBytes)(message)),
      limits: { maxBufferedBytes: 256 * 1024, maxPendingRequests: 8 },
    });
    // Never reads: no 'data' listener, so the kernel buffers fill and then the server's own.
    const socket = net.createConnection(socketPath);
    sockets.push(socket);
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const total = 4_000; // 64 MB of replies if the server answered them all into memory
    socket.write(pings(total));

    await expect.poll(() => server.readingPaused, { timeout: 10_000 }).toBe(1);
    expect(handled).toBeLessThan(total);
    // The limit plus at most the replies of the requests already in flight when it was reached.
    expect(server.bufferedBytes).toBeLessThanOrEqual(256 * 1024 + 9 * (replyBytes + 64));

    // Once the client reads, every request is answered, in full and in order of ids.
    const splitter = new LineSplitter(64 * MAX_LINE_BYTES);
    const ids: number[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk).lines) ids.push((JSON.parse(line) as { id: number }).id);
    });
    await expect.poll(() => ids.length, { timeout: 20_000 }).toBe(total);
    expect(new Set(ids).size).toBe(total);
    expect(server.bufferedBytes).toBe(0);
    expect(server.readingPaused).toBe(0);
  });

  it('hands a connection at most maxPendingRequests unanswered requests at a time', async () => {
    const waiting: (() => void)[] = [];
    const server = await start({
      handle: (message) =>
        new Promise<Reply>((resolve) =>
          waiting.push(() => resolve({ id: (message as { id: number }).id, ok: true, result: null })),
        ),
      limits: { maxPendingRequests: 4 },
    });
    const client = await rawClient();
    client.send(pings(1_000));
    await expect.poll(() => server.readingPaused).toBe(1);
    expect(waiting).toHaveLength(4);
    // Answering them lets the next ones in, never more than 4 at once.
    for (let round = 0; round < 3; round++) {
      for (const answer of waiting.splice(0)) answer();
      await expect.poll(() => waiting.length).toBe(4);
    }
    for (let i = 0; i < 12; i++) await client.next();
  });

  it('answers a normal request after 64 idle connections (the longest-idle one makes room)', async () => {
    const server = await start({ limits: { maxConnections: 32 } });
    const idle = [];
    for (let i = 0; i < 64; i++) idle.push(await rawClient());
    const cli = await rawClient();
    cli.send('{"id":1,"method":"status"}\n');
    expect(await cli.next()).toMatchObject({ id: 1, ok: true });
    expect(server.clientCount).toBeLessThanOrEqual(32);
    // The first ones in were the longest idle: they were closed to make room.
    await idle[0]?.ended;
  });

  it('keeps a busy or subscribed connection over an idle one when at the cap', async () => {
    const server = await start({ limits: { maxConnections: 2 } });
    const subscriber = await rawClient();
    subscriber.send('{"subscribe":true}\n');
    await subscriber.next();
    const idle = await rawClient();
    const cli = await rawClient();
    cli.send('{"id":1,"method":"ping"}\n');
    expect(await cli.next()).toMatchObject({ id: 1, ok: true });
    await idle.ended;
    server.broadcast({ event: 'timer-done', data: { id: 't1', name: 'Tea' } });
    expect(await subscriber.next()).toMatchObject({ event: 'timer-done' });
  });

  it('closes a connection idle for longer than idleTimeoutMs, but not a subscribed one', async () => {
    const server = await start({ limits: { idleTimeoutMs: 150 } });
    const subscriber = await rawClient();
    subscriber.send('{"subscribe":true}\n');
    await subscriber.next();
    const idle = await rawClient();
    idle.send('{"id":1,"method":"ping"}\n');
    await idle.next();
    await idle.ended;
    // A later idle connection closing proves another idle timeout has run out since; the subscriber,
    // idle longer than both, is still open. (The idle timeout is the socket's own, not on a Clock.)
    const later = await rawClient();
    await later.ended;
    expect(subscriber.socket.destroyed).toBe(false);
    await expect.poll(() => server.clientCount).toBe(1); // the server sees the later close a moment after us
    server.broadcast({ event: 'timer-done', data: { id: 't1', name: 'Tea' } });
    expect(await subscriber.next()).toMatchObject({ event: 'timer-done' });
  });

  it('refuses a limit outside its range, naming it', async () => {
    await expect(start({ limits: { maxConnections: 0 } })).rejects.toThrow(
      /limits\.maxConnections must be an integer from 1 to/,
    );
  });
});
