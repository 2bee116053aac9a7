import type { CliIO } from '../io.js';
import { runCli } from '../program.js';

/** Runs the CLI in-process with captured output, a fixed clock and in-memory stdin/files. */
export async function runCaptured(
  argv: string[],
  {
    files = {},
    now = Date.UTC(2026, 0, 5, 9, 0, 0),
    env = {},
  }: { files?: Record<string, string>; now?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readInput: async (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return content;
    },
    now: () => now,
    env,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
