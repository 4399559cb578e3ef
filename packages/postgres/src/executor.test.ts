import { EventEmitter } from "node:events";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { PgPoolExecutor } from "./executor.js";

// Found by internal/reliability: pg_terminate_backend during a batch add made the checked-out
// client emit "error" with no listener, an uncaught exception in a plain Node process.

class LosingClient extends EventEmitter {
  released: unknown = "not released";
  async query(text: string): Promise<{ rows: never[]; rowCount: number }> {
    if (text === "INSERT") {
      // The server terminates the backend: the client emits "error", then the query fails.
      this.emit(
        "error",
        Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      );
      throw Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" });
    }
    if (text === "ROLLBACK") throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    return { rows: [], rowCount: 0 };
  }
  release(error?: unknown): void {
    this.released = error;
  }
}

describe("PgPoolExecutor.transaction when the connection is lost", () => {
  it("rejects with the query's error, does not throw the client's error event, and discards the client", async () => {
    const client = new LosingClient();
    const pool = { connect: async () => client } as unknown as pg.Pool;
    const executor = new PgPoolExecutor(pool, "test", false);
    await expect(executor.transaction((tx) => tx.query("INSERT"))).rejects.toThrow("Connection terminated");
    expect(client.released).toBeInstanceOf(Error);
    expect(client.listenerCount("error")).toBe(0);
  });
});
