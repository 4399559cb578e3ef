import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "./io.js";

/** An in-memory CliIo for tests, with its own temp directory as cwd. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const cwd = mkdtempSync(join(tmpdir(), "dreampool-cli-"));
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    tty: null,
    cwd,
    out: () => out,
    err: () => err,
  };
}

/** The layer-mean colour of every cell, computed here independently of the report code. */
export function expectedFills(colors: Float32Array, rows: number, cols: number, layers: number): string[] {
  const fills: string[] = [];
  const hex = (v: number) =>
    Math.round(Math.min(1, Math.max(0, v)) * 255)
      .toString(16)
      .padStart(2, "0");
  for (let cell = 0; cell < rows * cols; cell++) {
    let rgb = "#";
    for (let ch = 0; ch < 3; ch++) {
      let sum = 0;
      for (let l = 0; l < layers; l++) sum += colors[(cell * layers + l) * 3 + ch] as number;
      rgb += hex(sum / layers);
    }
    fills.push(rgb);
  }
  return fills;
}

/** The fill colours of an SVG's rects, in document order. */
export const svgFills = (svg: string) =>
  [...svg.matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
