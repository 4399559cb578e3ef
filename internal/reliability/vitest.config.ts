import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "./test-report.json" },
    // CPU-bound property runs, child processes and index builds on a loaded 2-core machine:
    // a timeout is not what these tests check.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The test files share results/ through one writer per file; render runs in globalSetup's teardown.
    globalSetup: ["./src/global-setup.ts"],
  },
});
