import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The packaging scripts that give users `mytimer` on PATH (build/linux): the launcher, run for real
 * against a stub app binary, and the deb's after-install/after-remove, filled in as electron-builder
 * fills them and run with stub commands on PATH (so nothing on this machine changes).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LINUX = path.join(ROOT, 'build', 'linux');

/** electron-builder's macros for this app (FpmTarget's writeConfigFile): an unknown one is an error there. */
const MACROS: Record<string, string> = { executable: 'mytimer', sanitizedProductName: 'myTimer' };

function filledIn(file: string): string {
  return readFileSync(path.join(LINUX, file), 'utf8').replace(/\${([a-zA-Z]+)}/g, (_match, name: string) => {
    const value = MACROS[name];
    if (value === undefined)
      throw new Error(`${file}: macro \${${name}} is not one electron-builder defines`);
    return value;
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mytimer-launcher-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An executable shell script at `file`. */
function script(file: string, body: string): void {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

describe('the `mytimer` launcher (build/linux/mytimer.sh)', () => {
  it('is valid sh', () => {
    expect(() => execFileSync('sh', ['-n', path.join(LINUX, 'mytimer.sh')])).not.toThrow();
  });

  it('runs the app binary beside it with --cli and every argument as given, through the /usr/bin link', () => {
    const appDir = path.join(dir, 'opt', 'myTimer');
    const binDir = path.join(dir, 'bin');
    mkdirSync(appDir, { recursive: true });
    mkdirSync(binDir);
    // The stub app prints each argument on a line and exits with a status of its own.
    script(path.join(appDir, 'mytimer'), 'for arg in "$@"; do printf "%s\\n" "$arg"; done; exit 7');
    copyFileSync(path.join(LINUX, 'mytimer.sh'), path.join(appDir, 'mytimer-cli'));
    chmodSync(path.join(appDir, 'mytimer-cli'), 0o755);
    symlinkSync(path.join(appDir, 'mytimer-cli'), path.join(binDir, 'mytimer'));

    const run = spawnSync(path.join(binDir, 'mytimer'), ['reminder', 'add', 'Tea time', '--every', '45m'], {
      encoding: 'utf8',
    });
    // Chromium's switches come first: Ozone's headless platform, so no display (X11, Wayland) is needed.
    expect(run.stdout.split('\n').slice(0, -1)).toEqual([
      '--ozone-platform=headless',
      '--disable-gpu',
      '--cli',
      'reminder',
      'add',
      'Tea time',
      '--every',
      '45m',
    ]);
    expect(run.status).toBe(7);
  });
});

describe("the deb's after-install and after-remove (build/linux)", () => {
  /** Runs `file`, filled in, under bash with only `stubs` on PATH; returns what the stubs recorded. */
  function runWithStubs(file: string): string[] {
    const stubs = path.join(dir, 'stubs');
    const calls = path.join(dir, 'calls');
    mkdirSync(stubs);
    for (const name of ['update-alternatives', 'chmod']) {
      script(path.join(stubs, name), `printf '%s\\n' "${name} $*" >> '${calls}'`);
    }
    const filled = path.join(dir, file);
    writeFileSync(filled, filledIn(file));
    const run = spawnSync('/bin/bash', [filled], { env: { PATH: stubs }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
  }

  it('are valid bash once electron-builder has filled in its macros', () => {
    for (const file of ['after-install.sh', 'after-remove.sh']) {
      const filled = path.join(dir, file);
      writeFileSync(filled, filledIn(file));
      expect(() => execFileSync('bash', ['-n', filled]), file).not.toThrow();
    }
  });

  // The scripts touch /usr/bin/mytimer only through the stubs, unless it is a link already here.
  const linkHere = (() => {
    try {
      return lstatSync('/usr/bin/mytimer').isSymbolicLink();
    } catch {
      return false;
    }
  })();

  it.skipIf(linkHere)('after-install makes /usr/bin/mytimer the CLI launcher, not the tray app', () => {
    const calls = runWithStubs('after-install.sh');
    expect(calls).toContain('update-alternatives --remove mytimer /opt/myTimer/mytimer');
    expect(calls).toContain(
      'update-alternatives --install /usr/bin/mytimer mytimer /opt/myTimer/mytimer-cli 100',
    );
    expect(calls).toContain('chmod 0755 /opt/myTimer/mytimer-cli');
    // Without working user namespaces (no `unshare` here), the Chromium sandbox helper is made SUID.
    expect(calls).toContain('chmod 4755 /opt/myTimer/chrome-sandbox');
  });

  it('after-remove takes the launcher link away again', () => {
    expect(runWithStubs('after-remove.sh')).toEqual([
      'update-alternatives --remove mytimer /opt/myTimer/mytimer-cli',
    ]);
  });
});
