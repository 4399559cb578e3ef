// Every benchmark file is run by `turbo run bench`, and every suite writes its own results file:
// a package's bench/*.bench.ts is run by that package's `bench` script or loaded by one of the
// peer suites here, and no two suites share a name (one would overwrite the other's JSON).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const peerDir = join(repoRoot, "benchmarks", "src");
const benchFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".bench.ts")) : [];

const packageDirs = ["packages", "internal"].flatMap((group) =>
  existsSync(join(repoRoot, group)) ? readdirSync(join(repoRoot, group)).map((d) => join(group, d)) : [],
);
const packageBenches = packageDirs.flatMap((dir) =>
  benchFiles(join(repoRoot, dir, "bench")).map((file) => ({ dir, file })),
);
const peerSources = benchFiles(peerDir).map((f) => readFileSync(join(peerDir, f), "utf8"));

const benchScript = (dir: string): string => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  return pkg.scripts?.bench ?? "";
};

describe("benchmark wiring", () => {
  it("finds the package suites", () => {
    expect(packageBenches.map((b) => `${b.dir}/bench/${b.file}`)).toContain(
      "packages/hnsw-index/bench/wrapper-overhead.bench.ts",
    );
  });

  it.each(packageBenches.map((b) => [`${b.dir}/bench/${b.file}`, b] as const))(
    "%s runs in `turbo run bench`",
    (_name, { dir, file }) => {
      const byScript = benchScript(dir).includes(`bench/${file}`);
      const byPeer = peerSources.some((src) => src.includes(`${dir}/bench/${file}`));
      expect(byScript || byPeer, `neither ${dir}'s bench script nor a benchmarks/src suite runs it`).toBe(
        true,
      );
    },
  );

  it("gives every suite its own name", () => {
    const sources = [...packageBenches.map((b) => join(repoRoot, b.dir, "bench")), peerDir].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
        .map((f) => readFileSync(join(dir, f), "utf8")),
    );
    const names = sources.flatMap((src) =>
      [...src.matchAll(/new SuiteRecorder\("([a-z0-9-]+)"\)/g)].map((m) => m[1]),
    );
    expect(names).toContain("hnsw-wrapper");
    expect(names).toContain("hnsw-index");
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});
