/**
 * Telemetry and readiness on Cosmos DB (the in-process emulator behind the fault proxy): a turn
 * records the request charge of its store calls (the emulator charges 1 RU a request) and the
 * throttles (429) the SDK retried; `/readyz` answers 503 while nothing listens where the store
 * was, 200 again when it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.js";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { installTestTelemetry, type TestTelemetry } from "../support/telemetry.js";

describe("telemetry and readiness on Cosmos DB (emulator)", () => {
  let otel: TestTelemetry;
  let emulator: CosmosEmulator;
  let proxy: FaultProxy;
  let h: Harness;
  const log: Array<Record<string, any>> = [];

  beforeAll(async () => {
    otel = installTestTelemetry();
    emulator = await startCosmosEmulator();
    proxy = await startFaultProxy(emulator.endpoint);
    h = await startHarness(
      { STORE: "cosmos", COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: emulator.key, CLOCK_NOW: "2027-03-17T10:00:00+01:00" },
      { logger: createLogger("info", { write: (line: string) => void log.push(JSON.parse(line)) }) },
    );
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await emulator?.close();
    await otel?.uninstall();
  });

  const sum = async (name: string) => (await otel.points(name)).reduce((n, p) => n + ((p.value as { sum?: number }).sum ?? (p.value as number)), 0);

  it("a status turn records its RU charge: on each store span, in the turn's total and in the request-units metric", async () => {
    otel.spans.reset();
    const before = await sum("samhandling.store.request_units");
    const { replies } = await h.say("status Vestland");
    expect(cardText(cardOf(replies[0]))).toContain("Status – Vestland");
    const [turn] = otel.named("turn");
    const stores = otel.childrenOf(turn!).filter((s) => s.name.startsWith("store."));
    expect(stores.length).toBeGreaterThan(0);
    for (const span of stores) {
      expect(span.attributes["db.system.name"]).toBe("azure.cosmosdb");
      expect(span.attributes["db.cosmosdb.request_charge"]).toBeGreaterThanOrEqual(1);
    }
    const charged = stores.reduce((n, s) => n + (s.attributes["db.cosmosdb.request_charge"] as number), 0);
    expect(turn!.attributes["db.cosmosdb.request_charge"]).toBe(charged);
    expect(await sum("samhandling.store.request_units")).toBe(before + charged);
  });

  it("a 429 burst the SDK retries is counted as throttles, on the call's span, the turn and the metric", async () => {
    otel.spans.reset();
    const before = await sum("samhandling.store.throttles");
    proxy.throttle(2);
    const { replies } = await h.say("status Vestland");
    expect(cardText(cardOf(replies[0]))).toContain("Status – Vestland");
    const [turn] = otel.named("turn");
    expect(turn!.attributes["samhandling.store.throttles"]).toBe(2);
    expect(otel.childrenOf(turn!).reduce((n, s) => n + ((s.attributes["samhandling.store.throttles"] as number) ?? 0), 0)).toBe(2);
    expect((await sum("samhandling.store.throttles")) - before).toBe(2);
  });

  it("/readyz: 503 while the store does not answer (nothing listens), logged once; 200 again when it is back", async () => {
    const readyz = async () => {
      const started = Date.now();
      const response = await fetch(`${h.url}/readyz`);
      return { status: response.status, body: (await response.json()) as any, ms: Date.now() - started };
    };
    expect((await readyz()).status).toBe(200);
    await proxy.stop();
    try {
      const down = [await readyz(), await readyz()];
      for (const answer of down) {
        expect(answer.status).toBe(503);
        expect(answer.body.error.message).toBe("the store does not answer");
        expect(["STORE_UNAVAILABLE", "STORE_TIMEOUT"]).toContain(answer.body.error.code);
        // Answered within the probe's own timeout (2 s) and a margin, whatever the SDK retries.
        expect(answer.ms).toBeLessThan(3_000);
      }
      // The public answer does not say where the store is; the log does.
      expect(JSON.stringify(down[0]!.body)).not.toContain("127.0.0.1");
    } finally {
      await proxy.start();
    }
    expect((await readyz()).status).toBe(200);
    expect(log.filter((l) => l.readyz !== undefined).map((l) => l.readyz)).toEqual(["ready", "not ready", "ready"]);
  });
});
