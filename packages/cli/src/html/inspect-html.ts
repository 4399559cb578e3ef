import { type DreamEntry, type DreamPool, formatBytes } from "dreampool";
import { classCounts } from "../commands/inspect-command.js";
import { tensorImage } from "../image.js";
import { statsLine } from "../text-report.js";
import { page } from "./page.js";
import { esc, imageSvg } from "./svg.js";

/** A snapshot's report: stats, entries per class, and the sampled entries drawn. */
export function inspectHtml(snapshot: string, pool: DreamPool, sample: readonly DreamEntry[]): string {
  const counts = Object.entries(classCounts(pool.entries())).filter(([, c]) => c > 0);
  const cells = sample
    .map(
      (e) =>
        `<div class="cell" title="${esc(e.id)}">${imageSvg(e.id, tensorImage(e.tensor), 8)}<span>${esc(e.id)}</span><span>${esc(e.classLabel ?? "—")}</span><span>coh ${e.result.coherence.toFixed(2)}</span></div>`,
    )
    .join("");
  const body = `
<h1>dreampool snapshot</h1>
<p class="muted">${esc(snapshot)}</p>
<h2>Pool</h2><p>${esc(statsLine(pool.stats()))}</p>
<table><tr><th>class</th><th>entries</th></tr>${counts.map(([k, c]) => `<tr><td>${esc(k)}</td><td class="num">${c}</td></tr>`).join("")}</table>
<h2>Sample of ${sample.length} entries</h2>
<div class="row" style="flex-wrap:wrap">${cells}</div>
<p class="muted">Each entry drawn as its layer-mean colours; ${esc(formatBytes(sample.reduce((s, e) => s + e.bytes, 0)))} charged for these entries.</p>
`;
  return page("dreampool snapshot", body);
}
