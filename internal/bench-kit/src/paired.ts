import { Bench } from "tinybench";
import { type Spread, spread } from "./stats.js";

/** One thing being timed; `run` performs `opsPerCall` operations (e.g. a pass over 200 queries). */
export interface Contender {
  name: string;
  run: () => unknown;
  /** Operations done by one call of `run`; times are reported per operation. Default 1. */
  opsPerCall?: number;
}

export interface PairedOptions {
  /** Rounds; contenders take turns in an order rotated every round. Default 5. */
  rounds?: number;
  /** Minimum time per contender per round, in ms (tinybench `time`). Default 200. */
  timeMs?: number;
  /** Minimum calls per contender per round. Default 3. */
  iterations?: number;
  /** The contender every ratio is measured against. Default: the first. */
  reference?: string;
}

export interface PairedResult {
  name: string;
  /** Milliseconds per operation over the rounds (each round's median). */
  msPerOp: Spread;
  /** Paired ratio: per round, this contender's time divided by the reference's, then the spread. */
  ratioToReference: Spread;
}

/**
 * Times contenders in alternating rounds (tinybench inside each round) so that a noisy machine
 * slows all of them alike; ratios are paired per round. See ../shared/docs/anchors.md "Timing protocol".
 */
export async function comparePaired(
  contenders: readonly Contender[],
  options: PairedOptions = {},
): Promise<PairedResult[]> {
  const { rounds = 5, timeMs = 200, iterations = 3 } = options;
  const reference = options.reference ?? contenders[0]?.name;
  const perRound = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]!);
    const bench = new Bench({
      time: timeMs,
      iterations,
      warmup: r === 0,
      warmupTime: Math.min(100, timeMs),
      warmupIterations: 1,
    });
    for (const c of order) bench.add(c.name, c.run);
    (globalThis as { gc?: () => void }).gc?.();
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed") {
        const reason = result.state === "errored" ? String(result.error) : result.state;
        throw new Error(`benchmark task ${task.name} did not complete: ${reason}`);
      }
      const c = contenders.find((x) => x.name === task.name)!;
      perRound.get(task.name)!.push(result.latency.p50 / (c.opsPerCall ?? 1));
    }
  }
  const refTimes = perRound.get(reference ?? "") ?? [];
  return contenders.map((c) => {
    const times = perRound.get(c.name)!;
    return {
      name: c.name,
      msPerOp: spread(times),
      ratioToReference: spread(times.map((t, i) => t / (refTimes[i] ?? Number.NaN))),
    };
  });
}

/** Times one function over `rounds` calls with manual clocks; for long single operations (builds). */
export function timeOnce<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}
