import * as fsp from 'node:fs/promises';
import { mkdtemp, readFile, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../shared/history-event.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { HistoryLog, readHistory, type HistoryFs } from './log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mytimer-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const DEC_1 = Date.UTC(2026, 11, 1, 9, 0);
const shown = (at: number, reminderId = 'rest-eyes'): HistoryEvent => ({ at, reminderId, kind: 'shown' });

/** node:fs/promises, counting the fsyncs and writes of the files it opens. */
function countingFs(): HistoryFs & { syncs: number; writes: number } {
  const counted = {
    ...fsp,
    syncs: 0,
    writes: 0,
    open: async (...args: Parameters<typeof fsp.open>) => {
      const handle = await fsp.open(...args);
      const write = handle.write.bind(handle) as (text: string) => ReturnType<typeof handle.write>;
      const datasync = handle.datasync.bind(handle);
      return Object.assign(handle, {
        write: (text: string) => {
          counted.writes++;
          return write(text);
        },
        datasync: () => {
          counted.syncs++;
          return datasync();
        },
      });
    },
  };
  return counted as unknown as HistoryFs & { syncs: number; writes: number };
}

describe('history log', () => {
  it('appends one JSON line per event to history-YYYY-MM.jsonl and reads them back in order', async () => {
    const clock = new VirtualClock(DEC_1);
    const log = new HistoryLog({ dir, clock });
    log.append(shown(DEC_1));
    log.append({ at: DEC_1 + 1, reminderId: 'water', name: 'Water', kind: 'snoozed' });
    await log.flush();
    const text = await readFile(path.join(dir, 'history-2026-12.jsonl'), 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    const read = await readHistory(dir);
    expect(read.events.map((e) => e.kind)).toEqual(['shown', 'snoozed']);
    expect(read.ignoredLines).toBe(0);
  });

  it('writes a batch with one write and one fsync, after the flush delay', async () => {
    const clock = new VirtualClock(DEC_1);
    const fs = countingFs();
    const log = new HistoryLog({ dir, clock, fs, flushDelayMs: 2_000 });
    for (let i = 0; i < 50; i++) log.append(shown(DEC_1 + i));
    expect(await readHistory(dir)).toEqual({ events: [], ignoredLines: 0 }); // nothing on disk yet
    clock.advance(2_000);
    await log.flush(); // the timer's flush already started: this waits for it
    expect((await readHistory(dir)).events).toHaveLength(50);
    expect(fs.syncs).toBe(1);
    expect(fs.writes).toBe(1);
  });

  it('ignores a torn last line, and the next batch starts on a fresh line', async () => {
    const clock = new VirtualClock(DEC_1);
    const log = new HistoryLog({ dir, clock });
    log.append(shown(DEC_1));
    await log.flush();
    // A crash in the middle of a write: half a line, no newline.
    await appendFile(path.join(dir, 'history-2026-12.jsonl'), '{"at":17');
    expect(await readHistory(dir)).toMatchObject({ events: [shown(DEC_1)], ignoredLines: 1 });

    const after = new HistoryLog({ dir, clock });
    after.append(shown(DEC_1 + 5));
    await after.flush();
    const read = await readHistory(dir);
    expect(read.events).toEqual([shown(DEC_1), shown(DEC_1 + 5)]);
    expect(read.ignoredLines).toBe(1); // the torn piece, now a damaged line of its own
  });

  it('starts a new file each month and a new part when a month outgrows the size cap', async () => {
    const clock = new VirtualClock(DEC_1);
    const log = new HistoryLog({ dir, clock, maxFileBytes: 200 });
    for (let i = 0; i < 6; i++) {
      log.append(shown(clock.now()));
      await log.flush();
    }
    clock.jumpWall(Date.UTC(2027, 0, 1, 0, 5) - clock.now());
    log.append(shown(clock.now()));
    await log.flush();
    const files = (await readdir(dir)).sort();
    expect(files).toContain('history-2026-12.jsonl');
    expect(files).toContain('history-2026-12.2.jsonl');
    expect(files).toContain('history-2027-01.jsonl');
    expect((await readHistory(dir)).events).toHaveLength(7);
  });

  it('deletes the files of months older than keepMonths', async () => {
    await writeFile(
      path.join(dir, 'history-2026-01.jsonl'),
      `${JSON.stringify(shown(Date.UTC(2026, 0, 2)))}\n`,
    );
    await writeFile(
      path.join(dir, 'history-2026-10.jsonl'),
      `${JSON.stringify(shown(Date.UTC(2026, 9, 2)))}\n`,
    );
    const log = new HistoryLog({ dir, clock: new VirtualClock(DEC_1), keepMonths: 3 });
    log.append(shown(DEC_1));
    await log.flush();
    expect((await readdir(dir)).sort()).toEqual(['history-2026-10.jsonl', 'history-2026-12.jsonl']);
  });

  it('reads only the events from a given instant on', async () => {
    const log = new HistoryLog({ dir, clock: new VirtualClock(DEC_1) });
    log.append(shown(DEC_1 - 10));
    log.append(shown(DEC_1 + 10));
    await log.flush();
    expect((await readHistory(dir, { fromMs: DEC_1 })).events).toEqual([shown(DEC_1 + 10)]);
  });
});
