// @dreampool/postgres against the in-memory pool (issue 9): soft retrieve k = 10 at 20k entries
// (quick: 1k; the fill rate of a real server caps n) and addBatch throughput, same process, ratios printed. The database is the server in
// DREAMPOOL_PG_URL when set (CI: .ci/services.sh), else PGlite in-process.
// The suite lives in packages/postgres/bench/postgres.bench.ts (so it type-checks with the package);
// this file runs it. It is loaded by path because this package does not depend on
// @dreampool/postgres yet.
// Run: pnpm --filter @dreampool/benchmarks exec tsx src/postgres.bench.ts
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const suite = pathToFileURL(resolve(here, "../../packages/postgres/bench/postgres.bench.ts")).href;

export async function run(): Promise<void> {
  const loaded = (await import(suite)) as { run: () => Promise<void> };
  await loaded.run();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
