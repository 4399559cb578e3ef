/** Location and spread of a sample: mean ± sd and median with its interquartile range. */
export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for fewer than two values. */
  readonly sd: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
}

/** Linear-interpolation quantile of sorted values (the "type 7" rule of R and NumPy). */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (position - lo);
}

/** Summary of a non-empty sample; NaN everywhere for an empty one. */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0)
    return { n, mean: Number.NaN, sd: Number.NaN, median: Number.NaN, q1: Number.NaN, q3: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n,
    mean,
    sd,
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}
