import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GSETTINGS_MIN_INTERVAL_MS, readShowBanners, watchDnd } from './dnd.js';

// GNOME's show-banners through a stand-in gsettings (a script reading a file the test writes), so the
// test does not depend on the machine's own GNOME settings. The D-Bus side is in tests/integration/desktop-bus.test.ts.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeGsettings(): { path: string; set(value: string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mytimer-dnd-'));
  dirs.push(dir);
  const value = join(dir, 'show-banners');
  const path = join(dir, 'gsettings');
  writeFileSync(
    path,
    `#!/bin/sh\n[ "$2 $3" = "org.gnome.desktop.notifications show-banners" ] || exit 1\ncat '${value}'\n`,
  );
  chmodSync(path, 0o755);
  return { path, set: (text) => writeFileSync(value, `${text}\n`) };
}

describe.skipIf(process.platform === 'win32')("GNOME's show-banners", () => {
  it('reads true / false, and null when gsettings is missing', async () => {
    const gsettings = fakeGsettings();
    gsettings.set('true');
    expect(await readShowBanners(gsettings.path)).toBe(true);
    gsettings.set('false');
    expect(await readShowBanners(gsettings.path)).toBe(false);
    expect(await readShowBanners(join(tmpdir(), 'no-such-gsettings'))).toBeNull();
  });

  it('banners off at start is DND on at once; refresh follows changes, at most once a minute', async () => {
    const gsettings = fakeGsettings();
    gsettings.set('false');
    let now = 0;
    const changes: boolean[] = [];
    const dnd = await watchDnd({
      session: null,
      gsettings: gsettings.path,
      now: () => now,
      onChange: (on) => changes.push(on),
    });
    expect(dnd.on).toBe(true);
    expect(dnd.sources).toEqual(['gsettings']);
    gsettings.set('true');
    now += GSETTINGS_MIN_INTERVAL_MS - 1;
    await dnd.refresh();
    expect(dnd.on).toBe(true); // too soon: not re-read
    now += 1;
    await dnd.refresh();
    expect(dnd.on).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('without gsettings and without a bus there is no DND source', async () => {
    const dnd = await watchDnd({
      session: null,
      gsettings: join(tmpdir(), 'no-such-gsettings'),
      onChange: () => undefined,
    });
    expect(dnd.sources).toEqual([]);
    expect(dnd.on).toBe(false);
  });
});
