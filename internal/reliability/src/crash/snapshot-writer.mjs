// Child process of crash.test.ts: saves pool snapshots to one path, generation after generation,
// until it is killed. Plain ESM on the built packages (no TypeScript loader), so that it starts in
// a fraction of a second and 50+ kills fit in the test run.
//   node snapshot-writer.mjs <path> <first generation> <seed>
// Before each save it prints "begin <generation> <sha256 of the bytes> <entries>", after it "done <generation>".
// (Not a CRC-32: a snapshot ends with the CRC of its body, so the CRC of the whole file is a constant.)

import { createHash } from "node:crypto";
import { DreamPool } from "dreampool/pool";
import { ChromaticTensor } from "dreampool/tensor";

const [path, firstArg, seedArg] = process.argv.slice(2);
const first = Number(firstArg);
const seed = Number(seedArg);
const T0 = 1_700_000_000_000;
const created = DreamPool.create({ maxSize: 400, index: "exact", clock: () => T0 });
if (!created.ok) throw created.error;
const pool = created.value;

function tensor(i) {
  const r = ChromaticTensor.fromColor(
    [((i * 37) % 100) / 100, ((i * 59) % 100) / 100, ((i * 83) % 100) / 100],
    { rows: 8, cols: 8, layers: 4 },
    { noise: 0.2, seed: seed * 1000 + i },
  );
  if (!r.ok) throw r.error;
  return r.value;
}
const result = (i) => ({
  energy: 1 + (i % 7) / 10,
  coherence: 0.8 + (i % 5) / 50,
  violation: 0.01,
  meta: { i },
});
for (let i = 0; i < 100 + (first % 50); i++) pool.add(tensor(i), result(i));
process.stdout.write("ready\n");

for (let g = first; ; g++) {
  pool.add(tensor(10_000 + g), result(g));
  const ids = pool.entries().map((e) => e.id);
  pool.feedback(ids[g % ids.length], { utility: ((g % 9) - 4) / 4 });
  const bytes = pool.toBytes();
  if (!bytes.ok) throw bytes.error;
  process.stdout.write(`begin ${g} ${createHash("sha256").update(bytes.value).digest("hex")} ${pool.size}\n`);
  const saved = await pool.save(path);
  if (!saved.ok) throw saved.error;
  process.stdout.write(`done ${g}\n`);
}
