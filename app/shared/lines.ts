/**
 * The control socket's framing: one JSON value per `\n`-terminated UTF-8 line. Shared by the daemon's
 * server and the CLI's client so both ends split and encode the same way.
 */

/** How loud a report about a connection is (a line that breaks the contract is a warning, never a throw). */
export type LogLevel = 'info' | 'warn' | 'error';

/** Longest line the daemon accepts from a client (1 MiB): a bound on what one connection can make it buffer. */
export const MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/** What one chunk yielded: the complete lines in it, and whether the current line grew past the limit. */
export interface SplitResult {
  lines: string[];
  /** The line being assembled passed `maxLineBytes`; the splitter is now spent and ignores input. */
  overflow: boolean;
}

/**
 * Splits a byte stream into lines. It works on Buffers and decodes only whole lines: `\n` (0x0A) never
 * occurs inside a multi-byte UTF-8 sequence, so a character split across two chunks is reassembled
 * intact — decoding chunk by chunk would turn its halves into U+FFFD.
 *
 * A trailing `\r` is dropped (so `nc` and Windows tools work) and blank lines are skipped. Overflow is
 * reported as soon as the pending bytes pass the limit, without waiting for the newline that may never come.
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #pendingBytes = 0;
  #spent = false;

  constructor(readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  /** Feeds one chunk; returns the lines it completed. */
  push(chunk: Buffer): SplitResult {
    const lines: string[] = [];
    if (this.#spent) return { lines, overflow: true };
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const tail = chunk.subarray(start, nl);
      if (this.#pendingBytes + tail.length > this.maxLineBytes) return this.#overflow(lines);
      const bytes = this.#parts.length === 0 ? tail : Buffer.concat([...this.#parts, tail]);
      this.#parts = [];
      this.#pendingBytes = 0;
      start = nl + 1;
      const line = bytes.toString('utf8');
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (trimmed.trim() !== '') lines.push(trimmed);
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.#pendingBytes + rest.length > this.maxLineBytes) return this.#overflow(lines);
      this.#parts.push(rest);
      this.#pendingBytes += rest.length;
    }
    return { lines, overflow: false };
  }

  #overflow(lines: string[]): SplitResult {
    this.#spent = true;
    this.#parts = [];
    this.#pendingBytes = 0;
    return { lines, overflow: true };
  }
}

/** One message as a line on the wire. Throws what `JSON.stringify` throws (cycles, BigInt). */
export function encodeLine(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
