import { type DreamResult, ok } from "dreampool";
import { parseClass, parseInteger, parseMode, parseRgb } from "../args.js";
import type { CliIo } from "../io.js";
import { retrieveRows } from "../retrieval-eval.js";
import { fixed, signed, table } from "../table.js";
import { loadSnapshot } from "./load.js";

export interface QueryCommandOptions {
  readonly rgb: string;
  readonly class?: string;
  readonly mode: string;
  readonly k: string;
  readonly json?: boolean;
}

/** Retrieves the dreams of a snapshot nearest to a colour and prints them. */
export async function queryCommand(
  snapshot: string,
  o: QueryCommandOptions,
  io: CliIo,
): Promise<DreamResult<number>> {
  const rgb = parseRgb(o.rgb);
  if (!rgb.ok) return rgb;
  const mode = parseMode(o.mode);
  if (!mode.ok) return mode;
  const k = parseInteger("-k", o.k, 1, 1000);
  if (!k.ok) return k;
  const cls = o.class === undefined ? ok(undefined) : parseClass(o.class);
  if (!cls.ok) return cls;
  const pool = await loadSnapshot(snapshot, io.cwd);
  if (!pool.ok) return pool;
  const found = await retrieveRows(
    pool.value.asAsync(),
    rgb.value,
    mode.value,
    k.value,
    Date.now(),
    cls.value,
  );
  if (!found.ok) return found;
  const rows = found.value.rows;
  if (o.json) {
    io.stdout(
      `${JSON.stringify({ query: { rgb: rgb.value, class: cls.value ?? null, mode: mode.value, k: k.value }, results: rows }, null, 2)}\n`,
    );
    return ok(0);
  }
  const filter = cls.value ? ` class ${cls.value}` : "";
  io.stdout(
    `${rows.length} of ${pool.value.size} dreams · rgb ${rgb.value.join(",")}${filter} · mode ${mode.value}\n`,
  );
  const lines = table(
    ["rank", "id", "class", "similarity", "utility", "score", "mean rgb"],
    rows.map((r, i) => [
      String(i + 1),
      r.id,
      r.classLabel ?? "—",
      fixed(r.similarity, 3),
      r.utility === null ? "—" : signed(r.utility, 2),
      fixed(r.score, 3),
      r.chroma.map((c) => c.toFixed(2)).join(","),
    ]),
  );
  io.stdout(`${lines.join("\n")}\n`);
  return ok(0);
}
