/** The `mytimer` CLI's face: run it in-process (its own entry is main.ts; the packaged app's is `--cli`). */
export { runCli } from './program.js';
export { processIO, type CliIO, type DaemonLauncher, type DaemonSpec } from './io.js';
