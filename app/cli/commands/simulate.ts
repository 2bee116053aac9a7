import type { Command } from 'commander';
import { z } from 'zod';
import { PRIORITY_MAX, PRIORITY_MIN } from '../../shared/limits.js';
import { parseWith } from '../../shared/validate.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Scheduler } from '../../workers/scheduler/index.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';
import { mulberry32 } from '../../shared/random.js';
import { escapeControl } from '../../shared/terminal-text.js';

/** One process of the exercise: a name and a priority (1 most urgent … 20 least). */
export interface SimulatedProcess {
  name: string;
  priority: number;
}

const priorityRange = `must be a number from ${PRIORITY_MIN} to ${PRIORITY_MAX}`;
const processSchema = z.object(
  {
    name: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters'),
    priority: z
      .number({ error: priorityRange })
      .min(PRIORITY_MIN, priorityRange)
      .max(PRIORITY_MAX, priorityRange),
  },
  { error: 'must be an object like {"name": "Print Doc", "priority": 4}' },
);
const inputSchema = z
  .array(processSchema, { error: 'input must be a JSON array of {"name", "priority"}' })
  .max(100_000);

/**
 * The classic exercise's default run: two processes with a seeded random priority, then two whose
 * priority depends on the queue's size when they arrive (4 + size × 0.5).
 */
export function defaultProcesses(seed: number): SimulatedProcess[] {
  const random = mulberry32(seed);
  const queued: SimulatedProcess[] = [];
  const randomPriority = () => PRIORITY_MIN + Math.floor(random() * (PRIORITY_MAX - PRIORITY_MIN + 1));
  queued.push({ name: 'Watch TV', priority: randomPriority() });
  queued.push({ name: 'Listen to music', priority: randomPriority() });
  queued.push({ name: 'Print Doc', priority: 4 + queued.length * 0.5 });
  queued.push({ name: 'Write Doc', priority: 4 + queued.length * 0.5 });
  return queued;
}

/**
 * Runs processes through the real scheduler on a virtual clock: all are due at the same instant,
 * so they run by priority, and equal priorities in arrival order.
 */
export function simulate(processes: readonly SimulatedProcess[]): SimulatedProcess[] {
  const clock = new VirtualClock(0);
  const scheduler = new Scheduler<SimulatedProcess>({ clock, timeZone: 'UTC' });
  const ran: SimulatedProcess[] = [];
  scheduler.on('fire', (event) => ran.push(event.payload as SimulatedProcess));
  processes.forEach((process, index) =>
    scheduler.add({
      id: `p${index}`,
      name: process.name,
      priority: process.priority,
      schedule: { kind: 'once', at: 1_000 },
      payload: process,
    }),
  );
  clock.advance(1_000);
  scheduler.dispose();
  return ran;
}

function parseSeed(text: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) {
    throw new UsageError(
      `--seed: must be a whole number from 0 to ${0xffffffff} (got ${JSON.stringify(text)})`,
    );
  }
  return Number(text);
}

async function readProcesses(io: CliIO, input: string): Promise<SimulatedProcess[]> {
  let text: string;
  try {
    text = await io.readInput(input);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`--input: cannot read ${JSON.stringify(input)}: ${reason}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--input: not valid JSON (${(error as Error).message})`);
  }
  return parseWith(inputSchema, parsed, 'input');
}

export function registerSimulate(program: Command, io: CliIO): void {
  program
    .command('simulate')
    .description(t(io, 'cli.help.simulate'))
    .option('--input <file>', 'JSON array of {"name", "priority"} to enqueue in order ("-" for stdin)')
    .option('--json', 'print a JSON array of {"name", "priority"} in run order')
    .option('--seed <n>', 'seed for the random priorities of the default run')
    .addHelpText(
      'after',
      `
With no --input, enqueues "Watch TV" and "Listen to music" with a random priority (1-20),
then "Print Doc" and "Write Doc" with priority 4 + (queue size) x 0.5, and runs them.
Priority 1 runs first; equal priorities run in the order they were enqueued.

Examples:
  mytimer simulate --seed 7
  echo '[{"name":"a","priority":3},{"name":"b","priority":1}]' | mytimer simulate --input - --json`,
    )
    .action(async (options: { input?: string; json?: boolean; seed?: string }) => {
      let processes: SimulatedProcess[];
      if (options.input !== undefined) {
        processes = await readProcesses(io, options.input);
      } else {
        const seed =
          options.seed !== undefined ? parseSeed(options.seed) : Math.floor(Math.random() * 0xffffffff);
        if (options.seed === undefined && !options.json)
          io.stderr(`(seed ${seed}; pass --seed ${seed} to repeat)\n`);
        processes = defaultProcesses(seed);
      }
      const ran = simulate(processes);
      if (options.json) {
        io.stdout(`${JSON.stringify(ran.map(({ name, priority }) => ({ name, priority })))}\n`);
        return;
      }
      const width = Math.max(0, ...ran.map((p) => p.name.length));
      ran.forEach((p, index) =>
        io.stdout(
          `${String(index + 1).padStart(2)}. ${escapeControl(p.name.padEnd(width))}  priority ${p.priority}\n`,
        ),
      );
    });
}
