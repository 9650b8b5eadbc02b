/**
 * Telemetry and health (issue 13), on the embedded store through real HTTP: with an OpenTelemetry
 * SDK registered (in-memory exporters, as Azure Monitor's distro would register one), a turn is
 * one `turn` span with its store calls beneath it and its trace id in the log lines it wrote; a
 * card action's span names its verb; a tab request and a nudge run are traced and counted; no
 * span or metric carries a person's name, an Entra id or what someone typed. `/readyz` answers
 * 503 while the store does not answer, 200 again once it does, with one log line per change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { StoreUnavailableError, type DocumentStore, type StoredDocument, type WritePrecondition } from "../../src/store/store.js";
import { CONVERSATIONS_PARTITION } from "../../src/store/records.js";
import { cardOf, cardText, KARI, startHarness, type Harness } from "../support/harness.js";
import { invoke } from "../support/invoke.js";
import { chatWith, grant, person, RUN_KEY, runNudges } from "../support/nudging.js";
import { installTestTelemetry, type TestTelemetry } from "../support/telemetry.js";

const ADMIN = { aadObjectId: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };
const RUK = person(11, "Rut RUK");
/** What people wrote or are called in this file: none of it may reach telemetry. */
const PERSONAL = ["Kari Nordmann", "Anne Admin", "Rut RUK", "Alex Wilber", "status Vestland", "Vestland", "hjelp", KARI.aadObjectId!, ADMIN.aadObjectId, RUK.aadObjectId!, "29:user-1"];

/** The store, with faults switched on by the test: reads fail (an outage), or writes of conversation references do. */
function faulty(store: DocumentStore) {
  const faults = { down: false, conversationWrites: false };
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === "read")
        return async (key: Parameters<DocumentStore["read"]>[0]) => {
          if (faults.down) throw new StoreUnavailableError("injected: the store is down");
          return target.read(key);
        };
      if (property === "write")
        return async (doc: StoredDocument, precondition: WritePrecondition) => {
          if (faults.conversationWrites && doc.partition === CONVERSATIONS_PARTITION) throw new StoreUnavailableError("injected: conversation references cannot be written");
          return target.write(doc, precondition);
        };
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: wrapped, faults };
}

describe("telemetry of turns, tab requests and nudge runs (an OpenTelemetry SDK registered)", () => {
  let otel: TestTelemetry;
  let h: Harness;
  let faults: ReturnType<typeof faulty>["faults"];
  const log: Array<Record<string, any>> = [];

  beforeAll(async () => {
    otel = installTestTelemetry();
    h = await startHarness(
      { CLOCK_NOW: "2027-02-01T09:00:00+01:00", NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId },
      {
        wrapStore: (store) => {
          const f = faulty(store);
          faults = f.faults;
          return f.store;
        },
        logger: createLogger("info", { write: (line: string) => void log.push(JSON.parse(line)) }),
      },
    );
  });
  afterAll(async () => {
    await h?.close();
    await otel?.uninstall();
  });

  it("`status Vestland`: one `turn` span (a command, status) with its store calls as child spans, and its trace id in the log line it wrote", async () => {
    otel.spans.reset();
    // The conversation reference cannot be written: the turn logs a warning and still answers.
    faults.conversationWrites = true;
    const { status, replies } = await h.say("status Vestland", { conversationId: "conv-status" });
    faults.conversationWrites = false;
    expect(status).toBe(200);
    expect(cardText(cardOf(replies[0]))).toContain("Status – Vestland");

    const turns = otel.named("turn");
    expect(turns).toHaveLength(1);
    const turn = turns[0]!;
    expect(turn.attributes).toMatchObject({
      "samhandling.turn.kind": "command",
      "samhandling.turn.name": "status",
      "samhandling.turn.outcome": "ok",
      "samhandling.activity.type": "message",
      "samhandling.channel": "msteams",
      "http.response.status_code": 200,
    });
    const children = otel.childrenOf(turn);
    const names = children.map((s) => s.name);
    expect(names).toContain("store.write");
    expect(names.some((n) => n === "store.read" || n === "store.read_many")).toBe(true);
    // The failed write is an error span, with the error's code, not its message.
    const failed = children.find((s) => s.name === "store.write" && s.attributes["samhandling.store.outcome"] === "unavailable");
    expect(failed?.status).toMatchObject({ code: 2, message: "STORE_UNAVAILABLE" });
    expect(failed?.attributes).toMatchObject({ "db.system.name": "sqlite", "samhandling.store.partition": "_conversations", "samhandling.store.document_type": "conversation" });
    // The region's cycle is read from its partition (the region id, not its name).
    expect(children.some((s) => s.attributes["samhandling.store.partition"] === "46" || (s.attributes["samhandling.store.keys"] as number) > 0)).toBe(true);
    // The turn's totals.
    expect(turn.attributes["samhandling.store.writes"]).toBeGreaterThanOrEqual(1);
    expect(turn.attributes["samhandling.store.reads"]).toBeGreaterThanOrEqual(1);

    const line = log.find((l) => l.msg === "could not keep the conversation reference");
    expect(line).toBeDefined();
    expect(line!.trace_id).toBe(turn.spanContext().traceId);
    // Written while the store call's span was active: a span of this turn's trace.
    expect(otel.spans.getFinishedSpans().some((s) => s.spanContext().spanId === line!.span_id)).toBe(true);

    const durations = await otel.points("samhandling.turn.duration");
    const status_ = durations.find((p) => p.attributes["samhandling.turn.name"] === "status");
    expect(status_?.attributes).toMatchObject({ "samhandling.turn.kind": "command", "samhandling.turn.outcome": "ok" });
    expect((status_?.value as { count: number }).count).toBe(1);
  });

  it("a card action's span names its verb; a verb no card of ours carries is `unknown`, not what was sent", async () => {
    otel.spans.reset();
    const opened = await invoke(h, { aadObjectId: ADMIN.aadObjectId, name: ADMIN.name }, "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
    expect(opened.status).toBe(200);
    const made = await invoke(h, { aadObjectId: KARI.aadObjectId!, name: KARI.name }, "Kari Nordmann's secret verb", {});
    expect(made.status).toBe(200);

    const [card, unknown] = otel.named("turn");
    expect(card?.attributes).toMatchObject({ "samhandling.turn.kind": "card", "samhandling.turn.name": "form.open", "samhandling.activity.type": "invoke", "samhandling.invoke.name": "adaptiveCard/action" });
    expect(otel.childrenOf(card!).filter((s) => s.name.startsWith("store.")).length).toBeGreaterThan(0);
    expect(unknown?.attributes).toMatchObject({ "samhandling.turn.kind": "card", "samhandling.turn.name": "unknown" });
  });

  it("a tab API request is a span of its own route, with its store calls beneath it", async () => {
    otel.spans.reset();
    const response = await fetch(`${h.url}/api/tab/wheel?region=Vestland&year=2027`, { headers: { "x-samhandling-local-user": KARI.aadObjectId! } });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const [tab] = otel.named("tab GET /api/tab/wheel");
    expect(tab?.attributes).toMatchObject({ "samhandling.turn.kind": "tab", "samhandling.turn.name": "/api/tab/wheel", "http.route": "/api/tab/wheel", "http.response.status_code": 200 });
    expect(otel.childrenOf(tab!).some((s) => s.name.startsWith("store."))).toBe(true);
    const durations = await otel.points("samhandling.turn.duration");
    expect(durations.some((p) => p.attributes["samhandling.turn.kind"] === "tab" && p.attributes["samhandling.turn.name"] === "/api/tab/wheel")).toBe(true);
  });

  it("a nudge run records its counters (cards sent, deferred, unreachable, rejected) and a span with its store calls", async () => {
    otel.spans.reset();
    await grant(h, RUK, { kind: "national-coordinator" });
    await chatWith(h, RUK);
    const summary = await runNudges(h);
    expect(summary).toMatchObject({ sent: { cards: 1 }, deferred: 0, unreachable: 0, rejected: 0 });

    const sum = async (name: string) => (await otel.points(name)).reduce((n, p) => n + (p.value as number), 0);
    expect(await sum("samhandling.nudge.cards_sent")).toBe(1);
    expect(await sum("samhandling.nudge.deferred")).toBe(0);
    expect(await sum("samhandling.nudge.unreachable")).toBe(0);
    expect(await sum("samhandling.nudge.rejected")).toBe(0);
    const runs = await otel.points("samhandling.nudge.runs");
    expect(runs.find((p) => p.attributes["samhandling.nudge.trigger"] === "run")).toMatchObject({ attributes: { "samhandling.nudge.outcome": "ran" }, value: 1 });

    const [run] = otel.named("nudges.run").filter((s) => s.attributes["samhandling.nudge.trigger"] === "run");
    expect(run?.attributes).toMatchObject({ "samhandling.nudge.cards_sent": 1, "samhandling.nudge.outcome": "ran" });
    expect(otel.childrenOf(run!).some((s) => s.name.startsWith("store."))).toBe(true);
  });

  it("no span or metric attribute holds a person's name, an Entra object id or anything someone typed", async () => {
    const values = await otel.everyAttributeValue();
    expect(values.length).toBeGreaterThan(100);
    const found = PERSONAL.flatMap((needle) => values.filter((v) => v.toLowerCase().includes(needle.toLowerCase())).map((v) => `${needle} in ${JSON.stringify(v)}`));
    expect(found).toEqual([]);
  });

  it("/readyz: 200 while the store answers; 503 in the error shape while it does not, logged once; 200 again once it is back", async () => {
    const readyz = async () => {
      const response = await fetch(`${h.url}/readyz`);
      return { status: response.status, body: (await response.json()) as any };
    };
    const lines = () => log.filter((l) => l.readyz !== undefined);
    const up = await readyz();
    expect(up).toMatchObject({ status: 200, body: { status: "ready", store: "sqlite" } });

    faults.down = true;
    const down = [await readyz(), await readyz(), await readyz()];
    for (const answer of down) expect(answer).toMatchObject({ status: 503, body: { error: { code: "STORE_UNAVAILABLE", message: "the store does not answer" } } });
    // Liveness is not the store's business.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    faults.down = false;
    expect(await readyz()).toMatchObject({ status: 200 });
    expect(await readyz()).toMatchObject({ status: 200 });

    // One line per change of state, not per probe: ready, not ready (with the cause), ready again.
    expect(lines().map((l) => [l.level, l.readyz])).toEqual([
      [30, "ready"],
      [50, "not ready"],
      [30, "ready"],
    ]);
    expect(lines()[1]!.reason).toContain("injected: the store is down");
    // The probes are not traced as turns.
    expect(otel.spans.getFinishedSpans().some((s) => s.name.includes("readyz"))).toBe(false);
  });
});
