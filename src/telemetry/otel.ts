/**
 * The app's OpenTelemetry instruments, through `@opentelemetry/api` only: without an SDK
 * registered (no `APPLICATIONINSIGHTS_CONNECTION_STRING`, see start.ts) every call here is the
 * API's no-op, so the code is instrumented everywhere and only main.ts decides whether anything
 * is recorded.
 *
 * What goes in (docs/operations.md, "Telemetry"): names of operations, fixed words (command
 * kinds, card verbs the bot knows, routes, document types, partitions, which are region ids or
 * fixed names), counts, durations, status codes and error codes. Never a person's name, a text
 * someone wrote, an Entra object id or a document id (some hold Entra ids).
 */
import { metrics, trace, type Counter, type Histogram, type MeterProvider, type Tracer } from "@opentelemetry/api";

/** The instrumentation scope of every span and metric of the app. */
export const SCOPE = "samhandling";

export function tracer(): Tracer {
  return trace.getTracer(SCOPE);
}

/** Attribute names (the app's own under `samhandling.`; OpenTelemetry's where one fits). */
export const ATTR = {
  turnKind: "samhandling.turn.kind",
  turnName: "samhandling.turn.name",
  turnOutcome: "samhandling.turn.outcome",
  activityType: "samhandling.activity.type",
  activityId: "samhandling.activity.id",
  invokeName: "samhandling.invoke.name",
  channel: "samhandling.channel",
  errorCode: "samhandling.error.code",
  statusCode: "http.response.status_code",
  method: "http.request.method",
  route: "http.route",
  dbSystem: "db.system.name",
  dbOperation: "db.operation.name",
  partition: "samhandling.store.partition",
  documentType: "samhandling.store.document_type",
  keys: "samhandling.store.keys",
  storeOutcome: "samhandling.store.outcome",
  requestUnits: "db.cosmosdb.request_charge",
  throttles: "samhandling.store.throttles",
  storeReads: "samhandling.store.reads",
  storeWrites: "samhandling.store.writes",
  storeQueries: "samhandling.store.queries",
  nudgeTrigger: "samhandling.nudge.trigger",
  nudgeOutcome: "samhandling.nudge.outcome",
} as const;

export interface Instruments {
  /** Milliseconds from a request's routing to its answer, by kind (command, card, tab…) and name (command kind, verb, route). */
  turnDuration: Histogram;
  /** Milliseconds per store call, by operation and outcome. */
  storeDuration: Histogram;
  /** Request units per store call (Cosmos DB's `requestCharge`), by operation. */
  storeRequestUnits: Histogram;
  /** Requests Cosmos DB throttled (429), retried or not, by operation. */
  storeThrottles: Counter;
  /** Nudge runs, by trigger and outcome (ran, skipped, halted, failed). */
  nudgeRuns: Counter;
  nudgeCardsSent: Counter;
  nudgeDeferred: Counter;
  nudgeUnreachable: Counter;
  nudgeRejected: Counter;
}

let cached: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments of the meter provider registered now. Unlike tracers, meters taken from the
 * API before an SDK is registered stay no-ops for good, so they are made on first use and again
 * whenever the registered provider changes (tests register their own).
 */
export function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = provider.getMeter(SCOPE);
  const made: Instruments = {
    turnDuration: meter.createHistogram("samhandling.turn.duration", { unit: "ms", description: "Time to answer a turn or a tab request, by kind and name" }),
    storeDuration: meter.createHistogram("samhandling.store.duration", { unit: "ms", description: "Time of one document store call" }),
    storeRequestUnits: meter.createHistogram("samhandling.store.request_units", { unit: "{RU}", description: "Cosmos DB request charge of one store call" }),
    storeThrottles: meter.createCounter("samhandling.store.throttles", { unit: "{request}", description: "Store requests throttled by Cosmos DB (429), retried or not" }),
    nudgeRuns: meter.createCounter("samhandling.nudge.runs", { unit: "{run}", description: "Nudge runs, by trigger and outcome" }),
    nudgeCardsSent: meter.createCounter("samhandling.nudge.cards_sent", { unit: "{card}", description: "Nudge cards Teams accepted" }),
    nudgeDeferred: meter.createCounter("samhandling.nudge.deferred", { unit: "{digest}", description: "Nudge digests left for a later run (throttling, outages, a halted run)" }),
    nudgeUnreachable: meter.createCounter("samhandling.nudge.unreachable", { unit: "{recipient}", description: "Recipients Teams would not deliver to (403/404)" }),
    nudgeRejected: meter.createCounter("samhandling.nudge.rejected", { unit: "{card}", description: "Nudge cards Teams refused (another 4xx)" }),
  };
  cached = { provider, instruments: made };
  return made;
}

/** An error's code (`STORE_UNAVAILABLE`, `STORE_CONFLICT`…) or its class name: never its message, which may name a document. */
export function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
  if (typeof code === "number") return String(code);
  return error instanceof Error ? error.name : "unknown";
}
