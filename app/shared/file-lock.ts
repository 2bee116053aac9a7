import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from './atomic-write.js';

/** Options for withFileLock. */
export interface FileLockOptions {
  /** A lock not refreshed for this long is taken over, even if its pid looks alive (pid reuse, a hung holder). */
  staleMs?: number;
  /** Give up waiting after this long, with an error naming the holder. */
  timeoutMs?: number;
  /** How often a waiter retries. */
  pollMs?: number;
}

/** Thrown when the lock stays held past `timeoutMs`. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  readonly code = 'ELOCKED';
  constructor(
    readonly lockPath: string,
    holder: string,
    timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${lockPath} (held by ${holder})`);
  }
}

interface LockRecord {
  pid?: number;
  /** Linux: the holder's start time (/proc/<pid>/stat field 22, clock ticks since boot). */
  startTime?: string;
  /** Linux: /proc/sys/kernel/random/boot_id when the lock was taken. */
  bootId?: string;
  token?: string;
  /** The holder's own staleness limit: a long-lived holder (the daemon) touches the file rarely. */
  staleMs?: number;
}

/** A held lock: release it once, asynchronously or (on an exit path) synchronously. */
export interface HeldLock {
  release(): Promise<void>;
  /** For `process.exit()` paths, where no promise would ever run: unlinks the lock before returning. */
  releaseSync(): void;
}

/**
 * Takes a cross-process lock: an exclusively created file holding our pid, the pid's start time and
 * the boot id (Linux), a timestamp and a random token. The holder touches the file every staleMs / 3.
 * A lock is stale when its pid is gone, when that pid now names another process (a different start
 * time or boot: the pid was reused), or when it has not been touched for staleMs; a waiter then takes
 * it over. Elsewhere (no /proc) only the pid and the staleness limit judge it.
 */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const { staleMs = 10_000, timeoutMs = 5_000, pollMs = 25 } = options;
  const token = await acquire(lockPath, { staleMs, timeoutMs, pollMs });
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, staleMs / 3);
  heartbeat.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      await release(lockPath, token);
    },
    releaseSync() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      releaseSync(lockPath, token);
    },
  };
}

/**
 * Runs `fn` while holding the lock (see acquireFileLock), released in `finally` and only if it is
 * still ours. For CLI edits while no daemon runs: short critical sections, one machine.
 */
export async function withFileLock<R>(
  lockPath: string,
  fn: () => R | Promise<R>,
  options: FileLockOptions = {},
): Promise<R> {
  const lock = await acquireFileLock(lockPath, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

async function acquire(lockPath: string, options: Required<FileLockOptions>): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const identity = processIdentity(process.pid);
  const record = `${JSON.stringify({ pid: process.pid, ...identity, createdAt: new Date().toISOString(), token, staleMs: options.staleMs })}\n`;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(record);
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') {
        await mkdir(path.dirname(lockPath), { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    const holder = await readLock(lockPath);
    if (holder === undefined) continue; // released between our open and our read
    if (await isStale(lockPath, holder.record, options.staleMs)) {
      // Remove only the lock we judged: if it changed meanwhile, someone else took it over first.
      if ((await readLock(lockPath))?.text === holder.text) await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder.record.pid ? `pid ${holder.record.pid}` : 'an unknown process';
      throw new LockTimeoutError(lockPath, who, options.timeoutMs);
    }
    await sleep(options.pollMs + Math.random() * options.pollMs);
  }
}

async function readLock(lockPath: string): Promise<{ text: string; record: LockRecord } | undefined> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return { text, record: typeof parsed === 'object' && parsed !== null ? (parsed as LockRecord) : {} };
  } catch {
    return { text, record: {} }; // the holder may be between creating the file and writing it
  }
}

async function isStale(lockPath: string, record: LockRecord, waiterStaleMs: number): Promise<boolean> {
  const { pid } = record;
  // Judge the holder by the limit it declared (and so touches the file within), not the waiter's own.
  const staleMs =
    typeof record.staleMs === 'number' && Number.isFinite(record.staleMs) && record.staleMs > 0
      ? record.staleMs
      : waiterStaleMs;
  // pid 0 and negatives address process groups in kill(): never probe those.
  if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) {
    if (!isAlive(pid)) return true;
    if (isReused(pid, record)) return true;
  }
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > staleMs;
  } catch {
    return false; // gone already: the next attempt will simply create it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH'; // EPERM: alive, just not ours
  }
}

/** The pid is alive, but is it still the process that took the lock? Only what the record states is compared. */
function isReused(pid: number, record: LockRecord): boolean {
  const now = processIdentity(pid);
  if (typeof record.bootId === 'string' && now.bootId !== undefined && record.bootId !== now.bootId)
    return true;
  return (
    typeof record.startTime === 'string' && now.startTime !== undefined && record.startTime !== now.startTime
  );
}

/** What tells one process from a later one with the same pid: Linux only; empty where /proc is missing. */
function processIdentity(pid: number): Pick<LockRecord, 'startTime' | 'bootId'> {
  const identity: Pick<LockRecord, 'startTime' | 'bootId'> = {};
  try {
    identity.bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // not Linux: pid and staleness only
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces; field 22 is the start time.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = fields[22 - 3];
    if (startTime !== undefined && /^\d+$/.test(startTime)) identity.startTime = startTime;
  } catch {
    // no /proc, or the process is gone
  }
  return identity;
}

function releaseSync(lockPath: string, token: string): void {
  try {
    const record: unknown = JSON.parse(readFileSync(lockPath, 'utf8'));
    if (typeof record === 'object' && record !== null && (record as LockRecord).token === token) {
      unlinkSync(lockPath);
    }
  } catch {
    // gone or unreadable: nothing of ours to remove
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const current = await readLock(lockPath).catch(() => undefined);
  if (current?.record.token === token) await unlink(lockPath).catch(() => undefined);
}
