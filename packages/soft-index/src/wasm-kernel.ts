import { SIMD_KERNEL_BASE64 } from "./simd-kernel-bytes.js";

// The WebAssembly JS API, typed structurally and reached through globalThis: the package builds
// with lib ES2023 and no DOM or node types, and a runtime without WebAssembly must still load it.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export type { WasmMemory };

/** WebAssembly linear memory comes in 64 KiB pages. */
export const WASM_PAGE_BYTES = 65_536;
/** wasm32 addresses at most 65536 pages (4 GiB). */
export const WASM_MAX_BYTES = 65_536 * WASM_PAGE_BYTES;

/**
 * The kernel's exports (scripts/simd-kernel.wat). Arguments are byte offsets into the memory and
 * row counts; rows are `stride` float32 apart, stride a multiple of 4.
 */
export interface ScanKernel {
  /** out[i] = dot(query, row i), float32 accumulation in four f32x4 accumulators. */
  scoresDot(query: number, rows: number, n: number, stride: number, out: number): void;
  /** out[i] = squared euclidean distance(query, row i), float32 accumulation. */
  scoresL2(query: number, rows: number, n: number, stride: number, out: number): void;
}

/** A kernel instance bound to its own memory. */
export interface KernelInstance {
  readonly memory: WasmMemory;
  readonly kernel: ScanKernel;
}

let compiled: object | null | undefined;

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** The compiled kernel, or null where WebAssembly or its SIMD proposal is unavailable. */
function kernelModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = wasmApi();
  if (api === undefined) return compiled;
  try {
    const bytes = decodeBase64(SIMD_KERNEL_BASE64);
    if (api.validate(bytes)) compiled = new api.Module(bytes);
  } catch {
    // A runtime that cannot compile the module has no SIMD path; the JS kernels serve.
  }
  return compiled;
}

/** True when WebAssembly SIMD validates in this runtime (the ExactIndex default path). */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * A fresh memory of `pages` pages with a kernel instance bound to it, or null when SIMD is
 * unavailable or the memory cannot be allocated.
 */
export function instantiateKernel(pages: number): KernelInstance | null {
  const api = wasmApi();
  const module = kernelModule();
  if (api === undefined || module === null) return null;
  try {
    const memory = new api.Memory({ initial: pages });
    const { exports } = new api.Instance(module, { env: { memory } });
    const { scoresDot, scoresL2 } = exports as Partial<ScanKernel>;
    if (typeof scoresDot !== "function" || typeof scoresL2 !== "function") return null;
    return { memory, kernel: { scoresDot, scoresL2 } };
  } catch {
    return null;
  }
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes standard base64 (with or without padding); `atob` is not in ES2023. */
export function decodeBase64(text: string): Uint8Array {
  const value = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) value[BASE64_ALPHABET.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let held = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const v = code < 128 ? (value[code] as number) : -1;
    if (v < 0) throw new RangeError(`invalid base64 character at ${i}`);
    bits = ((bits << 6) | v) & 0xffff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      out[o++] = (bits >> held) & 0xff;
    }
  }
  return out;
}
