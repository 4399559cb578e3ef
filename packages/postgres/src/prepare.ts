import { type EmbeddingMapper, extractSpectralFeatures, type WindowFunction } from "@dreampool/embedding";
import {
  type DreamError,
  type DreamResult,
  err,
  invalidParameter,
  ok,
  requireFinite,
} from "@dreampool/errors";
import { estimateEntryBytes } from "@dreampool/memory";
import type { BatchItem, Meta } from "@dreampool/pool";
import {
  ChromaticTensor,
  type ColorClass,
  isColorClass,
  type SolverResult,
  tensorToBytes,
} from "@dreampool/tensor";
import type { PreparedEntry } from "./entry-row.js";

/** What entry preparation needs from the pool. */
export interface EntryEncoder {
  readonly mapper: EmbeddingMapper;
  readonly spectralWindow: WindowFunction;
  readonly hnswM: number;
}

function validateMeta(parameter: string, meta: unknown): DreamResult<Meta> {
  if (meta === undefined || meta === null) return ok({});
  if (typeof meta !== "object" || Array.isArray(meta)) {
    return err(invalidParameter(parameter, meta, "must be an object of numbers, strings and booleans"));
  }
  for (const [key, value] of Object.entries(meta)) {
    const fine =
      typeof value === "string" ||
      typeof value === "boolean" ||
      (typeof value === "number" && Number.isFinite(value));
    if (!fine)
      return err(
        invalidParameter(`${parameter}.${key}`, value, "must be a finite number, a string or a boolean"),
      );
  }
  return ok(meta as Meta);
}

export function validateResult(result: unknown): DreamResult<SolverResult> {
  if (typeof result !== "object" || result === null) {
    return err(
      invalidParameter("result", result, "must be a SolverResult { energy, coherence, violation, meta }"),
    );
  }
  const r = result as SolverResult;
  const problem =
    requireFinite("result.energy", r.energy) ??
    requireFinite("result.coherence", r.coherence) ??
    requireFinite("result.violation", r.violation);
  if (problem) return err(problem);
  const meta = validateMeta("result.meta", r.meta);
  if (!meta.ok) return meta;
  return ok(r);
}

export function validateClassLabel(classLabel: unknown): DreamResult<ColorClass | null> {
  if (classLabel === undefined || classLabel === null) return ok(null);
  if (typeof classLabel === "string" && isColorClass(classLabel)) return ok(classLabel);
  return err(invalidParameter("classLabel", classLabel, 'must be a ColorClass (e.g. "Red") or null'));
}

/**
 * Everything an entry row needs, computed once in the client: chroma, spectral features, the
 * embedding (utility neutral, as in the in-memory pool), the tensor bytes and the charged size.
 */
export function prepareEntry(
  encoder: EntryEncoder,
  tensor: unknown,
  result: unknown,
  classLabel: unknown,
  meta: unknown,
  createdAt: number,
): DreamResult<PreparedEntry> {
  if (!(tensor instanceof ChromaticTensor)) {
    return err(invalidParameter("tensor", tensor, "must be a ChromaticTensor"));
  }
  const checkedResult = validateResult(result);
  if (!checkedResult.ok) return checkedResult;
  const label = validateClassLabel(classLabel);
  if (!label.ok) return label;
  const checkedMeta = validateMeta("meta", meta);
  if (!checkedMeta.ok) return checkedMeta;
  const r = checkedResult.value;
  if (r.grad !== undefined && r.grad.length !== tensor.colors.length) {
    return err(
      invalidParameter(
        "result.grad",
        r.grad,
        `must have ${tensor.colors.length} components, like tensor.colors`,
      ),
    );
  }
  if (r.mask !== undefined && r.mask.length !== tensor.colors.length) {
    return err(
      invalidParameter(
        "result.mask",
        r.mask,
        `must have ${tensor.colors.length} components, like tensor.colors`,
      ),
    );
  }
  const chroma = tensor.meanRgb();
  const spectral = extractSpectralFeatures(tensor, { window: encoder.spectralWindow });
  if (!spectral.ok) return spectral;
  const embedding = encoder.mapper.encodeEntry({
    chroma,
    spectral: spectral.value,
    classLabel: label.value,
    utility: null,
  });
  if (!embedding.ok) return embedding;
  const bytes = estimateEntryBytes({
    dims: tensor.dims,
    embeddingDim: encoder.mapper.dim,
    index: { kind: "hnsw", m: encoder.hnswM },
    meta: { result: r.meta, entry: checkedMeta.value },
    hasGrad: r.grad !== undefined,
    hasMask: r.mask !== undefined,
  });
  return ok({
    createdAt,
    result: r,
    chroma,
    classLabel: label.value,
    spectral: spectral.value,
    embedding: embedding.value,
    tensorBytes: tensorToBytes(tensor),
    meta: checkedMeta.value,
    bytes,
  });
}

/** A batch after validation, gating and encoding: nothing is written until every item passed. */
export interface PreparedBatch {
  readonly prepared: PreparedEntry[];
  readonly gatedOut: number;
  readonly total: number;
}

export function prepareBatch(
  encoder: EntryEncoder,
  items: unknown,
  o: { gate: boolean; coherenceThreshold: number; now: number },
): DreamResult<PreparedBatch> {
  if (
    items === null ||
    typeof items !== "object" ||
    typeof (items as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    return err(
      invalidParameter("items", items, "must be an iterable of { tensor, result, classLabel?, meta? }"),
    );
  }
  const prepared: PreparedEntry[] = [];
  let gatedOut = 0;
  let index = 0;
  for (const item of items as Iterable<BatchItem>) {
    if (typeof item !== "object" || item === null) {
      return err(invalidParameter(`items[${index}]`, item, "must be an object"));
    }
    const coherence = item.result?.coherence;
    if (o.gate && typeof coherence === "number" && coherence < o.coherenceThreshold) {
      gatedOut++;
    } else {
      const entry = prepareEntry(encoder, item.tensor, item.result, item.classLabel, item.meta, o.now);
      if (!entry.ok) return err(withItemIndex(entry.error, index));
      prepared.push(entry.value);
    }
    index++;
  }
  return ok({ prepared, gatedOut, total: index });
}

/** Prefixes an item's InvalidParameter with its position in the batch. */
function withItemIndex(error: DreamError, index: number): DreamError {
  if (error.kind !== "InvalidParameter") return error;
  const d = error.detail as { parameter: string; value: string; constraint: string };
  return invalidParameter(`items[${index}].${d.parameter}`, d.value, d.constraint);
}
