import { readFile } from 'node:fs/promises';
import type { ChildAdapter } from '../host/index.js';
import type { CatalogText } from '../shared/errors.js';
import { translate, type Locale, type MessageKey } from '../shared/i18n/index.js';

/** Where a command reads and writes: the real process, or a capture in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a whole file, or standard input when `path` is "-". */
  readInput(path: string): Promise<string>;
  /** Wall-clock now, injectable so `next` is testable. */
  now(): number;
  /** Environment (MYTIMER_HOME, XDG_*), injectable so tests never touch the user's real settings. */
  env: NodeJS.ProcessEnv;
  /** The language of messages, tables and help; `runCli` picks it (settings, then the OS) when absent. */
  locale?: Locale;
  /**
   * How `mytimer run` starts its daemon when plain `child_process.fork` of the current executable would not
   * do. Absent under Node (`forkAdapter`); the packaged app's `--cli` mode (app/main/cli-mode.ts) gives
   * Electron's utilityProcess, since with the RunAsNode fuse off a fork of the app binary is a second app.
   */
  daemonLauncher?: DaemonLauncher;
}

/** The daemon process `mytimer run` asks for: its entry script, arguments and whole environment. */
export interface DaemonSpec {
  modulePath: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** Starts daemon processes for `mytimer run` in a host other than plain Node (see {@link CliIO.daemonLauncher}). */
export interface DaemonLauncher {
  /** Resolves once {@link launch} may be called (Electron: the app is ready). */
  ready(): Promise<void>;
  /** A new, unstarted child for the Supervisor: called for every start and restart. */
  launch(daemon: DaemonSpec): ChildAdapter;
  /**
   * Calls `listener` when the host itself is asked to end, besides SIGINT/SIGTERM reaching this process
   * (Electron may turn those signals into an app quit); returns what unsubscribes it.
   */
  onQuit(listener: () => void): () => void;
}

/** Bad invocation: printed as one line, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The message as a catalog entry, when it has one (then `message` is its English text). */
  text?: CatalogText;

  /** A UsageError saying the catalog's `key`: English in `message`, the invocation's language when printed. */
  static of(key: MessageKey, params: Record<string, string | number> = {}): UsageError {
    const error = new UsageError(translate('en', key, params));
    error.text = { key, params };
    return error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const processIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readInput: (path) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
  now: () => Date.now(),
  env: process.env,
};
