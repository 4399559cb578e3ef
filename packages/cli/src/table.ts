/** Left-aligned text columns separated by two spaces; numbers are formatted by the caller. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  indent = "  ",
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export const fixed = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : "—");
export const signed = (v: number, digits: number): string => `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`;
export const percent = (v: number): string => `${(v * 100).toFixed(0)}%`;
