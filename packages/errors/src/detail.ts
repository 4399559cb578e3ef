/** Every way a dreampool call can fail, as plain data. `kind` is the discriminant. */
export type DreamErrorDetail =
  | { kind: "DimensionMismatch"; expected: number; got: number; context: string }
  | { kind: "IndexNotBuilt"; operation: string }
  | { kind: "CapacityExceeded"; current: number; max: number }
  | { kind: "InvalidConfiguration"; parameter: string; value: string; reason: string }
  | { kind: "EmptyCollection"; collection: string }
  | { kind: "InvalidParameter"; parameter: string; value: string; constraint: string }
  | { kind: "IndexCorrupted"; details: string }
  | { kind: "MemoryExceeded"; requested: number; available: number }
  | { kind: "FeatureUnavailable"; feature: string; reason: string }
  | { kind: "CriticalState"; context: string; details: string };

export type DreamErrorKind = DreamErrorDetail["kind"];

/** The detail of one kind, e.g. `DetailOf<"InvalidParameter">`. */
export type DetailOf<K extends DreamErrorKind> = DetailMap[K];
type DetailMap = { [D in DreamErrorDetail as D["kind"]]: D };

export const DREAM_ERROR_KINDS: readonly DreamErrorKind[] = [
  "DimensionMismatch",
  "IndexNotBuilt",
  "CapacityExceeded",
  "InvalidConfiguration",
  "EmptyCollection",
  "InvalidParameter",
  "IndexCorrupted",
  "MemoryExceeded",
  "FeatureUnavailable",
  "CriticalState",
];

/** One message per kind; each names every field of its detail. */
export function describe(detail: DreamErrorDetail): string {
  switch (detail.kind) {
    case "DimensionMismatch":
      return `DimensionMismatch in ${detail.context}: expected ${detail.expected} components, got ${detail.got}`;
    case "IndexNotBuilt":
      return `IndexNotBuilt: ${detail.operation} needs a built index; call build() (or add entries) first`;
    case "CapacityExceeded":
      return `CapacityExceeded: ${detail.current} entries would exceed the maximum of ${detail.max}`;
    case "InvalidConfiguration":
      return `InvalidConfiguration: ${detail.parameter} = ${detail.value} is invalid: ${detail.reason}`;
    case "EmptyCollection":
      return `EmptyCollection: ${detail.collection} is empty`;
    case "InvalidParameter":
      return `InvalidParameter: ${detail.parameter} = ${detail.value} violates: ${detail.constraint}`;
    case "IndexCorrupted":
      return `IndexCorrupted: ${detail.details}`;
    case "MemoryExceeded":
      return `MemoryExceeded: ${detail.requested} bytes requested, ${detail.available} bytes available`;
    case "FeatureUnavailable":
      return `FeatureUnavailable: ${detail.feature}: ${detail.reason}`;
    case "CriticalState":
      return `CriticalState in ${detail.context}: ${detail.details}`;
  }
}
