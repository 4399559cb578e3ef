import { unwrap } from "@dreampool/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConnection } from "./connect.js";
import type { SqlExecutor } from "./executor.js";
import { poolObjectNames } from "./identifier.js";
import { backends, describeBackends, dream, freshTable, resultFor } from "./pg.fixture.js";
import { PgDreamPool } from "./pg-dream-pool.js";
import { type KnnRequest, knnStatement } from "./retrieval-sql.js";

const list = await backends();
afterAll(() => console.info(describeBackends("retrieval-sql.test.ts")));

/** The plan PostgreSQL chooses for a k-NN statement, under its transaction-local settings. */
async function plan(exec: SqlExecutor, request: KnnRequest, table: string): Promise<string> {
  const statement = knnStatement(poolObjectNames(table), request);
  return exec.transaction(async (tx) => {
    for (const [name, value] of statement.settings)
      await tx.query("SELECT set_config($1, $2, true)", [name, value]);
    const { rows } = await tx.query<{ "QUERY PLAN": string }>(`EXPLAIN ${statement.text}`, statement.params);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}

describe.each(list)("k-NN statements on $name", (backend) => {
  const table = freshTable("plan");
  let exec: SqlExecutor;
  let pool: PgDreamPool;
  let request: KnnRequest;

  beforeAll(async () => {
    pool = unwrap(
      await PgDreamPool.connect({
        connection: backend.connection(),
        table,
        embedding: { dim: 32 },
        index: "hnsw",
      }),
    );
    const items = Array.from({ length: 400 }, (_, i) => ({ tensor: dream(i), result: resultFor(i) }));
    unwrap(await pool.addBatch(items));
    exec = unwrap(openConnection(backend.connection(), 1)).executor;
    await exec.query(`ANALYZE "${table}"`);
    const query = (unwrap(await pool.get("d1"))?.embedding ?? new Float32Array(32)).slice();
    request = {
      column: "embedding",
      query,
      limit: 40,
      classFilter: null,
      minUtility: null,
      exact: false,
      efSearch: 64,
      full: false,
      withEmbedding: false,
      embeddingQuery: null,
    };
  }, 60_000);

  afterAll(async () => {
    await pool.drop();
    await pool.close();
    await exec.close();
  });

  it("the HNSW mode scans the HNSW index, ordered by distance", async () => {
    const text = await plan(exec, request, table);
    expect(text).toContain(`Index Scan using ${table}_embedding_hnsw`);
  });

  it("the exact mode never touches the HNSW index", async () => {
    const text = await plan(exec, { ...request, exact: true }, table);
    expect(text).not.toContain("hnsw");
    expect(text).toContain(`Seq Scan on ${table} d`);
  });

  it("a filtered HNSW query turns on pgvector's iterative scan", () => {
    const statement = knnStatement(poolObjectNames(table), { ...request, classFilter: "Red" });
    expect(statement.settings).toEqual([
      ["hnsw.ef_search", "64"],
      ["hnsw.iterative_scan", "strict_order"],
    ]);
    expect(statement.params).toContain("Red");
    expect(statement.text).not.toContain("Red");
  });

  it("ef_search grows with the candidates asked for, up to pgvector's limit", () => {
    const names = poolObjectNames(table);
    expect(knnStatement(names, { ...request, limit: 400 }).settings).toEqual([["hnsw.ef_search", "400"]]);
    expect(knnStatement(names, { ...request, limit: 5000 }).settings).toEqual([["hnsw.ef_search", "1000"]]);
  });
});
