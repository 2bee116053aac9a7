import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { ValidationError } from '../shared/errors.js';
import { EXIT_USAGE } from '../shared/exit-codes.js';
import { escapeControl } from '../shared/terminal-text.js';
import { UsageError, type CliIO } from './io.js';
import { cliLocale, t } from './locale.js';
import { DaemonError } from './client.js';
import { errorText, translate, type Locale, type MessageKey } from '../shared/i18n/index.js';
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
  /** Its catalog key: the list is shown in the user's language too. */
  readonly description: MessageKey;
  readonly load: () => Promise<Register>;
}

/** One module defines both `pause` and `resume`: one loader for the two. */
const loadPause = async (): Promise<Register> => (await import('./commands/pause.js')).registerPause;

export const COMMANDS: readonly CommandEntry[] = [
  {
    term: 'simulate [options]',
    description: 'cli.help.simulate',
    load: async () => (await import('./commands/simulate.js')).registerSimulate,
  },
  {
    term: 'next [options] <schedule...>',
    description: 'cli.help.next',
    load: async () => (await import('./commands/next.js')).registerNext,
  },
  {
    term: 'run',
    description: 'cli.help.run',
    load: async () => (await import('./commands/run.js')).registerRun,
  },
  {
    term: 'job',
    description: 'cli.help.job',
    load: async () => (await import('./commands/job.js')).registerJob,
  },
  {
    term: 'settings',
    description: 'cli.help.settings',
    load: async () => (await import('./commands/settings.js')).registerSettings,
  },
  {
    term: 'status [options]',
    description: 'cli.help.status',
    load: async () => (await import('./commands/status.js')).registerStatus,
  },
  {
    term: 'pause [options] [duration]',
    description: 'cli.help.pause',
    load: loadPause,
  },
  {
    term: 'resume [options]',
    description: 'cli.help.resume',
    // One module defines both `pause` and `resume`.
    load: loadPause,
  },
  {
    term: 'rest-now [options]',
    description: 'cli.help.restNow',
    load: async () => (await import('./commands/rest-now.js')).registerRestNow,
  },
  {
    term: 'reminder',
    description: 'cli.help.reminder',
    load: async () => (await import('./commands/reminder.js')).registerReminder,
  },
  {
    term: 'timer',
    description: 'cli.help.timer',
    load: async () => (await import('./commands/timer.js')).registerTimer,
  },
  {
    term: 'pomodoro',
    description: 'cli.help.pomodoro',
    load: async () => (await import('./commands/pomodoro.js')).registerPomodoro,
  },
  {
    term: 'service [options] <action>',
    description: 'cli.help.service',
    load: async () => (await import('./commands/service.js')).registerService,
  },
  {
    term: 'stats [options]',
    description: 'cli.help.stats',
    load: async () => (await import('./commands/stats.js')).registerStats,
  },
  {
    term: 'copy [options] <src> <dst>',
    description: 'cli.help.copy',
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
    .description(t(io, 'cli.help.mytimer'))
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
        .description(t(io, entry.description))
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
 * An error's message in `locale`: from the catalog when the error (or the daemon error behind it)
 * carries a catalog key, else its English message as is.
 */
function localizedMessage(error: Error, locale: Locale): string {
  if (error instanceof ValidationError && error.text) {
    return `${error.field}: ${translate(locale, error.text.key, error.text.params)}`;
  }
  if (error instanceof UsageError && error.text) return translate(locale, error.text.key, error.text.params);
  const cause = error.cause;
  if (cause instanceof DaemonError && cause.text) {
    const text = errorText(locale, { message: cause.message, ...cause.text });
    const field = cause.field?.replace(/^params\./, '');
    return field ? `${field}: ${text}` : text;
  }
  return error.message;
}

/**
 * Runs the CLI and returns the exit status instead of exiting, so tests drive it in-process.
 * Bad input of any kind is one line on stderr and status 2; never a stack trace.
 */
export async function runCli(argv: readonly string[], given: CliIO): Promise<number> {
  const io: CliIO = { ...given, locale: given.locale ?? cliLocale(argv, given.env) };
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
      io.stderr(`mytimer: ${escapeControl(localizedMessage(error, io.locale ?? 'en'))}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? localizedMessage(error, io.locale ?? 'en') : String(error);
    io.stderr(`mytimer: ${escapeControl(message)}\n`);
    // A command may name its own status (a cancelled copy ends with 128 + the signal, as shells expect).
    const status = (error as { exitCode?: unknown } | null)?.exitCode;
    return typeof status === 'number' && Number.isInteger(status) && status > 0 ? status : 1;
  }
}
