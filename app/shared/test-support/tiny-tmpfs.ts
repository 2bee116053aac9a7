import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A tiny tmpfs to fill up, for full-disk tests. Mounting needs root on Linux; `mounted` says whether
 * it worked, so tests skip with a reason elsewhere. Call it at module load: `it.skipIf` is decided
 * when the file is collected, before any beforeAll runs.
 */
export async function tinyTmpfs(
  prefix: string,
  size: string,
): Promise<{ dir: string; mounted: boolean; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  let mounted = false;
  if (process.platform === 'linux') {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
  }
  return {
    dir,
    mounted,
    remove: async () => {
      if (mounted) execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
