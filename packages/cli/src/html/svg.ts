import type { TensorImage } from "../image.js";

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tensor image as an inline SVG: one rect per cell, filled with the cell's layer-mean colour. */
export function imageSvg(id: string, image: TensorImage, cellPx = 6): string {
  const rects: string[] = [];
  for (let r = 0; r < image.rows; r++) {
    for (let c = 0; c < image.cols; c++) {
      rects.push(`<rect x="${c}" y="${r}" width="1" height="1" fill="${image.colors[r * image.cols + c]}"/>`);
    }
  }
  return (
    `<svg class="tensor" data-id="${esc(id)}" width="${image.cols * cellPx}" height="${image.rows * cellPx}" ` +
    `viewBox="0 0 ${image.cols} ${image.rows}" shape-rendering="crispEdges" role="img" aria-label="${esc(id)}">` +
    `${rects.join("")}</svg>`
  );
}

/** A plot area: data x in [0, xMax], y in [yMin, yMax], mapped to pixels inside the margins. */
export interface PlotBox {
  readonly width: number;
  readonly height: number;
  readonly margin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

export function plotX(box: PlotBox, x: number): number {
  return box.margin + (x / box.xMax) * (box.width - 2 * box.margin);
}

export function plotY(box: PlotBox, y: number): number {
  const span = box.yMax - box.yMin || 1;
  return box.height - box.margin - ((y - box.yMin) / span) * (box.height - 2 * box.margin);
}

/** "x,y x,y …" of a series, one point per step, rounded to 0.1 px. */
export function polylinePoints(box: PlotBox, values: readonly number[]): string {
  return values.map((v, i) => `${plotX(box, i).toFixed(1)},${plotY(box, v).toFixed(1)}`).join(" ");
}
