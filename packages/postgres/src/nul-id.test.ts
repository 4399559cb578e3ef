import { unwrap } from "@dreampool/errors";
import { afterAll, describe, expect, it } from "vitest";
import { dream, freshTable, resultFor, sharedPglite } from "./pg.fixture.js";
import { PgDreamPool } from "./pg-dream-pool.js";

// Found by internal/reliability: an id holding NUL reached SQL and came back as CriticalState
// (PostgreSQL text cannot store NUL). Such an id is simply not in the pool, as in memory.

describe("ids containing NUL", () => {
  const pools: PgDreamPool[] = [];
  afterAll(async () => {
    for (const p of pools) {
      await p.drop();
      await p.close();
    }
  });

  it("are not found by get / has / remove, and feedback on one is InvalidParameter", async () => {
    const pool = unwrap(
      await PgDreamPool.connect({ connection: await sharedPglite(), table: freshTable("nul_id") }),
    );
    pools.push(pool);
    const id = unwrap(await pool.add(dream(1), resultFor(1)));
    for (const bad of ["\u0000", `${id}\u0000`, "d\u00001"]) {
      expect(unwrap(await pool.get(bad))).toBeUndefined();
      expect(unwrap(await pool.has(bad))).toBe(false);
      expect(unwrap(await pool.remove(bad))).toBe(false);
      const fb = await pool.feedback(bad, { utility: 0.5 });
      expect(fb.ok ? "ok" : fb.error.kind).toBe("InvalidParameter");
    }
    expect(unwrap(await pool.size())).toBe(1);
  });
});
