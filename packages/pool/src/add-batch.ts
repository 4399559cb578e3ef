import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { checkRawEntry, commitEntry, type PreparedEntry, prepareEntry, timeOf } from "./add-path.js";
import type { PoolState } from "./pool-state.js";
import type { AddBatchOptions, BatchItem } from "./types.js";

/**
 * Adds many entries; returns how many were added (gated-out items are skipped). Every item is
 * checked and encoded before the first one is inserted, so a bad item or one larger than the
 * whole budget fails the call with the pool unchanged; `items[i]` names the culprit.
 */
export function addBatch(
  state: PoolState,
  items: Iterable<BatchItem>,
  options: AddBatchOptions,
): DreamResult<number> {
  if (
    items === null ||
    typeof items !== "object" ||
    typeof (items as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    return err(invalidParameter("items", items, "must be an iterable of { tensor, result, classLabel? }"));
  }
  if (typeof options !== "object" || options === null)
    return err(invalidParameter("options", options, "must be an object"));
  const { onProgress, gate = true } = options;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    return err(invalidParameter("options.onProgress", onProgress, "must be a function"));
  }
  const now = timeOf(state, options.now, "options.now");
  if (!now.ok) return now;
  // The caller's iterator runs before anything is touched; if it throws, the pool is unchanged.
  let list: BatchItem[];
  try {
    list = Array.from(items);
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return err(
      invalidParameter("items", "[iterable]", `must iterate without throwing (it threw: ${message})`),
    );
  }
  const prepared: (PreparedEntry | null)[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== "object" || item === null) {
      return err(invalidParameter(`items[${i}]`, item, "must be { tensor, result, classLabel?, meta? }"));
    }
    const checked = checkRawEntry(item, `items[${i}]`);
    if (!checked.ok) return checked;
    if (gate && item.result.coherence < state.config.coherenceThreshold) {
      prepared.push(null);
      continue;
    }
    const entry = prepareEntry(state, item);
    if (!entry.ok) return entry;
    const budget = state.budget;
    if (budget && entry.value.bytes > budget.maxBytes) {
      return err(
        invalidParameter(
          `items[${i}]`,
          `${entry.value.bytes} bytes`,
          `must fit the budget of ${budget.maxBytes} bytes`,
        ),
      );
    }
    prepared.push(entry.value);
  }
  let added = 0;
  let progressBroken = false;
  for (let i = 0; i < prepared.length; i++) {
    const entry = prepared[i];
    if (entry === null || entry === undefined) state.counters.gatedOut++;
    else {
      const id = commitEntry(state, entry, now.value);
      if (!id.ok) return id;
      added++;
    }
    if (onProgress && !progressBroken) {
      try {
        onProgress({ processed: i + 1, added, total: prepared.length });
      } catch {
        progressBroken = true;
      }
    }
  }
  return ok(added);
}
