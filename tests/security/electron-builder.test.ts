import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_SIZES } from '../../app/main/tray-icons.js';

/**
 * electron-builder.yml, checked as electron-builder itself would (its JSON schema, with ajv — the
 * validator electron-builder uses, already in node_modules as its dependency) and for what we rely
 * on: the fuses, the files, the node-notifier binaries outside the asar, the targets, the icons.
 * YAML is read with js-yaml, electron-builder's own parser (also already in node_modules).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
// js-yaml ships no types, and @types/js-yaml is not installed: typed here by the one function used.
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string };
  files?: string[];
  asarUnpack?: string[];
  icon?: string;
  electronFuses?: Record<string, boolean>;
  linux?: {
    target?: string[];
    category?: string;
    icon?: string;
    executableName?: string;
    extraFiles?: { from: string; to: string }[];
  };
  deb?: { afterInstall?: string; afterRemove?: string };
  win?: { target?: string[]; icon?: string; extraFiles?: { from: string; to: string }[] };
  mac?: { target?: string[]; icon?: string };
}

function loadConfig(): BuilderConfig {
  return yaml.load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/** Width and height from a PNG's IHDR chunk, or null when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } | null {
  const bytes = readFileSync(file);
  if (
    bytes.length < 24 ||
    bytes.toString('latin1', 1, 4) !== 'PNG' ||
    bytes.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    return null;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own JSON schema (app-builder-lib/scheme.json)", () => {
    const schema = JSON.parse(
      readFileSync(path.join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'),
    ) as object;
    // strict: false as electron-builder compiles it (the schema uses keywords ajv's strict mode rejects).
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(loadConfig());
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('flips the security fuses', () => {
    expect(loadConfig().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('names the app and packs the build, package.json and icons, with node-notifier binaries unpacked', () => {
    const config = loadConfig();
    expect(config.appId).toBe('io.github.mytimer.app');
    expect(config.productName).toBe('myTimer');
    expect(config.directories?.output).toBe('release');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', 'build/icons/**']));
    expect(config.asarUnpack).toContain('node_modules/node-notifier/vendor/**');
  });

  it('targets AppImage and deb (Utility), NSIS and dmg', () => {
    const config = loadConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Utility');
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('ships the `mytimer` launchers beside the app binary, and the deb links /usr/bin/mytimer to it', () => {
    const config = loadConfig();
    expect(config.linux?.executableName).toBe('mytimer');
    expect(config.linux?.extraFiles).toContainEqual({ from: 'build/linux/mytimer.sh', to: 'mytimer-cli' });
    expect(config.win?.extraFiles).toContainEqual({ from: 'build/win/mytimer.cmd', to: 'mytimer.cmd' });
    expect(config.deb).toMatchObject({
      afterInstall: 'build/linux/after-install.sh',
      afterRemove: 'build/linux/after-remove.sh',
    });
    for (const file of [
      ...(config.linux?.extraFiles ?? []).map((f) => f.from),
      ...(config.win?.extraFiles ?? []).map((f) => f.from),
      config.deb?.afterInstall ?? '',
      config.deb?.afterRemove ?? '',
    ]) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    }
  });

  it('points at icons that exist and are large enough', () => {
    const config = loadConfig();
    for (const icon of [config.icon, config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon).toBeDefined();
      const size = pngSize(path.join(ROOT, icon ?? ''));
      expect(size?.width, icon).toBeGreaterThanOrEqual(256);
      expect(size?.width).toBe(size?.height);
    }
  });

  it('is what package.json builds and runs: main in dist, and the start and dist scripts', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(pkg.main).toBe('dist/app/main/index.js');
    expect(pkg.scripts.dist).toBe('npm run build && electron-builder');
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
  });
});

describe('build/icons', () => {
  const icons = path.join(ROOT, 'build', 'icons');

  it('has the app icon at 512 and 256 px, and its SVG source', () => {
    expect(pngSize(path.join(icons, 'icon-512.png'))).toEqual({ width: 512, height: 512 });
    expect(pngSize(path.join(icons, 'icon-256.png'))).toEqual({ width: 256, height: 256 });
    expect(readFileSync(path.join(icons, 'icon.svg'), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
  });

  it('has every tray icon: active and paused, light and dark, 16/22/32 px and @2x', () => {
    const missing: string[] = [];
    for (const shows of ['active', 'paused']) {
      for (const theme of ['light', 'dark']) {
        for (const size of TRAY_ICON_SIZES) {
          for (const [suffix, scale] of [
            ['', 1],
            ['@2x', 2],
          ] as const) {
            const file = path.join(icons, `tray-${shows}-${theme}-${size}${suffix}.png`);
            if (!existsSync(file)) missing.push(path.basename(file));
            else
              expect(pngSize(file), path.basename(file)).toEqual({
                width: size * scale,
                height: size * scale,
              });
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
