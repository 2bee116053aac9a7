import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { detectTransport, isProcessAlive } from './transport.js';

describe('daemon transport', () => {
  it('under Electron, unwraps parentPort messages from { data } and posts replies back', () => {
    const port = new EventEmitter() as EventEmitter & { postMessage: (m: unknown) => void };
    const posted: unknown[] = [];
    port.postMessage = (m) => posted.push(m);
    const fake = Object.assign(new EventEmitter(), { parentPort: port, env: {}, ppid: process.pid });
    const transport = detectTransport(fake as unknown as NodeJS.Process);
    expect(transport?.kind).toBe('electron');
    const received: unknown[] = [];
    transport?.onMessage((m) => received.push(m));
    port.emit('message', { data: { id: 1, method: 'status' } });
    expect(received).toEqual([{ id: 1, method: 'status' }]);
    transport?.send({ id: 1, ok: true, result: null });
    expect(posted).toEqual([{ id: 1, ok: true, result: null }]);
  });

  it('under a Node fork, uses process.send and treats disconnect as the host being gone', () => {
    const sent: unknown[] = [];
    const fake = Object.assign(new EventEmitter(), {
      env: {},
      connected: true,
      send: (m: unknown) => sent.push(m),
    });
    const transport = detectTransport(fake as unknown as NodeJS.Process);
    expect(transport?.kind).toBe('node-ipc');
    let gone = 0;
    transport?.onHostGone(() => gone++);
    transport?.send({ event: 'x' });
    fake.emit('disconnect');
    expect(sent).toEqual([{ event: 'x' }]);
    expect(gone).toBe(1);
  });

  it('echoes a heartbeat ping on either channel before any listener exists, and never passes it on', () => {
    const port = new EventEmitter() as EventEmitter & { postMessage: (m: unknown) => void };
    const posted: unknown[] = [];
    port.postMessage = (m) => posted.push(m);
    const electron = detectTransport(
      Object.assign(new EventEmitter(), {
        parentPort: port,
        env: {},
        ppid: process.pid,
      }) as unknown as NodeJS.Process,
    );
    port.emit('message', { data: { heartbeat: 1 } });
    expect(posted).toEqual([{ heartbeat: 1 }]);

    const sent: unknown[] = [];
    const fork = Object.assign(new EventEmitter(), {
      env: {},
      connected: true,
      send: (m: unknown) => sent.push(m),
    });
    const node = detectTransport(fork as unknown as NodeJS.Process);
    const received: unknown[] = [];
    node?.onMessage((m) => received.push(m));
    electron?.onMessage((m) => received.push(m));
    fork.emit('message', { heartbeat: 7 });
    fork.emit('message', { id: 1, method: 'status' });
    expect(sent).toEqual([{ heartbeat: 7 }]);
    expect(received).toEqual([{ id: 1, method: 'status' }]);
  });

  it('run by hand there is no transport', () => {
    const fake = Object.assign(new EventEmitter(), { env: {} });
    expect(detectTransport(fake as unknown as NodeJS.Process)).toBeNull();
  });

  it('the parent-pid watchdog ends a real grandchild when its parent dies (the Electron case)', async () => {
    // The compiled module (npm test builds first): a plain Node child cannot load TypeScript.
    const transportUrl = new URL('../../dist/app/workers/transport.js', import.meta.url).href;
    // parent → watcher; the watcher polls its parent pid as the Electron-hosted daemon does.
    const watcher = `import(${JSON.stringify(transportUrl)}).then(({ watchParent }) => {
      watchParent(process.ppid, () => process.exit(0), 50); console.log('watching ' + process.pid);
      setInterval(() => {}, 1000); });`;
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath,
          ['--input-type=module', '-e', ${JSON.stringify(watcher)}],
          { stdio: ['ignore', 'inherit', 'inherit'] }); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    parent.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const deadline = Date.now() + 5_000;
    while (!/watching (\d+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const pid = Number(/watching (\d+)/.exec(out)?.[1]);
    expect(isProcessAlive(pid)).toBe(true);
    parent.kill('SIGKILL');
    const killedAt = Date.now();
    while (isProcessAlive(pid) && Date.now() - killedAt < 3_000) await new Promise((r) => setTimeout(r, 20));
    expect(isProcessAlive(pid)).toBe(false);
    expect(Date.now() - killedAt).toBeLessThan(2_000);
  });
});
