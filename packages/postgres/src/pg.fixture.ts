// Shared by the tests and the worker processes (not part of the package build).

import { unwrap } from "@dreampool/errors";
import {
  ChromaticTensor,
  COLOR_CLASSES,
  type ColorClass,
  type SolverResult,
  seededRandom,
} from "@dreampool/tensor";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import type { PgConnection } from "./options.js";
import { describeTarget } from "./redact.js";

export const SERVER_URL = process.env.DREAMPOOL_PG_URL ?? "";

/** A backend the suite runs against: PGlite always, the server when DREAMPOOL_PG_URL is set. */
export interface Backend {
  readonly name: "pglite" | "server";
  connection(): PgConnection;
}

let pglite: Promise<PGlite> | null = null;

/** One PGlite per test file (creating one takes seconds); pools in it use distinct tables. */
export function sharedPglite(): Promise<PGlite> {
  pglite ??= PGlite.create({ extensions: { vector } });
  return pglite;
}

export async function backends(): Promise<Backend[]> {
  const db = await sharedPglite();
  const list: Backend[] = [{ name: "pglite", connection: () => db }];
  if (SERVER_URL !== "") list.push({ name: "server", connection: () => SERVER_URL });
  return list;
}

export function describeBackends(file: string): string {
  return SERVER_URL === ""
    ? `${file}: ran against PGlite only (DREAMPOOL_PG_URL is unset, so the server variant did not run)`
    : `${file}: ran against PGlite and the server at ${describeTarget(SERVER_URL)}`;
}

let tableCounter = 0;

/** A table name no other test (or earlier run against the same server) uses. */
export function freshTable(prefix: string): string {
  tableCounter++;
  const nonce = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  return `${prefix}_${nonce}_${tableCounter}`.toLowerCase().slice(0, 40);
}

/** A distinct, non-uniform dream: a seeded base colour with per-cell noise. */
export function dream(seed: number, dims = { rows: 4, cols: 4, layers: 3 }): ChromaticTensor {
  const rng = seededRandom(seed * 7919 + 17);
  const rgb = [rng(), rng(), rng()] as const;
  return unwrap(ChromaticTensor.fromColor(rgb, dims, { noise: 0.25, seed }));
}

export function resultFor(seed: number, coherence = 0.9): SolverResult {
  const rng = seededRandom(seed + 101);
  return { energy: 1 + rng(), coherence, violation: rng() * 0.1, meta: { seed } };
}

export const classFor = (seed: number): ColorClass =>
  COLOR_CLASSES[seed % COLOR_CLASSES.length] as ColorClass;
