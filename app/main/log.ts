/** Severity of a main-process log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where main's modules report what happened; injected so tests can collect the lines. */
export type Log = (level: LogLevel, message: string) => void;

/**
 * The main process's log: one line per message on stderr, prefixed so it can be told apart from the
 * daemon's and Chromium's output. Debug and info lines only with `MYTIMER_VERBOSE` set: a healthy
 * tray app says nothing.
 */
export function createLog(
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => void process.stderr.write(line),
): Log {
  const verbose = Boolean(env.MYTIMER_VERBOSE);
  return (level, message) => {
    if (verbose || level === 'warn' || level === 'error') write(`mytimer main ${level}: ${message}\n`);
  };
}
