import { DreamError, type DreamErrorKind, type DreamResult } from "dreampool/errors";
import { expect } from "vitest";

export type Outcome<T> = { readonly threw: unknown } | { readonly result: DreamResult<T> };

/** Runs `fn`, turning a throw into data so the caller can fail the property with a clear message. */
export function outcome<T>(fn: () => DreamResult<T>): Outcome<T> {
  try {
    return { result: fn() };
  } catch (thrown) {
    return { threw: thrown };
  }
}

function describeThrow(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return String(thrown);
}

/** The call must return a DreamResult (never throw); returns it. */
export function mustReturn<T>(label: string, fn: () => DreamResult<T>): DreamResult<T> {
  const o = outcome(fn);
  if ("threw" in o) expect.fail(`${label} threw instead of returning err(...): ${describeThrow(o.threw)}`);
  const r = o.result;
  if (typeof r !== "object" || r === null || typeof r.ok !== "boolean")
    expect.fail(`${label} did not return a DreamResult (got ${String(r)})`);
  if (!r.ok && !DreamError.isInstance(r.error))
    expect.fail(`${label} returned err with a non-DreamError: ${describeThrow(r.error)}`);
  return r;
}

/** The call must return err(DreamError) of one of `kinds`, with a message naming something. */
export function mustFail(
  label: string,
  kinds: readonly DreamErrorKind[],
  fn: () => DreamResult<unknown>,
): DreamError {
  const r = mustReturn(label, fn);
  if (r.ok)
    expect.fail(
      `${label} accepted bad input (returned ok: ${safeString(r.value)}); expected ${kinds.join(" | ")}`,
    );
  if (!kinds.includes(r.error.kind))
    expect.fail(`${label} failed with ${r.error.kind} (${r.error.message}); expected ${kinds.join(" | ")}`);
  expect(r.error.message.length).toBeGreaterThan(10);
  return r.error;
}

/** The call must not throw; an error must be one of `kinds`. Returns the value on success, else undefined. */
export function mustNotThrow<T>(
  label: string,
  kinds: readonly DreamErrorKind[],
  fn: () => DreamResult<T>,
): T | undefined {
  const r = mustReturn(label, fn);
  if (r.ok) return r.value;
  if (!kinds.includes(r.error.kind))
    expect.fail(
      `${label} failed with ${r.error.kind} (${r.error.message}); expected ok or ${kinds.join(" | ")}`,
    );
  return undefined;
}

/** Async variants for the pool's async view and the Postgres pool. */
export async function mustFailAsync<T>(
  label: string,
  kinds: readonly DreamErrorKind[],
  fn: () => Promise<DreamResult<T>>,
): Promise<DreamError> {
  let r: DreamResult<T>;
  try {
    r = await fn();
  } catch (thrown) {
    return expect.fail(`${label} rejected instead of resolving to err(...): ${describeThrow(thrown)}`);
  }
  return mustFail(label, kinds, () => r);
}

export function safeString(value: unknown): string {
  try {
    const s = typeof value === "string" ? value : JSON.stringify(value);
    return s === undefined ? String(value) : s.slice(0, 120);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
