/** How far back the throughput looks: long enough to smooth bursts, short enough to follow a change of disk speed. */
const WINDOW_MS = 5_000;

/**
 * Throughput of anything counted (bytes, files) over a sliding window of (time, done) samples, and
 * the ETA it implies. The window, not the average since the start, so a job that slows down (a
 * cold cache, a disk cache flushing) gets an honest ETA within seconds.
 */
export class ThroughputMeter {
  private readonly samples: Array<{ atMs: number; done: number }> = [];

  constructor(private readonly windowMs = WINDOW_MS) {}

  /** Records how much is done at `atMs`. */
  record(atMs: number, done: number): void {
    this.samples.push({ atMs, done });
    // Keep one sample older than the window, so the rate spans a full window once it can.
    while (this.samples.length > 2 && (this.samples[1]?.atMs ?? atMs) <= atMs - this.windowMs) {
      this.samples.shift();
    }
  }

  /** Units per second over the window; 0 until two samples are at least 50 ms apart. */
  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.atMs - first.atMs < 50) return 0;
    return Math.max(0, ((last.done - first.done) * 1000) / (last.atMs - first.atMs));
  }

  /** Milliseconds until `remaining` more are done at the current rate; null while the rate is unknown. */
  etaMs(remaining: number): number | null {
    if (remaining <= 0) return 0;
    const rate = this.perSecond();
    return rate > 0 ? Math.round((remaining * 1000) / rate) : null;
  }
}
