import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "./test-report.json" },
    // Graph builds (5,000 x 64 in the differential test) take ~1 s on a quiet 2-core machine and
    // several times that when the machine is shared; a timeout is not what these tests check.
    testTimeout: 60_000,
  },
});
