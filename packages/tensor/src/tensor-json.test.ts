import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChromaticTensor } from "./chromatic-tensor.js";
import { tensorFromJSON, tensorToJSON } from "./tensor-json.js";
import { anyFloat32, dimsArb, expectErr, tensorOf } from "./test-support/arbitraries.js";

const anyTensorArb = dimsArb.chain((d) => tensorOf(d, anyFloat32));

describe("JSON form", () => {
  it("round-trips exactly through JSON text (property; -0 comes back as 0)", () => {
    fc.assert(
      fc.property(anyTensorArb, (t) => {
        const text = JSON.stringify(tensorToJSON(t));
        const back = unwrap(tensorFromJSON(text));
        expect(back.dims).toEqual(t.dims);
        // === treats -0 and 0 as equal, which is all JSON can promise.
        t.colors.forEach((v, i) => {
          expect(back.colors[i] === v).toBe(true);
        });
        t.certainty.forEach((v, i) => {
          expect(back.certainty[i] === v).toBe(true);
        });
      }),
    );
  });

  it("round-trips the object form bit for bit, -0 included", () => {
    const t = unwrap(ChromaticTensor.fromArrays({ rows: 1, cols: 1, layers: 1 }, [-0, 1e-40, 3.4e38], [0.1]));
    const back = unwrap(tensorFromJSON(tensorToJSON(t)));
    expect(Object.is(back.colors[0], -0)).toBe(true);
    expect(back.colors[1]).toBe(t.colors[1]);
    expect(back.colors[2]).toBe(t.colors[2]);
    expect(back.certainty[0]).toBe(t.certainty[0]);
  });

  it("has a stable, documented shape", () => {
    const t = unwrap(
      ChromaticTensor.fromArrays({ rows: 1, cols: 2, layers: 1 }, [1, 0.5, 0, 0, 0.25, 1], [1, 0.5]),
    );
    expect(tensorToJSON(t)).toEqual({
      format: "dreampool.tensor",
      version: 1,
      rows: 1,
      cols: 2,
      layers: 1,
      colors: [1, 0.5, 0, 0, 0.25, 1],
      certainty: [1, 0.5],
    });
  });
});

describe("JSON form: bad input", () => {
  const base = tensorToJSON(unwrap(ChromaticTensor.fromSeed(4, 2, 2, 1)));

  it("rejects malformed text and non-objects with InvalidParameter", () => {
    for (const bad of ["{", "", "[1,2,3]", "null", 42, null, undefined, [base]]) {
      expectErr(tensorFromJSON(bad), "InvalidParameter");
    }
    expect(expectErr(tensorFromJSON("{oops"), "InvalidParameter").cause).toBeInstanceOf(SyntaxError);
    const long = expectErr(tensorFromJSON(`{"colors": [${"1,".repeat(100000)}`), "InvalidParameter");
    expect(long.message.length).toBeLessThan(200);
  });

  it("checks format, version and dims, naming the field", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, format: "other" }, "json.format"],
      [{ ...base, version: 2 }, "json.version"],
      [{ ...base, rows: 0 }, "rows"],
      [{ ...base, cols: 1.5 }, "cols"],
      [{ ...base, layers: -1 }, "layers"],
      [{ ...base, rows: "2" }, "rows"],
      [{ ...base, colors: "nope" }, "json.colors"],
      [
        { ...base, colors: [...base.colors.slice(0, 3), Number.NaN, ...base.colors.slice(4)] },
        "json.colors[3]",
      ],
      [{ ...base, certainty: [1, 1, 1, null] }, "json.certainty[3]"],
      [{ ...base, colors: [...base.colors.slice(0, 11), 1e39] }, "json.colors[11]"],
    ];
    for (const [json, parameter] of cases) {
      expect(expectErr(tensorFromJSON(json), "InvalidParameter").detail).toMatchObject({ parameter });
    }
  });

  it("rejects arrays of the wrong length with DimensionMismatch, before allocating a huge claim", () => {
    expect(
      expectErr(tensorFromJSON({ ...base, colors: base.colors.slice(1) }), "DimensionMismatch").detail,
    ).toMatchObject({
      expected: 12,
      got: 11,
    });
    expectErr(tensorFromJSON({ ...base, certainty: [1] }), "DimensionMismatch");
    expectErr(tensorFromJSON({ ...base, rows: 4096, cols: 4096, layers: 4 }), "DimensionMismatch");
    expectErr(tensorFromJSON({ ...base, rows: 1 << 20, cols: 1 << 20, layers: 1 }), "InvalidParameter");
  });
});
