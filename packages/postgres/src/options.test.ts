import { unwrap, unwrapErr } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateTableName } from "./identifier.js";
import { type PgDreamPoolOptions, resolveSettings } from "./options.js";

const base: PgDreamPoolOptions = { connection: "postgres://u@localhost/db" };

describe("resolveSettings", () => {
  it("fills the in-memory pool's defaults", () => {
    const s = unwrap(resolveSettings(base));
    expect(s).toMatchObject({
      table: "dreams",
      maxSize: 1000,
      coherenceThreshold: 0.75,
      retrievalLimit: 10,
      memoryBudgetBytes: null,
      evictionThreshold: 0.9,
      evictionPolicy: "fifo",
      index: "auto",
      hnsw: { m: 16, efConstruction: 100, ef: 64 },
      idPrefix: "d",
    });
  });

  it("parses a budget given as a size string", () => {
    expect(unwrap(resolveSettings({ ...base, memoryBudgetBytes: "2 MiB" })).memoryBudgetBytes).toBe(
      2 * 1024 * 1024,
    );
  });

  it.each([
    ["maxSize", { maxSize: 0 }],
    ["maxSize", { maxSize: 2.5 }],
    ["coherenceThreshold", { coherenceThreshold: 1.5 }],
    ["retrievalLimit", { retrievalLimit: -1 }],
    ["memoryBudgetBytes", { memoryBudgetBytes: "lots" }],
    ["memoryBudgetBytes", { memoryBudgetBytes: "4096" }],
    ["memoryBudgetBytes", { memoryBudgetBytes: 0 }],
    ["evictionThreshold", { evictionThreshold: 0 }],
    ["evictionPolicy", { evictionPolicy: "random" }],
    ["index", { index: "ivfflat" }],
    ["autoHnswThreshold", { autoHnswThreshold: 0 }],
    ["hnsw.m", { hnsw: { m: 1 } }],
    ["hnsw.m", { hnsw: { m: 101 } }],
    ["hnsw.efConstruction", { hnsw: { m: 16, efConstruction: 20 } }],
    ["hnsw.ef", { hnsw: { ef: 1001 } }],
    ["recencyHalfLifeMs", { recencyHalfLifeMs: 0 }],
    ["idPrefix", { idPrefix: "a b" }],
    ["maxConnections", { maxConnections: 0 }],
    ["table", { table: "Dreams" }],
    ["table", { table: 'x"; DROP TABLE dreams; --' }],
  ])("rejects a bad %s with InvalidConfiguration naming it", (field, patch) => {
    const e = unwrapErr(resolveSettings({ ...base, ...(patch as Partial<PgDreamPoolOptions>) }));
    expect(e.kind).toBe("InvalidConfiguration");
    expect(e.detail).toMatchObject({ parameter: field });
    expect(e.message).toContain(field);
  });
});

describe("validateTableName", () => {
  it("accepts exactly the plain lower-case identifiers of up to 40 characters", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (name) => {
        const plain = /^[a-z_][a-z0-9_]*$/.test(name) && name.length <= 40;
        expect(validateTableName("table", name).ok).toBe(plain);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_][a-z0-9_]{0,39}$/), (name) => {
        expect(unwrap(validateTableName("table", name))).toBe(name);
      }),
    );
  });

  it("rejects anything that is not a string", () => {
    for (const bad of [null, undefined, 42, {}, ["dreams"]]) {
      expect(unwrapErr(validateTableName("table", bad)).kind).toBe("InvalidConfiguration");
    }
  });
});
