import { spawnSync } from 'node:child_process';
import { access, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { LockTimeoutError, acquireFileLock, withFileLock } from './file-lock.js';

const makeTempDir = () => mkdtemp(path.join(os.tmpdir(), 'mytimer-lock-'));
const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

let dir: string;
let lockPath: string;

beforeEach(async () => {
  dir = await makeTempDir();
  lockPath = path.join(dir, 'settings.lock');
});
afterEach(() => removeDir(dir));

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** The pid of a process that has already exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  if (pid === undefined) throw new Error('could not spawn node');
  return pid;
}

describe('withFileLock', () => {
  it('two concurrent holders run one after the other', async () => {
    const events: string[] = [];
    const critical = (name: string) => async () => {
      events.push(`${name} in`);
      // Real time on purpose: the lock polls real files, and a holder that stays inside a while gives
      // the other one time to try (and fail) to get in; nothing here runs on an injectable Clock.
      await sleep(30);
      events.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([
      withFileLock(lockPath, critical('a')),
      withFileLock(lockPath, critical('b')),
    ]);
    expect(results).toEqual(['a', 'b']);
    expect([events.slice(0, 2), events.slice(2)]).toEqual(
      events[0] === 'a in'
        ? [
            ['a in', 'a out'],
            ['b in', 'b out'],
          ]
        : [
            ['b in', 'b out'],
            ['a in', 'a out'],
          ],
    );
    expect(await exists(lockPath)).toBe(false);
  });

  it('takes over a lock whose pid is dead, without waiting for it to go stale', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: deadPid(), createdAt: new Date().toISOString() }));
    const started = Date.now();
    expect(await withFileLock(lockPath, () => 'ran', { staleMs: 60_000, timeoutMs: 2_000 })).toBe('ran');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('takes over a lock not refreshed for staleMs, even if its pid is alive', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, createdAt: '2026-01-01T00:00:00Z' }));
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, longAgo, longAgo);
    expect(await withFileLock(lockPath, () => 'ran', { staleMs: 10_000 })).toBe('ran');
  });

  it('gives up after timeoutMs on a live, fresh lock, naming the holder', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, createdAt: new Date().toISOString() }));
    const error: unknown = await withFileLock(lockPath, () => 'ran', { timeoutMs: 150 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error).toMatchObject({ code: 'ELOCKED', message: expect.stringContaining(`pid ${process.pid}`) });
    expect(await exists(lockPath)).toBe(true); // someone else's lock is left alone
  });

  it('releases the lock when fn throws', async () => {
    const failing = withFileLock(lockPath, () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await exists(lockPath)).toBe(false);
  });

  it('creates the lock directory when it is missing', async () => {
    const nested = path.join(dir, 'new-home', 'settings.lock');
    expect(await withFileLock(nested, () => 1)).toBe(1);
  });
});

describe('a long-lived holder', () => {
  it('is judged by the staleness limit it declared, not the waiter’s shorter one', async () => {
    const dir = await makeTempDir();
    const lockPath = path.join(dir, 'settings.lock');
    let release!: () => void;
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    const held = withFileLock(
      lockPath,
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          entered();
        }),
      { staleMs: 3_600_000 },
    );
    await holding; // the holder is inside: the lock file is there
    // Age the file past the waiter's 10 s limit: the holder (alive, declared 1 h) still owns it.
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    await expect(withFileLock(lockPath, () => 'taken', { timeoutMs: 200 })).rejects.toThrow(/pid/);
    release();
    await held;
    expect(await withFileLock(lockPath, () => 'taken')).toBe('taken');
    await removeDir(dir);
  });
});

describe('a lock whose pid was reused', () => {
  it.skipIf(process.platform !== 'linux')(
    'is judged stale when that pid now belongs to a process started at another time',
    async () => {
      // Our own pid is alive, but the lock says it belonged to a process that started at tick 1.
      await writeFile(
        lockPath,
        JSON.stringify({ pid: process.pid, startTime: '1', createdAt: new Date().toISOString() }),
      );
      expect(await withFileLock(lockPath, () => 'ran', { staleMs: 3_600_000, timeoutMs: 2_000 })).toBe('ran');
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'is judged stale when it was taken before the last boot',
    async () => {
      await writeFile(
        lockPath,
        JSON.stringify({ pid: process.pid, bootId: 'an-earlier-boot', createdAt: new Date().toISOString() }),
      );
      expect(await withFileLock(lockPath, () => 'ran', { staleMs: 3_600_000, timeoutMs: 2_000 })).toBe('ran');
    },
  );

  it('is still respected when pid, start time and boot all match (the holder is really alive)', async () => {
    let release!: () => void;
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    const held = withFileLock(
      lockPath,
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          entered();
        }),
    );
    await holding; // the holder is inside: the lock file is there
    await expect(withFileLock(lockPath, () => 'taken', { timeoutMs: 150 })).rejects.toThrow(/pid/);
    release();
    await held;
  });
});

describe('acquireFileLock', () => {
  it('releaseSync removes the lock at once, so process.exit() right after leaves no file', async () => {
    const lock = await acquireFileLock(lockPath);
    expect(await exists(lockPath)).toBe(true);
    lock.releaseSync();
    expect(await exists(lockPath)).toBe(false);
  });
});
