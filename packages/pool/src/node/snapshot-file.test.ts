import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSnapshotFile, removeStaleTempFiles, writeSnapshotFile } from "./snapshot-file.js";

describe("snapshot files", () => {
  it("writes atomically and reads back the same bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-snap-"));
    const path = join(dir, "pool.dpool");
    expect((await writeSnapshotFile(path, new Uint8Array([1, 2, 3]))).ok).toBe(true);
    const back = await readSnapshotFile(path);
    expect(back.ok && Array.from(back.value)).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(["pool.dpool"]);
  });

  it("removes temp files a killed writer left behind, but not a recent one or other files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-snap-"));
    const path = join(dir, "pool.dpool");
    const stale = join(dir, ".pool.dpool.0123456789ab.tmp");
    const fresh = join(dir, ".pool.dpool.ba9876543210.tmp");
    const other = join(dir, ".other.dpool.0123456789ab.tmp");
    for (const f of [stale, fresh, other]) writeFileSync(f, "partial");
    const old = Date.parse("2000-01-01T00:00:00Z") / 1000; // seconds, for utimes: long stale
    utimesSync(stale, old, old);
    utimesSync(other, old, old);
    expect((await writeSnapshotFile(path, new Uint8Array([9]))).ok).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([
      ".other.dpool.0123456789ab.tmp",
      ".pool.dpool.ba9876543210.tmp",
      "pool.dpool",
    ]);
    // Seen from far in the future, the recent temp file is stale too; the other target's is never touched.
    expect(await removeStaleTempFiles(path, Date.parse("2100-01-01T00:00:00Z"))).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([".other.dpool.0123456789ab.tmp", "pool.dpool"]);
  });

  it("refuses an empty path", async () => {
    const r = await writeSnapshotFile("", new Uint8Array(1));
    expect(!r.ok && r.error.kind).toBe("InvalidParameter");
  });
});
