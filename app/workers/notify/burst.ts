/**
 * Coalescing of a burst: reminders that fire in the same scheduler check (after a suspend, at a shared
 * minute, after a pause) are shown as one summary notification instead of one each, once there are more
 * than {@link BURST_THRESHOLD}. Fewer are shown one by one, as usual.
 *
 * Membership is decided synchronously: the scheduler emits every `fire` of one check in one loop, so a
 * member joins before the first microtask runs, and the burst closes at that microtask. Each member then
 * reports what it would show (or nothing: outside its hours, screen locked) whenever it is ready; the
 * burst is shown once every member has reported.
 */

/** More than this many notifications in one burst become one summary. */
export const BURST_THRESHOLD = 3;

/** What one member would show on its own. */
export interface BurstItem {
  title: string;
  message: string;
  sound: boolean | undefined;
}

export interface BurstOptions<I extends BurstItem = BurstItem> {
  /** Shows one notification; resolves to whether it was delivered. */
  show(item: I): Promise<boolean>;
  /** The one notification standing for `items` (more than the threshold). */
  summarize(items: readonly I[]): I;
  threshold?: number;
}

/** A member's report: `null` when it shows nothing. Resolves to whether its notification was delivered. */
export type BurstReport<I extends BurstItem = BurstItem> = (item: I | null) => Promise<boolean>;

interface Burst<I extends BurstItem> {
  open: boolean;
  members: number;
  reports: { item: I | null; resolve: (delivered: boolean) => void }[];
}

/** Groups notifications by scheduler check. `join()` must be called synchronously from the `fire` listener. */
export class BurstCoalescer<I extends BurstItem = BurstItem> {
  readonly #options: BurstOptions<I>;
  readonly #threshold: number;
  #current: Burst<I> | null = null;

  constructor(options: BurstOptions<I>) {
    this.#options = options;
    this.#threshold = options.threshold ?? BURST_THRESHOLD;
  }

  /** Joins the burst of the current turn (opening one if needed); call the result once with what to show. */
  join(): BurstReport<I> {
    let burst = this.#current;
    if (burst === null) {
      const opened: Burst<I> = { open: true, members: 0, reports: [] };
      burst = this.#current = opened;
      queueMicrotask(() => {
        opened.open = false;
        if (this.#current === opened) this.#current = null;
        this.#flushIfComplete(opened);
      });
    }
    burst.members++;
    const joined = burst;
    let reported = false;
    return (item) => {
      if (reported) return Promise.resolve(false);
      reported = true;
      return new Promise<boolean>((resolve) => {
        joined.reports.push({ item, resolve });
        this.#flushIfComplete(joined);
      });
    };
  }

  #flushIfComplete(burst: Burst<I>): void {
    if (burst.open || burst.reports.length < burst.members) return;
    const shown = burst.reports.filter((report) => report.item !== null);
    for (const report of burst.reports) if (report.item === null) report.resolve(false);
    if (shown.length > this.#threshold) {
      const summary = this.#options.summarize(shown.map((report) => report.item!));
      void this.#options
        .show(summary)
        .then((delivered) => shown.forEach((report) => report.resolve(delivered)));
    } else {
      for (const report of shown) void this.#options.show(report.item!).then(report.resolve);
    }
  }
}

/** How many names a summary lists before "…". */
export const SUMMARY_NAMES = 5;

/** `Water, Stretch, Stand up, Walk, Breathe, …`: the first names of a burst, for its summary. */
export function summaryNames(items: readonly BurstItem[], separator = ', '): string {
  const names = items.slice(0, SUMMARY_NAMES).map((item) => item.title);
  return names.join(separator) + (items.length > SUMMARY_NAMES ? `${separator}…` : '');
}
