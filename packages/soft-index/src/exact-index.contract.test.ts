import { unwrap } from "@dreampool/errors";
import { ExactIndex } from "./exact-index.js";
import { describeVectorIndexContract } from "./testing/index.js";

// The whole contract, once per scan path: rows in WebAssembly memory scored by the SIMD kernel
// (float32 sums, stride padded to a multiple of 4), and the plain Float32Array with JS kernels.
for (const [name, simd] of [
  ["ExactIndex (WebAssembly SIMD)", true],
  ["ExactIndex (JS kernels)", false],
] as const) {
  describeVectorIndexContract(
    name,
    ({ dim, metric }) => unwrap(ExactIndex.create({ dim, metric, initialCapacity: 2, simd })),
    {
      restore: (bytes) => ExactIndex.fromBytes(bytes, { simd }),
    },
  );
}
