import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  andThen,
  attempt,
  capacityExceeded,
  criticalState,
  DREAM_ERROR_KINDS,
  DreamError,
  type DreamResult,
  dimensionMismatch,
  emptyCollection,
  err,
  featureUnavailable,
  formatValue,
  indexCorrupted,
  indexNotBuilt,
  invalidConfiguration,
  invalidParameter,
  isErr,
  isOk,
  map,
  memoryExceeded,
  ok,
  requireFiniteVector,
  requireInRange,
  requireInteger,
  unwrap,
  unwrapErr,
} from "./index.js";

describe("DreamError messages name every field", () => {
  const cases: [DreamError, string, string[]][] = [
    [dimensionMismatch(64, 32, "query embedding"), "DimensionMismatch", ["64", "32", "query embedding"]],
    [indexNotBuilt("search"), "IndexNotBuilt", ["search", "build()"]],
    [capacityExceeded(1000, 500), "CapacityExceeded", ["1000", "500"]],
    [
      invalidConfiguration("maxSize", 0, "must be >= 1"),
      "InvalidConfiguration",
      ["maxSize", "0", "must be >= 1"],
    ],
    [emptyCollection("candidates"), "EmptyCollection", ["candidates"]],
    [invalidParameter("k", 0, "must be > 0"), "InvalidParameter", ["k", "0", "must be > 0"]],
    [indexCorrupted("checksum mismatch"), "IndexCorrupted", ["checksum mismatch"]],
    [memoryExceeded(2048, 1024), "MemoryExceeded", ["2048", "1024"]],
    [
      featureUnavailable("hnsw", "hnswlib-node is not installed"),
      "FeatureUnavailable",
      ["hnsw", "hnswlib-node is not installed"],
    ],
    [
      criticalState("HnswIndex.build", "label map has 3 slots, index 4"),
      "CriticalState",
      ["HnswIndex.build", "label map has 3 slots, index 4"],
    ],
  ];

  it.each(cases)("%s", (error, kind, fields) => {
    expect(error.kind).toBe(kind);
    expect(error.detail.kind).toBe(kind);
    expect(error.name).toBe("DreamError");
    expect(error.message.startsWith(kind)).toBe(true);
    for (const f of fields) expect(error.message).toContain(f);
  });

  it("covers every kind exactly once", () => {
    expect(cases.map((c) => c[1]).sort()).toEqual([...DREAM_ERROR_KINDS].sort());
  });

  it("keeps the detail fields as data", () => {
    const e = dimensionMismatch(64, 32, "HnswIndex.search");
    expect(e.detail).toEqual({
      kind: "DimensionMismatch",
      expected: 64,
      got: 32,
      context: "HnswIndex.search",
    });
    expect(e.toJSON().detail).toEqual(e.detail);
  });

  it("carries a cause", () => {
    const cause = new Error("native failure");
    expect(indexCorrupted("load failed", { cause }).cause).toBe(cause);
  });

  it("narrows on kind", () => {
    const e: DreamError = invalidParameter("lambda", 2, "must be in [0, 1]");
    if (DreamError.isKind(e, "InvalidParameter")) expect(e.detail.parameter).toBe("lambda");
    else expect.unreachable();
    expect(DreamError.isKind(e, "DimensionMismatch")).toBe(false);
  });
});

describe("DreamError.isInstance", () => {
  it("recognises errors from another copy of the package by the registry symbol", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("dreampool.error")]: true });
    expect(DreamError.isInstance(foreign)).toBe(true);
    expect(DreamError.isInstance(new Error("x"))).toBe(false);
    expect(DreamError.isInstance(null)).toBe(false);
    expect(DreamError.isInstance("DreamError")).toBe(false);
    expect(DreamError.isInstance(emptyCollection("pool"))).toBe(true);
  });
});

describe("formatValue", () => {
  it("makes NaN, -0, Infinity and strings visible", () => {
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(-0)).toBe("-0");
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(formatValue("__proto__")).toBe('"__proto__"');
    expect(formatValue(new Float32Array(3))).toBe("Float32Array(3)");
    expect(formatValue([1, 2])).toBe("array(2)");
    expect(formatValue(undefined)).toBe("undefined");
  });

  it("never throws, whatever it is given", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(typeof formatValue(cyclic)).toBe("string");
    fc.assert(fc.property(fc.anything(), (v) => typeof formatValue(v) === "string"));
  });
});

describe("DreamResult", () => {
  const good: DreamResult<number> = ok(2);
  const bad: DreamResult<number> = err(emptyCollection("pool"));

  it("ok / err / isOk / isErr", () => {
    expect(isOk(good)).toBe(true);
    expect(isErr(bad)).toBe(true);
    expect(good).toEqual({ ok: true, value: 2 });
  });

  it("unwrap returns the value or throws the DreamError itself", () => {
    expect(unwrap(good)).toBe(2);
    expect(() => unwrap(bad)).toThrow(/EmptyCollection: pool is empty/);
    expect(unwrapErr(bad).kind).toBe("EmptyCollection");
    expect(() => unwrapErr(good)).toThrow();
  });

  it("map and andThen pass errors through unchanged", () => {
    expect(map(good, (x) => x * 3)).toEqual(ok(6));
    expect(map(bad, (x) => x * 3)).toBe(bad);
    expect(andThen(good, (x) => (x > 1 ? ok(x) : err(invalidParameter("x", x, "> 1"))))).toEqual(ok(2));
    expect(andThen(bad, (x) => ok(x))).toBe(bad);
  });

  it("attempt keeps DreamErrors and converts anything else", () => {
    const kept = attempt(
      () => {
        throw emptyCollection("pool");
      },
      () => criticalState("t", "x"),
    );
    expect(!kept.ok && kept.error.kind).toBe("EmptyCollection");
    const converted = attempt(
      () => {
        throw new TypeError("boom");
      },
      (e) => criticalState("native", String(e)),
    );
    expect(!converted.ok && converted.error.message).toContain("TypeError: boom");
    expect(
      attempt(
        () => 5,
        () => criticalState("t", "x"),
      ),
    ).toEqual(ok(5));
  });
});

describe("validators", () => {
  it("requireInteger", () => {
    expect(requireInteger("k", 3, 1)).toBeNull();
    expect(requireInteger("k", 0, 1)?.message).toContain("k = 0");
    expect(requireInteger("k", 1.5, 1)?.kind).toBe("InvalidParameter");
    expect(requireInteger("k", Number.NaN, 1)?.kind).toBe("InvalidParameter");
    expect(requireInteger("k", 11, 0, 10)?.message).toContain("in [0, 10]");
  });

  it("requireInRange", () => {
    expect(requireInRange("lambda", 0.5, 0, 1)).toBeNull();
    expect(requireInRange("lambda", 1.5, 0, 1)?.message).toContain("lambda = 1.5");
    expect(requireInRange("lambda", Number.POSITIVE_INFINITY, 0, 1)?.kind).toBe("InvalidParameter");
  });

  it("requireFiniteVector reports length and the first bad component", () => {
    expect(requireFiniteVector("q", new Float32Array(4), 4, "search")).toBeNull();
    const short = requireFiniteVector("q", new Float32Array(3), 4, "search");
    expect(short?.detail).toEqual({ kind: "DimensionMismatch", expected: 4, got: 3, context: "search" });
    const nan = requireFiniteVector("q", [0, 1, Number.NaN, 2], 4, "search");
    expect(nan?.message).toContain("q[2] = NaN");
    expect(requireFiniteVector("q", "abc", 3, "search")?.kind).toBe("InvalidParameter");
    expect(requireFiniteVector("q", [1, 2], -1, "search")).toBeNull();
  });
});
