import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Options for watchFile. */
export interface WatchFileOptions {
  /** Quiet time after the last event before `onChange` runs: editors write in several steps. */
  debounceMs?: number;
  log?: (message: string) => void;
}

/**
 * Calls `onChange` (debounced, one call at a time) whenever `file` may have changed. Watches the
 * directory rather than the file, so an editor that saves by renaming a new file into place is
 * still seen. The caller tells its own writes from hand edits (JsonStore.wrote).
 */
export function watchFile(
  file: string,
  onChange: () => Promise<void>,
  options: WatchFileOptions = {},
): { close(): void } {
  const { debounceMs = 200 } = options;
  const name = path.basename(file);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let watcher: FSWatcher | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(onChange).catch((error: unknown) => options.log?.(String(error)));
    }, debounceMs);
  };
  try {
    watcher = watch(path.dirname(file), (_event, changed) => {
      // Some platforms give no file name: then any change in the folder may be ours.
      if (changed === null || changed === name) schedule();
    });
    watcher.on('error', (error) => options.log?.(`stopped watching ${file}: ${error.message}`));
  } catch (error) {
    options.log?.(`cannot watch ${file} for hand edits: ${(error as Error).message}`);
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
