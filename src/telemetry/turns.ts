/**
 * A trace per turn (and per tab API request): one span, `turn` or `tab …`, opened when the
 * request is routed (src/server/request-telemetry.ts) and ended when it is answered. What the
 * turn was about is told to it on the way, by whoever knows it: the server (the activity's type
 * and channel), the bot (the command kind or card verb), the store decorator (its calls). The
 * turn's duration goes to the `samhandling.turn.duration` histogram, by kind and name.
 */
import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import { ATTR, errorCodeOf, instruments, tracer } from "./otel.js";

/** What a request was: a message command, a card action, another invoke or activity, a tab API request, a report download. */
export type TurnKind = "command" | "card" | "invoke" | "activity" | "tab" | "download";

interface TurnRecord {
  span: Span;
  kind: TurnKind;
  name: string;
  started: number;
  failed?: string;
  store: { reads: number; writes: number; queries: number; requestUnits: number; throttles: number };
}

const TURN = createContextKey("samhandling.turn");

/** Channels whose name may go in telemetry as is; another (only possible in local mode) is `other`. */
const CHANNELS = new Set(["msteams", "emulator", "webchat", "directline", "test", "playground"]);
/** Activity types as Bot Framework names them; anything else is `other`. */
const ACTIVITY_TYPES = new Set([
  "message",
  "invoke",
  "conversationUpdate",
  "installationUpdate",
  "messageReaction",
  "messageUpdate",
  "messageDelete",
  "typing",
  "event",
  "endOfConversation",
]);
const INVOKE_NAMES = new Set(["adaptiveCard/action", "fileConsent/invoke"]);
/** An activity id as Teams makes them (digits, a GUID): opaque. Anything else is left out. */
const OPAQUE_ID = /^[A-Za-z0-9:._@-]{1,128}$/;

export interface StartedTurn {
  /** The context to run the request's handlers in (the span active, the record reachable). */
  context: Context;
  /** Ends the span and records the duration; `aborted` when the connection closed before the answer was sent. */
  end(statusCode: number, aborted: boolean): void;
}

/**
 * Opens a request's span as a child of whatever is active (the HTTP server span of Azure
 * Monitor's instrumentation), or as the trace's root request when nothing is.
 */
export function startTurn(spanName: string, kind: TurnKind, name: string, attributes: Record<string, string> = {}): StartedTurn {
  const parent = context.active();
  const span = tracer().startSpan(
    spanName,
    { kind: trace.getSpan(parent) ? SpanKind.INTERNAL : SpanKind.SERVER, attributes: { ...attributes, [ATTR.turnKind]: kind, [ATTR.turnName]: name } },
    parent,
  );
  const record: TurnRecord = { span, kind, name, started: performance.now(), store: { reads: 0, writes: 0, queries: 0, requestUnits: 0, throttles: 0 } };
  let ended = false;
  return {
    context: trace.setSpan(parent, span).setValue(TURN, record),
    end(statusCode, aborted) {
      if (ended) return;
      ended = true;
      const outcome = aborted ? "aborted" : record.failed ? "failed" : statusCode >= 500 ? "error" : statusCode >= 400 ? "refused" : "ok";
      span.setAttributes({
        [ATTR.turnKind]: record.kind,
        [ATTR.turnName]: record.name,
        [ATTR.turnOutcome]: outcome,
        [ATTR.statusCode]: statusCode,
        [ATTR.storeReads]: record.store.reads,
        [ATTR.storeWrites]: record.store.writes,
        [ATTR.storeQueries]: record.store.queries,
        [ATTR.requestUnits]: record.store.requestUnits,
        [ATTR.throttles]: record.store.throttles,
      });
      if (outcome === "failed" || outcome === "error") span.setStatus({ code: SpanStatusCode.ERROR, message: record.failed ?? `HTTP ${statusCode}` });
      span.end();
      instruments().turnDuration.record(performance.now() - record.started, {
        [ATTR.turnKind]: record.kind,
        [ATTR.turnName]: record.name,
        [ATTR.turnOutcome]: outcome,
      });
    },
  };
}

function current(): TurnRecord | undefined {
  return context.active().getValue(TURN) as TurnRecord | undefined;
}

/**
 * What activity the turn carries (server.ts, once the envelope is checked): its type, channel,
 * invoke name and id, each only when it is one of the known, opaque values.
 */
export function describeTurn(activity: { type: string; channelId: string; name?: string | undefined; id?: string | undefined }): void {
  const turn = current();
  if (!turn) return;
  const type = ACTIVITY_TYPES.has(activity.type) ? activity.type : "other";
  const invoke = type === "invoke" ? (INVOKE_NAMES.has(activity.name ?? "") ? activity.name! : "other") : undefined;
  turn.kind = type === "message" ? "command" : type === "invoke" ? (invoke === "adaptiveCard/action" ? "card" : "invoke") : "activity";
  turn.name = type === "message" ? "unparsed" : (invoke ?? type);
  turn.span.setAttributes({
    [ATTR.activityType]: type,
    [ATTR.channel]: CHANNELS.has(activity.channelId) ? activity.channelId : "other",
    ...(invoke ? { [ATTR.invokeName]: invoke } : {}),
    ...(activity.id && OPAQUE_ID.test(activity.id) ? { [ATTR.activityId]: activity.id } : {}),
  });
}

/**
 * What the turn was, in the bot's fixed words: the parsed command's kind (`status`, `help`,
 * `unknown`…), never what was written; a card's verb, only when the bot handles that verb.
 */
export function nameTurn(kind: TurnKind, name: string): void {
  const turn = current();
  if (!turn) return;
  turn.kind = kind;
  turn.name = name;
}

/** The turn failed though it was answered (an apology, a "try again" card): the error's code, never its message. */
export function turnFailed(error: unknown): void {
  const turn = current();
  if (!turn) return;
  turn.failed = errorCodeOf(error);
  turn.span.setAttribute(ATTR.errorCode, turn.failed);
}

/** A store call of the turn under way (the store decorator), for its totals: point reads (`count` keys), writes and removes, queries, request units, throttles. */
export function countStoreCall(kind: "read" | "write" | "query", count: number, requestUnits: number, throttles: number): void {
  const turn = current();
  if (!turn) return;
  if (kind === "read") turn.store.reads += count;
  else if (kind === "write") turn.store.writes += count;
  else turn.store.queries += count;
  turn.store.requestUnits += requestUnits;
  turn.store.throttles += throttles;
}
