import { formatBytes, type PoolStats } from "dreampool";
import type { DemoReport } from "./demo.js";
import type { ModeOutcome } from "./retrieval-eval.js";
import type { ArmOutcome } from "./seeding-ab.js";
import { fixed, percent, signed, table } from "./table.js";

/** One line of pool statistics: size, memory against budget, index, cache, evictions. */
export function statsLine(stats: PoolStats): string {
  const m = stats.memory;
  const memory =
    m.budgetBytes === null
      ? `${formatBytes(m.usedBytes)} used (no budget)`
      : `${formatBytes(m.usedBytes)} of ${formatBytes(m.budgetBytes)} (${percent(m.ratio ?? 0)})`;
  const c = stats.cache;
  const e = stats.evictions;
  return [
    `${stats.count} entries`,
    memory,
    `index ${stats.index.kind} (${stats.index.mode}, dim ${stats.index.dim})`,
    `cache hit rate ${percent(c.hitRate)} (${c.hits}/${c.hits + c.misses})`,
    `evictions ${e.capacity + e.budget} (capacity ${e.capacity}, budget ${e.budget})${e.removed > 0 ? `, ${e.removed} removed` : ""}`,
  ].join(" · ");
}

const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;

function modeTable(mode: ModeOutcome, k: number): string[] {
  const rows = mode.queries.map((q) => {
    const utilities = q.results.flatMap((r) => (r.utility === null ? [] : [r.utility]));
    return [
      q.queryClass,
      fixed(mean(q.results.map((r) => r.similarity)), 3),
      utilities.length === 0 ? "—" : signed(mean(utilities), 2),
      fixed(mean(q.results.map((r) => r.score)), 3),
      `${Math.round(q.precision * k)}/${k}`,
      q.results.map((r) => r.classLabel ?? "?").join(" "),
    ];
  });
  return [
    `  ${mode.mode} · precision@${k} ${fixed(mode.precisionAtK, 2)}`,
    ...table(["query", "similarity", "utility", "score", "same class", `top ${k} classes`], rows, "    "),
  ];
}

function armRow(name: string, arm: ArmOutcome, targets: number): string[] {
  return [
    name,
    `${arm.reached}/${targets}`,
    `${fixed(arm.steps.median, 1)} [${fixed(arm.steps.q1, 1)}–${fixed(arm.steps.q3, 1)}]`,
    `${fixed(arm.steps.mean, 1)} ± ${fixed(arm.steps.sd, 1)}`,
    `${fixed(arm.final.mean, 4)} ± ${fixed(arm.final.sd, 4)}`,
    `${fixed(arm.final.median, 4)} [${fixed(arm.final.q1, 4)}–${fixed(arm.final.q3, 4)}]`,
  ];
}

/** The demo's report for a person: a few compact tables. */
export function demoText(r: DemoReport): string[] {
  const s = r.settings;
  const d = r.dreams;
  const ab = r.seeding;
  const out: string[] = [];
  out.push(
    `dreampool demo · ${s.size} dreams · seed ${s.seed} · k ${s.k} · index ${s.index} · store ${s.store}`,
    "",
    `1. Dreams: ${d.generated} generated (${s.dims.rows}×${s.dims.cols}×${s.dims.layers} tensors, ${s.dream.steps} gradient steps from seeded noise), ` +
      `${d.added} stored, ${d.gatedOut} gated out at coherence < ${fixed(s.coherenceThreshold, 2)}`,
    "   (the native solver's coherence rewards balanced channels and one hue: achromatic dreams score low)",
    ...table(
      ["class", "dreams", "stored", "mean coherence"],
      [...d.byClass]
        .sort((a, b) => a.classLabel.localeCompare(b.classLabel))
        .map((c) => [c.classLabel, String(c.dreams), String(c.added), fixed(c.meanCoherence, 3)]),
      "   ",
    ),
    "",
    `2. Retrieval: ${r.queries.length} held-out queries (one per class), k = ${s.k}; similarity, utility (of entries with feedback) and score are means over the k results`,
  );
  for (const mode of r.retrieval) out.push(...modeTable(mode, s.k));
  out.push(
    "",
    `3. Seeding A/B: ${ab.targets} new targets, ${ab.maxSteps} steps each, from noise vs from the best retrieved dream (both blended 50/50 with the target)`,
    `   threshold J ≤ ${fixed(ab.threshold, 4)} (the noise arm's median final J + 5%); unreached counts as ${ab.maxSteps + 1} steps`,
    ...table(
      [
        "arm",
        "reached",
        "steps median [IQR]",
        "steps mean ± sd",
        "final J mean ± sd",
        "final J median [IQR]",
      ],
      [armRow("noise", ab.noise, ab.targets), armRow("seeded", ab.seeded, ab.targets)],
      "   ",
    ),
    `   seeded ended lower on ${ab.seededWins}/${ab.targets} targets; feedback on ${ab.feedback.entries} retrieved dreams, ` +
      `mean utility ${signed(ab.feedback.meanUtility, 2)} (${ab.feedback.positive} positive)`,
    "",
    `4. Pool: ${statsLine(r.stats)}`,
  );
  const snap = r.snapshot;
  const where = snap.bytes === null ? snap.location : `${snap.location} (${formatBytes(snap.bytes)})`;
  out.push(
    snap.verified
      ? `   Snapshot: ${where} reloaded; ${snap.compared} retrievals give the same answer: snapshot verified`
      : `   Snapshot: ${where} reloaded; ${snap.mismatches.length} of ${snap.compared} retrievals differ: ${snap.mismatches.slice(0, 3).join("; ")}`,
  );
  return out;
}
