/**
 * A key chord that must be held for a while before it counts (the break window's emergency exit,
 * Ctrl+Alt+X held 3 s). `press` starts the wait (repeats while held change nothing), `release`
 * cancels it; `onHeld` runs once per hold, only after the full time. Timers are injected so main's
 * tests and the page's (Playwright's clock) step time instead of waiting.
 */
export class KeyHold {
  readonly #holdMs: number;
  readonly #onHeld: () => void;
  readonly #setTimer: (run: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  #pending: unknown = null;

  constructor(
    holdMs: number,
    onHeld: () => void,
    timers: {
      setTimer(run: () => void, ms: number): unknown;
      clearTimer(handle: unknown): void;
    } = {
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  ) {
    this.#holdMs = holdMs;
    this.#onHeld = onHeld;
    this.#setTimer = timers.setTimer;
    this.#clearTimer = timers.clearTimer;
  }

  /** Whether the chord is being held right now. */
  get holding(): boolean {
    return this.#pending !== null;
  }

  press(): void {
    if (this.#pending !== null) return;
    this.#pending = this.#setTimer(() => {
      this.#pending = null;
      this.#onHeld();
    }, this.#holdMs);
  }

  release(): void {
    if (this.#pending === null) return;
    this.#clearTimer(this.#pending);
    this.#pending = null;
  }
}

/** Whether a key event is the emergency chord, Ctrl+Alt+X (either case: Shift or Caps Lock may be on). */
export function isEmergencyChord(key: { key: string; control: boolean; alt: boolean }): boolean {
  return key.control && key.alt && key.key.toLowerCase() === 'x';
}
