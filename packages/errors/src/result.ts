import { DreamError } from "./dream-error.js";

/** The outcome of a fallible call: a value, or the DreamError that says why not. */
export type DreamResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DreamError };

export const ok = <T>(value: T): DreamResult<T> => ({ ok: true, value });
export const err = <T = never>(error: DreamError): DreamResult<T> => ({ ok: false, error });

export const isOk = <T>(r: DreamResult<T>): r is { ok: true; value: T } => r.ok;
export const isErr = <T>(r: DreamResult<T>): r is { ok: false; error: DreamError } => !r.ok;

/** The value, or throws the DreamError. For scripts and tests; library code passes results up. */
export function unwrap<T>(r: DreamResult<T>): T {
  if (r.ok) return r.value;
  throw r.error;
}

/** The error of a failed result, or throws when the result is ok (tests use it to assert a failure). */
export function unwrapErr<T>(r: DreamResult<T>): DreamError {
  if (!r.ok) return r.error;
  throw new Error(`expected a DreamError, got ok(${String(r.value)})`);
}

export const map = <T, U>(r: DreamResult<T>, f: (value: T) => U): DreamResult<U> =>
  r.ok ? ok(f(r.value)) : r;

export const andThen = <T, U>(r: DreamResult<T>, f: (value: T) => DreamResult<U>): DreamResult<U> =>
  r.ok ? f(r.value) : r;

/**
 * Runs `f` and turns anything it throws into a failed result: a DreamError passes through,
 * anything else becomes `onUnknown(thrown)`. The boundary for callbacks and native code.
 */
export function attempt<T>(f: () => T, onUnknown: (thrown: unknown) => DreamError): DreamResult<T> {
  try {
    return ok(f());
  } catch (e) {
    return err(DreamError.isInstance(e) ? e : onUnknown(e));
  }
}

/** The async twin of `attempt`. */
export async function attemptAsync<T>(
  f: () => Promise<T>,
  onUnknown: (thrown: unknown) => DreamError,
): Promise<DreamResult<T>> {
  try {
    return ok(await f());
  } catch (e) {
    return err(DreamError.isInstance(e) ? e : onUnknown(e));
  }
}
