import { type DreamResult, dimensionMismatch, err, ok, requireFiniteVector } from "@dreampool/errors";

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): DreamResult<number> {
  const aError = requireFiniteVector("a", a, -1, "cosineSimilarity a");
  if (aError) return err(aError);
  const bError = requireFiniteVector("b", b, a.length, "cosineSimilarity b");
  if (bError)
    return err(
      bError.kind === "DimensionMismatch"
        ? dimensionMismatch(a.length, b.length, "cosineSimilarity")
        : bError,
    );
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return ok(na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0);
}
