/**
 * What a person reads when their turn failed: a store outage (StoreUnavailableError, code
 * STORE_UNAVAILABLE: throttling beyond the SDK's retries, 5xx, timeouts, network) is worth
 * trying again in a moment, and says so; anything else gets the generic apology.
 */
import type { MessageKey } from "../i18n/index.js";

export function failureMessageKey(error: unknown): MessageKey {
  return isStoreUnavailable(error) ? "error.store-unavailable" : "error.generic";
}

/** By code rather than class, and through a few `cause`s, in case something wrapped the store's error. */
function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    if ((current as { code?: unknown }).code === "STORE_UNAVAILABLE") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
