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
import { RedactingSpanProcessor } from "../../src/telemetry/redact.js";
import { SpanKind } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

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
    // Every span passes the redacting processor before export (below).
    expect(options.spanProcessors.some((p: unknown) => p instanceof RedactingSpanProcessor)).toBe(true);
    await telemetry!.shutdown();
    expect(distro.shutdowns).toBe(1);
  });

  it("the HTTP calls' URLs keep only their fixed words: no conversation id, document id (an Entra id) or query; a server span's client address is blanked", async () => {
    const CONVERSATION = "a:1Xyz-PersonalChatWithKari_0123456789";
    const ENTRA = "00000000-0000-0000-0000-000000000046";
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new RedactingSpanProcessor(), new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer("test");
    // As the HTTP instrumentation and the Azure SDK's tracing policy start them: the URL set at start.
    tracer
      .startSpan("POST", {
        kind: SpanKind.CLIENT,
        attributes: { "http.method": "POST", "url.full": `https://smba.trafficmanager.net/emea/v3/conversations/${encodeURIComponent(CONVERSATION)}/activities/1%3A2?x=${ENTRA}` },
      })
      .end();
    tracer
      .startSpan("HTTP GET", { kind: SpanKind.CLIENT, attributes: { "http.method": "GET", "http.url": `https://samhandling.documents.azure.com:443/dbs/samhandling/colls/samhandling/docs/${ENTRA}`, "http.target": `/dbs/samhandling/colls/samhandling/docs/${ENTRA}` } })
      .end();
    tracer.startSpan("GET", { kind: SpanKind.SERVER, attributes: { "http.target": "/api/tab/wheel?region=46", "client.address": "203.0.113.7", "net.sock.peer.addr": "203.0.113.7", "url.query": "region=46" } }).end();
    const [bot, cosmos, tab] = exporter.getFinishedSpans();
    expect(bot!.attributes["url.full"]).toBe("https://smba.trafficmanager.net/emea/v3/conversations/{id}/activities/{id}");
    expect(cosmos!.attributes["http.url"]).toBe("https://samhandling.documents.azure.com/dbs/samhandling/colls/samhandling/docs/{id}");
    expect(cosmos!.attributes["http.target"]).toBe("/dbs/samhandling/colls/samhandling/docs/{id}");
    expect(tab!.attributes).toMatchObject({ "http.target": "/api/tab/wheel", "url.query": "", "client.address": "0.0.0.0", "net.sock.peer.addr": "0.0.0.0" });
    const all = JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes));
    for (const secret of [ENTRA, CONVERSATION, encodeURIComponent(CONVERSATION), "203.0.113.7"]) expect(all).not.toContain(secret);
    await provider.shutdown();
  });

  it("a connection string that is not one is refused at start, naming the variable", () => {
    expect(() => loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: "https://norwayeast-0.in.applicationinsights.azure.com/" })).toThrow(/APPLICATIONINSIGHTS_CONNECTION_STRING: expected an Application Insights connection string/);
  });
});
