import { type DreamResult, err, invalidParameter, ok, requireInRange } from "@dreampool/errors";
import { COLOR_CLASSES, type ColorClass, isColorClass } from "@dreampool/tensor";
import { checkFeedbackRecord, type FeedbackRecord } from "./feedback.js";
import type { UtilityAggregator } from "./utility-aggregator.js";

/** What the profile knows about one class. */
export interface ClassBias {
  readonly sampleCount: number;
  readonly meanUtility: number;
  /** clamp((meanUtility + 1) / 2, 0, 1): 0.5 is neutral. */
  readonly weight: number;
  /** meanUtility > utilityThreshold. */
  readonly prefer: boolean;
}

/** The JSON form (version 1). Sums are stored so that a round trip is exact. */
export interface BiasProfileJSON {
  readonly version: 1;
  readonly utilityThreshold: number;
  readonly classes: Partial<Record<ColorClass, { sampleCount: number; utilitySum: number }>>;
}

export interface BiasProfileOptions {
  /** A class is preferred when its mean utility exceeds this, in [−1, 1]. Default 0. */
  utilityThreshold?: number;
}

/** The weight a class without feedback gets: neutral, the same as having no profile at all. */
export const NEUTRAL_CLASS_WEIGHT = 0.5;

const weightOf = (mean: number): number => Math.min(1, Math.max(0, (mean + 1) / 2));

/**
 * Learner feedback turned into a retrieval prior: a weight per colour class in [0, 1] from the class's
 * mean utility. Implements the embedding package's `ClassWeightSource` ({ classWeight }). A class
 * without feedback weighs 0.5, exactly as if there were no profile.
 */
export class BiasProfile {
  private readonly counts = new Map<ColorClass, { sampleCount: number; utilitySum: number }>();

  private constructor(readonly utilityThreshold: number) {}

  static create(options: BiasProfileOptions = {}): DreamResult<BiasProfile> {
    const threshold = options?.utilityThreshold ?? 0;
    const problem = requireInRange("utilityThreshold", threshold, -1, 1);
    return problem ? err(problem) : ok(new BiasProfile(threshold));
  }

  /** A profile of the labelled records of `aggregator`. */
  static fromAggregator(
    aggregator: UtilityAggregator,
    options: BiasProfileOptions = {},
  ): DreamResult<BiasProfile> {
    const created = BiasProfile.create(options);
    if (!created.ok) return created;
    const profile = created.value;
    for (const record of aggregator.records) profile.update(record);
    return ok(profile);
  }

  /** Folds one record in; unlabelled records change nothing (there is no class to credit). */
  update(record: FeedbackRecord): DreamResult<void> {
    const problem = checkFeedbackRecord(record);
    if (problem) return err(problem);
    if (record.classLabel === null) return ok(undefined);
    const entry = this.counts.get(record.classLabel) ?? { sampleCount: 0, utilitySum: 0 };
    entry.sampleCount++;
    entry.utilitySum += record.utility;
    this.counts.set(record.classLabel, entry);
    return ok(undefined);
  }

  /** In [0, 1]; 0.5 (neutral) for a class without feedback or an unknown name. */
  classWeight(cls: ColorClass): number {
    const bias = this.classBias(cls);
    return bias ? bias.weight : NEUTRAL_CLASS_WEIGHT;
  }

  /** True when the class's mean utility exceeds the threshold; false without feedback. */
  prefersClass(cls: ColorClass): boolean {
    return this.classBias(cls)?.prefer ?? false;
  }

  classBias(cls: ColorClass): ClassBias | null {
    const entry = this.counts.get(cls);
    if (!entry) return null;
    const meanUtility = entry.utilitySum / entry.sampleCount;
    return {
      sampleCount: entry.sampleCount,
      meanUtility,
      weight: weightOf(meanUtility),
      prefer: meanUtility > this.utilityThreshold,
    };
  }

  /** Preferred classes, highest mean utility first; ties in COLOR_CLASSES order. */
  preferredClasses(): ColorClass[] {
    const preferred = COLOR_CLASSES.filter((cls) => this.prefersClass(cls));
    const mean = (cls: ColorClass) => this.classBias(cls)?.meanUtility ?? 0;
    return preferred.sort((a, b) => mean(b) - mean(a));
  }

  /** Labelled records folded in. */
  get totalSamples(): number {
    let total = 0;
    for (const entry of this.counts.values()) total += entry.sampleCount;
    return total;
  }

  /** Mean utility over the labelled records, or null without any. */
  get meanUtility(): number | null {
    let sum = 0;
    for (const entry of this.counts.values()) sum += entry.utilitySum;
    const total = this.totalSamples;
    return total === 0 ? null : sum / total;
  }

  toJSON(): BiasProfileJSON {
    const classes: Partial<Record<ColorClass, { sampleCount: number; utilitySum: number }>> = {};
    for (const cls of COLOR_CLASSES) {
      const entry = this.counts.get(cls);
      if (entry) classes[cls] = { sampleCount: entry.sampleCount, utilitySum: entry.utilitySum };
    }
    return { version: 1, utilityThreshold: this.utilityThreshold, classes };
  }

  /** Reads what `toJSON` wrote (a parsed object or a JSON string); anything malformed gives InvalidParameter. */
  static fromJSON(json: unknown): DreamResult<BiasProfile> {
    let data: unknown = json;
    if (typeof json === "string") {
      try {
        data = JSON.parse(json);
      } catch (e) {
        return err(invalidParameter("json", json, `must be valid JSON (${String(e)})`));
      }
    }
    if (typeof data !== "object" || data === null)
      return err(invalidParameter("json", data, "must be an object"));
    const body = data as Partial<Record<keyof BiasProfileJSON, unknown>>;
    if (body.version !== 1) return err(invalidParameter("json.version", body.version, "must be 1"));
    const threshold = requireInRange("json.utilityThreshold", body.utilityThreshold, -1, 1);
    if (threshold) return err(threshold);
    const created = BiasProfile.create({ utilityThreshold: body.utilityThreshold as number });
    if (!created.ok) return created;
    const classes = body.classes;
    if (typeof classes !== "object" || classes === null || Array.isArray(classes)) {
      return err(invalidParameter("json.classes", classes, "must be an object keyed by class name"));
    }
    const profile = created.value;
    for (const [name, value] of Object.entries(classes)) {
      if (!isColorClass(name))
        return err(invalidParameter(`json.classes.${name}`, name, "is not a ColorClass"));
      const { sampleCount, utilitySum } = (value ?? {}) as { sampleCount?: unknown; utilitySum?: unknown };
      if (typeof sampleCount !== "number" || !Number.isInteger(sampleCount) || sampleCount < 1) {
        return err(
          invalidParameter(`json.classes.${name}.sampleCount`, sampleCount, "must be an integer >= 1"),
        );
      }
      if (
        typeof utilitySum !== "number" ||
        !Number.isFinite(utilitySum) ||
        Math.abs(utilitySum) > sampleCount
      ) {
        return err(
          invalidParameter(
            `json.classes.${name}.utilitySum`,
            utilitySum,
            "must be finite with |sum| <= sampleCount",
          ),
        );
      }
      profile.counts.set(name, { sampleCount, utilitySum });
    }
    return ok(profile);
  }
}
