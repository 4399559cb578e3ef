import { type DreamResult, err, invalidParameter, ok, requireInteger } from "@dreampool/errors";
import { ChromaticTensor, MAX_TENSOR_CELLS, type TensorDims, validateDims } from "./chromatic-tensor.js";
import { COLOR_CLASSES, type ColorClass, colorClassRgb, isColorClass } from "./color-class.js";
import { seededRandom } from "./random.js";
import { validateTensor } from "./tensor-check.js";

/** One labelled tensor. */
export interface ColorSample {
  readonly tensor: ChromaticTensor;
  readonly label: ColorClass;
}

/** Options of `generateColorDataset`; every field has the reference's default. */
export interface ColorDatasetOptions {
  /** Samples generated per class (default 100). */
  readonly samplesPerClass?: number;
  /** Tensor shape (default 16 x 16 x 4). */
  readonly rows?: number;
  readonly cols?: number;
  readonly layers?: number;
  /** Half-width of the uniform noise added to each channel before clamping to [0, 1] (default 0.1). */
  readonly noise?: number;
  /** Any integer; only its low 32 bits matter (default 42). */
  readonly seed?: number;
  /** The classes to generate, each at most once (default: all ten, in index order). */
  readonly classes?: readonly ColorClass[];
}

/** An ordered, immutable list of labelled samples with split and batch helpers. */
export class ColorDataset {
  private constructor(readonly samples: readonly ColorSample[]) {}

  /** Wraps samples (checked: each a well-formed tensor with a known label). */
  static fromSamples(samples: readonly ColorSample[]): DreamResult<ColorDataset> {
    if (!Array.isArray(samples)) return err(invalidParameter("samples", samples, "must be an array"));
    for (let i = 0; i < samples.length; i++) {
      const s: unknown = samples[i];
      if (typeof s !== "object" || s === null)
        return err(invalidParameter(`samples[${i}]`, s, "must be { tensor, label }"));
      const { tensor, label } = s as Partial<ColorSample>;
      const e = validateTensor(`samples[${i}].tensor`, tensor);
      if (e) return err(e);
      if (!isColorClass(label))
        return err(
          invalidParameter(`samples[${i}].label`, label, `must be one of ${COLOR_CLASSES.join(", ")}`),
        );
    }
    return ok(new ColorDataset(Object.freeze([...samples])));
  }

  get size(): number {
    return this.samples.length;
  }

  /** The first floor(size · ratio) samples for training, the rest for validation. */
  split(ratio: number): DreamResult<[train: ColorDataset, validation: ColorDataset]> {
    if (typeof ratio !== "number" || !Number.isFinite(ratio) || ratio < 0 || ratio > 1)
      return err(invalidParameter("ratio", ratio, "must be a finite number in [0, 1]"));
    // The epsilon keeps e.g. 100 · 0.29 = 28.999999999999996 from flooring to 28.
    const cut = Math.min(this.size, Math.floor(this.size * ratio + 1e-9));
    return ok([
      new ColorDataset(Object.freeze(this.samples.slice(0, cut))),
      new ColorDataset(Object.freeze(this.samples.slice(cut))),
    ]);
  }

  /** ceil(size / batchSize): the last batch may be shorter. */
  numBatches(batchSize: number): DreamResult<number> {
    const e = requireInteger("batchSize", batchSize, 1);
    if (e) return err(e);
    return ok(Math.ceil(this.size / batchSize));
  }

  /** Samples [index · batchSize, (index + 1) · batchSize) (the last batch may be shorter). */
  batch(batchSize: number, index: number): DreamResult<readonly ColorSample[]> {
    const count = this.numBatches(batchSize);
    if (!count.ok) return count;
    if (count.value === 0)
      return err(invalidParameter("index", index, "the dataset is empty: it has no batches"));
    const e = requireInteger("index", index, 0, count.value - 1);
    if (e) return err(e);
    return ok(this.samples.slice(index * batchSize, (index + 1) * batchSize));
  }

  /** How many samples each class has (0 for classes not present). */
  classCounts(): Record<ColorClass, number> {
    const counts = Object.fromEntries(COLOR_CLASSES.map((c) => [c, 0])) as Record<ColorClass, number>;
    for (const s of this.samples) counts[s.label]++;
    return counts;
  }

  /** Wraps samples without checking or copying: the generators' fast path. */
  static unsafeCreate(samples: readonly ColorSample[]): ColorDataset {
    return new ColorDataset(Object.freeze(samples));
  }
}

function validateClasses(classes: unknown): DreamResult<readonly ColorClass[]> {
  if (!Array.isArray(classes) || classes.length === 0)
    return err(invalidParameter("classes", classes, "must be a non-empty array of colour classes"));
  const seen = new Set<string>();
  for (let i = 0; i < classes.length; i++) {
    const c: unknown = classes[i];
    if (!isColorClass(c))
      return err(invalidParameter(`classes[${i}]`, c, `must be one of ${COLOR_CLASSES.join(", ")}`));
    if (seen.has(c)) return err(invalidParameter(`classes[${i}]`, c, "must not repeat a class"));
    seen.add(c);
  }
  return ok(classes as ColorClass[]);
}

/** The size, noise and seed options every generator shares, validated and with defaults applied. */
export interface GeneratorSettings {
  readonly samplesPerClass: number;
  readonly dims: TensorDims;
  readonly cells: number;
  readonly noise: number;
  readonly seed: number;
}

/** Validates the shared generator options for `classCount` classes (InvalidParameter naming the field). */
export function validateGeneratorSettings(
  options: unknown,
  classCount: number,
  defaultNoise: number,
): DreamResult<GeneratorSettings> {
  if (typeof options !== "object" || options === null)
    return err(invalidParameter("options", options, "must be an object"));
  const o = options as ColorDatasetOptions;
  const { samplesPerClass = 100, rows = 16, cols = 16, layers = 4, noise = defaultNoise, seed = 42 } = o;
  const perClassError = requireInteger("samplesPerClass", samplesPerClass, 1, MAX_TENSOR_CELLS);
  if (perClassError) return err(perClassError);
  const dimsError = validateDims(rows, cols, layers);
  if (dimsError) return err(dimsError);
  if (typeof noise !== "number" || !Number.isFinite(noise) || noise < 0)
    return err(invalidParameter("noise", noise, "must be a finite number >= 0"));
  const seedError = requireInteger("seed", seed);
  if (seedError) return err(seedError);
  const cells = rows * cols * layers;
  const totalCells = samplesPerClass * classCount * cells;
  if (totalCells > MAX_TENSOR_CELLS) {
    return err(
      invalidParameter(
        "samplesPerClass*classes*rows*cols*layers",
        totalCells,
        `must be at most ${MAX_TENSOR_CELLS} cells in total`,
      ),
    );
  }
  return ok({ samplesPerClass, dims: { rows, cols, layers }, cells, noise, seed });
}

/** Fisher–Yates shuffle driven by `rng`. */
export function shuffleInPlace<T>(items: T[], rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/**
 * A labelled colour dataset (reference §1.3): per class, `samplesPerClass` tensors whose every
 * channel is the class colour plus uniform noise in [−noise, +noise], clamped to [0, 1], with
 * certainty uniform in [0.5, 1]; then all samples are shuffled. One seeded generator drives
 * everything, so the same options always give the same dataset.
 */
export function generateColorDataset(options: ColorDatasetOptions = {}): DreamResult<ColorDataset> {
  if (typeof options !== "object" || options === null)
    return err(invalidParameter("options", options, "must be an object"));
  const classes = validateClasses(options.classes ?? COLOR_CLASSES);
  if (!classes.ok) return classes;
  const settings = validateGeneratorSettings(options, classes.value.length, 0.1);
  if (!settings.ok) return settings;
  const { samplesPerClass, dims, cells, noise, seed } = settings.value;

  const rng = seededRandom(seed);
  const samples: ColorSample[] = [];
  for (const label of classes.value) {
    const base = colorClassRgb(label);
    for (let s = 0; s < samplesPerClass; s++) {
      const colors = new Float32Array(cells * 3);
      for (let i = 0; i < colors.length; i++) {
        const v = base[i % 3]! + (2 * rng() - 1) * noise;
        colors[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      const certainty = new Float32Array(cells);
      for (let i = 0; i < cells; i++) certainty[i] = 0.5 + 0.5 * rng();
      samples.push({ tensor: ChromaticTensor.unsafeCreate(dims, colors, certainty), label });
    }
  }
  shuffleInPlace(samples, rng);
  return ok(ColorDataset.unsafeCreate(samples));
}
