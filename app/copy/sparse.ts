// Sparse files stay sparse. Node exposes neither SEEK_DATA/SEEK_HOLE nor FIEMAP, so a source is
// taken as sparse when it occupies fewer blocks than its size needs (st_blocks counts 512-byte
// units), and its copy is written hole by hole: the temp file is extended to the full size first
// (ftruncate, which allocates nothing), then only the runs of HOLE_BYTES that hold a non-zero byte
// are written. A run of zeros the source really stored is then a hole in the copy: the bytes read
// back are the same (zeros), only the space differs. A dense file is copied as before.
import type { Stats } from 'node:fs';

/** The granularity of holes in a copy: a run of this many zero bytes is not written. */
export const HOLE_BYTES = 64 * 1024;

const ZEROS = Buffer.alloc(HOLE_BYTES);

/** Whether a file occupies less room than its size: it has holes. */
export function isSparse(stat: Pick<Stats, 'blocks' | 'size'>): boolean {
  return stat.size > 0 && stat.blocks * 512 < stat.size;
}

/**
 * Writes the non-zero runs of `chunk` at `position` through `write`, leaving the zero runs as
 * holes (the file must already be extended to its size). Returns the bytes written.
 */
export function writeSkippingZeros(
  chunk: Buffer,
  position: number,
  write: (bytes: Buffer, at: number) => void,
): number {
  let written = 0;
  for (let start = 0; start < chunk.length; start += HOLE_BYTES) {
    const piece = chunk.subarray(start, Math.min(chunk.length, start + HOLE_BYTES));
    if (piece.equals(ZEROS.subarray(0, piece.length))) continue;
    write(piece, position + start);
    written += piece.length;
  }
  return written;
}
