import type { Series } from "@dreampool/bench-kit";

// A small, dependency-free SVG line chart: labelled axes with units, ticks, a legend under the plot
// (long labels stay readable), optional log axes, vertical marks (e.g. a crossover size) and the
// first series' point notes (e.g. "ef 64") written beside its points.

const WIDTH = 760;
const PLOT_HEIGHT = 320;
const MARGIN = { left: 78, right: 28, top: 40, bottom: 58 };
const LEGEND_ROW = 20;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

const escapeXml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function niceTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) ticks.push(10 ** e);
    return ticks.filter((t) => t >= min / 1.0001 && t <= max * 1.0001);
  }
  const span = max - min || 1;
  const step0 = 10 ** Math.floor(Math.log10(span / 5));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((s) => span / s <= 6) ?? step0 * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const formatTick = (v: number): string =>
  Math.abs(v) >= 1e6 ? `${v / 1e6}M` : Math.abs(v) >= 1e3 ? `${v / 1e3}k` : String(Number(v.toPrecision(4)));

/** Renders the series of one chart as a standalone SVG document. */
export function renderLineChart(title: string, series: readonly Series[]): string {
  const first = series[0];
  if (!first) return "";
  const logX = first.logX === true;
  const logY = first.logY === true;
  const xs = series
    .flatMap((s) => s.points.map((p) => p.x))
    .filter((v) => Number.isFinite(v) && (!logX || v > 0));
  const ys = series
    .flatMap((s) => s.points.map((p) => p.y))
    .filter((v) => Number.isFinite(v) && (!logY || v > 0));
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (logX) [xMin, xMax] = [10 ** Math.floor(Math.log10(xMin)), 10 ** Math.ceil(Math.log10(xMax))];
  else if (xMin === xMax) [xMin, xMax] = [xMin - 1, xMax + 1];
  else {
    // A little room on both sides, so the end points and their notes sit inside the frame.
    const pad = (xMax - xMin) * 0.04;
    [xMin, xMax] = [xMin - pad, xMax + pad];
  }
  if (logY) [yMin, yMax] = [10 ** Math.floor(Math.log10(yMin)), 10 ** Math.ceil(Math.log10(yMax))];
  else {
    const pad = (yMax - yMin || Math.abs(yMax) || 1) * 0.08;
    [yMin, yMax] = [yMin >= 0 && yMin - pad < 0 ? 0 : yMin - pad, yMax + pad];
  }
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PLOT_HEIGHT;
  const legendTop = MARGIN.top + plotH + MARGIN.bottom;
  const height = legendTop + series.length * LEGEND_ROW + 8;
  const sx = (x: number) =>
    MARGIN.left +
    plotW *
      (logX
        ? (Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))
        : (x - xMin) / (xMax - xMin));
  const sy = (y: number) =>
    MARGIN.top +
    plotH *
      (1 -
        (logY
          ? (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))
          : (y - yMin) / (yMax - yMin)));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
  );
  for (const t of niceTicks(xMin, xMax, logX)) {
    const x = sx(t);
    out.push(
      `<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${x}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#444">${formatTick(t)}</text>`,
    );
  }
  for (const t of niceTicks(yMin, yMax, logY)) {
    const y = sy(t);
    out.push(
      `<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${y + 4}" text-anchor="end" fill="#444">${formatTick(t)}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 42}" text-anchor="middle">${escapeXml(first.xLabel)}${logX ? " (log scale)" : ""}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(first.yLabel)}${logY ? " (log scale)" : ""}</text>`,
  );
  // Point notes are drawn after every line, with a white halo, so that no line crosses them.
  const notes: string[] = [];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!logX || p.x > 0) && (!logY || p.y > 0))
      .sort((a, b) => a.x - b.x);
    if (pts.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}"/>`,
      );
    }
    for (const p of pts) {
      const note = p.note ? ` (${p.note})` : "";
      out.push(
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="${color}"><title>${escapeXml(`${s.label}: x=${p.x}, y=${p.y}${note}`)}</title></circle>`,
      );
      if (i === 0 && p.note) {
        // Notes near the right edge go to the left of their point.
        const right = sx(p.x) > MARGIN.left + plotW * 0.85;
        const nx = right ? sx(p.x) - 6 : sx(p.x) + 6;
        notes.push(
          `<text x="${nx.toFixed(1)}" y="${(sy(p.y) - 6).toFixed(1)}" font-size="10" fill="${color}" stroke="#ffffff" stroke-width="3" paint-order="stroke"${right ? ' text-anchor="end"' : ""}>${escapeXml(p.note)}</text>`,
        );
      }
    }
    let markRow = 0;
    for (const mark of s.marks ?? []) {
      if (!Number.isFinite(mark.x) || (logX && mark.x <= 0)) continue;
      const x = sx(mark.x).toFixed(1);
      // One row per mark: marks close together (a crossover and a threshold) must not overprint.
      const labelY = MARGIN.top + 16 + 16 * markRow++;
      out.push(
        `<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        // A mark in the right half is labelled on its left, so the label stays inside the plot.
        sx(mark.x) > MARGIN.left + plotW / 2
          ? `<text x="${(sx(mark.x) - 6).toFixed(1)}" y="${labelY}" fill="#333" text-anchor="end">${escapeXml(mark.label)}</text>`
          : `<text x="${(sx(mark.x) + 6).toFixed(1)}" y="${labelY}" fill="#333">${escapeXml(mark.label)}</text>`,
      );
    }
    const ly = legendTop + i * LEGEND_ROW;
    const lx = MARGIN.left;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<circle cx="${lx + 11}" cy="${ly}" r="3.5" fill="${color}"/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
    );
  });
  out.push(...notes, "</svg>");
  return `${out.join("\n")}\n`;
}
