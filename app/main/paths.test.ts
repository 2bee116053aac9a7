import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainPaths } from './paths.js';

describe('mainPaths', () => {
  it('finds the daemon, the preload bundle, the renderer build and the icons from dist/app/main', () => {
    const root = path.resolve('/opt/mytimer/resources/app.asar');
    expect(mainPaths(path.join(root, 'dist', 'app', 'main'))).toEqual({
      appRoot: root,
      daemon: path.join(root, 'dist', 'app', 'workers', 'daemon.js'),
      preload: path.join(root, 'dist', 'app', 'preload', 'index.cjs'),
      rendererDir: path.join(root, 'dist', 'renderer'),
      iconsDir: path.join(root, 'build', 'icons'),
    });
  });
});
