import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as FakeElectron from './test-support/electron-fake.js';

/**
 * Every IPC entry point into main goes through handleValidated (ipc.ts). Two independent checks:
 * the sources, so a new `ipcMain.handle(` / `ipcMain.on(` elsewhere fails here; and the running
 * composition root, so every handler it actually registers refuses a foreign sender.
 */

vi.mock('electron', () => import('./test-support/electron-fake.js'));

const MAIN_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The shipped sources of app/main (no tests, no test support). */
async function mainSources(): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(MAIN_DIR, { recursive: true, withFileTypes: true });
  const files = entries
    .filter(
      (entry) =>
        entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name) && !/\.test\.[cm]?[jt]s$/.test(entry.name),
    )
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.split(path.sep).includes('test-support'));
  return Promise.all(
    files.map(async (file) => ({ file: path.relative(MAIN_DIR, file), text: await readFile(file, 'utf8') })),
  );
}

/** `ipcMain.handle(`, `ipcMain?.on (`, `ipcMain['once'](`, … — any way of registering a listener. */
const REGISTRATION =
  /ipcMain\s*(?:\?\.|\.)\s*(handle|handleOnce|on|once|addListener|prependListener|prependOnceListener)\s*\(|ipcMain\s*\[/g;

describe('IPC handlers cannot bypass handleValidated', () => {
  it('in the sources: ipcMain is registered on only inside handleValidated, once', async () => {
    const sources = await mainSources();
    expect(sources.map((s) => s.file)).toContain('ipc.ts');
    const offenders: string[] = [];
    for (const { file, text } of sources) {
      const matches = [...text.matchAll(REGISTRATION)].map((m) => m[0]);
      if (file !== 'ipc.ts') {
        if (matches.length > 0) offenders.push(`${file}: ${matches.join(', ')}`);
        // Not even passed around: a module holding ipcMain could register on it unseen.
        if (/\bipcMain\b/.test(text)) offenders.push(`${file}: mentions ipcMain`);
      }
    }
    expect(offenders).toEqual([]);

    const ipc = sources.find((s) => s.file === 'ipc.ts')?.text ?? '';
    expect([...ipc.matchAll(REGISTRATION)].map((m) => m[0].replace(/\s/g, ''))).toEqual(['ipcMain.handle(']);
    const wrapper = ipc.slice(
      ipc.indexOf('export function handleValidated'),
      ipc.indexOf('\n}\n', ipc.indexOf('export function handleValidated')),
    );
    expect(wrapper).toContain('ipcMain.handle(');
  });

  describe('at run time, in the composition root', () => {
    let home: string;
    let fake: typeof FakeElectron;

    beforeAll(async () => {
      home = await mkdtemp(path.join(tmpdir(), 'mytimer-ipc-'));
      vi.stubEnv('MYTIMER_HOME', home);
      // The refusals are logged as warnings on stderr: expected here, so kept out of the test output.
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      fake = (await import('electron')) as unknown as typeof FakeElectron;
      fake.electronFake.reset();
      await import('./index.js');
      await new Promise((resolve) => setImmediate(resolve));
    });

    afterAll(async () => {
      fake.app.emit('will-quit', fake.fakeEvent());
      vi.unstubAllEnvs();
      vi.restoreAllMocks();
      await rm(home, { recursive: true, force: true });
    });

    it('registers no ipcMain.on/once/handleOnce listener at all', () => {
      expect(fake.ipcMain.on).not.toHaveBeenCalled();
      expect(fake.ipcMain.once).not.toHaveBeenCalled();
      expect(fake.ipcMain.handleOnce).not.toHaveBeenCalled();
      expect(fake.electronFake.ipcHandlers.size).toBeGreaterThan(0);
    });

    it('has every registered handler refuse a foreign frame and a null senderFrame', async () => {
      // The real settings window exists, so the only thing wrong is the sender.
      fake.app.emit('second-instance', fake.fakeEvent(), [], '/');
      const settingsFrame = fake.electronFake.windows[0]?.webContents.mainFrame;
      expect(settingsFrame).toBeDefined();
      const payloads = [undefined, { method: 'status' }, { method: 'pause', params: {} }];
      for (const channel of fake.electronFake.ipcHandlers.keys()) {
        for (const payload of payloads) {
          for (const sender of [new fake.FakeWebFrame('app://mytimer/index.html'), null]) {
            await expect(fake.electronFake.invoke(channel, sender, payload), channel).resolves.toEqual({
              id: null,
              ok: false,
              error: { code: 'invalid', field: 'sender', message: expect.any(String) },
            });
          }
        }
      }
      // The daemon was never asked anything on a foreign sender's behalf.
      expect(fake.electronFake.child.posted).toEqual([]);
      // …while the settings page itself is answered.
      await expect(fake.electronFake.invoke('mytimer:status', settingsFrame ?? null)).resolves.toBeNull();
    });
  });
});
