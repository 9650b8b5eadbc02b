/**
 * Whether telemetry is on (src/telemetry/start.ts): without APPLICATIONINSIGHTS_CONNECTION_STRING
 * nothing is registered with OpenTelemetry and Azure Monitor's distro is not even loaded; with it,
 * the distro is started with that connection string, Live Metrics off and the probes untraced.
 * Azure Monitor itself cannot run here (no Azure): its module is replaced by a recorder.
 */
import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startTelemetry } from "../../src/telemetry/start.js";

const distro = vi.hoisted(() => ({ loaded: false, started: [] as unknown[], shutdowns: 0 }));
vi.mock("@azure/monitor-opentelemetry", () => {
  distro.loaded = true;
  return {
    useAzureMonitor: (options: unknown) => void distro.started.push(options),
    shutdownAzureMonitor: async () => void distro.shutdowns++,
  };
});

const CONNECTION = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://norwayeast-0.in.applicationinsights.azure.com/";
/** Where @opentelemetry/api keeps what was registered with it (its global, per major version). */
const REGISTERED = Symbol.for("opentelemetry.js.api.1");

describe("starting telemetry", () => {
  afterEach(() => {
    distro.loaded = false;
    distro.started.length = 0;
  });

  it("without APPLICATIONINSIGHTS_CONNECTION_STRING: nothing registered, the distro not loaded, the app's spans no-ops", async () => {
    const config = loadConfig({});
    expect(config.APPLICATIONINSIGHTS_CONNECTION_STRING).toBeUndefined();
    expect(await startTelemetry(config, createLogger("silent"))).toBeUndefined();
    expect(distro.loaded).toBe(false);
    expect((globalThis as Record<symbol, unknown>)[REGISTERED]).toBeUndefined();
    const span = trace.getTracer("samhandling").startSpan("turn");
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it("with it: Azure Monitor started once with that connection string, Live Metrics off, /healthz and /readyz untraced, queries left out of URLs", async () => {
    const config = loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION });
    const telemetry = await startTelemetry(config, createLogger("silent"));
    expect(distro.loaded).toBe(true);
    expect(distro.started).toHaveLength(1);
    const options = distro.started[0] as any;
    expect(options).toMatchObject({ azureMonitorExporterOptions: { connectionString: CONNECTION }, enableLiveMetrics: false, instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } } });
    const http = options.instrumentationOptions.http;
    expect(http.ignoreIncomingRequestHook({ url: "/readyz" })).toBe(true);
    expect(http.ignoreIncomingRequestHook({ url: "/healthz" })).toBe(true);
    expect(http.ignoreIncomingRequestHook({ url: "/api/messages" })).toBe(false);
    const attributes = http.startIncomingSpanHook({ url: "/api/reports/download?region=46&sig=c2VjcmV0", headers: { host: "samhandling.example.no" } });
    expect(JSON.stringify(attributes)).not.toContain("sig=");
    expect(attributes["http.target"]).toBe("/api/reports/download");
    await telemetry!.shutdown();
    expect(distro.shutdowns).toBe(1);
  });

  it("a connection string that is not one is refused at start, naming the variable", () => {
    expect(() => loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: "https://norwayeast-0.in.applicationinsights.azure.com/" })).toThrow(/APPLICATIONINSIGHTS_CONNECTION_STRING: expected an Application Insights connection string/);
  });
});
