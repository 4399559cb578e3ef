import { unwrap } from "@dreampool/errors";
import { describeVectorIndexContract } from "@dreampool/soft-index/testing";
import { HnswIndex } from "./index.js";

// The shared VectorIndex contract, with a tiny initial capacity so growth, tombstone reuse and
// compaction all happen inside the suite's own operation sequences.
describeVectorIndexContract(
  "HnswIndex",
  ({ dim, metric }) => unwrap(HnswIndex.create({ dim, metric, initialCapacity: 4 })),
  { restore: (bytes) => HnswIndex.fromBytes(bytes) },
);
