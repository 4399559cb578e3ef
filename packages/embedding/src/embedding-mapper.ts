import {
  attempt,
  criticalState,
  DreamError,
  type DreamResult,
  dimensionMismatch,
  err,
  invalidParameter,
  ok,
  requireInRange,
} from "@dreampool/errors";
import { type ColorClass, colorClassIndex, isColorClass, type Rgb, validateRgb } from "@dreampool/tensor";
import {
  CHROMA_WIDTH,
  CLASS_WIDTH,
  SPECTRAL_WIDTH,
  UTILITY_WIDTH,
  writeChroma,
  writeClass,
  writeEntryUtility,
  writeQueryUtility,
  writeSpectral,
} from "./feature-groups.js";
import {
  type EmbeddingMapperOptions,
  type ResolvedMapperOptions,
  resolveMapperOptions,
} from "./mapper-options.js";
import { createProjection, type Projection } from "./projection.js";
import { type QuerySignature, validateQuery } from "./query-signature.js";
import { type SpectralFeatures, validateSpectralFeatures } from "./spectral-features.js";

/** What the mapper reads from a pool entry. */
export interface EncodableEntry {
  /** Mean RGB of the entry's tensor. */
  readonly chroma: Rgb;
  readonly spectral: SpectralFeatures;
  readonly classLabel: ColorClass | null;
  /** Running mean utility in [−1, 1], or null before any feedback. */
  readonly utility: number | null;
}

/** A per-class prior in [0, 1] (the scoring package's BiasProfile implements it). */
export interface ClassWeightSource {
  classWeight(cls: ColorClass): number;
}

/**
 * Turns entries and queries into unit vectors for cosine search. Each feature group (chroma,
 * spectral, class, utility) is scaled to a unit vector and multiplied by its weight, so a group's
 * squared weight is its share of the similarity; the concatenation goes through a seeded
 * orthonormal projection to `dim` dimensions and is L2-normalised. See the README for the maths.
 */
export class EmbeddingMapper {
  /** Length of the concatenated feature vector before projection. */
  readonly featureDim: number;
  private readonly projection: Projection;
  private readonly features: Float64Array;
  private readonly offsets: { spectral: number; class: number; utility: number };

  private constructor(
    readonly options: ResolvedMapperOptions,
    readonly fingerprint: string,
  ) {
    const { include } = options;
    let at = CHROMA_WIDTH;
    const spectral = include.spectral ? at : -1;
    if (include.spectral) at += SPECTRAL_WIDTH;
    const cls = include.class ? at : -1;
    if (include.class) at += CLASS_WIDTH;
    const utility = include.utility ? at : -1;
    if (include.utility) at += UTILITY_WIDTH;
    this.offsets = { spectral, class: cls, utility };
    this.featureDim = at;
    this.features = new Float64Array(at);
    this.projection = createProjection(options.dim, at, options.seed);
  }

  /** Validates the options (see EmbeddingMapperOptions for defaults) and builds the projection. */
  static create(options: EmbeddingMapperOptions = {}): DreamResult<EmbeddingMapper> {
    const resolved = resolveMapperOptions(options);
    if (!resolved.ok) return resolved;
    return ok(new EmbeddingMapper(resolved.value.options, resolved.value.fingerprint));
  }

  get dim(): number {
    return this.options.dim;
  }

  /** The unit-length embedding of a pool entry. */
  encodeEntry(entry: EncodableEntry, bias?: ClassWeightSource): DreamResult<Float32Array> {
    const out = new Float32Array(this.dim);
    const written = this.writeEntry(entry, bias, out, 0);
    return written ? err(written) : ok(out);
  }

  /** The unit-length embedding of a query. */
  encodeQuery(query: QuerySignature, bias?: ClassWeightSource): DreamResult<Float32Array> {
    const out = new Float32Array(this.dim);
    const written = this.writeQuery(query, bias, out, 0);
    return written ? err(written) : ok(out);
  }

  /**
   * Embeddings of many entries in one buffer (entry i at [i·dim, (i+1)·dim)). `out`, when given,
   * needs at least n·dim elements; the result is a view of its first n·dim. Every entry is checked
   * before anything is written, so a bad entry leaves `out` untouched.
   */
  encodeEntries(
    entries: readonly EncodableEntry[],
    bias?: ClassWeightSource,
    out?: Float32Array,
  ): DreamResult<Float32Array> {
    return this.encodeMany(entries, out, "entries", (e, at, buffer) => this.writeEntry(e, bias, buffer, at));
  }

  /** Embeddings of many queries in one buffer; see encodeEntries. */
  encodeQueries(
    queries: readonly QuerySignature[],
    bias?: ClassWeightSource,
    out?: Float32Array,
  ): DreamResult<Float32Array> {
    return this.encodeMany(queries, out, "queries", (q, at, buffer) => this.writeQuery(q, bias, buffer, at));
  }

  private encodeMany<T>(
    items: readonly T[],
    out: Float32Array | undefined,
    name: string,
    write: (item: T, at: number, buffer: Float32Array) => DreamError | null,
  ): DreamResult<Float32Array> {
    if (!Array.isArray(items)) return err(invalidParameter(name, items, "must be an array"));
    const size = items.length * this.dim;
    if (out !== undefined) {
      if (!(out instanceof Float32Array)) return err(invalidParameter("out", out, "must be a Float32Array"));
      if (out.length < size) return err(dimensionMismatch(size, out.length, `encode${cap(name)} out`));
    }
    // Encode into a scratch buffer first, so that a bad item leaves `out` untouched.
    const target = new Float32Array(size);
    for (let i = 0; i < items.length; i++) {
      const e = write(items[i]!, i * this.dim, target);
      if (e) return err(rename(e, name, i));
    }
    if (out === undefined) return ok(target);
    out.set(target);
    return ok(out.subarray(0, size));
  }

  private writeEntry(
    entry: EncodableEntry,
    bias: ClassWeightSource | undefined,
    out: Float32Array,
    at: number,
  ): DreamError | null {
    if (entry === null || typeof entry !== "object")
      return invalidParameter("entry", entry, "must be an EncodableEntry object");
    const rgbError = validateRgb("entry.chroma", entry.chroma);
    if (rgbError) return rgbError;
    const { weights } = this.options;
    const x = this.features;
    writeChroma(x, 0, entry.chroma, weights.chroma);
    // Checked even when the group is off: a malformed entry is an error whatever the options.
    const spectral = validateSpectralFeatures("entry.spectral", entry.spectral);
    if (!spectral.ok) return spectral.error;
    if (this.offsets.spectral >= 0) writeSpectral(x, this.offsets.spectral, spectral.value, weights.spectral);
    const label = entry.classLabel ?? null;
    if (label !== null && !isColorClass(label))
      return invalidParameter("entry.classLabel", label, "must be a colour class (Red … Black) or null");
    if (this.offsets.class >= 0) {
      const index = label === null ? null : colorClassIndex(label);
      writeClass(x, this.offsets.class, index?.ok ? index.value : null, weights.class, false);
    }
    const utility = entry.utility ?? null;
    if (utility !== null) {
      const e = requireInRange("entry.utility", utility, -1, 1);
      if (e) return e;
    }
    if (this.offsets.utility >= 0) {
      const classWeight = readClassWeight(bias, label);
      if (!classWeight.ok) return classWeight.error;
      writeEntryUtility(x, this.offsets.utility, utility, classWeight.value, weights.utility);
    }
    return this.project(out, at);
  }

  private writeQuery(
    query: QuerySignature,
    bias: ClassWeightSource | undefined,
    out: Float32Array,
    at: number,
  ): DreamError | null {
    const valid = validateQuery(query);
    if (!valid.ok) return valid.error;
    const q = valid.value;
    if (bias !== undefined && !isClassWeightSource(bias))
      return invalidParameter("bias", bias, "must have a classWeight(cls) method");
    const { weights } = this.options;
    const x = this.features;
    writeChroma(x, 0, q.chroma, weights.chroma);
    if (this.offsets.spectral >= 0) writeSpectral(x, this.offsets.spectral, q.spectral, weights.spectral);
    if (this.offsets.class >= 0) {
      const index = q.classHint === null ? null : colorClassIndex(q.classHint);
      writeClass(x, this.offsets.class, index?.ok ? index.value : null, weights.class, true);
    }
    if (this.offsets.utility >= 0)
      writeQueryUtility(x, this.offsets.utility, q.utilityPrior, bias !== undefined, weights.utility);
    return this.project(out, at);
  }

  /** out[at … at+dim) = normalise(P · features). */
  private project(out: Float32Array, at: number): DreamError | null {
    const { dim } = this.options;
    const norm = this.projection.apply(this.features, out, at);
    if (!(norm > 0) || !Number.isFinite(norm)) {
      return criticalState(
        "EmbeddingMapper.project",
        `the projected vector has length ${Math.sqrt(norm)}; with dim ${dim} < ${this.featureDim} features a projection can vanish — use a larger dim`,
      );
    }
    const inverse = 1 / Math.sqrt(norm);
    for (let d = 0; d < dim; d++) out[at + d]! *= inverse;
    return null;
  }
}

const isClassWeightSource = (b: unknown): b is ClassWeightSource =>
  typeof b === "object" && b !== null && typeof (b as ClassWeightSource).classWeight === "function";

/** The bias source's weight for the class, or null (neutral) when there is no source or no class. */
function readClassWeight(
  bias: ClassWeightSource | undefined,
  label: ColorClass | null,
): DreamResult<number | null> {
  if (bias === undefined || label === null) return ok(null);
  if (!isClassWeightSource(bias))
    return err(invalidParameter("bias", bias, "must have a classWeight(cls) method"));
  const weight = attempt(
    () => bias.classWeight(label),
    (thrown) => invalidParameter(`bias.classWeight(${label})`, String(thrown), "must not throw"),
  );
  if (!weight.ok) return weight;
  const e = requireInRange(`bias.classWeight(${label})`, weight.value, 0, 1);
  return e ? err(e) : ok(weight.value);
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Prefixes an item's error with its position in the batch, keeping the kind. */
function rename(e: DreamError, name: string, index: number): DreamError {
  const d = e.detail;
  if (d.kind === "InvalidParameter")
    return new DreamError<"InvalidParameter">({ ...d, parameter: `${name}[${index}].${d.parameter}` });
  if (d.kind === "DimensionMismatch")
    return new DreamError<"DimensionMismatch">({ ...d, context: `${name}[${index}].${d.context}` });
  return e;
}
