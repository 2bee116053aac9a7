import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ValidationError } from '../shared/errors.js';
import { EXIT_USAGE } from '../shared/exit-codes.js';
import { escapeControl } from '../shared/terminal-text.js';
import { UsageError, type CliIO } from './io.js';
import { cliLocale, t } from './locale.js';
import { DaemonError } from './client.js';
import { errorText, translate, type Locale } from '../shared/i18n/index.js';
import { registerSimulate } from './commands/simulate.js';
import { registerNext } from './commands/next.js';
import { registerRun } from './commands/run.js';
import { registerJob } from './commands/job.js';
import { registerSettings } from './commands/settings.js';
import { registerStatus } from './commands/status.js';
import { registerPause } from './commands/pause.js';
import { registerRestNow } from './commands/rest-now.js';
import { registerReminder } from './commands/reminder.js';
import { registerTimer } from './commands/timer.js';
import { registerPomodoro } from './commands/pomodoro.js';
import { registerCopy } from './commands/copy.js';

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

/** Builds the `mytimer` command tree; each command module only registers itself. */
export function buildProgram(io: CliIO): Command {
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
  registerSimulate(program, io);
  registerNext(program, io);
  registerRun(program, io);
  registerJob(program, io);
  registerSettings(program, io);
  registerStatus(program, io);
  registerPause(program, io);
  registerRestNow(program, io);
  registerReminder(program, io);
  registerTimer(program, io);
  registerPomodoro(program, io);
  registerCopy(program, io);
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
  const program = buildProgram(io);
  if (argv.length === 0) {
    // Bare `mytimer` is a question, not a mistake: the help, on stdout, status 0.
    io.stdout(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
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
