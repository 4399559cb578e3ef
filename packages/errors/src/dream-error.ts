import { type DetailOf, type DreamErrorDetail, type DreamErrorKind, describe } from "./detail.js";

// A registry-wide symbol, so two copies of this package in one node_modules still recognise each other.
const marker = Symbol.for("dreampool.error");

/**
 * The one error type of dreampool. Narrow on `kind`; read the fields from `detail`.
 * Use `DreamError.isInstance(e)` rather than `instanceof` across package boundaries.
 */
export class DreamError<K extends DreamErrorKind = DreamErrorKind> extends Error {
  readonly [marker] = true;
  readonly detail: DetailOf<K>;

  constructor(detail: DetailOf<K>, options?: { cause?: unknown }) {
    super(describe(detail as DreamErrorDetail), options);
    this.name = "DreamError";
    this.detail = detail;
  }

  get kind(): K {
    return this.detail.kind as K;
  }

  /** True for any DreamError, from any copy of this package. */
  static isInstance(e: unknown): e is DreamError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[marker] === true;
  }

  /** True when `e` is a DreamError of the given kind; narrows `detail`. */
  static isKind<K extends DreamErrorKind>(e: unknown, kind: K): e is DreamError<K> {
    return DreamError.isInstance(e) && e.kind === kind;
  }

  /** Plain data, e.g. for logs and `--json` output. */
  toJSON(): { name: string; message: string; detail: DreamErrorDetail } {
    return { name: this.name, message: this.message, detail: this.detail as DreamErrorDetail };
  }
}
