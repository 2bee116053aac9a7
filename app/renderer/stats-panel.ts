/// <reference lib="dom" />
import type { Stats, StatsDay } from '../shared/contract.js';
import { announceFailure, type Context } from './context.js';
import { h, replaceContent } from './dom.js';
import { locale, t } from './locale.js';

/**
 * The Statistics panel: the daemon's `stats` for the last 7 or 30 days — breaks taken (button and
 * natural, stacked) against breaks due, days with a skip marked, the current streak, and the busiest
 * hours as a 24-bar strip.
 *
 * The charts are hand-drawn SVG rather than a chart library: what is drawn is a few rects per day,
 * and this whole panel (charts, tables, toggle) bundles to about 6 KB minified (2 KB gzipped), where
 * a library (Chart.js, uPlot, ApexCharts …) would add tens of KB or more to the esbuild bundle for the
 * same bars. The window's CSP (`style-src 'self'`) also blocks the
 * `<style>` elements and style attributes some libraries inject, and a canvas could not take its
 * colours from CSS: here the colours are classes on the rects, so the charts follow the light/dark
 * theme through the CSS variables in styles.css, with no inline style anywhere.
 */

type Range = 'week' | 'month';
const RANGES: readonly Range[] = ['week', 'month'];

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (`h` makes HTML ones); attributes only, never inline style. */
function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  ...children: (SVGElement | string | false)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) if (child !== false) element.append(child);
  return element;
}

/** A local date `YYYY-MM-DD` (the daemon's day, already in the user's zone) in the window's language. */
function formatDay(date: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone: 'UTC' }).format(
    Date.parse(`${date}T00:00:00Z`),
  );
}

/** The start of a local hour, `09:00`, in the window's language. */
function formatHour(hour: number): string {
  return new Intl.DateTimeFormat(locale(), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(Date.UTC(2000, 0, 1, hour));
}

/** The hour most reminders were shown in (the earliest on a tie), or null when none was shown. */
export function busiestHour(hours: readonly number[]): { hour: number; count: number } | null {
  let best: { hour: number; count: number } | null = null;
  for (const [hour, count] of hours.entries()) {
    if (count > 0 && (best === null || count > best.count)) best = { hour, count };
  }
  return best;
}

/** Chart geometry, in viewBox units: each day is a 10-unit slot; bars above, the skip marks below. */
const SLOT = 10;
const BAR = 7;
const PLOT_HEIGHT = 90;
const MARK_TOP = 94;
const CHART_HEIGHT = 100;
const HOUR_SLOT = 10;
const HOURS_HEIGHT = 40;

export class StatsPanel {
  readonly element = h('section', { class: 'panel stats', 'aria-labelledby': 'stats-heading' });
  readonly #context: Context;
  readonly #body = h('div', { class: 'stats-body', 'data-testid': 'stats-body' });
  #range: Range = 'week';
  #stats: Stats | null = null;
  /** Replies to older requests are dropped: a quick 7 → 30 → 7 ends on 7. */
  #requestSeq = 0;

  constructor(context: Context) {
    this.#context = context;
  }

  render(): void {
    replaceContent(
      this.element,
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { id: 'stats-heading' }, t('ui.stats.heading')),
        h(
          'div',
          { class: 'segmented', role: 'group', 'aria-label': t('ui.stats.rangeLabel') },
          RANGES.map((range) =>
            h(
              'button',
              {
                type: 'button',
                class: 'small',
                'data-testid': `stats-range-${range}`,
                'aria-pressed': String(range === this.#range),
                on: { click: () => void this.#choose(range) },
              },
              t(range === 'week' ? 'ui.stats.range.week' : 'ui.stats.range.month'),
            ),
          ),
        ),
      ),
      this.#body,
    );
    this.#renderBody();
  }

  /** Re-reads the statistics from the daemon (on start, and after reminders fire, are skipped …). */
  async refresh(): Promise<void> {
    const seq = ++this.#requestSeq;
    const stats = await this.#context.call('stats', { range: this.#range });
    if (seq !== this.#requestSeq) return;
    this.#stats = stats;
    this.#renderBody();
  }

  async #choose(range: Range): Promise<void> {
    if (range === this.#range) return;
    this.#range = range;
    for (const button of this.element.querySelectorAll<HTMLButtonElement>('[aria-pressed]'))
      button.setAttribute('aria-pressed', String(button.dataset.testid === `stats-range-${range}`));
    try {
      await this.refresh();
    } catch (error) {
      announceFailure(this.#context, error);
    }
  }

  #renderBody(): void {
    const stats = this.#stats;
    if (!stats) {
      this.#body.replaceChildren();
      return;
    }
    const { totals } = stats;
    const busiest = busiestHour(stats.busiestHours);
    const busiestText = busiest
      ? t('ui.stats.busiest', { hour: formatHour(busiest.hour), count: busiest.count })
      : t('ui.stats.busiestNone');
    const nothing = totals.due === 0 && totals.taken === 0 && totals.skipped === 0 && totals.snoozed === 0;
    replaceContent(
      this.#body,
      h(
        'p',
        { class: 'stats-streak', 'data-testid': 'stats-streak' },
        t('ui.stats.streak', { current: stats.streak.current, longest: stats.streak.longest }),
      ),
      h('p', { class: 'stats-totals muted', 'data-testid': 'stats-totals' }, t('ui.stats.totals', totals)),
      this.#dayChart(stats),
      nothing && h('p', { class: 'empty', 'data-testid': 'stats-empty' }, t('ui.stats.empty')),
      h('h3', { class: 'stats-subhead' }, t('ui.stats.hoursHeading')),
      this.#hourStrip(stats, busiest, busiestText),
      h('p', { class: 'stats-busiest', 'data-testid': 'stats-busiest' }, busiestText),
      this.#dayTable(stats.days),
      this.#hourTable(stats.busiestHours),
    );
  }

  #dayChart(stats: Stats): HTMLElement {
    const { days, totals } = stats;
    const top = Math.max(1, ...days.map((day) => Math.max(day.due, day.taken)));
    const height = (count: number) => (count / top) * PLOT_HEIGHT;
    const chart = svg(
      'svg',
      {
        class: 'stats-chart',
        'data-testid': 'stats-chart',
        role: 'img',
        'aria-label': t('ui.stats.chartLabel', {
          days: days.length,
          taken: totals.taken,
          button: totals.takenButton,
          natural: totals.takenNatural,
          due: totals.due,
          skipped: totals.skipped,
        }),
        viewBox: `0 0 ${days.length * SLOT} ${CHART_HEIGHT}`,
        // Bars only (no text inside): stretching them to the panel's width distorts nothing.
        preserveAspectRatio: 'none',
      },
      svg('rect', { class: 'stats-baseline', x: 0, y: PLOT_HEIGHT, width: days.length * SLOT, height: 0.6 }),
      ...days.map((day, index) => {
        const x = index * SLOT + (SLOT - BAR) / 2;
        const button = height(day.takenButton);
        const natural = height(day.takenNatural);
        return svg(
          'g',
          {
            'data-testid': 'stats-day',
            'data-date': day.date,
            'data-due': day.due,
            'data-taken': day.taken,
            'data-skipped': day.skipped,
          },
          svg(
            'title',
            {},
            t('ui.stats.dayTitle', {
              date: formatDay(day.date, { weekday: 'short', month: 'short', day: 'numeric' }),
              taken: day.taken,
              due: day.due,
              skipped: day.skipped,
            }),
          ),
          day.due > 0 &&
            svg('rect', {
              class: 'stats-due',
              x,
              y: PLOT_HEIGHT - height(day.due),
              width: BAR,
              height: height(day.due),
            }),
          button > 0 &&
            svg('rect', {
              class: 'stats-button',
              x: x + 1,
              y: PLOT_HEIGHT - button,
              width: BAR - 2,
              height: button,
            }),
          natural > 0 &&
            svg('rect', {
              class: 'stats-natural',
              x: x + 1,
              y: PLOT_HEIGHT - button - natural,
              width: BAR - 2,
              height: natural,
            }),
          day.skipped > 0 &&
            svg('rect', {
              class: 'stats-skipped',
              'data-testid': 'stats-skip-mark',
              x,
              y: MARK_TOP,
              width: BAR,
              height: CHART_HEIGHT - MARK_TOP,
            }),
        );
      }),
    );
    const first = days[0];
    const last = days.at(-1);
    const axisFormat: Intl.DateTimeFormatOptions =
      days.length <= 7 ? { weekday: 'short' } : { month: 'short', day: 'numeric' };
    const swatch = (kind: string, text: string) =>
      h('li', {}, h('span', { class: `swatch swatch-${kind}` }), text);
    return h(
      'figure',
      { class: 'stats-figure' },
      chart,
      h(
        'div',
        { class: `stats-axis stats-axis-${days.length <= 7 ? 'week' : 'month'}`, 'aria-hidden': 'true' },
        days.length <= 7
          ? days.map((day) => h('span', {}, formatDay(day.date, axisFormat)))
          : [
              h('span', {}, first ? formatDay(first.date, axisFormat) : ''),
              h('span', {}, last ? formatDay(last.date, axisFormat) : ''),
            ],
      ),
      h(
        'ul',
        { class: 'stats-legend', 'aria-hidden': 'true' },
        swatch('button', t('ui.stats.legend.button')),
        swatch('natural', t('ui.stats.legend.natural')),
        swatch('due', t('ui.stats.legend.due')),
        swatch('skipped', t('ui.stats.legend.skipped')),
      ),
    );
  }

  #hourStrip(stats: Stats, busiest: { hour: number } | null, busiestText: string): HTMLElement {
    const top = Math.max(1, ...stats.busiestHours);
    const strip = svg(
      'svg',
      {
        class: 'stats-hours',
        'data-testid': 'stats-hours',
        role: 'img',
        'aria-label': t('ui.stats.hoursLabel', { days: stats.days.length, busiest: busiestText }),
        viewBox: `0 0 ${24 * HOUR_SLOT} ${HOURS_HEIGHT}`,
        preserveAspectRatio: 'none',
      },
      svg('rect', {
        class: 'stats-baseline',
        x: 0,
        y: HOURS_HEIGHT - 0.6,
        width: 24 * HOUR_SLOT,
        height: 0.6,
      }),
      ...stats.busiestHours.map((count, hour) => {
        const height = (count / top) * (HOURS_HEIGHT - 2);
        return svg(
          'rect',
          {
            class: hour === busiest?.hour ? 'stats-hour busiest' : 'stats-hour',
            'data-testid': 'stats-hour',
            'data-hour': hour,
            'data-count': count,
            x: hour * HOUR_SLOT + 1,
            y: HOURS_HEIGHT - height,
            width: HOUR_SLOT - 2,
            height,
          },
          svg('title', {}, `${formatHour(hour)}: ${count}`),
        );
      }),
    );
    return h(
      'figure',
      { class: 'stats-figure' },
      strip,
      h(
        'div',
        { class: 'stats-hours-axis', 'aria-hidden': 'true' },
        [0, 6, 12, 18].map((hour) => h('span', {}, formatHour(hour))),
      ),
    );
  }

  /** The chart's numbers for screen readers: visually hidden, read as a table. */
  #dayTable(days: readonly StatsDay[]): HTMLElement {
    const cell = (value: string | number) => h('td', {}, String(value));
    // In a hidden box, not hidden itself: a table never shrinks below its content's width.
    return h(
      'div',
      { class: 'sr-only' },
      h(
        'table',
        { 'data-testid': 'stats-table' },
        h('caption', {}, t('ui.stats.table.caption')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('ui.stats.table.date')),
            h('th', { scope: 'col' }, t('ui.stats.table.due')),
            h('th', { scope: 'col' }, t('ui.stats.table.button')),
            h('th', { scope: 'col' }, t('ui.stats.table.natural')),
            h('th', { scope: 'col' }, t('ui.stats.table.skipped')),
            h('th', { scope: 'col' }, t('ui.stats.table.snoozed')),
          ),
        ),
        h(
          'tbody',
          {},
          days.map((day) =>
            h(
              'tr',
              {},
              h(
                'th',
                { scope: 'row' },
                formatDay(day.date, { weekday: 'short', month: 'short', day: 'numeric' }),
              ),
              cell(day.due),
              cell(day.takenButton),
              cell(day.takenNatural),
              cell(day.skipped),
              cell(day.snoozed),
            ),
          ),
        ),
      ),
    );
  }

  #hourTable(hours: readonly number[]): HTMLElement {
    // In a hidden box, not hidden itself: a table never shrinks below its content's width.
    return h(
      'div',
      { class: 'sr-only' },
      h(
        'table',
        { 'data-testid': 'stats-hours-table' },
        h('caption', {}, t('ui.stats.hoursTable.caption')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('ui.stats.hoursTable.hour')),
            h('th', { scope: 'col' }, t('ui.stats.hoursTable.shown')),
          ),
        ),
        h(
          'tbody',
          {},
          hours.map((count, hour) =>
            h('tr', {}, h('th', { scope: 'row' }, formatHour(hour)), h('td', {}, String(count))),
          ),
        ),
      ),
    );
  }
}
