import { DreamError } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toDreamError } from "./db-errors.js";
import { describeTarget, redactConnectionString, scrubMessage } from "./redact.js";

const secretArb = fc.stringMatching(/^[A-Za-z0-9!$%^*()_+=-]{6,24}$/);

describe("connection secrets", () => {
  it("redactConnectionString removes the password of any URL, keeping the rest", () => {
    fc.assert(
      fc.property(secretArb, fc.stringMatching(/^[a-z]{1,10}$/), (password, user) => {
        const url = `postgres://${user}:${password}@db.example.com:6543/pool?sslmode=require`;
        const redacted = redactConnectionString(`could not connect with ${url}`);
        expect(redacted).not.toContain(password);
        expect(redacted).toContain(`postgres://${user}:***@db.example.com:6543/pool`);
      }),
    );
  });

  it("redacts password query parameters too", () => {
    const text = redactConnectionString("postgres://db/pool?user=u&password=hunter2&sslpassword=x9");
    expect(text).toBe("postgres://db/pool?user=u&password=***&sslpassword=***");
  });

  it("describeTarget shows host:port/database and never the user or password", () => {
    expect(describeTarget("postgres://alice:s3cret@10.0.0.5:5433/dreams")).toBe("10.0.0.5:5433/dreams");
    expect(describeTarget("postgresql://bob@localhost/x")).toBe("localhost:5432/x");
    expect(describeTarget("not a url")).toBe("postgres (unparsable connection string)");
  });

  it("scrubMessage removes every occurrence of a known secret", () => {
    fc.assert(
      fc.property(secretArb, fc.string(), fc.string(), (secret, before, after) => {
        expect(scrubMessage(`${before}${secret}${after}${secret}`, [secret])).not.toContain(secret);
      }),
    );
  });
});

describe("toDreamError", () => {
  const target = "10.0.0.5:5433/dreams";

  it("maps refused connections (also inside AggregateError) to FeatureUnavailable naming the target", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5433"), { code: "ECONNREFUSED" });
    const aggregate = new AggregateError([refused], "");
    for (const thrown of [refused, aggregate]) {
      const e = toDreamError(thrown, "connect", target, []);
      expect(e.kind).toBe("FeatureUnavailable");
      expect(e.message).toContain(target);
      expect(e.message).toContain("ECONNREFUSED");
    }
  });

  it("maps authentication and missing-database errors to FeatureUnavailable, scrubbing the password", () => {
    const auth = Object.assign(new Error('password authentication failed for user "alice" (pw hunter2)'), {
      code: "28P01",
    });
    const e = toDreamError(auth, "connect", target, ["hunter2"]);
    expect(e.kind).toBe("FeatureUnavailable");
    expect(e.message).not.toContain("hunter2");
    expect(
      toDreamError(Object.assign(new Error("no db"), { code: "3D000" }), "connect", target, []).kind,
    ).toBe("FeatureUnavailable");
  });

  it("maps a missing vector extension to FeatureUnavailable(pgvector)", () => {
    const missing = Object.assign(new Error('extension "vector" is not available'), { code: "0A000" });
    expect(toDreamError(missing, "connect", target, []).detail).toMatchObject({ feature: "pgvector" });
  });

  it("maps anything else to CriticalState naming the operation and SQLSTATE, and passes DreamErrors through", () => {
    const e = toDreamError(
      Object.assign(new Error("deadlock detected"), { code: "40P01" }),
      "add",
      target,
      [],
    );
    expect(e.kind).toBe("CriticalState");
    expect(e.message).toContain("PgDreamPool.add");
    expect(e.message).toContain("40P01");
    const original = toDreamError("plain string", "get", target, []);
    expect(toDreamError(original, "other", target, [])).toBe(original);
    expect(DreamError.isInstance(original)).toBe(true);
  });
});
