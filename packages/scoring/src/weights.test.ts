import { unwrap, unwrapErr } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRIEVAL_WEIGHTS, normalizeWeights, validateWeights } from "./weights.js";

describe("RetrievalWeights", () => {
  it("defaults to 0.65 / 0.20 / 0.10 / 0.05 / 0.7", () => {
    expect(DEFAULT_RETRIEVAL_WEIGHTS).toEqual({
      alpha: 0.65,
      beta: 0.2,
      gamma: 0.1,
      delta: 0.05,
      lambda: 0.7,
    });
    expect(unwrap(validateWeights(DEFAULT_RETRIEVAL_WEIGHTS))).toEqual(DEFAULT_RETRIEVAL_WEIGHTS);
  });

  it("normalize rescales alpha..delta to sum 1 and keeps lambda", () => {
    const w = unwrap(normalizeWeights({ alpha: 0.5, beta: 0.3, gamma: 0.1, delta: 0.1, lambda: 0.7 }));
    expect(w.alpha + w.beta + w.gamma + w.delta).toBeCloseTo(1, 12);
    expect(w.alpha / w.beta).toBeCloseTo(0.5 / 0.3, 12);
    expect(w.lambda).toBe(0.7);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
        ([a, b, c, d, l]) => {
          const n = unwrap(normalizeWeights({ alpha: a!, beta: b!, gamma: c!, delta: d!, lambda: l! }));
          const sum = a! + b! + c! + d!;
          expect(n.alpha + n.beta + n.gamma + n.delta).toBeCloseTo(sum > 0 ? 1 : 0, 9);
          expect(n.lambda).toBe(l);
        },
      ),
    );
  });

  it("all-zero shares stay zero", () => {
    expect(unwrap(normalizeWeights({ alpha: 0, beta: 0, gamma: 0, delta: 0, lambda: 0.4 }))).toEqual({
      alpha: 0,
      beta: 0,
      gamma: 0,
      delta: 0,
      lambda: 0.4,
    });
  });

  it("rejects weights outside [0, 1], NaN and missing fields, naming the weight", () => {
    for (const [patch, name] of [
      [{ beta: -0.01 }, "weights.beta"],
      [{ lambda: 1.01 }, "weights.lambda"],
      [{ gamma: Number.NaN }, "weights.gamma"],
      [{ delta: Number.POSITIVE_INFINITY }, "weights.delta"],
      [{ alpha: undefined }, "weights.alpha"],
    ] as const) {
      const error = unwrapErr(validateWeights({ ...DEFAULT_RETRIEVAL_WEIGHTS, ...patch } as never));
      expect(error.kind).toBe("InvalidParameter");
      expect(error.message).toContain(name);
      expect(
        unwrapErr(normalizeWeights({ ...DEFAULT_RETRIEVAL_WEIGHTS, ...patch } as never)).message,
      ).toContain(name);
    }
    expect(unwrapErr(validateWeights(null as never)).kind).toBe("InvalidParameter");
  });
});
