import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";

/** The ten colour classes, with fixed indices (reference.md §1.3). */
export const COLOR_CLASSES = [
  "Red",
  "Green",
  "Blue",
  "Yellow",
  "Cyan",
  "Magenta",
  "Orange",
  "Purple",
  "White",
  "Black",
] as const;

export type ColorClass = (typeof COLOR_CLASSES)[number];
export type Rgb = readonly [number, number, number];

export const NUM_COLOR_CLASSES = COLOR_CLASSES.length;

const RGB: Record<ColorClass, Rgb> = {
  Red: [1, 0, 0],
  Green: [0, 1, 0],
  Blue: [0, 0, 1],
  Yellow: [1, 1, 0],
  Cyan: [0, 1, 1],
  Magenta: [1, 0, 1],
  Orange: [1, 0.5, 0],
  Purple: [0.5, 0, 0.5],
  White: [1, 1, 1],
  Black: [0, 0, 0],
};

const INDEX = new Map<string, number>(COLOR_CLASSES.map((c, i) => [c, i]));

/** True for one of the ten class names. */
export const isColorClass = (value: unknown): value is ColorClass =>
  typeof value === "string" && INDEX.has(value);

/** The class's base colour. */
export const colorClassRgb = (cls: ColorClass): Rgb => RGB[cls];

/** The class's fixed index (Red 0 … Black 9), or an InvalidParameter error for an unknown class. */
export function colorClassIndex(cls: ColorClass): DreamResult<number> {
  const i = INDEX.get(cls);
  return i === undefined
    ? err(invalidParameter("class", cls, `must be one of ${COLOR_CLASSES.join(", ")}`))
    : ok(i);
}

/** The class at a fixed index (0…9). */
export function colorClassFromIndex(index: number): DreamResult<ColorClass> {
  const c = Number.isInteger(index) ? COLOR_CLASSES[index] : undefined;
  return c === undefined ? err(invalidParameter("index", index, "must be an integer in [0, 9]")) : ok(c);
}
