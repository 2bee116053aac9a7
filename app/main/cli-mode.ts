/**
 * The packaged app as the `mytimer` command: `myTimer --cli status` runs the CLI in Electron's main
 * process (plain Node code; Electron's main process runs it as Node would) and exits with its status,
 * showing nothing. This is how the installers give users `mytimer` on PATH without a system Node while
 * the RunAsNode fuse stays off (electron-builder.yml): the launcher scripts in build/ call the app
 * binary with `--cli`, as `code --status` does.
 */
import type { Event } from 'electron';
import type { CliIO, DaemonLauncher } from '../cli/index.js';
import { utilityProcessAdapter } from './utility-process-adapter.js';

/** The switch that turns the app binary into the CLI. */
export const CLI_SWITCH = '--cli';

/**
 * The CLI's arguments when `argv` (the app's `process.argv`) asks for the CLI: everything after the
 * first `--cli`. Null when it does not (the normal tray app). Chromium's own switches before `--cli`
 * are not the CLI's.
 */
export function cliArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(CLI_SWITCH);
  return at < 0 ? null : argv.slice(at + 1);
}

/** What the CLI mode needs from Electron's `app`: how to end the process, and for `run`, readiness and quit. */
export interface CliModeApp {
  exit(status: number): void;
  whenReady(): Promise<unknown>;
  on(event: 'before-quit', listener: (event: Event) => void): unknown;
  off(event: 'before-quit', listener: (event: Event) => void): unknown;
}

/**
 * How `myTimer --cli run` starts its daemon: as an Electron utility process, exactly as the tray app
 * does (daemon-host.ts), never by forking `process.execPath`, which with the RunAsNode fuse off is the
 * app binary and would start a second tray app. `utilityProcess.fork` may only be called once the app
 * is ready. Electron turns SIGINT/SIGTERM into an app quit where its own handler hears them first: that
 * quit is held off and becomes `run`'s orderly stop (the daemon first, then `app.exit`).
 */
export function utilityDaemonLauncher(app: CliModeApp): DaemonLauncher {
  return {
    ready: async () => {
      await app.whenReady();
    },
    launch: (daemon) => utilityProcessAdapter(daemon),
    onQuit: (listener) => {
      const holdQuit = (event: Event) => {
        event.preventDefault();
        listener();
      };
      app.on('before-quit', holdQuit);
      return () => void app.off('before-quit', holdQuit);
    },
  };
}

/**
 * Runs the CLI with `argv` and exits the app with its status. The CLI is loaded only now, so the tray
 * app never loads it. An unexpected failure is one line on stderr and status 1. `io` is the real
 * process's unless a test gives its own; either way `run` launches its daemon through
 * {@link utilityDaemonLauncher}.
 */
export async function runCliMode(argv: readonly string[], app: CliModeApp, io?: CliIO): Promise<number> {
  let status: number;
  try {
    const { runCli, processIO } = await import('../cli/index.js');
    status = await runCli(argv, { ...(io ?? processIO), daemonLauncher: utilityDaemonLauncher(app) });
  } catch (error) {
    process.stderr.write(`mytimer: ${error instanceof Error ? error.message : String(error)}\n`);
    status = 1;
  }
  app.exit(status);
  return status;
}
