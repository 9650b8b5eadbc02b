/**
 * The HTTP server (restify), built apart from listening so tests can start it on port 0.
 * Bad requests get a 4xx with a JSON body naming what is wrong; never a 5xx for bad input.
 */
import type { ActivityHandler, CloudAdapter } from "botbuilder";
import restify from "restify";
import { z } from "zod";
import type { Logger } from "../logger.js";

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  logger: Logger;
  health: () => Record<string, unknown>;
}

/** Largest accepted request body; Teams activities are far smaller. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The parts of an activity the bot relies on; the adapter checks the rest. */
const ActivityEnvelope = z.looseObject({
  type: z.string().min(1),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: z.looseObject({ id: z.string().min(1) }).optional(),
  text: z.string().optional(),
});

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: "samhandling", handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.post("/api/messages", async (req, res) => {
    const envelope = ActivityEnvelope.safeParse(req.body);
    if (!envelope.success) {
      res.send(400, { error: { code: "INVALID_ACTIVITY", message: describe(envelope.error) } });
      return;
    }
    try {
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    } catch (error) {
      deps.logger.error({ err: error }, "activity processing failed");
      if (!res.headersSent) res.send(500, { error: { code: "INTERNAL", message: "internal error" } });
    }
  });

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

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}
