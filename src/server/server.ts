/**
 * The HTTP server (restify), built apart from listening so tests can start it on port 0.
 * Bad requests get a 4xx with a JSON body naming what is wrong; never a 5xx for bad input.
 */
import type { ActivityHandler } from "botbuilder";
import type { SamhandlingAdapter } from "../bot/adapter.js";
import { timingSafeEqual } from "node:crypto";
import restify from "restify";
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { DownloadAnswer } from "../app/report-exports.js";
import { translator, type Lang, type MessageKey } from "../i18n/index.js";
import { refuseInvoke } from "../bot/invokes.js";
import { describeTurn } from "../telemetry/turns.js";
import { traceRequests, withinTurn } from "./request-telemetry.js";

export interface ServerDeps {
  adapter: SamhandlingAdapter;
  bot: ActivityHandler;
  logger: Logger;
  health: () => Record<string, unknown>;
  /** Readiness (`GET /readyz`): whether the store answers now; ready when absent. */
  ready?: () => Promise<Readiness>;
  /** Bearer key for POST /api/nudges/run (the contract's trigger for an external timer). */
  nudgeRunKey?: string;
  /** One nudge run; its summary is the trigger's answer. */
  runNudges: () => Promise<object>;
  /** A report download link's query → the file, or why not (GET /api/reports/download). */
  downloadReport?: (query: URLSearchParams) => Promise<DownloadAnswer>;
  /** More routes on the same server, behind the same checks (the årshjul tab: src/tab/routes.ts). */
  registerRoutes?: (server: restify.Server) => void;
}

/** What `GET /readyz` answers: ready, or why not (a code and a short message; `detail`, which may name the store's address, goes to the log only). */
export type Readiness = { ready: true } | { ready: false; code: string; message: string; detail?: string };

/** How long a caller waits before retrying a request whose token could not be checked (503). */
const TOKEN_RETRY_AFTER_SECONDS = 30;

/** Largest accepted request body; Teams activities are far smaller. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Deepest accepted nesting of an activity's JSON; Teams activities and our cards' data are under 10. */
export const MAX_JSON_DEPTH = 64;

/**
 * The parts of an activity the bot and botbuilder rely on, with their types: anything else
 * there would fail deep inside a turn. The adapter checks the rest.
 */
/**
 * Ids the bot sends back to the connector: in the URL of a reply, and the conversation id also in
 * a header (`x-ms-conversation-id`), where Node refuses anything outside printable ASCII — the
 * turn then failed after it had started (found by the fuzz test, test/fuzz). Teams' ids are
 * printable ASCII and a few hundred characters at most.
 */
const MAX_ID_LENGTH = 1024;
const ConnectorId = z.string().min(1).max(MAX_ID_LENGTH).regex(/^[\x20-\x7e]+$/, "expected printable ASCII");

const ActivityEnvelope = z.looseObject({
  type: z.string().min(1),
  id: z.string().max(MAX_ID_LENGTH).optional(),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  locale: z.string().max(50).optional(),
  conversation: z.looseObject({ id: ConnectorId, isGroup: z.boolean().optional(), conversationType: z.string().optional(), tenantId: z.string().optional() }),
  from: z.looseObject({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() }).optional(),
  recipient: z.looseObject({ id: z.string().min(1), name: z.string().optional() }),
  text: z.string().optional(),
  // botbuilder's mention removal (bot.ts, every message) reads `mentioned.id` of each mention
  // unchecked: a mention without `mentioned` made the turn throw. Teams' mentions always carry it.
  entities: z
    .array(
      z
        .looseObject({ type: z.string(), mentioned: z.unknown().optional() })
        .refine((e) => e.type.toLowerCase() !== "mention" || (typeof e.mentioned === "object" && e.mentioned !== null), {
          message: "a mention needs `mentioned` (an object)",
          path: ["mentioned"],
        }),
    )
    .optional(),
  replyToId: z.string().optional(),
  name: z.string().optional(),
  // Read by the bot's install and membership handlers (bot.ts); another type there threw mid-turn (found by test/fuzz).
  action: z.string().optional(),
  membersAdded: z.array(z.looseObject({ id: z.string() })).optional(),
  membersRemoved: z.array(z.looseObject({ id: z.string() })).optional(),
});

const PAGE_MESSAGES: Readonly<Record<string, MessageKey>> = {
  LINK_EXPIRED: "download.page.expired",
  LINK_INVALID: "download.page.invalid",
  ROUND_NOT_FOUND: "download.page.notFound",
};

/** A refused download link as a small page: the translated reason and what to do (our own words only, nothing from the request). */
function sendPage(res: restify.Response, status: number, code: string, lang: string | null): void {
  const t = translator((["nb", "nn", "en"] as const).includes(lang as Lang) ? (lang as Lang) : "nb");
  const html = `<!doctype html><html lang="${lang === "en" ? "en" : "no"}"><meta charset="utf-8"><title>Samhandling</title><body style="font-family:'Segoe UI',sans-serif;max-width:36em;margin:3em auto;padding:0 1em"><h1 style="font-size:1.3em">${t("download.page.title")}</h1><p>${t(PAGE_MESSAGES[code] ?? "download.page.invalid")}</p></body></html>`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(html);
}

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: "samhandling", handleUncaughtExceptions: false });
  // Uncompressed only (issue 11): restify would inflate a gzip body before any check, and the body
  // limit counts the compressed bytes, so 200 KB could cost hundreds of megabytes. Teams does not
  // compress what it sends to bots. Refused here, before the body is read and before
  // authentication, so a refusal costs nothing. `identity` (no coding) is accepted; restify's body
  // reader refuses the header itself, so it is removed once checked. Every request, whatever its
  // path: the router decodes paths (`/api/%6Dessages` reaches the bot endpoint) and no endpoint
  // takes a compressed body.
  server.pre((req, res, next) => {
    if (req.headers["content-encoding"] === undefined) return next();
    if (!isIdentity(req.headers["content-encoding"])) {
      res.send(415, { error: { code: "UNSUPPORTED_CONTENT_ENCODING", message: "expected an uncompressed body (no Content-Encoding, or identity)" } }, { "accept-encoding": "identity" });
      return next(false);
    }
    delete req.headers["content-encoding"];
    return next();
  });
  // JSON only: the full body parser would also accept multipart uploads and write them to disk.
  server.pre((req, res, next) => {
    if (req.method === "POST" && req.getPath() === "/api/messages" && !/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
      res.send(415, { error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "expected Content-Type: application/json" } });
      return next(false);
    }
    return next();
  });
  // A span per turn and tab request (src/telemetry; a no-op without an OpenTelemetry SDK).
  traceRequests(server);
  // maxBodySize reaches restify's body reader; its type declarations just do not list it.
  const jsonOptions = { mapParams: false, maxBodySize: MAX_BODY_BYTES };

  // Only the bot endpoint reads a body: the nudge trigger checks its key before anything else.
  // The handler runs inside the turn's span (request-telemetry.ts), though the body parser calls it.
  server.post("/api/messages", restify.plugins.jsonBodyParser(jsonOptions), withinTurn(async (req: restify.Request, res: restify.Response) => {
    // Before anything walks the activity recursively (zod, botbuilder, the logger): no stack to overflow.
    if (nestedDeeperThan(req.body, MAX_JSON_DEPTH)) {
      res.send(400, { error: { code: "INVALID_ACTIVITY", message: `the activity is nested more than ${MAX_JSON_DEPTH} levels deep` } });
      return;
    }
    const envelope = ActivityEnvelope.safeParse(req.body);
    if (!envelope.success) {
      res.send(400, { error: { code: "INVALID_ACTIVITY", message: describe(envelope.error) } });
      return;
    }
    describeTurn(envelope.data);
    // An invoke the bot does not answer, or whose value it cannot read (a card action without an
    // action), is refused before the turn: the bot's answer would be botbuilder's empty 500, and
    // the turn would already have written the conversation reference.
    const refused = refuseInvoke(envelope.data);
    if (refused) {
      res.send(refused.status, refused.body);
      return;
    }
    let outcome;
    try {
      outcome = await deps.adapter.handle(req.body as Record<string, unknown>, req.headers.authorization, (context) => deps.bot.run(context));
    } catch (error) {
      // Only when even onTurnError failed (it logs and apologises first): the cause stays in the log.
      deps.logger.error({ err: error, activityId: envelope.data.id }, "turn failed beyond recovery");
      res.send(500, { error: { code: "TURN_FAILED", message: "the request could not be handled" } });
      return;
    }
    if (outcome.kind === "refused") {
      // One line per refusal, nothing from the token in the answer: a caller learns only that it may retry (503) or not (401).
      const line = { status: outcome.status, reason: outcome.reason, activityId: envelope.data.id, channelId: envelope.data.channelId };
      if (outcome.status === 503) {
        deps.logger.error(line, "token not checked: the login metadata is unreachable");
        res.header("Retry-After", String(TOKEN_RETRY_AFTER_SECONDS));
        res.send(503, { error: { code: "AUTH_UNAVAILABLE", message: "the token could not be checked just now; try again" } });
      } else {
        deps.logger.warn(line, "token refused");
        res.header("WWW-Authenticate", "Bearer");
        res.send(401, { error: { code: "UNAUTHORIZED", message: "a valid Bot Framework token is required" } });
      }
      return;
    }
    res.status(outcome.status);
    // As CloudAdapter.process answers: an invoke's body as JSON, a message's answer empty.
    if (outcome.body) res.send(outcome.body);
    res.end();
  }));

  // The contract's trigger for nudges (an external timer when scaled out): the same run as the
  // scheduler's, under the same lease, so a timer on every instance still sends each nudge once.
  server.post("/api/nudges/run", async (req, res) => {
    if (!bearerMatches(req.headers.authorization, deps.nudgeRunKey)) {
      res.send(401, { error: { code: "UNAUTHORIZED", message: "Authorization: Bearer <NUDGE_RUN_KEY> required" } });
      return;
    }
    try {
      res.send(200, await deps.runNudges());
    } catch (error) {
      // What was recorded stays in the outbox; the next run sends it. The caller may retry.
      deps.logger.error({ err: error, code: (error as { code?: unknown } | null)?.code }, "nudge run failed");
      res.send(503, { error: { code: "NUDGE_RUN_FAILED", message: "the nudge run failed; what it recorded is sent by the next run" } });
    }
  });

  // A signed, short-lived link to one round's papers (issue 10): 403 when expired or tampered with.
  const downloadReport = deps.downloadReport;
  if (downloadReport) {
    server.get("/api/reports/download", async (req, res) => {
      let query: URLSearchParams;
      try {
        query = new URL(req.url ?? "/", "http://link.invalid").searchParams;
      } catch {
        res.send(400, { error: { code: "LINK_INVALID", message: "this download link is not valid" } });
        return;
      }
      let answer: DownloadAnswer;
      try {
        answer = await downloadReport(query);
      } catch (error) {
        // The link was good; the store or the rendering failed. Nothing was changed: trying the link again is safe.
        deps.logger.error({ err: error, code: (error as { code?: unknown } | null)?.code }, "report download failed");
        res.send(503, { error: { code: "REPORT_UNAVAILABLE", message: "the report could not be made just now; try the link again" } });
        return;
      }
      if (answer.kind === "refused") {
        // A person who clicked the link in a browser gets a page in the link's language saying what to do;
        // anything else (scripts, tests) the JSON error shape of the other endpoints.
        if (/\btext\/html\b/.test(req.headers.accept ?? "")) return sendPage(res, answer.status, answer.code, query.get("lang"));
        res.send(answer.status, { error: { code: answer.code, message: answer.message } });
        return;
      }
      const { file } = answer;
      // The file name is ASCII by construction (exportFileName), so the plain filename parameter suffices.
      res.writeHead(200, {
        "content-type": file.contentType,
        "content-length": file.bytes.length,
        "content-disposition": `attachment; filename="${file.name}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      res.end(file.bytes);
    });
  }

  deps.registerRoutes?.(server);

  server.get("/healthz", async (_req, res) => {
    res.send(200, { status: "ok", ...deps.health() });
  });

  // Readiness (issue 13): App Service's health check takes an instance out of rotation while this
  // answers 503 (its store is down) and back when it answers 200 again. One log line per change.
  let wasReady: boolean | undefined;
  server.get("/readyz", async (_req, res) => {
    const answer: Readiness = deps.ready ? await deps.ready() : { ready: true };
    if (answer.ready !== wasReady) {
      if (answer.ready) deps.logger.info({ readyz: "ready", ...(wasReady === false ? { was: "not ready" } : {}) }, "ready: the store answers");
      else deps.logger.error({ readyz: "not ready", code: answer.code, reason: answer.detail ?? answer.message }, "not ready: taken out of rotation until the store answers again");
      wasReady = answer.ready;
    }
    if (answer.ready) res.send(200, { status: "ready", ...deps.health() });
    else res.send(503, { error: { code: answer.code, message: answer.message } });
  });

  server.on("restifyError", (req, _res, err, callback) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    // restify's own refusals (a body that is not JSON, one over the size limit, an unknown path)
    // answer in the one error shape of every endpoint, with our words, not restify's.
    const own = RESTIFY_REFUSALS[(err as { name?: string }).name ?? ""];
    if (own) (err as { toJSON?: () => unknown }).toJSON = () => ({ error: own });
    if (status >= 500) deps.logger.error({ err, url: req.url }, "request failed");
    else deps.logger.debug({ code: (err as { code?: string }).code, url: req.url, status }, "request refused");
    callback();
  });
  return server;
}

/** restify's errors (by name) that a client can cause, in the JSON error shape of the other endpoints. */
const RESTIFY_REFUSALS: Readonly<Record<string, { code: string; message: string }>> = {
  InvalidContentError: { code: "INVALID_JSON", message: "the body is not valid JSON" },
  PayloadTooLargeError: { code: "PAYLOAD_TOO_LARGE", message: `the body is larger than ${MAX_BODY_BYTES / 1024} KB` },
  ResourceNotFoundError: { code: "NOT_FOUND", message: "no such endpoint" },
  MethodNotAllowedError: { code: "METHOD_NOT_ALLOWED", message: "this endpoint does not take that method" },
  UnsupportedMediaTypeError: { code: "UNSUPPORTED_MEDIA_TYPE", message: "expected Content-Type: application/json" },
};

/** Constant-time comparison of the bearer key (the scheme is case-insensitive, RFC 7235); no key configured means nobody is let in. */
function bearerMatches(header: string | undefined, key: string | undefined): boolean {
  const scheme = /^bearer +/i.exec(header ?? "");
  if (!key || !header || !scheme) return false;
  const given = Buffer.from(header.slice(scheme[0].length));
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** "identity", or a list of nothing else ("identity, identity"): no content coding at all. */
function isIdentity(header: string | string[]): boolean {
  return [header].flat().join(",").split(",").every((coding) => coding.trim().toLowerCase() === "identity");
}

/** Whether a parsed JSON value nests deeper than `limit` arrays/objects; iterative, so any depth is safe to ask about. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}
