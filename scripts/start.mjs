#!/usr/bin/env node
/**
 * `npm start`: builds and launches the desktop app from this folder (`npm run build`, then Electron
 * with this folder). The Electron binary is downloaded by electron's own install step, which fails
 * where GitHub cannot be reached; this script looks for the binary's files first — before building,
 * and without ever `require`ing electron, which would try to fetch it — and says in one line what to
 * run instead when they are missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The message printed when the binary is missing (one line, exported for the test). */
export const MISSING_ELECTRON_MESSAGE =
  'myTimer: the Electron binary is not installed here (node_modules/electron/dist is missing; it is ' +
  'downloaded from GitHub on first run). Run the daemon headless instead: npx mytimer run';

/**
 * The Electron executable under `projectDir`, or null when it is not installed: electron's
 * `path.txt` names the executable inside `dist/`, and both must exist.
 */
export function electronBinary(projectDir = PROJECT_DIR) {
  const electronDir = path.join(projectDir, 'node_modules', 'electron');
  const pathFile = path.join(electronDir, 'path.txt');
  const distDir = path.join(electronDir, 'dist');
  if (!existsSync(pathFile) || !existsSync(distDir)) return null;
  const executable = path.join(distDir, readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

function main() {
  const executable = electronBinary();
  if (executable === null) {
    process.stderr.write(`${MISSING_ELECTRON_MESSAGE}\n`);
    process.exit(1);
  }
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: PROJECT_DIR,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const env = { ...process.env };
  // Set by some shells and CI for Node tools; it would make Electron run as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(executable, [PROJECT_DIR, ...process.argv.slice(2)], { stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    process.stderr.write(`myTimer: could not start Electron (${executable}): ${error.message}\n`);
    process.exit(1);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
