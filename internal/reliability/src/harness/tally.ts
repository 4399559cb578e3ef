import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** internal/reliability/results: the figures every part of the suite writes, read by render.ts. */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "results");
/** Per-test-file parts of the current run, merged into results/last-run.json by the global teardown. */
export const PARTS_DIR = join(RESULTS_DIR, "parts");

/**
 * Counts the bad-input cases one test file tried, per area. Every call of `hit` is one case that
 * was executed and checked (a property run that reaches its assertions), never an estimate.
 */
export class Tally {
  private readonly counts = new Map<string, number>();

  hit(area: string, n = 1): void {
    this.counts.set(area, (this.counts.get(area) ?? 0) + n);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Writes one part of the run (a JSON object) as results/parts/<name>.json. */
export function writePart(name: string, data: unknown): void {
  mkdirSync(PARTS_DIR, { recursive: true });
  writeFileSync(join(PARTS_DIR, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
}

/** Every part written so far, by name. */
export function readParts(): Record<string, unknown> {
  const parts: Record<string, unknown> = {};
  let names: string[] = [];
  try {
    names = readdirSync(PARTS_DIR).filter((f) => f.endsWith(".json"));
  } catch {
    return parts;
  }
  for (const f of names.sort())
    parts[f.replace(/\.json$/, "")] = JSON.parse(readFileSync(join(PARTS_DIR, f), "utf8"));
  return parts;
}

export function writeResult(file: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, file), `${JSON.stringify(data, null, 2)}\n`);
}

export function readResult(file: string): unknown {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, file), "utf8"));
  } catch {
    return null;
  }
}
