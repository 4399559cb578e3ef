import { unwrap } from "@dreampool/errors";
import { ExactIndex } from "./exact-index.js";
import { describeVectorIndexContract } from "./testing/index.js";

describeVectorIndexContract(
  "ExactIndex",
  ({ dim, metric }) => unwrap(ExactIndex.create({ dim, metric, initialCapacity: 2 })),
  {
    restore: (bytes) => ExactIndex.fromBytes(bytes),
  },
);
