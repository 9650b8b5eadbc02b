/**
 * The document store with a span per call (`store.read`, `store.read_many`, `store.write`,
 * `store.remove`, `store.query`), children of the turn or nudge run under way, whichever adapter
 * is behind it. Cosmos DB's request charge and throttles come through the port's `observe`
 * (cosmos-store.ts `tell`), on the call's span, the turn's totals and the store metrics.
 *
 * A Proxy rather than a class: every method the port has, or gains later, is forwarded; the
 * asynchronous ones get a span.
 */
import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { StoreConflictError, type DocumentKey, type DocumentStore, type StoredDocument, type StoreObserver } from "../store/store.js";
import { ATTR, errorCodeOf, instruments, tracer } from "./otel.js";
import { countStoreCall } from "./turns.js";

/** The span name and the turn counter of each port method; any other method is `store.<name>` and counted as a query. */
const OPERATIONS: Record<string, { operation: string; counts: "read" | "write" | "query" }> = {
  read: { operation: "read", counts: "read" },
  readMany: { operation: "read_many", counts: "read" },
  write: { operation: "write", counts: "write" },
  remove: { operation: "remove", counts: "write" },
  list: { operation: "query", counts: "query" },
};

/** Not traced: they do no I/O worth a span (close), or are the wiring itself. */
const UNTRACED = new Set(["close", "observe"]);

/** Partitions in this app are region ids and fixed names (`_system`, `_people`…): kept when they look like one. */
const PARTITION = /^[A-Za-z0-9_-]{1,40}$/;

interface CallCost {
  requestUnits: number;
  throttles: number;
}

const CALL = createContextKey("samhandling.store.call");

/** The store, traced. Its observer (when the adapter has `observe`) is set here; `kind` and every other property read through. */
export function traceStore(store: DocumentStore): DocumentStore {
  const system = store.kind === "cosmos" ? "azure.cosmosdb" : store.kind;
  const observer: StoreObserver = ({ requestUnits, throttles }) => {
    const cost = context.active().getValue(CALL) as CallCost | undefined;
    if (cost) {
      cost.requestUnits += requestUnits;
      cost.throttles += throttles;
    }
  };
  store.observe?.(observer);
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function" || typeof property !== "string" || UNTRACED.has(property)) {
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      if (!wrapped.has(property)) wrapped.set(property, traced(target, property, value as (...args: unknown[]) => unknown, system));
      return wrapped.get(property);
    },
  });
}

function traced(target: DocumentStore, method: string, fn: (...args: unknown[]) => unknown, system: string) {
  const { operation, counts } = OPERATIONS[method] ?? { operation: method, counts: "query" as const };
  return (...args: unknown[]): unknown => {
    const attributes: Attributes = { [ATTR.dbSystem]: system, [ATTR.dbOperation]: operation, ...describeCall(method, args) };
    const span = tracer().startSpan(`store.${operation}`, { kind: SpanKind.CLIENT, attributes });
    const cost: CallCost = { requestUnits: 0, throttles: 0 };
    const started = performance.now();
    const finish = (outcome: "ok" | "conflict" | "unavailable" | "error", error?: unknown) => {
      span.setAttributes({ [ATTR.storeOutcome]: outcome, [ATTR.throttles]: cost.throttles, ...(system === "azure.cosmosdb" ? { [ATTR.requestUnits]: cost.requestUnits } : {}) });
      // A conflict is optimistic concurrency doing its job (the caller reloads and retries), not a failure.
      if (outcome === "unavailable" || outcome === "error") span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodeOf(error) });
      span.end();
      const metrics = instruments();
      const labels = { [ATTR.dbSystem]: system, [ATTR.dbOperation]: operation };
      metrics.storeDuration.record(performance.now() - started, { ...labels, [ATTR.storeOutcome]: outcome });
      if (system === "azure.cosmosdb") metrics.storeRequestUnits.record(cost.requestUnits, labels);
      if (cost.throttles > 0) metrics.storeThrottles.add(cost.throttles, labels);
      countStoreCall(counts, method === "readMany" && Array.isArray(args[0]) ? args[0].length : 1, cost.requestUnits, cost.throttles);
    };
    const active = context.active();
    let result: unknown;
    try {
      // The call runs with its span active (the SDK's own spans nest under it) and its cost
      // collector reachable by the adapter's observer.
      result = context.with(trace.setSpan(active, span).setValue(CALL, cost), () => fn.apply(target, args));
    } catch (error) {
      finish(outcomeOf(error), error);
      throw error;
    }
    if (!(result instanceof Promise)) {
      finish("ok");
      return result;
    }
    return result.then(
      (value: unknown) => {
        finish("ok");
        return value;
      },
      (error: unknown) => {
        finish(outcomeOf(error), error);
        throw error;
      },
    );
  };
}

function outcomeOf(error: unknown): "conflict" | "unavailable" | "error" {
  if (error instanceof StoreConflictError) return "conflict";
  return (error as { code?: unknown } | null)?.code === "STORE_UNAVAILABLE" ? "unavailable" : "error";
}

/** The partition, the document type, how many keys: never a document id (some hold Entra object ids). */
function describeCall(method: string, args: unknown[]): Attributes {
  const [first, second] = args;
  const partitionOf = (p: unknown) => (typeof p === "string" && PARTITION.test(p) ? { [ATTR.partition]: p } : {});
  switch (method) {
    case "read":
    case "remove":
      return partitionOf((first as DocumentKey | undefined)?.partition);
    case "readMany":
      return { [ATTR.keys]: Array.isArray(first) ? first.length : 0 };
    case "write": {
      const doc = first as StoredDocument | undefined;
      return { ...partitionOf(doc?.partition), ...(typeof doc?.type === "string" && PARTITION.test(doc.type) ? { [ATTR.documentType]: doc.type } : {}) };
    }
    case "list":
      return { ...(typeof first === "string" && PARTITION.test(first) ? { [ATTR.documentType]: first } : {}), ...partitionOf(second) };
    default:
      return {};
  }
}
