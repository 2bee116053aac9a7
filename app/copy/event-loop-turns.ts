import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Synchronous file-system calls (lstat, readdir, mkdir, chmod …) a copy makes in a row before the
 * event loop gets a turn: a call on cached metadata takes microseconds made directly and ~10× that
 * through libuv's thread pool (the promise API), and a no-change re-run is mostly such calls. This
 * many holds a daemon's event loop for a few milliseconds at most on a local disk.
 */
export const SYNC_CALLS_PER_TURN = 256;

/**
 * Call before each synchronous call of a long run: every SYNC_CALLS_PER_TURN calls the promise it
 * returns waits for a turn of the event loop (the daemon's reminders and sockets stay on time);
 * otherwise it returns undefined, so the caller awaits nothing.
 */
export function eventLoopTurns(): () => Promise<void> | undefined {
  let calls = 0;
  return () => (++calls % SYNC_CALLS_PER_TURN === 0 ? yieldToEventLoop() : undefined);
}
