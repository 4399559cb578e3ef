/** Median, quartiles and extremes of a sample (not mutated). */
export interface Spread {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  samples: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0)
    return {
      median: Number.NaN,
      p25: Number.NaN,
      p75: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      samples: 0,
    };
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const pos = (s.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
  };
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), min: s[0]!, max: s[s.length - 1]!, samples: s.length };
}
