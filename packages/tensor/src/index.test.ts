import { describe, expect, it } from "vitest";
import * as tensor from "./index.js";

describe("public API (docs/contracts.md)", () => {
  it("exports every name the contract promises", () => {
    const functions = [
      "validateDims",
      "validateRgb",
      "colorClassFromIndex",
      "colorClassIndex",
      "colorClassRgb",
      "isColorClass",
      "seededRandom",
      "normalize",
      "clamp",
      "complement",
      "saturate",
      "mix",
      "filter",
      "add",
      "sub",
      "blend",
      "tensorToBytes",
      "tensorFromBytes",
      "tensorToJSON",
      "tensorFromJSON",
      "tensorByteLength",
      "generateColorDataset",
    ] as const;
    const api = new Map<string, unknown>(Object.entries(tensor));
    for (const name of functions) expect(typeof api.get(name), name).toBe("function");
    for (const name of ["zeros", "fromArrays", "fromSeed", "fromColor", "unsafeCreate"] as const) {
      expect(typeof tensor.ChromaticTensor[name], name).toBe("function");
    }
    expect(typeof tensor.ChromaticNativeSolver.create).toBe("function");
    expect(tensor.MAX_TENSOR_CELLS).toBe(2 ** 26);
    expect(tensor.NUM_COLOR_CLASSES).toBe(10);
    expect(tensor.COLOR_CLASSES).toHaveLength(10);
  });
});
