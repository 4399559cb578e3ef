import {
  COLOR_CLASSES,
  type ColorClass,
  type DreamResult,
  err,
  type IndexChoice,
  invalidParameter,
  ok,
  parseBytes,
  type Rgb,
} from "dreampool";

// Parsers for command-line values: each returns an InvalidParameter naming the option, the value
// and the constraint, which the CLI prints as its one line on stderr.

/** The four retrieval modes the CLI offers: the pool's three, plus hybrid re-ranked with MMR. */
export const CLI_MODES = ["hard", "soft", "hybrid", "diverse"] as const;
export type CliMode = (typeof CLI_MODES)[number];

export const INDEX_CHOICES: readonly IndexChoice[] = ["exact", "hnsw", "auto"];

/** An integer in [min, max], written in decimal. */
export function parseInteger(option: string, text: string, min: number, max: number): DreamResult<number> {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return err(invalidParameter(option, text, `must be an integer in [${min}, ${max}]`));
  }
  return ok(value);
}

export function parseMode(text: string): DreamResult<CliMode> {
  const mode = CLI_MODES.find((m) => m === text);
  return mode ? ok(mode) : err(invalidParameter("--mode", text, `must be one of ${CLI_MODES.join(", ")}`));
}

export function parseIndex(text: string): DreamResult<IndexChoice> {
  const index = INDEX_CHOICES.find((m) => m === text);
  return index
    ? ok(index)
    : err(invalidParameter("--index", text, `must be one of ${INDEX_CHOICES.join(", ")}`));
}

/** Bytes or a size with a unit ("64MB", "64 MiB"), at least 1 byte. */
export function parseBudget(text: string): DreamResult<number> {
  const trimmed = text.trim();
  const bytes = parseBytes(/^\d+$/.test(trimmed) ? Number(trimmed) : trimmed);
  if (!bytes.ok || bytes.value < 1) {
    return err(invalidParameter("--budget", text, "must be a byte count or a size such as 64MB or 512KiB"));
  }
  return ok(bytes.value);
}

/** "r,g,b" with each channel in [0, 1]. */
export function parseRgb(text: string): DreamResult<Rgb> {
  const parts = text.split(",").map((p) => p.trim());
  const values = parts.map((p) => (p === "" ? Number.NaN : Number(p)));
  if (values.length !== 3 || values.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) {
    return err(
      invalidParameter("--rgb", text, "must be three numbers in [0, 1] separated by commas, e.g. 1,0.5,0"),
    );
  }
  return ok([values[0] as number, values[1] as number, values[2] as number]);
}

/** A colour class name, any case ("red", "Red"). */
export function parseClass(text: string): DreamResult<ColorClass> {
  const found = COLOR_CLASSES.find((c) => c.toLowerCase() === text.trim().toLowerCase());
  return found
    ? ok(found)
    : err(invalidParameter("--class", text, `must be one of ${COLOR_CLASSES.join(", ")}`));
}

/** A PostgreSQL connection URL. */
export function parseStore(text: string): DreamResult<string> {
  if (!/^postgres(ql)?:\/\//.test(text)) {
    // The value is not echoed: a connection string can hold a password.
    return err(
      invalidParameter("--store", "(the given value)", "must be a postgres:// or postgresql:// URL"),
    );
  }
  return ok(text);
}

/** A coherence threshold in [0, 1]. */
export function parseUnitInterval(option: string, text: string): DreamResult<number> {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    return err(invalidParameter(option, text, "must be a number in [0, 1]"));
  }
  return ok(value);
}
