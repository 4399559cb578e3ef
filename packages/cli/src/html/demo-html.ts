import { formatBytes } from "dreampool";
import type { DemoReport } from "../demo.js";
import type { ModeOutcome } from "../retrieval-eval.js";
import type { ArmOutcome } from "../seeding-ab.js";
import { statsLine } from "../text-report.js";
import { abChartSvg } from "./ab-chart.js";
import { page } from "./page.js";
import { esc, imageSvg } from "./svg.js";

function modeSection(r: DemoReport, mode: ModeOutcome): string {
  const rows = mode.queries.map((q) => {
    const image = r.images[q.queryId];
    const query = `<div class="cell query">${image ? imageSvg(q.queryId, image) : ""}<span>${esc(q.queryClass)}</span></div>`;
    const hits = q.results.map((res) => {
      const img = r.images[res.id];
      const cls = res.classLabel === q.queryClass ? "hit" : "miss";
      return `<div class="cell ${cls}" title="${esc(res.id)} similarity ${res.similarity.toFixed(3)}">${img ? imageSvg(res.id, img) : ""}<span>${esc(res.classLabel ?? "?")}</span><span>${res.score.toFixed(3)}</span></div>`;
    });
    return `<div class="row" data-mode="${mode.mode}" data-query="${esc(q.queryId)}">${query}${hits.join("")}</div>`;
  });
  return `<section><h3>${esc(mode.mode)} <span class="muted">precision@${r.settings.k} ${mode.precisionAtK.toFixed(2)}</span></h3>${rows.join("")}</section>`;
}

function armRow(name: string, a: ArmOutcome, targets: number): string {
  return `<tr><td>${esc(name)}</td><td class="num">${a.reached}/${targets}</td><td class="num">${a.steps.median.toFixed(1)} [${a.steps.q1.toFixed(1)}–${a.steps.q3.toFixed(1)}]</td><td class="num">${a.steps.mean.toFixed(1)} ± ${a.steps.sd.toFixed(1)}</td><td class="num">${a.final.mean.toFixed(4)} ± ${a.final.sd.toFixed(4)}</td></tr>`;
}

/** The demo's visual report: retrieved dreams per mode, the A/B chart, the stats. */
export function demoHtml(r: DemoReport): string {
  const s = r.settings;
  const d = r.dreams;
  const ab = r.seeding;
  const classRows = [...d.byClass]
    .sort((a, b) => a.classLabel.localeCompare(b.classLabel))
    .map(
      (c) =>
        `<tr><td>${esc(c.classLabel)}</td><td class="num">${c.dreams}</td><td class="num">${c.added}</td><td class="num">${c.meanCoherence.toFixed(3)}</td></tr>`,
    )
    .join("");
  const snap = r.snapshot;
  const body = `
<h1>dreampool demo</h1>
<p class="muted">${s.size} dreams · seed ${s.seed} · k ${s.k} · index ${esc(s.index)} · store ${esc(s.store)} · ${s.dims.rows}×${s.dims.cols}×${s.dims.layers} tensors, ${s.dream.steps} gradient steps per dream</p>
<h2 id="dreams">1. Dreams</h2>
<p>${d.generated} generated, <b>${d.added}</b> stored, ${d.gatedOut} turned away by the coherence gate (coherence &lt; ${s.coherenceThreshold.toFixed(2)}).
The native solver's coherence rewards balanced channels and a shared hue, so achromatic dreams score low.</p>
<table><tr><th>class</th><th>dreams</th><th>stored</th><th>mean coherence</th></tr>${classRows}</table>
<h2 id="retrieval">2. Retrieval</h2>
<p>Each held-out query (left, one per class) and its top ${s.k} dreams, drawn as their layer-mean colours; green outline = same class, red = other class; the number is the score.</p>
<div class="modes">${r.retrieval.map((m) => modeSection(r, m)).join("")}</div>
<h2 id="ab">3. Seeding A/B</h2>
<p>${ab.targets} new targets solved for ${ab.maxSteps} steps from seeded noise vs from the best retrieved dream, both blended 50/50 with the target.
Threshold: J ≤ ${ab.threshold.toFixed(4)} (the noise arm's median final J + 5%). Seeded ended lower on ${ab.seededWins}/${ab.targets} targets;
feedback recorded on ${ab.feedback.entries} retrieved dreams, mean utility ${ab.feedback.meanUtility.toFixed(2)}.</p>
${abChartSvg(ab)}
<table><tr><th>arm</th><th>reached</th><th>steps median [IQR]</th><th>steps mean ± sd</th><th>final J mean ± sd</th></tr>
${armRow("from noise", ab.noise, ab.targets)}${armRow("from retrieved dream", ab.seeded, ab.targets)}</table>
<h2 id="pool">4. Pool</h2>
<p>${esc(statsLine(r.stats))}</p>
<p>Snapshot ${esc(snap.location)}${snap.bytes === null ? "" : ` (${formatBytes(snap.bytes)})`}: ${snap.verified ? `<b>snapshot verified</b>, ${snap.compared} retrievals identical after reload` : `${snap.mismatches.length} of ${snap.compared} retrievals differ after reload`}.</p>
`;
  return page("dreampool demo", body);
}
