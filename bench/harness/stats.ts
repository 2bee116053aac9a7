/** Median, min and max of a non-empty list. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Summarises a non-empty list of figures (the median of an even count is the mean of the middle two). */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/**
 * The nearest-rank `fraction` percentile of an ascending, non-empty list: the smallest value with at
 * least that share of the list at or below it (`percentile(sorted, 0.99)` of 200 values is the 198th).
 */
export function percentile(sorted: readonly number[], fraction: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Number of pairs i < j with values[i] > values[j] in values[start, end): how far a sequence is from
 * sorted. Merge sort, O(n log n); sorts that range of `values` in place.
 */
export function countInversions(values: Int32Array, start = 0, end = values.length): number {
  const scratch = new Int32Array(end - start);
  let inversions = 0;
  for (let width = 1; width < end - start; width *= 2) {
    for (let left = start; left < end - width; left += 2 * width) {
      const middle = left + width;
      const right = Math.min(left + 2 * width, end);
      let i = left;
      let j = middle;
      let out = 0;
      while (i < middle && j < right) {
        if (values[j]! < values[i]!) {
          inversions += middle - i;
          scratch[out++] = values[j++]!;
        } else {
          scratch[out++] = values[i++]!;
        }
      }
      while (i < middle) scratch[out++] = values[i++]!;
      while (j < right) scratch[out++] = values[j++]!;
      values.set(scratch.subarray(0, out), left);
    }
  }
  return inversions;
}
