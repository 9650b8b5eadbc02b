/**
 * Opens the span of each turn (`POST /api/messages`: `turn`), tab API request (`tab GET
 * /api/tab/wheel`…) and report download, once restify has routed it, and ends it when the answer
 * is sent (telemetry/turns.ts). Health probes, the page and its bundle are left out: they say
 * nothing about how the bot serves people, and App Service probes every minute.
 */
import type { ServerResponse } from "node:http";
import { context, type Context } from "@opentelemetry/api";
import type restify from "restify";
import { ATTR } from "../telemetry/otel.js";
import { startTurn } from "../telemetry/turns.js";

/** Each traced request's context (the span active, the turn's record), for `withinTurn`. */
const opened = new WeakMap<restify.Request, Context>();

/**
 * A route handler that runs inside its request's span. Needed after a body parser: restify calls
 * the next handler from the request stream's `end` listener, whose async context is the socket's
 * (or, with Azure Monitor's HTTP instrumentation, its server span's), not the turn's.
 */
export function withinTurn<R>(handler: (req: restify.Request, res: restify.Response) => Promise<R>): (req: restify.Request, res: restify.Response) => Promise<R> {
  // restify tells async handlers from callback ones by being an AsyncFunction: so must this be.
  return async (req, res) => {
    const turn = opened.get(req);
    return turn ? context.with(turn, () => handler(req, res)) : handler(req, res);
  };
}

export function traceRequests(server: restify.Server): void {
  // A `use` handler runs after routing (so the route is known) and before the route's own
  // handlers (the body parser, the bot): everything they do runs inside the span.
  server.use((req, res, next) => {
    const route = req.getRoute?.()?.path;
    const path = typeof route === "string" ? route : undefined;
    const method = req.method ?? "GET";
    let turn;
    if (path === "/api/messages" && method === "POST") turn = startTurn("turn", "command", "unparsed");
    else if (path?.startsWith("/api/tab/")) turn = startTurn(`tab ${method} ${path}`, "tab", path, { [ATTR.method]: method, [ATTR.route]: path });
    else if (path === "/api/reports/download") turn = startTurn(`download ${method} ${path}`, "download", path, { [ATTR.method]: method, [ATTR.route]: path });
    if (!turn) return next();
    const raw = res as unknown as ServerResponse;
    // `close` comes after the answer is sent, and when the connection dies before it.
    raw.once("close", () => turn.end(raw.statusCode, !raw.writableFinished));
    opened.set(req, turn.context);
    return context.with(turn.context, () => next());
  });
}
