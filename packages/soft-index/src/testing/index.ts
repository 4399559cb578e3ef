// @dreampool/soft-index/testing: the VectorIndex contract as a vitest suite, for implementations
// of the contract (needs vitest and fast-check, which are optional peer dependencies).
export { describeVectorIndexContract } from "./contract-suite.js";
export type {
  ContractFactoryOptions,
  VectorIndexContractOptions,
  VectorIndexFactory,
} from "./fixtures.js";
export { NaiveVectorModel } from "./naive-model.js";
