// Creates a package from the house template: node scripts/scaffold-package.mjs <dir> <name> "<description>" [dep ...]
// Workspace deps are given as @dreampool/x; others as name@range.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, name, description, ...deps] = process.argv.slice(2);
if (!dir || !name) throw new Error("usage: scaffold-package <dir> <name> <description> [deps]");
const root = join("packages", dir);
mkdirSync(join(root, "src"), { recursive: true });

const dependencies = {};
const references = [];
for (const d of deps) {
  if (d.startsWith("@dreampool/") || d === "dreampool") {
    dependencies[d] = "workspace:*";
    const sub = d === "dreampool" ? "dreampool" : d.slice("@dreampool/".length);
    references.push({ path: `../${sub}` });
  } else {
    const at = d.lastIndexOf("@");
    dependencies[d.slice(0, at)] = d.slice(at + 1);
  }
}

const pkg = {
  name,
  version: "0.0.0",
  description,
  license: "MIT",
  type: "module",
  sideEffects: false,
  engines: { node: ">=20" },
  exports: {
    ".": { types: "./dist/index.d.ts", import: "./dist/index.js" },
    "./package.json": "./package.json",
  },
  main: "./dist/index.js",
  types: "./dist/index.d.ts",
  files: ["dist", "src", "!src/**/*.test.ts", "README.md", "CHANGELOG.md"],
  scripts: {
    build: "tsc -b",
    typecheck: "tsc -p tsconfig.check.json",
    test: "vitest run",
    bench: "node -e \"console.log('no benchmark in this package')\"",
  },
  dependencies,
  devDependencies: {},
};
writeFileSync(join(root, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(root, "tsconfig.json"),
  `${JSON.stringify(
    {
      extends: "../../tsconfig.base.json",
      compilerOptions: { rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo" },
      include: ["src"],
      exclude: ["src/**/*.test.ts"],
      references,
    },
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(root, "tsconfig.check.json"),
  `${JSON.stringify(
    {
      extends: "./tsconfig.json",
      compilerOptions: { composite: false, noEmit: true, rootDir: ".", types: ["node"] },
      include: ["src", "bench"],
      exclude: [],
    },
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(root, "vitest.config.ts"),
  `import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "./test-report.json" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
`,
);
if (!existsSync(join(root, "src/index.ts"))) writeFileSync(join(root, "src/index.ts"), "export {};\n");
console.log(`scaffolded ${name} in ${root}`);
