/** Composition root: config → store → app → server.listen. Nothing else lives here. */
import { existsSync } from "node:fs";
import type { Samhandling } from "./compose.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startTelemetry } from "./telemetry/start.js";

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
  // Telemetry first (only with APPLICATIONINSIGHTS_CONNECTION_STRING), then the app, imported
  // late: the HTTP instrumentation has to hook `http` before restify and botbuilder load it.
  const telemetry = await startTelemetry(config, logger);
  const { compose } = await import("./compose.js");
  const samhandling = await compose(config, logger);
  try {
    await listen(samhandling.server, config.PORT, config.HOST);
  } catch (error) {
    // A port in use is the common case (a second `npm start`, the Playground's bot still running):
    // say so in one line, without a stack, and close the store before leaving.
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "EADDRINUSE"
        ? `port ${config.PORT} on ${config.HOST} is already in use (is Samhandling already running?). Stop the other process, or start with another PORT`
        : code === "EACCES"
          ? `no permission to listen on port ${config.PORT} on ${config.HOST}. Use a port above 1023`
          : `cannot listen on ${config.HOST}:${config.PORT} (${code ?? (error instanceof Error ? error.message : String(error))})`;
    logger.error({ PORT: config.PORT, HOST: config.HOST, code }, `Samhandling could not start: ${why}`);
    await samhandling.close();
    process.exit(1);
  }
  logger.info(
    { url: samhandling.server.url, store: samhandling.store.kind, auth: config.MicrosoftAppId ? "bot-framework" : "none (local mode)" },
    "Samhandling is listening on /api/messages",
  );
  // Graceful (issue 11): turns in flight are answered (at most 10 s), a nudge run finishes the
  // cards on their way and releases its lease, so the next instance runs at once. A second signal,
  // or a shutdown that hangs past the bounds (a store that never answers), ends the process at once.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, "second signal during shutdown: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down: no new requests; waiting for turns in flight and nudges on their way");
    setTimeout(() => {
      logger.error({ signal }, "shutdown took too long; exiting now");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    try {
      const report = await samhandling.close();
      logger.info({ signal, ...report }, "shut down");
      // What telemetry still buffers goes out before the exit; failing that is no reason to exit 1.
      await telemetry?.shutdown().catch((error: unknown) => logger.warn({ err: error }, "could not send the last telemetry"));
      process.exit(0);
    } catch (error) {
      logger.error({ err: error, signal }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/** Listens; rejects with the socket's error (EADDRINUSE, EACCES) instead of throwing it as an unhandled event. */
function listen(server: Samhandling["server"], port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // restify re-emits its HTTP server's errors as its own event: that is the one to hear.
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Past the 10 s bounds of compose's close(), with room for closing the store. */
const SHUTDOWN_LIMIT_MS = 20_000;

main().catch((error: unknown) => {
  console.error("Samhandling failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
