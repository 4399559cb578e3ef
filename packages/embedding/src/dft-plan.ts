import FFT from "fft.js";

/**
 * A forward DFT of one fixed length n, X_k = Σ_j x_j · e^{-2πi·jk/n} (no scaling), on split
 * real/imaginary Float64Arrays. Plans keep their own scratch space, so a plan is not reentrant;
 * JS runs one call at a time and nothing here calls back into user code.
 */
export interface DftPlan {
  readonly size: number;
  readonly strategy: DftStrategy;
  /** Writes the first `outputs` (default n) bins of the DFT of (re, im) into (outRe, outIm). */
  forward(
    re: Float64Array,
    im: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
    outputs?: number,
  ): void;
  /** The same for a real signal: the first `outputs` bins of the DFT of `re`. */
  forwardReal(re: Float64Array, outRe: Float64Array, outIm: Float64Array, outputs: number): void;
}

/**
 * - "direct": the O(n²) sum with a precomputed twiddle table, for any n; fastest for short
 *   lengths that are not powers of two.
 * - "radix": fft.js (radix-4/2), power-of-two sizes >= 2 only.
 * - "bluestein": the chirp-z transform, which turns a DFT of any length n into a cyclic
 *   convolution of power-of-two length m >= 2n - 1 computed with fft.js: O(m log m) for any n.
 */
export type DftStrategy = "direct" | "radix" | "bluestein";

/** fft.js ships `any`-typed declarations; this is the part we use, typed. */
interface RadixFft {
  transform(out: Float64Array, data: Float64Array): void;
  /** Real input of length n; fills bins 0 … n/2 of `out` (interleaved). */
  realTransform(out: Float64Array, data: Float64Array): void;
  inverseTransform(out: Float64Array, data: Float64Array): void;
}
const RadixFftCtor = FFT as unknown as new (size: number) => RadixFft;

/**
 * Lengths that are not powers of two use the direct sum up to this size and Bluestein above it:
 * measured when it was chosen (ns per transform, direct / Bluestein): n = 12: 1,530 / 2,310;
 * 15: 2,470 / 3,010; 20: 3,980 / 3,860; 28: 10,480 / 6,260; the embedding bench re-measures n = 12
 * and 20 on every run. Powers of two always use fft.js, which beats the direct sum from n = 4 on.
 */
export const DIRECT_MAX_OTHER = 16;

const isPowerOfTwo = (n: number): boolean => n >= 1 && (n & (n - 1)) === 0;

/** The strategy `dftPlan` picks for length n. */
export function defaultStrategy(n: number): DftStrategy {
  if (n === 1) return "direct";
  if (isPowerOfTwo(n)) return "radix";
  return n <= DIRECT_MAX_OTHER ? "direct" : "bluestein";
}

class DirectDft implements DftPlan {
  readonly strategy = "direct";
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  constructor(readonly size: number) {
    this.cos = new Float64Array(size * size);
    this.sin = new Float64Array(size * size);
    for (let k = 0; k < size; k++) {
      for (let j = 0; j < size; j++) {
        // Reduce jk mod n first so the angle stays small and exact in the integer part.
        const angle = (2 * Math.PI * ((j * k) % size)) / size;
        this.cos[k * size + j] = Math.cos(angle);
        this.sin[k * size + j] = Math.sin(angle);
      }
    }
  }

  forward(re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array, outputs = this.size) {
    const n = this.size;
    for (let k = 0; k < outputs; k++) {
      const row = k * n;
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const c = this.cos[row + j]!;
        const s = this.sin[row + j]!;
        const a = re[j]!;
        const b = im[j]!;
        // (a + ib)(c - is) = (ac + bs) + i(bc - as)
        sr += a * c + b * s;
        si += b * c - a * s;
      }
      outRe[k] = sr;
      outIm[k] = si;
    }
  }

  forwardReal(re: Float64Array, outRe: Float64Array, outIm: Float64Array, outputs: number) {
    const n = this.size;
    const { cos, sin } = this;
    for (let k = 0; k < outputs; k++) {
      const row = k * n;
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = re[j]!;
        sr += a * cos[row + j]!;
        si -= a * sin[row + j]!;
      }
      outRe[k] = sr;
      outIm[k] = si;
    }
  }
}

class RadixDft implements DftPlan {
  readonly strategy = "radix";
  private readonly fft: RadixFft;
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly realInput: Float64Array;
  private readonly zeros: Float64Array;
  constructor(readonly size: number) {
    this.fft = new RadixFftCtor(size);
    this.input = new Float64Array(2 * size);
    this.output = new Float64Array(2 * size);
    this.realInput = new Float64Array(size);
    this.zeros = new Float64Array(size);
  }

  forward(re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array, outputs = this.size) {
    const { input, output } = this;
    for (let j = 0; j < this.size; j++) {
      input[2 * j] = re[j]!;
      input[2 * j + 1] = im[j]!;
    }
    this.fft.transform(output, input);
    for (let k = 0; k < outputs; k++) {
      outRe[k] = output[2 * k]!;
      outIm[k] = output[2 * k + 1]!;
    }
  }

  forwardReal(re: Float64Array, outRe: Float64Array, outIm: Float64Array, outputs: number) {
    const { realInput, output } = this;
    if (outputs > this.size / 2 + 1) {
      this.forward(re, this.zeros, outRe, outIm, outputs);
      return;
    }
    for (let j = 0; j < this.size; j++) realInput[j] = re[j]!;
    this.fft.realTransform(output, realInput);
    for (let k = 0; k < outputs; k++) {
      outRe[k] = output[2 * k]!;
      outIm[k] = output[2 * k + 1]!;
    }
  }
}

class BluesteinDft implements DftPlan {
  readonly strategy = "bluestein";
  private readonly m: number;
  private readonly fft: RadixFft;
  /** The chirp e^{-iπj²/n}, j < n (interleaved re, im). */
  private readonly chirp: Float64Array;
  /** FFT of the conjugate chirp laid out for a cyclic convolution of length m. */
  private readonly kernel: Float64Array;
  private readonly a: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly conv: Float64Array;
  private readonly zeros: Float64Array;

  constructor(readonly size: number) {
    const n = size;
    let m = 2;
    while (m < 2 * n - 1) m *= 2;
    this.m = m;
    this.fft = new RadixFftCtor(m);
    this.chirp = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      // j² mod 2n keeps the angle exact for large j (e^{-iπ j²/n} has period 2n in j²).
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirp[2 * j] = Math.cos(angle);
      this.chirp[2 * j + 1] = -Math.sin(angle);
    }
    const b = new Float64Array(2 * m);
    for (let j = 0; j < n; j++) {
      const c = this.chirp[2 * j]!;
      const s = -this.chirp[2 * j + 1]!; // conjugate chirp e^{+iπj²/n}
      b[2 * j] = c;
      b[2 * j + 1] = s;
      if (j > 0) {
        b[2 * (m - j)] = c;
        b[2 * (m - j) + 1] = s;
      }
    }
    this.kernel = new Float64Array(2 * m);
    this.fft.transform(this.kernel, b);
    this.a = new Float64Array(2 * m);
    this.spectrum = new Float64Array(2 * m);
    this.conv = new Float64Array(2 * m);
    this.zeros = new Float64Array(n);
  }

  forwardReal(re: Float64Array, outRe: Float64Array, outIm: Float64Array, outputs: number) {
    this.forward(re, this.zeros, outRe, outIm, outputs);
  }

  forward(re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array, outputs = this.size) {
    const { a, chirp, kernel, spectrum, conv } = this;
    a.fill(0);
    for (let j = 0; j < this.size; j++) {
      const c = chirp[2 * j]!;
      const s = chirp[2 * j + 1]!;
      a[2 * j] = re[j]! * c - im[j]! * s;
      a[2 * j + 1] = re[j]! * s + im[j]! * c;
    }
    this.fft.transform(spectrum, a);
    for (let k = 0; k < this.m; k++) {
      const xr = spectrum[2 * k]!;
      const xi = spectrum[2 * k + 1]!;
      const kr = kernel[2 * k]!;
      const ki = kernel[2 * k + 1]!;
      a[2 * k] = xr * kr - xi * ki;
      a[2 * k + 1] = xr * ki + xi * kr;
    }
    this.fft.inverseTransform(conv, a);
    for (let k = 0; k < outputs; k++) {
      const c = chirp[2 * k]!;
      const s = chirp[2 * k + 1]!;
      const yr = conv[2 * k]!;
      const yi = conv[2 * k + 1]!;
      outRe[k] = yr * c - yi * s;
      outIm[k] = yr * s + yi * c;
    }
  }
}

/** Builds a plan for length n (an integer >= 1) with the given strategy (default: `defaultStrategy(n)`). */
export function createDftPlan(n: number, strategy: DftStrategy = defaultStrategy(n)): DftPlan {
  if (strategy === "radix" && (!isPowerOfTwo(n) || n < 2)) {
    throw new RangeError(`radix DFT needs a power-of-two length >= 2, got ${n}`);
  }
  if (strategy === "direct") return new DirectDft(n);
  if (strategy === "radix") return new RadixDft(n);
  return new BluesteinDft(n);
}

const plans = new Map<number, DftPlan>();
/** Bounded so that a stream of odd sizes cannot grow the cache without limit. */
const MAX_CACHED_PLANS = 64;

/** The cached default plan for length n. */
export function dftPlan(n: number): DftPlan {
  let plan = plans.get(n);
  if (plan === undefined) {
    if (plans.size >= MAX_CACHED_PLANS) plans.clear();
    plan = createDftPlan(n);
    plans.set(n, plan);
  }
  return plan;
}
