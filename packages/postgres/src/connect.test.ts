import { unwrapErr } from "@dreampool/errors";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { PgDreamPool } from "./pg-dream-pool.js";

describe("PgDreamPool.connect without a database", () => {
  it("reports an unreachable server as FeatureUnavailable naming host:port, never the password", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const e = unwrapErr(
      await PgDreamPool.connect({ connection: "postgres://alice:hunter2@127.0.0.1:1/dreams" }),
    );
    expect(e.kind).toBe("FeatureUnavailable");
    expect(e.message).toContain("127.0.0.1:1/dreams");
    expect(e.message).not.toContain("hunter2");
    expect(JSON.stringify(e.toJSON())).not.toContain("hunter2");
  });

  it("rejects a missing or unusable connection with InvalidConfiguration", async () => {
    const missing = undefined as unknown as string;
    expect(unwrapErr(await PgDreamPool.connect({ connection: missing })).detail).toMatchObject({
      kind: "InvalidConfiguration",
      parameter: "connection",
    });
    expect(unwrapErr(await PgDreamPool.connect({ connection: "::not a url::" })).kind).toBe(
      "InvalidConfiguration",
    );
    const notAnObject = null as unknown as Parameters<typeof PgDreamPool.connect>[0];
    expect(unwrapErr(await PgDreamPool.connect(notAnObject)).kind).toBe("InvalidConfiguration");
  });

  it("validates options before opening any connection", async () => {
    const e = unwrapErr(await PgDreamPool.connect({ connection: "postgres://u@127.0.0.1:1/x", maxSize: -5 }));
    expect(e.detail).toMatchObject({ kind: "InvalidConfiguration", parameter: "maxSize" });
    const w = unwrapErr(
      await PgDreamPool.connect({ connection: "postgres://u@127.0.0.1:1/x", embedding: { dim: 0 } }),
    );
    expect(w.detail).toMatchObject({ kind: "InvalidConfiguration", parameter: "embedding" });
  });

  it("reports a database without the vector extension as FeatureUnavailable(pgvector)", async () => {
    const bare = await PGlite.create();
    const e = unwrapErr(await PgDreamPool.connect({ connection: bare }));
    expect(e.detail).toMatchObject({ kind: "FeatureUnavailable", feature: "pgvector" });
    expect(e.message).toContain("extensions: { vector }");
    await bare.close();
  });
});
