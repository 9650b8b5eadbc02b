/**
 * Who may do what, through real HTTP (issue 11, "Identity comes only from Teams"): every card
 * verb and every command that writes, against every kind of caller. One row per verb: the data a
 * card would send, and who may. Each cell checks the answer and the store: a refused caller
 * writes nothing; an allowed one writes (for the verbs that write).
 *
 * The callers: the roles of src/domain/roles.ts (admin, RUK AU = national-coordinator, the
 * coordinator of Vestland, the coordinator of another region, Innovasjon Norge's national and
 * Vestland contacts, a viewer), someone Teams sends without an Entra ID object id, and an admin's
 * object id arriving from another Bot Framework channel (Web Chat lets the client write `from`).
 *
 * Every allowed write gets a world of its own (a fresh store), so that one caller's write is not
 * the next one's "already done"; the refused callers and the reads share one world per row, and
 * must leave it as it was. A verb a card can carry that has no row here fails the first test.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { appendToAgreement } from "../../src/app/report-store.js";
import { appendToCycle } from "../../src/app/cycles.js";
import { HANDLED_VERBS } from "../../src/bot/card-actions.js";
import type { Role } from "../../src/domain/roles.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { BOT, cardOf, cardText, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { executeActions } from "../support/invoke.js";

/** Tuesday 20 April 2027: Vestland's spring report round is open (meeting 12 May, due 5 May). */
const NOW = DateTime.fromISO("2027-04-20T10:00:00+02:00");
const REGION = "46"; // Vestland
const OTHER_REGION = "50"; // Trøndelag
const CHANNEL = "19:vestland-samhandling@thread.tacv2";

const person = (n: string, name: string): TeamsUser => ({ id: `29:${n}`, aadObjectId: `00000000-0000-0000-0000-0000000${n}`, name });
const PEOPLE = {
  admin: person("0000ad1", "Anne Admin"),
  ruk: person("0000ru1", "Rut RUK"),
  coordinator: person("00000c1", "Kari Koordinator"),
  otherCoordinator: person("00000c2", "Trond Trøndelag"),
  agencyNational: person("00000a1", "Ingrid Innovasjon"),
  agencyRegional: person("00000a2", "Vegard Vestland-IN"),
  viewer: person("00000e1", "Vera Viewer"),
} as const;
/** Someone granted and revoked by the admin verbs and commands. */
const TARGET = person("00000f1", "Tor Target");
type Person = keyof typeof PEOPLE;
const ROLES: Record<Person, Role[]> = {
  admin: [], // ADMIN_AAD_IDS
  ruk: [{ kind: "national-coordinator" }],
  coordinator: [{ kind: "region-coordinator", regionId: REGION }],
  otherCoordinator: [{ kind: "region-coordinator", regionId: OTHER_REGION }],
  agencyNational: [{ kind: "agency-rep", agency: "IN" }],
  agencyRegional: [{ kind: "agency-rep", agency: "IN", regionId: REGION }],
  viewer: [],
};
const PERSONS = Object.keys(PEOPLE) as Person[];
/** Every caller: the roles, and the two who are nobody. */
const CALLERS = [...PERSONS, "noEntraId", "otherChannel"] as const;
type Caller = (typeof CALLERS)[number];

const NO_IDENTITY = "Jeg ser ikke hvem du er";
const NOT_TEAMS = "kan bare gjøres fra Microsoft Teams";

// — the world: one store, seeded as a real installation would be by April —

interface World {
  h: Harness;
  /** Every stored document but the conversation references (any Teams activity keeps those): key → etag. */
  documents(): Map<string, { type: string; etag: string }>;
}

async function openWorld(): Promise<World> {
  // The 2017 model with a step of its own (issue 13), so that its «Gjort» (step.done) is held to the roles too.
  const h = await startHarness({ ADMIN_AAD_IDS: PEOPLE.admin.aadObjectId!, MODEL_PATH: "models/2017-with-extra-step.yaml" }, { clock: () => NOW });
  const { app, store } = h.samhandling;
  const admin = { id: PEOPLE.admin.aadObjectId!, name: PEOPLE.admin.name };
  for (const who of PERSONS) for (const role of ROLES[who]) await app.people.grant(admin, { id: PEOPLE[who].aadObjectId!, name: PEOPLE[who].name }, role);
  await app.people.grant(admin, { id: TARGET.aadObjectId!, name: TARGET.name }, { kind: "region-coordinator", regionId: "11" });
  await app.people.bind(admin, CHANNEL, REGION);
  for (const user of [...Object.values(PEOPLE), TARGET]) h.connector.members.set(user.id, { id: user.id, name: user.name, aadObjectId: user.aadObjectId! });
  await record(store, "national", 2027, ...NATIONAL_MEETINGS_2027);
  await record(store, REGION, 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" });
  // The admin's own change of a minute ago: only they may undo it.
  await appendToCycle(store, REGION, 2027, () => [
    { id: "admins-change", recordedAt: NOW.minus({ minutes: 1 }).toUTC().toISO()!, by: admin, data: { type: "invitations-sent", meeting: "regional-spring", date: "2027-04-19" } },
  ]);
  await appendToAgreement(store, REGION, 2027, () => ({
    events: [{ id: "task-t1", recordedAt: "2027-01-10T09:00:00+01:00", by: admin, data: { type: "task-added", task: { id: "t1", title: "Klyngeprogram", responsible: ["IN"] } } }],
    result: undefined,
  }));
  const file = join(h.dir, "samhandling.db");
  return {
    h,
    documents() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare("SELECT partition, id, type, etag FROM documents WHERE type <> 'conversation'").all() as Array<{ partition: string; id: string; type: string; etag: string }>;
        return new Map(rows.map((r) => [`${r.partition}/${r.id}`, { type: r.type, etag: r.etag }]));
      } finally {
        db.close();
      }
    },
  };
}

/** The types of the documents written or removed between two snapshots. */
function written(before: Map<string, { type: string; etag: string }>, after: Map<string, { type: string; etag: string }>): string[] {
  const types = new Set<string>();
  for (const [key, doc] of after) if (before.get(key)?.etag !== doc.etag) types.add(doc.type);
  for (const [key, doc] of before) if (!after.has(key)) types.add(doc.type);
  return [...types].sort();
}

// — how a caller reaches the bot —

interface Where {
  /** In Vestland's channel (bound to Vestland) rather than the caller's 1:1 chat. */
  channel?: boolean;
}

function from(caller: Caller) {
  if (caller === "noEntraId") return { id: "29:no-entra-id", name: "Gjest" };
  // The admin's real object id, written by a Web Chat client: not an identity.
  if (caller === "otherChannel") return { id: PEOPLE.admin.aadObjectId!, aadObjectId: PEOPLE.admin.aadObjectId!, name: PEOPLE.admin.name };
  return { id: PEOPLE[caller].id, aadObjectId: PEOPLE[caller].aadObjectId!, name: PEOPLE[caller].name };
}

function conversation(caller: Caller, where: Where) {
  return where.channel ? { id: `${CHANNEL};messageid=1`, conversationType: "channel", tenantId: "tenant-1" } : { id: `a:${caller}`, conversationType: "personal", tenantId: "tenant-1" };
}

/** A card action (`adaptiveCard/action` invoke) from this caller; the answer is the card that replaces theirs. */
async function click(h: Harness, caller: Caller, verb: string, data: unknown, where: Where = {}): Promise<string> {
  const response = await h.post({
    type: "invoke",
    name: "adaptiveCard/action",
    id: randomUUID(),
    channelId: caller === "otherChannel" ? "webchat" : "msteams",
    serviceUrl: h.connector.url,
    locale: "nb-NO",
    conversation: conversation(caller, where),
    from: from(caller),
    recipient: BOT,
    replyToId: "card-message-1",
    value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
  });
  expect(response.status, `${verb} by ${caller}: ${response.body}`).toBe(200);
  return cardText(JSON.parse(response.body).value);
}

/** A typed command from this caller; the answer is the bot's reply. */
async function say(h: Harness, caller: Caller, text: string, where: Where = {}, mentions: TeamsUser[] = []): Promise<string> {
  const { id: conversationId, conversationType } = conversation(caller, where);
  const { status, replies } = await h.sayWith(
    {
      ...(caller === "otherChannel" ? { channelId: "webchat" } : {}),
      ...(mentions.length > 0 ? { entities: mentions.map((m) => ({ type: "mention", text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } })) } : {}),
      text: mentions.reduce((t, m) => t.replace("@", `<at>${m.name}</at>`), text),
    },
    { conversationId, conversationType: conversationType as "personal" | "channel", from: from(caller) as TeamsUser },
  );
  expect(status).toBe(200);
  return cardText(cardOf(replies.at(-1)));
}

// — the table —

/** The data a row sends: fixed, or taken from a card the admin opens first (as a person would click through). */
type Data = unknown | ((w: World) => Promise<unknown>);
const actionId = () => randomUUID();
const K = { regionId: REGION, year: 2027 } as const;
const ROUND = { ...K, round: "spring", agency: "IN" } as const;

/** The data of `verb`'s button on the card `openVerb` answers the admin with, plus what the person types. */
function fromCard(openVerb: string, openData: unknown, verb: string, typed: Record<string, unknown> = {}): Data {
  return async (w: World) => {
    const response = JSON.parse((await w.h.post(invokeBody(w.h, openVerb, openData))).body);
    const action = executeActions(response.value).find((a) => a.verb === verb);
    if (!action) throw new Error(`no ${verb} on the card of ${openVerb}: ${cardText(response.value)}`);
    return { ...action.data, ...typed };
  };
}

function invokeBody(h: Harness, verb: string, data: unknown) {
  return {
    type: "invoke", name: "adaptiveCard/action", id: randomUUID(), channelId: "msteams", serviceUrl: h.connector.url, locale: "nb-NO",
    conversation: conversation("admin", {}), from: from("admin"), recipient: BOT, value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
  };
}

interface Row {
  verb: string;
  data: Data;
  /** Who may: "everyone" with a Teams identity, or these roles. */
  may: "everyone" | readonly Person[];
  /** The types of the documents an allowed caller writes; none for a read. */
  writes?: readonly string[];
  where?: Where;
  /** Done as the admin before the snapshot (what the verb needs to exist first). */
  setup?: (w: World) => Promise<void>;
}

const REGION_LEADERS = ["admin", "coordinator"] as const;
const REPORT_WRITERS = ["admin", "coordinator", "agencyNational", "agencyRegional"] as const;
const ADMIN_ONLY = ["admin"] as const;
const Y2026 = { regionId: REGION, year: 2026 } as const;
/** A step of the wheel recorded from its form: the cycle is written. */
const record_ = (verb: string, where: { regionId: string; year: number }, params: object, typed: object, may: readonly Person[]): Row => ({
  verb,
  data: { ...where, actionId: actionId(), params, acceptLate: "", ...typed },
  may,
  writes: ["cycle"],
});

const CARD_ROWS: Row[] = [
  // Reads: anyone Teams names may look; nothing is written.
  { verb: "status.refresh", data: { regionId: REGION }, may: "everyone" },
  { verb: "form.open", data: { form: "meeting.plan", ...K, params: { meeting: "regional-autumn" } }, may: "everyone" },
  { verb: "history.page", data: { regionId: REGION, page: 1 }, may: "everyone" },
  { verb: "report.summary", data: { ...K, round: "spring" }, may: "everyone" },
  { verb: "report.export", data: { ...K, round: "spring", format: "md" }, may: "everyone" },
  { verb: "backfill.open", data: { ...K, scope: "region" }, may: "everyone" },
  { verb: "plan.open", data: { ...K, kind: "regional" }, may: "everyone" },
  { verb: "agreement.open", data: K, may: "everyone" },
  { verb: "agreement.task.open", data: { ...K, taskId: "t1" }, may: "everyone" },
  { verb: "agreement.paste.open", data: K, may: "everyone" },
  { verb: "agreement.paste.preview", data: { ...K, paste: "Grønn omstilling; IN" }, may: "everyone" },
  { verb: "agreement.parties.open", data: K, may: "everyone" },
  { verb: "report.open", data: ROUND, may: "everyone" },
  { verb: "report.task", data: { ...ROUND, tasks: "t1" }, may: "everyone" },
  { verb: "report.general", data: ROUND, may: "everyone" },
  // The wheel's steps (mayRecord): the region's own steps are its coordinator's, national ones RUK AU's, an agency's its contacts'.
  // Steps of 2026 are from before the tracking start (20 April 2027): recordable now, with dates in their windows.
  record_("meeting.plan", K, { meeting: "regional-autumn" }, { date: "2027-11-03", place: "Bergen" }, REGION_LEADERS),
  record_("meeting.invited", Y2026, { meeting: "regional-autumn" }, { date: "2026-11-10" }, REGION_LEADERS),
  record_("meeting.held", K, { meeting: "regional-spring" }, { date: "2027-04-20" }, REGION_LEADERS),
  record_("report.submitted", K, { agency: "IN", round: "spring" }, { date: "2027-04-20" }, ["admin", "agencyNational", "agencyRegional"]),
  record_("draft.ready", Y2026, {}, { date: "2026-12-01" }, REGION_LEADERS),
  record_("political.recorded", Y2026, {}, { date: "2027-01-20", body: "Fylkestinget", caseNumber: "2027/123", outcome: "approved" }, REGION_LEADERS),
  record_("stateBudget.adopted", { regionId: "national", year: 2026 }, {}, { date: "2026-12-10" }, ["admin", "ruk"]),
  record_("allocationLetter.received", Y2026, { agency: "IN" }, { date: "2027-01-20" }, ["admin", "agencyNational"]),
  record_("regionalBudget.adopted", Y2026, {}, { date: "2026-12-10" }, REGION_LEADERS),
  // An agency's signature binds its office in the region: its regional contact signs, not the national one (roles.ts).
  record_("agreement.signed", Y2026, { party: "IN" }, { date: "2027-01-20" }, ["admin", "agencyRegional"]),
  record_("commission.sent", Y2026, { agency: "IN" }, { date: "2027-01-20" }, REGION_LEADERS),
  record_("step.done", Y2026, { step: "regional-input-national-autumn" }, { date: "2026-09-10" }, REGION_LEADERS),
  { verb: "plan.regional", data: { ...K, actionId: actionId(), from: "2025", to: "2028", title: "Regional plan for innovasjon" }, may: REGION_LEADERS, writes: ["cycle"] },
  { verb: "plan.action", data: { ...K, actionId: actionId(), date: "2027-02-10" }, may: REGION_LEADERS, writes: ["cycle"] },
  { verb: "backfill.save", data: fromCard("backfill.open", { ...Y2026, scope: "region" }, "backfill.save", { d0: "2026-05-05" }), may: REGION_LEADERS, writes: ["cycle"] },
  { verb: "undo", data: { regionId: REGION, aggregateId: REGION, year: 2027, eventId: "admins-change", actionId: actionId() }, may: ADMIN_ONLY, writes: ["cycle"] },
  // Snoozing one's own reminders (1:1 chat) is anyone's; a channel's, only theirs who may record the step (app/snooze.ts).
  { verb: "nudge.snooze", data: { ...K, stepKey: "regional-spring-meeting-held", for: "week" }, may: "everyone", writes: ["mailbox"] },
  { verb: "nudge.snooze", data: { ...K, stepKey: "regional-spring-meeting-held", for: "week" }, may: REGION_LEADERS, writes: ["mailbox"], where: { channel: true } },
  // Roles and bindings: administrators only.
  { verb: "role.grant", data: { person: TARGET.aadObjectId, kind: "agency-rep", agency: "SIVA", region: "" }, may: ADMIN_ONLY, writes: ["roles"] },
  { verb: "role.revoke", data: { person: TARGET.aadObjectId, kind: "region-coordinator", region: "11", agency: "" }, may: ADMIN_ONLY, writes: ["roles"] },
  { verb: "channel.bind", data: { channelRegion: "11" }, may: ADMIN_ONLY, writes: ["bindings"], where: { channel: true } },
  { verb: "channel.unbind", data: {}, may: ADMIN_ONLY, writes: ["bindings"], where: { channel: true } },
  // The agreement (§2.1, §3.3): the region's coordinator and the admins.
  { verb: "agreement.task.save", data: { ...K, taskId: "t1", actionId: actionId(), title: "Klyngeprogram for havnæringene", responsible: "IN" }, may: REGION_LEADERS, writes: ["agreement"] },
  { verb: "agreement.task.remove", data: { ...K, taskId: "t1", actionId: actionId() }, may: REGION_LEADERS, writes: ["agreement"] },
  { verb: "agreement.paste.save", data: { ...K, actionId: actionId(), paste: "Grønn omstilling; IN" }, may: REGION_LEADERS, writes: ["agreement"] },
  { verb: "agreement.parties.save", data: { ...K, actionId: actionId(), partyAgencies: "IN,SIVA", commissionAgencies: "IN" }, may: REGION_LEADERS, writes: ["agreement"] },
  { verb: "agreement.copy", data: { regionId: REGION, year: 2028, actionId: actionId() }, may: REGION_LEADERS, writes: ["agreement"] },
  // The follow-up report (mayWriteReport, mayNameDeputy, mayWaiveReport in src/domain/reports.ts).
  { verb: "report.save", data: { ...ROUND, actionId: actionId(), form: "tasks", tasks: "t1", "status-t1": "on-track", "comment-t1": "I rute." }, may: REPORT_WRITERS, writes: ["report"] },
  {
    verb: "report.submit",
    data: { ...ROUND, actionId: actionId() },
    may: REPORT_WRITERS,
    writes: ["cycle", "report"],
    setup: async (w) => void (await w.h.post(invokeBody(w.h, "report.save", { ...ROUND, actionId: actionId(), form: "tasks", tasks: "t1", "status-t1": "on-track", "comment-t1": "I rute." }))),
  },
  { verb: "report.deputy", data: { ...ROUND, actionId: actionId(), person: TARGET.aadObjectId }, may: REPORT_WRITERS, writes: ["report"] },
  {
    verb: "report.deputy.remove",
    data: { ...ROUND, actionId: actionId(), person: TARGET.aadObjectId },
    may: REPORT_WRITERS,
    writes: ["report"],
    setup: async (w) => void (await w.h.post(invokeBody(w.h, "report.deputy", { ...ROUND, actionId: actionId(), person: TARGET.aadObjectId }))),
  },
  { verb: "report.waive", data: { ...ROUND, actionId: actionId(), reason: "Ingen oppgaver i år." }, may: REGION_LEADERS, writes: ["cycle", "report"] },
  {
    verb: "report.waive.undo",
    data: { ...ROUND, actionId: actionId() },
    may: REGION_LEADERS,
    writes: ["cycle", "report"],
    setup: async (w) => void (await w.h.post(invokeBody(w.h, "report.waive", { ...ROUND, actionId: actionId(), reason: "Ingen oppgaver i år." }))),
  },
];

/** The commands that write (src/bot/commands.ts): the admin's, and one's own language. */
interface CommandRow {
  text: string;
  may: "everyone" | readonly Person[];
  writes: readonly string[];
  where?: Where;
  mentions?: TeamsUser[];
}
const COMMAND_ROWS: CommandRow[] = [
  { text: "gi @ aktør SIVA", mentions: [TARGET], may: ADMIN_ONLY, writes: ["roles"], where: { channel: true } },
  { text: "fjern @ koordinator Rogaland", mentions: [TARGET], may: ADMIN_ONLY, writes: ["roles"], where: { channel: true } },
  { text: "bind Rogaland", may: ADMIN_ONLY, writes: ["bindings"], where: { channel: true } },
  { text: "løs", may: ADMIN_ONLY, writes: ["bindings"], where: { channel: true } },
  // Everyone chooses their own language; nobody can choose it for someone else.
  { text: "språk nynorsk", may: "everyone", writes: ["person"] },
];

// — the runs —

const opened: World[] = [];
afterAll(async () => {
  await Promise.all(opened.map((w) => w.h.close()));
});
async function world(): Promise<World> {
  const w = await openWorld();
  opened.push(w);
  return w;
}
async function closeAll(worlds: World[]) {
  for (const w of worlds) {
    opened.splice(opened.indexOf(w), 1);
    await w.h.close();
  }
}

const allowed = (may: Row["may"], caller: Caller) => caller !== "noEntraId" && caller !== "otherChannel" && (may === "everyone" || (may as readonly string[]).includes(caller));

/** Runs one row: each caller acts once; returns what each saw and what they wrote. */
async function runRow(act: (w: World, caller: Caller) => Promise<string>, may: Row["may"], writes: readonly string[], setup?: (w: World) => Promise<void>) {
  const outcome: Record<string, { text: string; written: string[] }> = {};
  const prepare = async () => {
    const w = await world();
    await setup?.(w);
    return w;
  };
  // The refused, and everyone for a read, in one world that must stay as it was.
  const shared = await prepare();
  const worlds = [shared];
  try {
    for (const caller of CALLERS) {
      if (writes.length > 0 && allowed(may, caller)) continue;
      const before = shared.documents();
      const text = await act(shared, caller);
      outcome[caller] = { text, written: written(before, shared.documents()) };
    }
    // Each allowed writer in a fresh world, so that the write is theirs to make.
    await Promise.all(
      CALLERS.filter((caller) => writes.length > 0 && allowed(may, caller)).map(async (caller) => {
        const w = await prepare();
        worlds.push(w);
        const before = w.documents();
        const text = await act(w, caller);
        outcome[caller] = { text, written: written(before, w.documents()) };
      }),
    );
  } finally {
    await closeAll(worlds);
  }
  return outcome;
}

function expectOutcome(outcome: Record<string, { text: string; written: string[] }>, may: Row["may"], writes: readonly string[]) {
  const expected: Record<string, { allowed: boolean; written: string[] }> = {};
  const actual: Record<string, { allowed: boolean; written: string[] }> = {};
  for (const caller of CALLERS) {
    const { text, written } = outcome[caller]!;
    const ok = allowed(may, caller);
    expected[caller] = { allowed: ok, written: ok ? [...writes].sort() : [] };
    actual[caller] = { allowed: !text.includes(NO_IDENTITY) && !text.includes(NOT_TEAMS) && (writes.length === 0 || written.length > 0), written };
  }
  // One comparison for the whole row: a failure shows every caller at once.
  expect(actual, JSON.stringify(Object.fromEntries(CALLERS.map((c) => [c, outcome[c]!.text.split("\n").slice(0, 3).join(" | ")])), null, 1)).toEqual(expected);
  // Nobody is told what they cannot do as if it were done: the two without an identity get the reason.
  expect(outcome.noEntraId!.text).toContain(NO_IDENTITY);
  expect(outcome.otherChannel!.text).toContain(NOT_TEAMS);
}

describe("authorization: every card verb and every command that writes, for every caller", () => {
  it("the table has one row for every verb a card can carry, and no other", () => {
    const rows = CARD_ROWS.map((r) => `${r.verb}${r.where?.channel ? " in a channel" : ""}`);
    expect(new Set(rows).size, "a verb has two rows for the same place").toBe(rows.length);
    // A new verb must join the table, with who may use it.
    expect([...new Set(CARD_ROWS.map((r) => r.verb))].sort()).toEqual([...HANDLED_VERBS].sort());
  });

  it("another channel cannot place a person's chat: no conversation reference is kept for the id it names", async () => {
    const w = await world();
    try {
      const conversations = () => {
        const db = new Database(join(w.h.dir, "samhandling.db"), { readonly: true });
        try {
          return (db.prepare("SELECT body FROM documents WHERE type = 'conversation'").all() as Array<{ body: string }>).map((r) => r.body);
        } finally {
          db.close();
        }
      };
      expect(await say(w.h, "otherChannel", "status Vestland")).toContain("Status – Vestland"); // reading is anyone's
      expect(conversations().filter((body) => body.includes(PEOPLE.admin.aadObjectId!))).toEqual([]);
      // The same from Teams is kept: that is where the admin's nudges go.
      await say(w.h, "admin", "status Vestland");
      expect(conversations().filter((body) => body.includes(PEOPLE.admin.aadObjectId!))).toHaveLength(1);
    } finally {
      await closeAll([w]);
    }
  });

  it.each(["otherChannel", "noEntraId"] as const)("file consent from %s: no file is made or uploaded, and the person is told why", async (caller) => {
    const w = await world();
    try {
      const conversationId = `a:${caller}`;
      const response = await w.h.post({
        type: "invoke", name: "fileConsent/invoke", id: randomUUID(), channelId: caller === "otherChannel" ? "webchat" : "msteams", serviceUrl: w.h.connector.url, locale: "nb-NO",
        conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-1" }, from: from(caller), recipient: BOT, replyToId: "consent-card-1",
        value: {
          type: "fileUpload", action: "accept", context: { ...ROUND, format: "md", lang: "nb" },
          uploadInfo: { name: "rapport.md", uploadUrl: `${w.h.connector.url}/upload/rapport.md`, contentUrl: "https://example.sharepoint.com/rapport.md", uniqueId: "u-1", fileType: "md" },
        },
      });
      expect(response.status).toBe(200);
      expect(w.h.connector.uploads).toEqual([]);
      expect(cardText(cardOf(w.h.connector.to(conversationId).at(-1)))).toContain(caller === "otherChannel" ? NOT_TEAMS : NO_IDENTITY);
    } finally {
      await closeAll([w]);
    }
  });

  describe.concurrent("card verbs", () => {
    it.each(CARD_ROWS.map((row) => [`${row.verb}${row.where?.channel ? " (in a channel)" : ""}`, row] as const))("%s", async (_name, row) => {
      let data: unknown;
      const outcome = await runRow(
        async (w, caller) => {
          // Data taken from a card is taken afresh in each world (its action ids are the world's own).
          data = typeof row.data === "function" ? await (row.data as (w: World) => Promise<unknown>)(w) : row.data;
          return click(w.h, caller, row.verb, data, row.where);
        },
        row.may,
        row.writes ?? [],
        row.setup,
      );
      expectOutcome(outcome, row.may, row.writes ?? []);
    });
  });

  describe.concurrent("commands that write", () => {
    it.each(COMMAND_ROWS.map((row) => [row.text, row] as const))("%s", async (_text, row) => {
      const outcome = await runRow((w, caller) => say(w.h, caller, row.text, row.where, row.mentions), row.may, row.writes);
      expectOutcome(outcome, row.may, row.writes);
    });
  });
});
