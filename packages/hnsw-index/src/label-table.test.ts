import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LabelTable } from "./label-table.js";

describe("LabelTable", () => {
  it("maps labels to ids across page boundaries and forgets deleted ones", () => {
    const table = new LabelTable();
    for (const label of [0, 1, 1023, 1024, 5000, 2 ** 32 - 2]) table.set(label, `id-${label}`);
    expect(table.get(1023)).toBe("id-1023");
    expect(table.get(1024)).toBe("id-1024");
    expect(table.get(2 ** 32 - 2)).toBe("id-4294967294");
    expect(table.get(2)).toBeUndefined();
    expect(table.get(7000)).toBeUndefined();
    expect(table.size).toBe(6);
    expect(table.delete(1024)).toBe(true);
    expect(table.delete(1024)).toBe(false);
    expect(table.delete(3)).toBe(false);
    expect(table.has(1024)).toBe(false);
    expect(table.has(1023)).toBe(true);
    expect(table.size).toBe(5);
  });

  it("overwriting a live label keeps the count", () => {
    const table = new LabelTable();
    table.set(9, "a");
    table.set(9, "b");
    expect(table.get(9)).toBe("b");
    expect(table.size).toBe(1);
  });

  it("releases a page once all its labels are dead, and refills it on demand", () => {
    const table = new LabelTable();
    for (let label = 0; label < 3000; label++) table.set(label, `e${label}`);
    expect(table.pageCount).toBe(3);
    for (let label = 1024; label < 2048; label++) table.delete(label);
    expect(table.pageCount).toBe(2);
    expect(table.get(1500)).toBeUndefined();
    table.set(1500, "back");
    expect(table.pageCount).toBe(3);
    expect(table.get(1500)).toBe("back");
    expect(table.get(2047)).toBeUndefined();
  });

  it("upsert churn (every update takes a fresh label) keeps the pages bounded by the live set", () => {
    const table = new LabelTable();
    const labelOf = new Map<string, number>();
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 500; i++) {
        const id = `e${i}`;
        const old = labelOf.get(id);
        if (old !== undefined) table.delete(old);
        table.set(next, id);
        labelOf.set(id, next++);
      }
    }
    expect(next).toBe(25_000);
    expect(table.size).toBe(500);
    // 500 live labels are the last 500 issued: at most two pages hold them.
    expect(table.pageCount).toBeLessThanOrEqual(2);
  });

  it("agrees with a Map after random set / delete sequences (fast-check)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), label: fc.nat(5000), id: fc.string({ minLength: 1 }) }),
      fc.record({ kind: fc.constant("delete" as const), label: fc.nat(5000) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const table = new LabelTable();
        const model = new Map<number, string>();
        for (const o of ops) {
          if (o.kind === "set") {
            table.set(o.label, o.id);
            model.set(o.label, o.id);
          } else {
            expect(table.delete(o.label)).toBe(model.delete(o.label));
          }
        }
        expect(table.size).toBe(model.size);
        for (let label = 0; label <= 5000; label += 7) expect(table.get(label)).toBe(model.get(label));
        for (const [label, id] of model) expect(table.get(label)).toBe(id);
        const livePages = new Set([...model.keys()].map((l) => Math.floor(l / 1024)));
        expect(table.pageCount).toBe(livePages.size);
      }),
      { numRuns: 100 },
    );
  });
});
