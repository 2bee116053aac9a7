/**
 * Does a fullscreen window have the focus (a video, a presentation, a game)? Headless on X11: the window
 * manager names the focused window in the root window's `_NET_ACTIVE_WINDOW`, and a fullscreen one carries
 * `_NET_WM_STATE_FULLSCREEN` in its `_NET_WM_STATE` (EWMH). Read with `xprop` (x11-utils), no X library:
 * two short processes on the idle poll, which already wakes at most once per 10 s.
 *
 * Not seen: Wayland sessions (a client cannot see other clients' windows; under XWayland only X11 apps are
 * visible, so DISPLAY alone is not trusted there: WAYLAND_DISPLAY turns the reader off); Windows and macOS
 * (Windows would need SHQueryUserNotificationState through a native module).
 */
import { execFile } from 'node:child_process';

export interface FullscreenReaderOptions {
  /** The xprop binary; default 'xprop' (on PATH). */
  xprop?: string;
  /** The X display; default $DISPLAY. */
  display?: string;
  timeoutMs?: number;
}

/** Whether the focused window is fullscreen; null when xprop cannot read the X server. */
export type FullscreenReader = () => Promise<boolean | null>;

/**
 * `_NET_ACTIVE_WINDOW(WINDOW): window id # 0x1a00007` (as window managers set it) or `…(CARDINAL) = 1293` (as
 * `xprop -set` writes it) → the id in hex; null for none (0) or no such property.
 */
export function parseActiveWindow(output: string): string | null {
  const match = /window id # (0x[0-9a-f]+)/i.exec(output) ?? /=\s*(0x[0-9a-f]+|\d+)\b/i.exec(output);
  if (!match?.[1]) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? `0x${id.toString(16)}` : null;
}

/** `_NET_WM_STATE(ATOM) = _NET_WM_STATE_FULLSCREEN, _NET_WM_STATE_ABOVE` → true; "not found." → false. */
export function parseFullscreenState(output: string): boolean {
  const eq = output.indexOf('=');
  if (eq < 0) return false;
  return output
    .slice(eq + 1)
    .split(',')
    .some((atom) => atom.trim() === '_NET_WM_STATE_FULLSCREEN');
}

function run(xprop: string, args: string[], display: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      xprop,
      ['-display', display, ...args],
      { timeout: timeoutMs, windowsHide: true },
      (error, stdout) => resolve(error ? null : stdout),
    );
  });
}

/**
 * A reader for the X display, or null where none can work: no DISPLAY, a Wayland session, not Linux/BSD.
 * The reader itself answers null when xprop is missing or the X server does not answer.
 */
export function createFullscreenReader(options: FullscreenReaderOptions = {}): FullscreenReader | null {
  const display = options.display ?? process.env.DISPLAY;
  if (!display) return null;
  if (options.display === undefined && process.env.WAYLAND_DISPLAY) return null;
  if (process.platform === 'win32' || process.platform === 'darwin') return null;
  const xprop = options.xprop ?? 'xprop';
  const timeoutMs = options.timeoutMs ?? 2_000;
  return async () => {
    const active = await run(xprop, ['-root', '_NET_ACTIVE_WINDOW'], display, timeoutMs);
    if (active === null) return null;
    const windowId = parseActiveWindow(active);
    if (windowId === null) return false;
    const state = await run(xprop, ['-id', windowId, '_NET_WM_STATE'], display, timeoutMs);
    // The focused window went away between the two reads: nothing fullscreen has the focus.
    return state === null ? false : parseFullscreenState(state);
  };
}

export interface FullscreenWatch {
  /** Re-reads the X server (the idle poll calls it); stops for good once xprop cannot answer. */
  refresh(): Promise<void>;
}

/**
 * Reads once; resolves to null when no X server answers (nothing to follow), else a watch whose refresh()
 * reports each change to `onChange`.
 */
export async function watchFullscreen(
  onChange: (on: boolean) => void,
  options: FullscreenReaderOptions = {},
): Promise<FullscreenWatch | null> {
  const reader = createFullscreenReader(options);
  if (!reader) return null;
  let on = await reader();
  if (on === null) return null;
  if (on) onChange(true);
  let working = true;
  let reading = false;
  return {
    async refresh() {
      if (!working || reading) return;
      reading = true;
      try {
        const next = await reader();
        if (next === null) {
          working = false; // the X server went away: stop spawning xprop
          if (on) onChange((on = false));
          return;
        }
        if (next !== on) onChange((on = next));
      } finally {
        reading = false;
      }
    },
  };
}
