/**
 * The baseline of the bench: the smallest bot on the same stack as the product (the project's
 * adapter and server factories), replying with one text message. Whatever a status turn costs
 * beyond this is the app's own work.
 */
import { ActivityHandler, MessageFactory } from "botbuilder";
import type restify from "restify";
import { createAdapter } from "../src/bot/adapter.js";
import type { Config } from "../src/config.js";
import type { Logger } from "../src/logger.js";
import { createServer } from "../src/server/server.js";

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(MessageFactory.text(`echo: ${context.activity.text ?? ""}`));
      await next();
    });
  }
}

/** Builds the echo server (not listening), exactly as compose() builds the product's. */
export function createEchoServer(config: Config, logger: Logger): restify.Server {
  const adapter = createAdapter(config, logger);
  return createServer({ adapter, bot: new EchoBot(), logger, health: () => ({ bot: "echo" }), runNudges: async () => ({ echo: true }) });
}
