import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statsSchema } from '../../shared/contract.js';
import type { HistoryEvent } from '../../shared/history-event.js';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { parseStats } from './stats.js';

const cli = useCliHome();
const H = 3_600_000;
/** Thursday 2026-06-11 18:00 CEST. */
const NOW = Date.UTC(2026, 5, 11, 16, 0);
const TODAY_9 = Date.UTC(2026, 5, 11, 7, 0);

async function writeHistory(events: HistoryEvent[]): Promise<void> {
  const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
  // A torn last line, as a crash would leave it: ignored.
  await writeFile(path.join(cli.home, 'history-2026-06.jsonl'), `${text}{"at":`);
  await writeFile(
    path.join(cli.home, 'settings.json'),
    JSON.stringify({ timeZone: 'Europe/Berlin', reminders: [] }),
  );
}

const sample = (): HistoryEvent[] => [
  { at: TODAY_9 - 24 * H, reminderId: 'rest-eyes', name: 'Rest your eyes', kind: 'shown' },
  { at: TODAY_9 - 24 * H + 1, reminderId: 'rest-eyes', kind: 'taken', reason: 'button' },
  { at: TODAY_9, reminderId: 'rest-eyes', name: 'Rest your eyes', kind: 'shown' },
  { at: TODAY_9 + 1, reminderId: 'rest-eyes', kind: 'skipped' },
  { at: TODAY_9 + H, reminderId: 'water', name: 'Water\u001b[31m', kind: 'shown' },
  { at: TODAY_9 + H + 1, reminderId: 'water', kind: 'snoozed' },
  { at: TODAY_9 + 2 * H, reminderId: 'water', name: 'Water\u001b[31m', kind: 'shown' },
  { at: TODAY_9 + 2 * H + 1, reminderId: 'water', kind: 'natural', count: 6 },
];

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  runCaptured(['--home', cli.home, ...argv], { now: NOW, env: { LANG: 'en_US.UTF-8', ...env } });

describe('mytimer stats (no daemon: the log files read directly)', () => {
  it('prints due, taken, skipped and snoozed per day with a bar chart, the streak and the reminders', async () => {
    await writeHistory(sample());
    const { code, stdout, stderr } = await run(['stats']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Breaks, last 7 days (Europe/Berlin)');
    expect(lines[1]).toMatch(/^Date +Due +Taken +Skipped +Snoozed$/);
    expect(stdout).toMatch(/2026-06-10 +1 +1 +0 +0 +█{7}\n/);
    expect(stdout).toMatch(/2026-06-11 +3 +1 +1 +1 +█{7}░{13}\n/);
    expect(stdout).toMatch(/Total +4 +2 +1 +1\n/);
    expect(stdout).toContain('Streak: 0 days in a row (longest 1)'); // today has a skip
    expect(stdout).toContain('Busiest hour: 09:00 (2 shown)');
    // A name with an escape sequence shows the escape, never runs it.
    expect(stdout).toContain('Water\\x1b[31m: 2 due, 1 taken, 0 skipped, 1 snoozed');
    expect(stdout).not.toContain('\u001b');
  });

  it("--json prints the contract's stats object", async () => {
    await writeHistory(sample());
    const { code, stdout } = await run(['stats', '--day', '--json']);
    expect(code).toBe(0);
    const stats = statsSchema.parse(JSON.parse(stdout));
    expect(stats.range).toBe('day');
    expect(stats.days).toEqual([
      {
        date: '2026-06-11',
        due: 3,
        taken: 1,
        takenButton: 0,
        takenNatural: 1,
        skipped: 1,
        snoozed: 1,
        missed: 0,
        held: 0,
      },
    ]);
  });

  it('--csv prints one row per day under the field names', async () => {
    await writeHistory(sample());
    const { stdout } = await run(['stats', '--csv']);
    const rows = stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('date,due,taken,takenButton,takenNatural,skipped,snoozed,missed,held');
    expect(rows).toHaveLength(8);
    expect(rows.at(-1)).toBe('2026-06-11,3,1,0,1,1,1,0,0');
  });

  it('export --output writes a month of CSV to the file', async () => {
    await writeHistory(sample());
    const file = path.join(cli.home, 'out.csv');
    const { code, stdout } = await run(['stats', 'export', '--output', file]);
    expect(code).toBe(0);
    expect(stdout).toBe(`Wrote 30 days to ${file}\n`);
    const rows = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(rows).toHaveLength(31);
  });

  it('speaks Chinese in a Chinese locale', async () => {
    await writeHistory(sample());
    const { stdout } = await run(['stats'], { LANG: 'zh_CN.UTF-8' });
    expect(stdout.split('\n')[0]).toBe('最近 7 天的休息（Europe/Berlin）');
    expect(stdout).toMatch(/^日期 +应休息 +已休息 +跳过 +推迟$/m);
    expect(stdout).toContain('连续 0 天（最长 1 天）');
  });

  it('says so when nothing was recorded, and does not need a daemon', async () => {
    const { code, stdout } = await run(['stats', '--day']);
    expect(code).toBe(0);
    expect(stdout).toContain('No breaks recorded in this period yet');
  });

  it('refuses two ranges or two formats', async () => {
    expect(() => parseStats({ day: true, month: true })).toThrow('give one of --day, --week, --month');
    expect(() => parseStats({ json: true, csv: true })).toThrow('give --json or --csv, not both');
    const { code, stderr } = await run(['stats', '--json', '--csv']);
    expect(code).toBe(2);
    expect(stderr).toBe('mytimer: give --json or --csv, not both\n');
  });
});

describe('mytimer stats with a daemon', () => {
  it('asks the daemon for the range', async () => {
    const reply = statsSchema.parse({
      range: 'month',
      timeZone: 'UTC',
      from: 0,
      to: NOW,
      days: [],
      reminders: [],
      totals: {
        due: 0,
        taken: 0,
        takenButton: 0,
        takenNatural: 0,
        skipped: 0,
        snoozed: 0,
        missed: 0,
        held: 0,
      },
      streak: { current: 0, longest: 0 },
      busiestHours: new Array<number>(24).fill(0),
    });
    const daemon = await cli.startDaemon({ stats: reply });
    const { code, stdout } = await run(['stats', '--month', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(reply);
    expect(daemon.requests.map((r) => [r.method, r.params])).toEqual([['stats', { range: 'month' }]]);
  });
});
