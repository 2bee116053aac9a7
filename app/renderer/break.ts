/// <reference lib="dom" />
import type { BreakAction, BreakInfo, MyTimerApi } from '../preload/api.js';
import { KeyHold, isEmergencyChord } from '../shared/key-hold.js';
import { EMERGENCY_HOLD_MS } from '../shared/limits.js';
import { formatCountdown } from '../shared/time-format.js';
import { preloadApi } from './bridge.js';
import { h, replaceContent } from './dom.js';
import { setLocale, t } from './locale.js';

/**
 * The break window's page (bundled to dist/renderer/break.js): the reminder's message, a countdown to
 * the end of the break, Postpone and Skip — or, in strict mode, neither, and a hint that Ctrl+Alt+X
 * held 3 s leaves early. Main opens one per display and closes them all; this page only asks.
 */

const TICK_MS = 250;

export function showBreak(api: MyTimerApi, root: HTMLElement, info: BreakInfo): void {
  setLocale(info.locale);
  document.title = t('break.title');
  let asked = false;
  const ask = (action: BreakAction) => {
    if (asked) return;
    asked = true;
    void api.breakAction(action);
  };

  const countdown = h('p', { class: 'break-countdown', 'data-testid': 'break-countdown', role: 'timer' });
  const holdHint = h(
    'p',
    { class: 'break-hold', 'data-testid': 'break-hold', hidden: true },
    t('break.holding'),
  );
  const buttons = info.strict
    ? h('p', { class: 'break-strict', 'data-testid': 'break-strict' }, t('break.strictHint'))
    : h(
        'div',
        { class: 'break-actions' },
        h(
          'button',
          { type: 'button', 'data-testid': 'break-postpone', on: { click: () => ask('postpone') } },
          t('break.postpone'),
        ),
        h(
          'button',
          { type: 'button', 'data-testid': 'break-skip', on: { click: () => ask('skip') } },
          t('break.skip'),
        ),
      );
  replaceContent(
    root,
    h('h1', { class: 'break-name', 'data-testid': 'break-name' }, info.name),
    h('p', { class: 'break-message', 'data-testid': 'break-message' }, info.message),
    countdown,
    buttons,
    holdHint,
  );

  const tick = () => {
    const left = info.endsAt - Date.now();
    countdown.textContent = left > 0 ? formatCountdown(left) : t('break.over');
    if (left <= 0) {
      clearInterval(timer);
      ask('done');
    }
  };
  const timer = setInterval(tick, TICK_MS);
  tick();

  // The emergency exit: main watches the keys too (for a hung page); this one shows that it counts.
  const hold = new KeyHold(EMERGENCY_HOLD_MS, () => ask('emergency'));
  document.addEventListener('keydown', (event) => {
    if (!isEmergencyChord({ key: event.key, control: event.ctrlKey, alt: event.altKey })) return;
    event.preventDefault();
    hold.press();
    holdHint.hidden = false;
  });
  document.addEventListener('keyup', () => {
    hold.release();
    holdHint.hidden = true;
  });
}

async function main(): Promise<void> {
  const root = document.getElementById('break');
  const api = preloadApi();
  if (!root) return;
  const info = api ? await api.breakInfo() : null;
  if (!api || !info) {
    root.replaceChildren(h('p', { role: 'alert' }, t('ui.noBridge')));
    return;
  }
  showBreak(api, root, info);
}

void main();
