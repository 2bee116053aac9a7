import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFullscreenReader,
  parseActiveWindow,
  parseFullscreenState,
  watchFullscreen,
} from './fullscreen.js';

const run = promisify(execFile);

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('reading xprop', () => {
  it('finds the active window id, and none for 0x0 or a missing property', () => {
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x1a00007\n')).toBe('0x1a00007');
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW(CARDINAL) = 1293\n')).toBe('0x50d');
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x0\n')).toBeNull();
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW:  not found.\n')).toBeNull();
  });

  it('sees _NET_WM_STATE_FULLSCREEN among the states, and nothing else', () => {
    expect(
      parseFullscreenState('_NET_WM_STATE(ATOM) = _NET_WM_STATE_ABOVE, _NET_WM_STATE_FULLSCREEN\n'),
    ).toBe(true);
    expect(parseFullscreenState('_NET_WM_STATE(ATOM) = _NET_WM_STATE_MAXIMIZED_HORZ\n')).toBe(false);
    expect(parseFullscreenState('_NET_WM_STATE:  not found.\n')).toBe(false);
  });

  it('has no reader without a display', () => {
    expect(createFullscreenReader({ display: '' })).toBeNull();
  });
});

// A real X server with no window manager: the test plays the window manager, setting the EWMH properties
// on the root window itself (the root is then its own "active window").
const missing = ['Xvfb', 'xprop', 'xwininfo'].filter((name) => !hasCommand(name));
describe.skipIf(missing.length > 0)(
  `fullscreen under Xvfb${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not installed; apt-get install xvfb x11-utils)` : ''}`,
  () => {
    let xvfb: ChildProcess | null = null;
    let display = '';

    beforeAll(async () => {
      // -displayfd: Xvfb picks a free display and writes its number once it accepts clients; -noreset: the
      // root's properties survive each xprop disconnecting (by default the server resets with its last client).
      const server = spawn(
        'Xvfb',
        ['-displayfd', '1', '-noreset', '-nolisten', 'tcp', '-screen', '0', '640x480x24'],
        {
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      xvfb = server;
      display = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(`:${out.trim()}`);
        });
        server.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
        server.once('error', reject);
      });
    });

    afterAll(() => {
      xvfb?.kill();
    });

    const xprop = (...args: string[]) => run('xprop', ['-display', display, ...args]);

    it('reports a fullscreen active window, then not once its state is removed', async () => {
      const { stdout } = await run('xwininfo', ['-display', display, '-root']);
      const rootId = /Window id: (0x[0-9a-f]+)/i.exec(stdout)?.[1];
      expect(rootId).toBeDefined();
      const reader = createFullscreenReader({ display });
      expect(reader).not.toBeNull();
      expect(await reader?.()).toBe(false); // no window manager: no active window yet

      await xprop('-root', '-f', '_NET_ACTIVE_WINDOW', '32x', '-set', '_NET_ACTIVE_WINDOW', String(rootId));
      expect(await reader?.()).toBe(false); // active, not fullscreen
      await xprop('-root', '-f', '_NET_WM_STATE', '32a', '-set', '_NET_WM_STATE', '_NET_WM_STATE_FULLSCREEN');
      expect(await reader?.()).toBe(true);

      // The watch reports each change once, as the idle poll refreshes it.
      const changes: boolean[] = [];
      const watch = await watchFullscreen((on) => changes.push(on), { display });
      expect(changes).toEqual([true]);
      await watch?.refresh();
      await xprop('-root', '-remove', '_NET_WM_STATE');
      expect(await reader?.()).toBe(false);
      await watch?.refresh();
      await watch?.refresh();
      expect(changes).toEqual([true, false]);
    });

    it('a display no X server answers on is not followed', async () => {
      expect(await createFullscreenReader({ display: ':4093' })?.()).toBeNull();
      expect(await watchFullscreen(() => undefined, { display: ':4093' })).toBeNull();
    });
  },
);
