/// <reference lib="dom" />
import { App } from './app.js';
import { preloadApi } from './bridge.js';
import { h } from './dom.js';
import { t } from './locale.js';

/** The settings window's entry (bundled to dist/renderer/app.js by scripts/build-renderer.mjs). */

const root = document.getElementById('app');
const api = preloadApi();
if (root && api) {
  void new App(api, root).start();
} else if (root) {
  document.title = t('ui.title');
  root.replaceChildren(h('main', { class: 'layout' }, h('p', { role: 'alert' }, t('ui.noBridge'))));
}
