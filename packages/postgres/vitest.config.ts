import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Files share a worker's module state, so the PGlite instance (seconds to create) is made
    // once per worker rather than once per file; every test uses its own tables.
    isolate: false,
    reporters: ["default", "json"],
    outputFile: { json: "./test-report.json" },
    // Property tests and index builds are CPU-bound; on a loaded 2-core CI machine they can take
    // several times their quiet-machine time. A timeout is not what these tests check.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
