import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where main finds the other parts of the built app. */
export interface MainPaths {
  /** The app folder (the project in development, `app.asar` when packaged). */
  appRoot: string;
  /** The daemon's entry: `dist/app/workers/daemon.js`. */
  daemon: string;
  /** The preload bundle the preload build emits: `dist/app/preload/index.cjs`. */
  preload: string;
  /** The renderer build served on `app://mytimer/`: `dist/renderer/`. */
  rendererDir: string;
  /** Icons made by scripts/make-icons.mjs: `build/icons/`. */
  iconsDir: string;
}

/** The paths, from the folder of the compiled main (`dist/app/main`). */
export function mainPaths(mainDir: string = path.dirname(fileURLToPath(import.meta.url))): MainPaths {
  const appDir = path.resolve(mainDir, '..');
  const distDir = path.resolve(appDir, '..');
  const appRoot = path.resolve(distDir, '..');
  return {
    appRoot,
    daemon: path.join(appDir, 'workers', 'daemon.js'),
    preload: path.join(appDir, 'preload', 'index.cjs'),
    rendererDir: path.join(distDir, 'renderer'),
    iconsDir: path.join(appRoot, 'build', 'icons'),
  };
}
