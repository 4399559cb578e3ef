// Sums every package's vitest JSON report into one plain closing line: "N passed, N failed".
// Exits non-zero when a test failed, a suite failed to load, or no report was written.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const reports = [];
for (const group of ["packages", "internal", "benchmarks"]) {
  if (!existsSync(group)) continue;
  const dirs = group === "benchmarks" ? ["."] : readdirSync(group);
  for (const d of dirs) {
    const file = join(group, d, "test-report.json");
    if (existsSync(file)) reports.push(file);
  }
}
let passed = 0;
let failed = 0;
let suitesFailed = 0;
const lines = [];
for (const file of reports) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  const brokenSuites = (r.testResults ?? []).filter(
    (t) => t.status === "failed" && (t.assertionResults ?? []).length === 0,
  );
  suitesFailed += brokenSuites.length;
  lines.push(
    `  ${file.replace(/\/test-report\.json$/, "").padEnd(28)} ${r.numPassedTests} passed, ${r.numFailedTests} failed`,
  );
}
console.log(`\nTest reports (${reports.length} packages):`);
for (const l of lines) console.log(l);
if (suitesFailed > 0) console.log(`${suitesFailed} test file(s) failed to run`);
failed += suitesFailed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || reports.length === 0 || passed === 0 ? 1 : 0);
