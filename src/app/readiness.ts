/**
 * Readiness (`GET /readyz`, issue 13): the instance can serve turns when its store answers. The
 * settings are loaded once at start, before the server exists (compose.ts), so a server that
 * answers has them; what can change afterwards is the store. The probe is one point read of the
 * settings document — the cheapest call the store has — under a short timeout, so that a store
 * that hangs (an SDK retrying) answers "not ready" quickly instead of holding the probe.
 */
import { SYSTEM_PARTITION } from "../store/records.js";
import type { DocumentStore } from "../store/store.js";

/** Longer than a healthy point read takes anywhere (milliseconds), far shorter than App Service's probe timeout. */
export const READY_TIMEOUT_MS = 2_000;

const SETTINGS_KEY = { partition: SYSTEM_PARTITION, id: "settings" };

/** `message` is the public answer's; `detail` (which may name the store's address) is for the log only. */
export type ReadinessAnswer = { ready: true } | { ready: false; code: string; message: string; detail: string };

/**
 * The check for `/readyz`. Give it the store as opened, not the traced one: a probe every minute
 * on every instance would otherwise fill the telemetry with store spans no turn asked for.
 */
export function storeReadiness(store: DocumentStore, timeoutMs = READY_TIMEOUT_MS): () => Promise<ReadinessAnswer> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const answer = await Promise.race([store.read(SETTINGS_KEY).then(() => "answered" as const), timedOut]);
      if (answer === "timeout") return { ready: false, code: "STORE_TIMEOUT", message: "the store does not answer", detail: `the ${store.kind} store did not answer within ${timeoutMs} ms` };
      return { ready: true };
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      // The store's own message says what failed (and where: the log's business, not the caller's).
      const detail = `the ${store.kind} store failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
      return { ready: false, code: typeof code === "string" ? code : "STORE_FAILED", message: "the store does not answer", detail };
    } finally {
      clearTimeout(timer);
    }
  };
}
