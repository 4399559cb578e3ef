import type { ChromaticTensor, Rgb } from "dreampool";

/** A tensor drawn as a rows × cols grid of its layer-mean colours, as "#rrggbb" strings (row-major). */
export interface TensorImage {
  readonly rows: number;
  readonly cols: number;
  readonly colors: readonly string[];
}

const hexByte = (v: number): string =>
  Math.round(Math.min(1, Math.max(0, v)) * 255)
    .toString(16)
    .padStart(2, "0");

export const rgbHex = (rgb: Rgb): string => `#${hexByte(rgb[0])}${hexByte(rgb[1])}${hexByte(rgb[2])}`;

export function tensorImage(t: ChromaticTensor): TensorImage {
  const colors: string[] = [];
  for (let r = 0; r < t.rows; r++) {
    for (let c = 0; c < t.cols; c++) {
      const mean = [0, 0, 0];
      for (let l = 0; l < t.layers; l++) {
        const base = ((r * t.cols + c) * t.layers + l) * 3;
        for (let ch = 0; ch < 3; ch++) mean[ch] = (mean[ch] as number) + (t.colors[base + ch] as number);
      }
      colors.push(
        rgbHex([
          (mean[0] as number) / t.layers,
          (mean[1] as number) / t.layers,
          (mean[2] as number) / t.layers,
        ]),
      );
    }
  }
  return { rows: t.rows, cols: t.cols, colors };
}
