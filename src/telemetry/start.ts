/**
 * Whether anything is recorded: the one place that registers an OpenTelemetry SDK, Azure
 * Monitor's distro, and only when `APPLICATIONINSIGHTS_CONNECTION_STRING` is set. Without it the
 * distro is not even loaded (a dynamic import), and the app's instrumentation (`@opentelemetry/api`
 * in otel.ts, turns.ts, store.ts, nudges.ts) stays the API's no-op.
 *
 * main.ts calls this before it loads the rest of the app, so that the distro's HTTP
 * instrumentation hooks `http` before restify and botbuilder load it.
 */
import type { IncomingMessage } from "node:http";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { RedactingSpanProcessor } from "./redact.js";

export interface Telemetry {
  /** Sends what is buffered and stops: the last thing before the process exits. */
  shutdown(): Promise<void>;
}

/** Requests that are not worth a trace: App Service's probes come every minute from every instance. */
const UNTRACED_PATHS = new Set(["/healthz", "/readyz"]);

/** The path without its query: a report link's query carries its signature, the tab's a channel id. */
function pathOf(url: string | undefined): string {
  return (url ?? "/").split("?")[0] || "/";
}

/**
 * Starts Azure Monitor when the connection string is set; undefined (nothing registered, nothing
 * loaded) when it is not.
 */
export async function startTelemetry(config: Pick<Config, "APPLICATIONINSIGHTS_CONNECTION_STRING">, logger: Logger): Promise<Telemetry | undefined> {
  const connectionString = config.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return undefined;
  // The role name Application Insights shows (its "cloud_RoleName"), unless the operator chose one.
  process.env.OTEL_SERVICE_NAME ??= "samhandling";
  const { useAzureMonitor, shutdownAzureMonitor } = await import("@azure/monitor-opentelemetry");
  // Passed through to OpenTelemetry's HTTP instrumentation, whose options Azure Monitor's type does not list.
  const http = {
    enabled: true,
    ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has(pathOf(request.url)),
    // Incoming URLs without their query: applied last, so they replace the instrumentation's own.
    startIncomingSpanHook: (request: IncomingMessage) => {
      const path = pathOf(request.url);
      return { "http.target": path, "http.url": `http://${request.headers.host ?? "localhost"}${path}`, "url.query": "" };
    },
  };
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // Live Metrics streams request URLs and exception messages as they happen; off, as nothing needs it.
    enableLiveMetrics: false,
    // Outgoing URLs name conversations and documents (some ids are Entra ids): only their fixed words go out (redact.ts).
    spanProcessors: [new RedactingSpanProcessor()],
    instrumentationOptions: {
      http,
      // Cosmos DB's SDK calls as dependencies beneath the store spans.
      azureSdk: { enabled: true },
      // Not used by the app.
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
  });
  logger.info({ telemetry: "azure-monitor" }, "telemetry on: traces and metrics go to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING)");
  return { shutdown: () => shutdownAzureMonitor() };
}
