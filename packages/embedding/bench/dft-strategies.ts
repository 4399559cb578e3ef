// Why lengths that are not powers of two use the direct O(n²) sum up to DIRECT_MAX_OTHER and
// Bluestein's chirp-z above it (src/dft-plan.ts): both strategies on the same complex lines,
// paired rounds, for lengths on either side of the switch.
import { comparePaired, type PairedResult, type SuiteRecorder } from "@dreampool/bench-kit";
import { createDftPlan, type DftStrategy } from "../src/dft-plan.js";

/** Transforms per timed call: short enough to stay a fraction of a millisecond. */
const LINES = 64;

const STRATEGY_NAMES: Record<DftStrategy, string> = {
  direct: "direct sum (precomputed twiddle table)",
  bluestein: "Bluestein chirp-z over fft.js",
  radix: "fft.js radix-4/2",
};

/** One scenario per length: µs per transform of both strategies, and the direct sum's speed-up. */
export async function dftSection(
  recorder: SuiteRecorder,
  options: { rounds: number; timeMs: number; lengths?: readonly number[] },
): Promise<void> {
  for (const n of options.lengths ?? [12, 20]) {
    const strategies: DftStrategy[] = ["direct", "bluestein"];
    // Deterministic, non-trivial input: a chirp with an offset, different in every line.
    const re = Array.from({ length: LINES }, (_, l) =>
      Float64Array.from({ length: n }, (_, j) => Math.cos(0.3 * j * j + l) + 0.1 * l),
    );
    const im = Array.from({ length: LINES }, (_, l) =>
      Float64Array.from({ length: n }, (_, j) => Math.sin(0.7 * j + l)),
    );
    const outRe = new Float64Array(n);
    const outIm = new Float64Array(n);
    const results = await comparePaired(
      strategies.map((strategy) => {
        const plan = createDftPlan(n, strategy);
        return {
          name: strategy,
          run: () => {
            for (let l = 0; l < LINES; l++)
              plan.forward(re[l] as Float64Array, im[l] as Float64Array, outRe, outIm);
          },
          opsPerCall: LINES,
        };
      }),
      { rounds: options.rounds, timeMs: options.timeMs },
    );
    const scenario = `DFT of one complex line, n=${n}, direct sum vs Bluestein`;
    recorder.section(scenario);
    const [direct, bluestein] = results as [PairedResult, PairedResult];
    const micro = (r: PairedResult) => ({
      ...r.msPerOp,
      median: r.msPerOp.median * 1000,
      p25: r.msPerOp.p25 * 1000,
      p75: r.msPerOp.p75 * 1000,
      min: r.msPerOp.min * 1000,
      max: r.msPerOp.max * 1000,
    });
    recorder.add({
      scenario,
      subject: STRATEGY_NAMES.bluestein,
      unit: "µs/transform",
      value: micro(bluestein),
    });
    recorder.add({
      scenario,
      subject: STRATEGY_NAMES.direct,
      unit: "µs/transform",
      value: micro(direct),
      // Per round: Bluestein's time over the direct sum's, i.e. how much faster the direct sum is.
      comparison: {
        baseline: STRATEGY_NAMES.bluestein,
        meaning: "x faster",
        ratio: bluestein.ratioToReference.median,
      },
    });
  }
}
