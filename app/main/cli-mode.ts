/**
 * The packaged app as the `mytimer` command: `myTimer --cli status` runs the CLI in Electron's main
 * process (plain Node code; Electron's main process runs it as Node would) and exits with its status,
 * showing nothing. This is how the installers give users `mytimer` on PATH without a system Node while
 * the RunAsNode fuse stays off (electron-builder.yml): the launcher scripts in build/ call the app
 * binary with `--cli`, as `code --status` does.
 */

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

/** What the CLI mode needs from Electron: only how to end the process. */
export interface CliModeApp {
  exit(status: number): void;
}

/**
 * Runs the CLI with `argv` and exits the app with its status. The CLI is loaded only now, so the tray
 * app never loads it. An unexpected failure is one line on stderr and status 1.
 */
export async function runCliMode(argv: readonly string[], app: CliModeApp): Promise<number> {
  let status: number;
  try {
    const { runCli, processIO } = await import('../cli/index.js');
    status = await runCli(argv, processIO);
  } catch (error) {
    process.stderr.write(`mytimer: ${error instanceof Error ? error.message : String(error)}\n`);
    status = 1;
  }
  app.exit(status);
  return status;
}
