/**
 * The HTTP server (restify), built apart from listening so tests can start it on port 0.
 * Bad requests get a 4xx with a JSON body naming what is wrong; never a 5xx for bad input.
 */
import type { ActivityHandler, CloudAdapter } from "botbuilder";
import { timingSafeEqual } from "node:crypto";
import restify from "restify";
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { DownloadAnswer } from "../app/report-exports.js";
import { translator, type Lang, type MessageKey } from "../i18n/index.js";

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  logger: Logger;
  health: () => Record<string, unknown>;
  /** Bearer key for POST /api/nudges/run (the contract's trigger for an external timer). */
  nudgeRunKey?: string;
  /** One nudge run; its summary is the trigger's answer. */
  runNudges: () => Promise<object>;
  /** A report download link's query → the file, or why not (GET /api/reports/download). */
  downloadReport?: (query: URLSearchParams) => Promise<DownloadAnswer>;
}

/** Largest accepted request body; Teams activities are far smaller. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The parts of an activity the bot and botbuilder rely on, with their types: anything else
 * there would fail deep inside a turn. The adapter checks the rest.
 */
const ActivityEnvelope = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  locale: z.string().max(50).optional(),
  conversation: z.looseObject({ id: z.string().min(1), isGroup: z.boolean().optional(), conversationType: z.string().optional(), tenantId: z.string().optional() }),
  from: z.looseObject({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() }).optional(),
  recipient: z.looseObject({ id: z.string().min(1), name: z.string().optional() }),
  text: z.string().optional(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
  replyToId: z.string().optional(),
  name: z.string().optional(),
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
  // JSON only: the full body parser would also accept multipart uploads and write them to disk.
  server.pre((req, res, next) => {
    if (req.method === "POST" && req.getPath() === "/api/messages" && !/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
      res.send(415, { error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "expected Content-Type: application/json" } });
      return next(false);
    }
    return next();
  });
  // maxBodySize reaches restify's body reader; its type declarations just do not list it.
  const jsonOptions = { mapParams: false, maxBodySize: MAX_BODY_BYTES };

  // Only the bot endpoint reads a body: the nudge trigger checks its key before anything else.
  server.post("/api/messages", restify.plugins.jsonBodyParser(jsonOptions), async (req: restify.Request, res: restify.Response) => {
    const envelope = ActivityEnvelope.safeParse(req.body);
    if (!envelope.success) {
      res.send(400, { error: { code: "INVALID_ACTIVITY", message: describe(envelope.error) } });
      return;
    }
    // The adapter answers itself, also on failure (onTurnError has logged and apologised by then).
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

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

  server.get("/healthz", async (_req, res) => {
    res.send(200, { status: "ok", ...deps.health() });
  });

  server.on("restifyError", (req, _res, err, callback) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) deps.logger.error({ err, url: req.url }, "request failed");
    else deps.logger.debug({ code: (err as { code?: string }).code, url: req.url, status }, "request refused");
    callback();
  });
  return server;
}

/** Constant-time comparison of the bearer key (the scheme is case-insensitive, RFC 7235); no key configured means nobody is let in. */
function bearerMatches(header: string | undefined, key: string | undefined): boolean {
  const scheme = /^bearer +/i.exec(header ?? "");
  if (!key || !header || !scheme) return false;
  const given = Buffer.from(header.slice(scheme[0].length));
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}
