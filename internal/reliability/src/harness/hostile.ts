import fc from "fast-check";

// Hostile values shared by every property: the numbers and shapes that break naive code.

/** Numbers no size, count, k or weight should accept silently. */
export const SPECIAL_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  -1,
  -0.5,
  0.5,
  1.5,
  -(2 ** 31),
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  1e300,
];

/** Not-a-number shapes passed where a number, string, array or object is expected. */
export const ODD_VALUES: readonly unknown[] = [
  undefined,
  null,
  "",
  "10",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  true,
  false,
  {},
  [],
  [1, 2],
  Object.create(null),
  () => 1,
  Symbol("hostile"),
  10n,
  new Date(Number.NaN),
  new Float32Array(0),
];

/** Ids that collide with Object.prototype members when a pool keeps ids in a plain object. */
export const PROTO_IDS: readonly string[] = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
  "",
  " ",
  "d0",
  "d-1",
  "d1.5",
  "d99999999999",
  "\u0000",
  "d1\u0000",
];

export const specialNumber = fc.constantFrom(...SPECIAL_NUMBERS);
export const oddValue = fc.constantFrom(...ODD_VALUES);

/** Any hostile scalar: a special number, an odd value, or a random double / integer / string. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: specialNumber },
  { weight: 3, arbitrary: oddValue },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_IDS) },
);

/** A number that is certainly not a positive integer (k, sizes, counts). */
export const notPositiveInteger: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    -1,
    0.5,
    1.5,
    2.0000001,
  ),
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true }),
  oddValue.filter((v) => typeof v !== "number"),
);

/** A number that is not finite. */
export const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

/**
 * A vector that is wrong for an index of dimension `dim`: empty, wrong length, a non-finite
 * component, or not a Float32Array at all.
 */
export function badVector(dim: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(new Float32Array(0)),
    fc
      .integer({ min: 1, max: dim * 2 + 1 })
      .filter((n) => n !== dim)
      .map((n) => Float32Array.from({ length: n }, (_, i) => 0.3 + i)),
    fc.tuple(fc.integer({ min: 0, max: dim - 1 }), nonFinite).map(([at, v]) => {
      const x = Float32Array.from({ length: dim }, (_, i) => 0.1 + (i % 5) * 0.2);
      x[at] = v;
      return x;
    }),
    oddValue,
  );
}

/** `notPositiveInteger` without undefined and null (which optional parameters read as "not set"). */
export const badCount: fc.Arbitrary<unknown> = notPositiveInteger.filter(
  (v) => v !== undefined && v !== null,
);
