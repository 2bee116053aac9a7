import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { ValidationError } from '../shared/errors.js';
import { EXIT_USAGE } from '../shared/exit-codes.js';
import { escapeControl } from '../shared/terminal-text.js';
import { UsageError, type CliIO } from './io.js';
export { EXIT_USAGE };

/**
 * This package's version, from the nearest package.json named "mytimer" above this file (the source
 * runs from app/cli, the build from dist/app/cli: the depth differs).
 */
export function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'mytimer' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: keep going up
    }
    if (dir.pathname === '/') return '0.0.0';
  }
}

/** What a command module exports: it adds its command(s), with options and action, to the program. */
type Register = (program: Command, io: CliIO) => void;

/**
 * One top-level command as `mytimer --help` lists it, and the loader of the module that defines and
 * runs it. The module (and what it imports: zod schemas, the daemon's engine, croner, cli-progress) is
 * loaded only when its command runs or its own help is asked for; the list itself costs nothing.
 * `program.test.ts` checks that this list matches what the modules define.
 */
interface CommandEntry {
  /** As the help lists it: name, `[options]` when it has any, then its arguments. */
  readonly term: string;
  readonly description: string;
  readonly load: () => Promise<Register>;
}

/** One module defines both `pause` and `resume`: one loader for the two. */
const loadPause = async (): Promise<Register> => (await import('./commands/pause.js')).registerPause;

export const COMMANDS: readonly CommandEntry[] = [
  {
    term: 'simulate [options]',
    description: 'Run processes through the priority scheduler and print the order they run in',
    load: async () => (await import('./commands/simulate.js')).registerSimulate,
  },
  {
    term: 'next [options] <schedule...>',
    description: 'Print the next times a schedule fires, one ISO-8601 instant per line',
    load: async () => (await import('./commands/next.js')).registerNext,
  },
  {
    term: 'run',
    description: 'Run the reminder daemon headless, with a live status line (Ctrl-C stops it)',
    load: async () => (await import('./commands/run.js')).registerRun,
  },
  {
    term: 'job',
    description: 'Scheduled background jobs: verified folder copies (backups) run by priority',
    load: async () => (await import('./commands/job.js')).registerJob,
  },
  {
    term: 'settings',
    description: 'Show or change general settings (language, niceness, timeZone, sound, jobsConcurrency …)',
    load: async () => (await import('./commands/settings.js')).registerSettings,
  },
  {
    term: 'status [options]',
    description: 'Show what the running daemon is doing: next reminder, pause, timers, notifications',
    load: async () => (await import('./commands/status.js')).registerStatus,
  },
  {
    term: 'pause [options] [duration]',
    description: 'Pause all reminders: for a while, until a time, or until you resume',
    load: loadPause,
  },
  {
    term: 'resume [options]',
    description: 'End a pause: reminders fire again from now',
    // One module defines both `pause` and `resume`.
    load: loadPause,
  },
  {
    term: 'rest-now [options]',
    description: 'Show the rest notification now',
    load: async () => (await import('./commands/rest-now.js')).registerRestNow,
  },
  {
    term: 'reminder',
    description: 'List, add, edit, remove, enable, disable and snooze reminders',
    load: async () => (await import('./commands/reminder.js')).registerReminder,
  },
  {
    term: 'timer',
    description: 'Start, list, pause, resume and stop countdowns and stopwatches',
    load: async () => (await import('./commands/timer.js')).registerTimer,
  },
  {
    term: 'pomodoro',
    description: 'Run pomodoro cycles: work, short breaks, and a long break every few rounds',
    load: async () => (await import('./commands/pomodoro.js')).registerPomodoro,
  },
  {
    term: 'copy [options] <src> <dst>',
    description:
      'Copy a folder tree on worker threads, verifying every file by SHA-512; re-runs copy only changes',
    load: async () => (await import('./commands/copy.js')).registerCopy,
  },
];

const nameOf = (entry: CommandEntry): string => entry.term.split(' ')[0]!;

/**
 * The top-level command `argv` runs (or asks help for, `mytimer help <command>`), as commander would
 * find it: the first word after the program's own options. Undefined when there is none.
 */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') return argv[index + 1];
    if (arg === '--home')
      index++; // its value is not a command
    else if (!arg.startsWith('-')) return arg === 'help' && index + 1 < argv.length ? argv[index + 1] : arg;
  }
  return undefined;
}

/** Thrown by a placeholder that commander ran after all (argv read differently): load everything, parse again. */
class NotLoaded extends Error {}

/**
 * Builds the `mytimer` command tree. Only the modules of the commands named in `load` are imported
 * (each registers itself in full); every other command is a placeholder with its name and description,
 * enough for `mytimer --help` and for commander's "unknown command" suggestions.
 */
export async function buildProgram(io: CliIO, load: 'all' | readonly string[]): Promise<Command> {
  const program = new Command('mytimer')
    .description('Rest reminders, timers and scheduled background work')
    .exitOverride()
    .showHelpAfterError(false)
    // Commander echoes what was typed in its errors (unknown options, arguments): escaped, as all output.
    .configureOutput({
      writeOut: io.stdout,
      writeErr: (text) => io.stderr(escapeControl(text, { keepNewlines: true })),
    })
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--home <dir>', 'settings folder (default: $MYTIMER_HOME, else the OS config folder)');
  const placeholderTerms = new Map<Command, string>();
  program.configureHelp({
    subcommandTerm(this: Help, command: Command): string {
      return placeholderTerms.get(command) ?? Help.prototype.subcommandTerm.call(this, command);
    },
  });
  const wanted = new Set(
    COMMANDS.filter((entry) => load === 'all' || load.includes(nameOf(entry))).map((entry) => entry.load),
  );
  const loaded = new Set<CommandEntry['load']>();
  for (const entry of COMMANDS) {
    if (wanted.has(entry.load)) {
      // A module defining several commands (pause and resume) registers them all, at the first one's place.
      if (!loaded.has(entry.load)) (await entry.load())(program, io);
      loaded.add(entry.load);
    } else {
      const placeholder = program
        .command(nameOf(entry))
        .description(entry.description)
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(() => {
          throw new NotLoaded(nameOf(entry));
        });
      placeholderTerms.set(placeholder, entry.term);
    }
  }
  return program;
}

/**
 * Runs the CLI and returns the exit status instead of exiting, so tests drive it in-process.
 * Bad input of any kind is one line on stderr and status 2; never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const wanted = commandNameOf(argv);
  try {
    return await parse(await buildProgram(io, wanted === undefined ? [] : [wanted]), argv, io);
  } catch (error) {
    if (!(error instanceof NotLoaded)) throw error;
    return parse(await buildProgram(io, 'all'), argv, io);
  }
}

async function parse(program: Command, argv: readonly string[], io: CliIO): Promise<number> {
  if (argv.length === 0) {
    // Bare `mytimer` is a question, not a mistake: the help, on stdout, status 0.
    io.stdout(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof NotLoaded) throw error;
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help text, which exits 0).
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    // Messages quote ids, names and paths as given: control characters in them show as escapes.
    if (error instanceof ValidationError || error instanceof UsageError) {
      io.stderr(`mytimer: ${escapeControl(error.message)}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`mytimer: ${escapeControl(message)}\n`);
    // A command may name its own status (a cancelled copy ends with 128 + the signal, as shells expect).
    const status = (error as { exitCode?: unknown } | null)?.exitCode;
    return typeof status === 'number' && Number.isInteger(status) && status > 0 ? status : 1;
  }
}
