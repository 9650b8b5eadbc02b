/**
 * Store faults with Cosmos DB, through real HTTP (issue 4): the app (STORE=cosmos) talks to the
 * in-process emulator through a proxy that answers 429 (with `x-ms-retry-after-ms`) or 503, or
 * stops listening, while told to. The bot answers correctly through a short throttling burst
 * (the SDK retries), answers "try again" with a non-5xx HTTP status during an outage, recovers
 * by itself, and no event is lost or doubled when a card action is retried.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.js";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke, type Invoker } from "../support/invoke.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad01";
const TRY_AGAIN = "Samhandling får ikke kontakt med lagringen akkurat nå. Prøv igjen om et øyeblikk.";

describe("Cosmos DB faults (17 March 2027)", () => {
  let emulator: CosmosEmulator;
  let proxy: FaultProxy;
  let h: Harness;

  beforeAll(async () => {
    emulator = await startCosmosEmulator();
    proxy = await startFaultProxy(emulator.endpoint);
    h = await startHarness({
      STORE: "cosmos",
      COSMOS_ENDPOINT: proxy.endpoint,
      COSMOS_KEY: emulator.key,
      CLOCK_NOW: "2027-03-17T10:00:00+01:00",
      ADMIN_AAD_IDS: ADMIN,
    });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await emulator?.close();
  });
  beforeEach(async () => {
    proxy.mode = "pass";
    proxy.throttle(0);
    await proxy.start().catch(() => undefined);
  });

  const status = async (conversationId: string) => {
    const started = Date.now();
    const { status, replies } = await h.say("status Vestland", { conversationId });
    return { status, replies, ms: Date.now() - started, text: replies.map((r) => r.activity.text ?? cardText(cardOf(r))).join("\n") };
  };
  const events = async (regionId: string) => (await loadCycles(h.samhandling.store, [{ regionId, year: 2027 }]))[0]!.events;
  const saveAction = async (who: Invoker, regionId: string) => {
    const opened = await invoke(h, who, "form.open", { form: "meeting.plan", regionId, year: 2027, params: { meeting: "regional-spring" } });
    expect(opened.status).toBe(200);
    return executeActions(opened.card).find((a) => a.verb === "meeting.plan")!;
  };

  it("a short 429 burst (x-ms-retry-after-ms: 50): the SDK retries and status answers correctly", async () => {
    expect((await status("warm")).text).toContain("Status – Vestland");
    proxy.throttle(2);
    const before = proxy.faults[429];
    const answer = await status("burst");
    expect(proxy.faults[429] - before).toBe(2);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("Status – Vestland");
    expect(answer.text).not.toContain(TRY_AGAIN);
  });

  it.each([
    ["throttling beyond the SDK's retries (429)", "throttled" as const],
    ["an outage (503)", "unavailable" as const],
  ])("%s: 'try again' with HTTP 200, then the correct card once the store is back", async (_, mode) => {
    proxy.mode = mode;
    const down = await status(`down-${mode}`);
    expect(down.status).toBe(200);
    expect(down.text).toBe(TRY_AGAIN);
    expect(down.ms).toBeLessThan(8_000);
    proxy.mode = "pass";
    const back = await status(`back-${mode}`);
    expect(back.status).toBe(200);
    expect(back.text).toContain("Status – Vestland");
  });

  it("the store stops listening mid-run: 'try again'; on the same port again: the correct card", async () => {
    await proxy.stop();
    const down = await status("stopped");
    expect(down.status).toBe(200);
    expect(down.text).toBe(TRY_AGAIN);
    await proxy.start();
    const back = await status("restarted");
    expect(back.status).toBe(200);
    expect(back.text).toContain("Status – Vestland");
  });

  it("a card action during an outage: 'try again' card (HTTP 200), nothing recorded; retried after it: recorded once", async () => {
    const who = { aadObjectId: ADMIN, conversationId: "outage-action" };
    const save = await saveAction(who, "46");
    proxy.mode = "unavailable";
    const failed = await invoke(h, who, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(failed.status).toBe(200);
    expect(cardText(failed.card)).toContain(TRY_AGAIN);
    proxy.mode = "pass";
    expect(await events("46")).toEqual([]);
    const saved = await invoke(h, who, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(saved.status).toBe(200);
    expect(cardText(saved.card)).toContain("✅ Registrert");
    expect(await events("46")).toHaveLength(1);
  });

  it("a card action whose write happened but whose answer was lost: retried after recovery, still one event", async () => {
    const who = { aadObjectId: ADMIN, conversationId: "lost-answer" };
    const save = await saveAction(who, "03");
    proxy.mode = "lose-write-responses";
    const failed = await invoke(h, who, "meeting.plan", { ...save.data, date: "2027-04-20" });
    // The person is told to try again: the bot cannot know the write went through.
    expect(failed.status).toBe(200);
    expect(cardText(failed.card)).toContain(TRY_AGAIN);
    proxy.mode = "pass";
    expect(await events("03")).toHaveLength(1);
    const retry = await invoke(h, who, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(retry.status).toBe(200);
    expect(cardText(retry.card)).toContain("Dette var allerede registrert.");
    expect((await events("03")).map((e) => e.data.type)).toEqual(["meeting-planned"]);
  });
});
