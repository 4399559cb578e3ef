import { COLOR_CLASSES, type ColorClass } from "@dreampool/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ClassWeightSource, EmbeddingMapper, type EncodableEntry } from "./embedding-mapper.js";
import type { EmbeddingMapperOptions } from "./mapper-options.js";
import { QuerySignature } from "./query-signature.js";
import type { SpectralFeatures } from "./spectral-features.js";

const mapper = (options: EmbeddingMapperOptions = {}): EmbeddingMapper => {
  const m = EmbeddingMapper.create(options);
  if (!m.ok) throw m.error;
  return m.value;
};

const spectral = (overrides: Partial<SpectralFeatures> = {}): SpectralFeatures => ({
  entropy: 0.8,
  dominantFrequency: [0.25, 0.5, 0.75],
  lowEnergy: 0.2,
  midEnergy: 0.3,
  highEnergy: 0.5,
  meanPsd: 0.004,
  ...overrides,
});

const entry = (overrides: Partial<EncodableEntry> = {}): EncodableEntry => ({
  chroma: [0.9, 0.2, 0.1],
  spectral: spectral(),
  classLabel: "Red",
  utility: 0.25,
  ...overrides,
});

const unwrapVector = (r: { ok: boolean; value?: Float32Array; error?: Error }): Float32Array => {
  if (!r.ok || r.value === undefined) throw r.error;
  return r.value;
};
const encodeEntry = (m: EmbeddingMapper, e: EncodableEntry, bias?: ClassWeightSource) =>
  unwrapVector(m.encodeEntry(e, bias));
const encodeQuery = (m: EmbeddingMapper, q: QuerySignature, bias?: ClassWeightSource) =>
  unwrapVector(m.encodeQuery(q, bias));
const query = (r: ReturnType<typeof QuerySignature.fromChroma>): QuerySignature => {
  if (!r.ok) throw r.error;
  return r.value;
};
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));

/** The chroma group as the README defines it: centred, lifted onto the sphere of radius 2, unit length. */
function liftedChroma(rgb: readonly number[]): number[] {
  const c = rgb.map((x) => 2 * Math.min(1, Math.max(0, x)) - 1);
  const slack = Math.sqrt(4 - c.reduce((s, x) => s + x * x, 0));
  return [...c, slack].map((x) => x / 2);
}

describe("EmbeddingMapper.create", () => {
  it("resolves the documented defaults", () => {
    const m = mapper();
    expect(m.dim).toBe(64);
    expect(m.featureDim).toBe(25);
    expect(m.options).toEqual({
      dim: 64,
      seed: 1,
      weights: { chroma: 1, spectral: 0.5, class: 1, utility: 0.3 },
      include: { spectral: true, class: true, utility: true },
      window: "hann",
    });
  });

  it("rejects bad options with InvalidConfiguration naming the field", () => {
    const bad: [EmbeddingMapperOptions, string][] = [
      [{ dim: 0 }, "dim"],
      [{ dim: -3 }, "dim"],
      [{ dim: 1.5 }, "dim"],
      [{ dim: Number.NaN }, "dim"],
      [{ seed: -1 }, "seed"],
      [{ seed: 2 ** 32 }, "seed"],
      [{ seed: 0.5 }, "seed"],
      [{ weights: { spectral: -0.1 } }, "weights.spectral"],
      [{ weights: { class: Number.NaN } }, "weights.class"],
      [{ weights: { utility: Number.POSITIVE_INFINITY } }, "weights.utility"],
      [{ weights: { chroma: 0 } }, "weights.chroma"],
      [{ include: { class: "yes" as unknown as boolean } }, "include.class"],
      [{ window: "blackman" as "hann" }, "window"],
      [null as unknown as EmbeddingMapperOptions, "options"],
    ];
    for (const [options, field] of bad) {
      const r = EmbeddingMapper.create(options);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe("InvalidConfiguration");
        expect(r.error.message).toContain(`${field} =`);
      }
    }
  });
});

describe("fingerprint", () => {
  it("is a fixed string for the defaults, the same in every process", () => {
    // Pinned: a change here means every stored index and cache keyed on it is invalidated.
    expect(mapper().fingerprint).toBe("emb1-64-0v2wuc4yu02");
    expect(mapper({ dim: 64, seed: 1 }).fingerprint).toBe(mapper().fingerprint);
  });

  it("changes when anything that changes the output changes", () => {
    const variants: EmbeddingMapperOptions[] = [
      {},
      { dim: 32 },
      { seed: 2 },
      { weights: { chroma: 2 } },
      { weights: { spectral: 0.6 } },
      { weights: { class: 0.9 } },
      { weights: { utility: 0.1 } },
      { include: { spectral: false } },
      { include: { class: false } },
      { include: { utility: false } },
      { window: "hamming" },
      { window: "none" },
    ];
    const prints = variants.map((o) => mapper(o).fingerprint);
    expect(new Set(prints).size).toBe(variants.length);
  });

  it("ignores the weight of a group that does not take part (the output cannot change)", () => {
    const a = mapper({ include: { utility: false }, weights: { utility: 0.3 } });
    const b = mapper({ include: { utility: false }, weights: { utility: 0.9 } });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(encodeEntry(a, entry())).toEqual(encodeEntry(b, entry()));
  });
});

describe("encodeEntry / encodeQuery", () => {
  it("gives unit vectors of length dim, pinned across processes", () => {
    const m = mapper();
    const e = encodeEntry(m, entry());
    expect(e.length).toBe(64);
    expect(norm(e)).toBeCloseTo(1, 6);
    expect(Array.from(e.slice(0, 4)).map((x) => x.toFixed(6))).toEqual([
      "0.196908",
      "-0.017686",
      "0.188393",
      "0.276348",
    ]);
    const q = encodeQuery(m, query(QuerySignature.fromChroma([1, 0, 0])));
    expect(norm(q)).toBeCloseTo(1, 6);
  });

  it("is deterministic: same input, same mapper options → identical vectors", () => {
    expect(encodeEntry(mapper(), entry())).toEqual(encodeEntry(mapper(), entry()));
    expect(encodeEntry(mapper({ seed: 7 }), entry())).not.toEqual(encodeEntry(mapper(), entry()));
  });

  it("keeps cosine similarity exactly: a colour query scores w_c² · cos_chroma / (|q| |e|)", () => {
    // The projection is an isometry (dim >= features), so the embedding cosine equals the cosine of
    // the weighted group vectors: |q| = w_c, |e| = √(Σ w²) for every entry.
    const m = mapper();
    const w = m.options.weights;
    const entryNorm = Math.sqrt(w.chroma ** 2 + w.spectral ** 2 + w.class ** 2 + w.utility ** 2);
    for (const [qc, ec] of [
      [
        [1, 0, 0],
        [0.9, 0.2, 0.1],
      ],
      [
        [0.2, 0.7, 0.4],
        [0.5, 0.5, 0.5],
      ],
      [
        [0, 0, 0],
        [1, 1, 1],
      ],
    ] as const) {
      const qv = encodeQuery(m, query(QuerySignature.fromChroma(qc)));
      const ev = encodeEntry(m, entry({ chroma: ec }));
      const a = liftedChroma(qc);
      const b = liftedChroma(ec);
      const cosChroma = a.reduce((s, x, i) => s + x * b[i]!, 0);
      expect(dot(qv, ev)).toBeCloseTo((w.chroma * cosChroma) / entryNorm, 5);
    }
  });

  it("ranks by colour: nearer colours score higher", () => {
    const m = mapper();
    const q = encodeQuery(m, query(QuerySignature.fromChroma([1, 0, 0])));
    const scores = [
      [1, 0, 0],
      [0.9, 0.1, 0.1],
      [1, 0.5, 0],
      [0.5, 0.5, 0.5],
      [0, 1, 1],
    ].map((c) => dot(q, encodeEntry(m, entry({ chroma: c as [number, number, number] }))));
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThan(scores[i - 1]!);
  });

  it("works when dim is below the number of features (random orthogonal projection)", () => {
    for (const dim of [1, 3, 8, 24]) {
      const m = mapper({ dim });
      const e = encodeEntry(m, entry());
      expect(e.length).toBe(dim);
      expect(norm(e)).toBeCloseTo(1, 5);
    }
  });

  it("shrinks the feature vector when groups are switched off, and ignores those groups", () => {
    const m = mapper({ include: { spectral: false, class: false, utility: false } });
    expect(m.featureDim).toBe(4);
    const a = encodeEntry(m, entry());
    const b = encodeEntry(
      m,
      entry({ spectral: spectral({ entropy: 0.1 }), classLabel: "Blue", utility: -1 }),
    );
    expect(a).toEqual(b);
  });
});

describe("queries that lack a group", () => {
  const entriesSharingChroma = (): EncodableEntry[] => [
    entry({ classLabel: "Red", utility: 1, spectral: spectral({ entropy: 0.1, meanPsd: 0.2 }) }),
    entry({ classLabel: "Blue", utility: -1, spectral: spectral({ entropy: 0.9, lowEnergy: 0.9 }) }),
    entry({ classLabel: null, utility: null, spectral: spectral({ meanPsd: 0 }) }),
    entry({ classLabel: "Black", utility: 0, spectral: spectral({ dominantFrequency: [1.4, 1.4, 1.4] }) }),
  ];

  it("a colour-only query scores entries of the same colour equally, whatever their other groups", () => {
    const m = mapper();
    const q = encodeQuery(m, query(QuerySignature.fromChroma([0.9, 0.2, 0.1])));
    const scores = entriesSharingChroma().map((e) => dot(q, encodeEntry(m, e)));
    for (const s of scores) expect(s).toBeCloseTo(scores[0]!, 6);
  });

  it("holds for any entries and any colours (property)", () => {
    const m = mapper();
    const unit = fc.double({ min: 0, max: 1, noNaN: true });
    const rgb = fc.tuple(unit, unit, unit);
    const arbitraryEntry = fc.record({
      spectral: fc.record({
        entropy: unit,
        dominantFrequency: fc.tuple(unit, unit, unit),
        lowEnergy: unit,
        midEnergy: unit,
        highEnergy: unit,
        meanPsd: fc.double({ min: 0, max: 0.25, noNaN: true }),
      }),
      classLabel: fc.constantFrom<ColorClass | null>(null, ...COLOR_CLASSES),
      utility: fc.option(fc.double({ min: -1, max: 1, noNaN: true })),
    });
    fc.assert(
      fc.property(rgb, rgb, arbitraryEntry, arbitraryEntry, (qc, ec, a, b) => {
        const q = encodeQuery(m, query(QuerySignature.fromChroma(qc)));
        const sa = dot(q, encodeEntry(m, { chroma: ec, ...a }));
        const sb = dot(q, encodeEntry(m, { chroma: ec, ...b }));
        expect(Math.abs(sa - sb)).toBeLessThan(1e-5);
      }),
      { numRuns: 100 },
    );
  });

  it("a class hint ranks same class > unlabelled > other class, and adds nothing else", () => {
    const m = mapper();
    const q = encodeQuery(m, query(QuerySignature.withClass([0.9, 0.2, 0.1], "Red")));
    const [red, blue, none, black] = entriesSharingChroma().map((e) => dot(q, encodeEntry(m, e)));
    expect(red!).toBeGreaterThan(none!);
    expect(none!).toBeGreaterThan(blue!);
    expect(blue!).toBeCloseTo(black!, 6);
  });
});

describe("utility and bias", () => {
  const source = (weights: Partial<Record<ColorClass, number>>): ClassWeightSource => ({
    classWeight: (cls) => weights[cls] ?? 0.5,
  });

  it("uses the same neutral value for a missing bias source as for a weight of 0.5", () => {
    const m = mapper();
    expect(encodeEntry(m, entry(), source({ Red: 0.5 }))).toEqual(encodeEntry(m, entry()));
    // An unlabelled entry has no class weight: neutral with or without a source.
    expect(encodeEntry(m, entry({ classLabel: null }), source({}))).toEqual(
      encodeEntry(m, entry({ classLabel: null })),
    );
  });

  it("a query with a bias source prefers entries of classes the source weighs highly", () => {
    const m = mapper();
    const bias = source({ Red: 0.9, Orange: 0.1 });
    const q = encodeQuery(m, query(QuerySignature.fromChroma([1, 0.25, 0])), bias);
    const red = dot(q, encodeEntry(m, entry({ chroma: [1, 0.25, 0], classLabel: "Red" }), bias));
    const orange = dot(q, encodeEntry(m, entry({ chroma: [1, 0.25, 0], classLabel: "Orange" }), bias));
    expect(red).toBeGreaterThan(orange);
  });

  it("a utility prior prefers entries that helped", () => {
    const m = mapper();
    const base = query(QuerySignature.fromChroma([0.9, 0.2, 0.1]));
    const q = encodeQuery(m, { ...base, utilityPrior: 1 });
    const helped = dot(q, encodeEntry(m, entry({ utility: 0.8 })));
    const unknown = dot(q, encodeEntry(m, entry({ utility: null })));
    const hurt = dot(q, encodeEntry(m, entry({ utility: -0.8 })));
    expect(helped).toBeGreaterThan(unknown);
    expect(unknown).toBeGreaterThan(hurt);
  });

  it("rejects a bias source that throws or returns a weight outside [0, 1]", () => {
    const m = mapper();
    const throwing: ClassWeightSource = {
      classWeight: () => {
        throw new Error("boom");
      },
    };
    for (const bias of [throwing, source({ Red: 1.5 }), source({ Red: Number.NaN })]) {
      const r = m.encodeEntry(entry(), bias);
      expect(!r.ok && r.error.kind).toBe("InvalidParameter");
      expect(!r.ok && r.error.message).toContain("bias.classWeight(Red)");
    }
    const notASource = m.encodeQuery(query(QuerySignature.fromChroma([1, 0, 0])), {} as ClassWeightSource);
    expect(!notASource.ok && notASource.error.kind).toBe("InvalidParameter");
  });
});

describe("batches", () => {
  const entries = [
    entry(),
    entry({ chroma: [0.1, 0.8, 0.3], classLabel: "Green" }),
    entry({ classLabel: null }),
  ];

  it("writes the same vectors as the single calls, one after another in one buffer", () => {
    const m = mapper({ dim: 16 });
    const all = unwrapVector(m.encodeEntries(entries));
    expect(all.length).toBe(48);
    entries.forEach((e, i) => {
      expect(all.subarray(i * 16, (i + 1) * 16)).toEqual(encodeEntry(m, e));
    });
    const queries = [
      query(QuerySignature.fromChroma([1, 0, 0])),
      query(QuerySignature.withClass([0, 0, 1], "Blue")),
    ];
    const qs = unwrapVector(m.encodeQueries(queries));
    queries.forEach((q, i) => {
      expect(qs.subarray(i * 16, (i + 1) * 16)).toEqual(encodeQuery(m, q));
    });
  });

  it("writes into a caller's buffer and returns a view of the used part", () => {
    const m = mapper({ dim: 8 });
    const out = new Float32Array(40).fill(7);
    const view = unwrapVector(m.encodeEntries(entries, undefined, out));
    expect(view.length).toBe(24);
    expect(view.buffer).toBe(out.buffer);
    expect(out[24]).toBe(7);
  });

  it("leaves the buffer untouched when an item is bad, and names the item", () => {
    const m = mapper({ dim: 8 });
    const out = new Float32Array(24).fill(7);
    const r = m.encodeEntries(
      [entries[0]!, entry({ chroma: [0.1, Number.NaN, 0] }), entries[2]!],
      undefined,
      out,
    );
    expect(!r.ok && r.error.message).toContain("entries[1].entry.chroma[1]");
    expect(Array.from(out).every((x) => x === 7)).toBe(true);
    const short = m.encodeEntries(entries, undefined, new Float32Array(10));
    expect(!short.ok && short.error.kind).toBe("DimensionMismatch");
    expect(unwrapVector(m.encodeEntries([])).length).toBe(0);
  });
});

describe("bad entries and queries", () => {
  const m = mapper();
  it("returns a DreamError for each kind of bad field", () => {
    const bad: [Partial<EncodableEntry> | null, string, string][] = [
      [{ chroma: [Number.NaN, 0, 0] }, "InvalidParameter", "entry.chroma[0]"],
      [{ chroma: [1, 0] as unknown as [number, number, number] }, "DimensionMismatch", "entry.chroma"],
      [{ classLabel: "Teal" as ColorClass }, "InvalidParameter", "entry.classLabel"],
      [{ utility: 1.5 }, "InvalidParameter", "entry.utility"],
      [{ spectral: spectral({ entropy: Number.NaN }) }, "InvalidParameter", "entry.spectral.entropy"],
      [{ spectral: null as unknown as SpectralFeatures }, "InvalidParameter", "entry.spectral"],
    ];
    for (const [overrides, kind, name] of bad) {
      const r = m.encodeEntry(entry(overrides ?? {}));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe(kind);
        expect(r.error.message).toContain(name);
      }
    }
    expect(m.encodeEntry(null as unknown as EncodableEntry).ok).toBe(false);
  });

  it("rejects a query with a bad field", () => {
    const base = query(QuerySignature.fromChroma([1, 0, 0]));
    const bad: [QuerySignature, string][] = [
      [{ ...base, chroma: [1, Number.POSITIVE_INFINITY, 0] }, "query.chroma[1]"],
      [{ ...base, chroma: [1, 0, 0, 0] as unknown as [number, number, number] }, "query.chroma"],
      [{ ...base, classHint: "Teal" as ColorClass }, "query.classHint"],
      [{ ...base, utilityPrior: -2 }, "query.utilityPrior"],
      [{ ...base, spectral: spectral({ dominantFrequency: [0, Number.NaN, 0] }) }, "dominantFrequency[1]"],
    ];
    for (const [q, name] of bad) {
      const r = m.encodeQuery(q);
      expect(!r.ok && r.error.message).toContain(name);
    }
  });
});

describe("switched-off groups", () => {
  it("still rejects a malformed field of that group", () => {
    const m = mapper({ include: { spectral: false } });
    const r = m.encodeEntry(entry({ spectral: spectral({ meanPsd: Number.NaN }) }));
    expect(!r.ok && r.error.message).toContain("entry.spectral.meanPsd");
  });
});
