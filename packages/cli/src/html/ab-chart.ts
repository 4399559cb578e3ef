import type { SeedingOutcome } from "../seeding-ab.js";
import { esc, type PlotBox, plotX, plotY, polylinePoints } from "./svg.js";

const ARMS = [
  { key: "noise", label: "from noise", color: "#c2410c" },
  { key: "seeded", label: "from retrieved dream", color: "#1d4ed8" },
] as const;

/** The plot box of the A/B chart: every step, and the objective's range over both arms' IQR bands. */
export function abChartBox(ab: SeedingOutcome): PlotBox {
  const values = [...ab.noise.curve, ...ab.seeded.curve].flatMap((s) => [s.q1, s.q3, s.median]);
  const lo = Math.min(...values, ab.threshold);
  const hi = Math.max(...values, ab.threshold);
  return {
    width: 640,
    height: 300,
    margin: 44,
    xMax: ab.maxSteps,
    yMin: Math.max(0, lo - 0.05 * (hi - lo)),
    yMax: hi + 0.05 * (hi - lo),
  };
}

/** Median J per step of each arm with its interquartile band, and the threshold line. */
export function abChartSvg(ab: SeedingOutcome): string {
  const box = abChartBox(ab);
  const parts: string[] = [];
  for (const arm of ARMS) {
    const curve = ab[arm.key].curve;
    const upper = curve.map((s, i) => `${plotX(box, i).toFixed(1)},${plotY(box, s.q3).toFixed(1)}`);
    const lower = curve.map((s, i) => `${plotX(box, i).toFixed(1)},${plotY(box, s.q1).toFixed(1)}`).reverse();
    parts.push(
      `<polygon points="${[...upper, ...lower].join(" ")}" fill="${arm.color}" fill-opacity="0.15"/>`,
    );
    parts.push(
      `<polyline data-series="${arm.key}" points="${polylinePoints(
        box,
        curve.map((s) => s.median),
      )}" ` + `fill="none" stroke="${arm.color}" stroke-width="2"/>`,
    );
  }
  const ty = plotY(box, ab.threshold).toFixed(1);
  parts.push(
    `<line data-series="threshold" x1="${box.margin}" x2="${box.width - box.margin}" y1="${ty}" y2="${ty}" stroke="#444" stroke-dasharray="4 3"/>`,
    `<text x="${box.width - box.margin}" y="${Number(ty) - 4}" text-anchor="end" font-size="11">threshold ${ab.threshold.toFixed(4)}</text>`,
  );
  // Axes with a few ticks.
  const x0 = box.margin;
  const y0 = box.height - box.margin;
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${box.width - box.margin}" y2="${y0}" stroke="#888"/>`);
  parts.push(`<line x1="${x0}" y1="${box.margin}" x2="${x0}" y2="${y0}" stroke="#888"/>`);
  for (let i = 0; i <= 5; i++) {
    const step = Math.round((ab.maxSteps * i) / 5);
    parts.push(
      `<text x="${plotX(box, step).toFixed(1)}" y="${y0 + 16}" text-anchor="middle" font-size="11">${step}</text>`,
    );
    const v = box.yMin + ((box.yMax - box.yMin) * i) / 5;
    parts.push(
      `<text x="${x0 - 6}" y="${(plotY(box, v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${v.toFixed(2)}</text>`,
    );
  }
  parts.push(
    `<text x="${box.width / 2}" y="${box.height - 6}" text-anchor="middle" font-size="12">gradient step</text>`,
  );
  parts.push(
    `<text x="12" y="${box.height / 2}" transform="rotate(-90 12 ${box.height / 2})" text-anchor="middle" font-size="12">objective J (median, IQR band)</text>`,
  );
  ARMS.forEach((arm, i) => {
    const y = box.margin + 14 * i;
    parts.push(`<rect x="${box.width - 210}" y="${y - 9}" width="12" height="3" fill="${arm.color}"/>`);
    parts.push(`<text x="${box.width - 192}" y="${y - 4}" font-size="11">${esc(arm.label)}</text>`);
  });
  return `<svg class="chart" width="${box.width}" height="${box.height}" viewBox="0 0 ${box.width} ${box.height}" role="img" aria-label="seeding A/B">${parts.join("")}</svg>`;
}
