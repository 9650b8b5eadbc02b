/** Composition root: config → store → app → server.listen. Nothing else lives here. */
import { existsSync } from "node:fs";
import { compose } from "./compose.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

async function main(): Promise<void> {
  // A .env file beside package.json is read if present; variables already set win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (config.clockNow) logger.warn({ CLOCK_NOW: config.clockNow.toISO() }, "SIMULATED CLOCK: the app's now starts at CLOCK_NOW and moves on in real time");
  if (!config.MicrosoftAppId && !["127.0.0.1", "localhost", "::1"].includes(config.HOST))
    logger.warn({ HOST: config.HOST }, "LOCAL MODE without authentication on a non-loopback address: anyone who reaches this port can talk to the bot. Set MicrosoftAppId, or leave HOST unset (local mode then listens on 127.0.0.1)");
  const samhandling = await compose(config, logger);
  await new Promise<void>((resolve) => samhandling.server.listen(config.PORT, config.HOST, resolve));
  logger.info(
    { url: samhandling.server.url, store: samhandling.store.kind, auth: config.MicrosoftAppId ? "bot-framework" : "none (local mode)" },
    "Samhandling is listening on /api/messages",
  );
  const stop = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    await samhandling.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("Samhandling failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
