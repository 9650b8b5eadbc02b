/**
 * Property-based fuzzing of the HTTP edge (issue 11), shared by test/fuzz/edge.fuzz.test.ts (a
 * bounded count in `npm test`) and bench/fuzz.ts (`npm run bench -- fuzz`, ≥ 20 000 requests).
 *
 * The world is one real app (startHarness: compose(), SQLite, fake connector) seeded as an
 * installation is by April 2027: roles, a bound channel, RUK AU's meetings, a planned regional
 * meeting, an agreement task. Cases are generated from realistic shapes — every card verb
 * (`HANDLED_VERBS`) with the data its card sends (as in test/bot/authorization.http.test.ts), the
 * typed commands, the activity envelope, the other invoke names — and then mutated: fields
 * dropped, types swapped, huge strings, deep nesting, unicode, Markdown, `${…}`, numbers out of
 * range, unknown regions, agencies, rounds and years. Plus raw HTTP: compressed bodies, other
 * content types, bodies that are not JSON, bodies over the limit.
 *
 * Invariants, per request: an answer (no hang, no reset) below 500; no error logged (a turn that
 * threw is a crash the edge hid); no write by a caller without a role beyond their own
 * conversation reference, language and reminders. Per run: `/healthz` answers 200, and the heap
 * (after a collection) stays within a generous bound. Requests run one at a time, so a write is
 * the request's that was in flight.
 */
import { randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { DateTime } from "luxon";
import { pino } from "pino";
import { appendToAgreement } from "../../src/app/report-store.js";
import { appendToCycle } from "../../src/app/cycles.js";
import { HANDLED_VERBS } from "../../src/bot/card-actions.js";
import { AGENCY_IDS, REGIONS } from "../../src/domain/regions.js";
import type { Role } from "../../src/domain/roles.js";
import type { DocumentStore } from "../../src/store/store.js";
import { NATIONAL_MEETINGS_2027, record } from "./events.js";
import { BOT, startHarness, type Harness } from "./harness.js";
import { APP_ID, FixedTokenCredentials, mintToken, startLogin, strangerKey, teamsClaims, tokenHeader } from "./local-login.js";

/** Tuesday 20 April 2027: Vestland's spring report round is open. */
export const FUZZ_NOW = "2027-04-20T10:00:00+02:00";
const FIXED_NOW = DateTime.fromISO(FUZZ_NOW);
const REGION = "46"; // Vestland
const CHANNEL = "19:vestland-samhandling@thread.tacv2";

const person = (n: string, name: string) => ({ id: `29:${n}`, aadObjectId: `00000000-0000-0000-0000-0000000${n}`, name });
const ADMIN = person("0000ad1", "Anne Admin");
const COORDINATOR = person("00000c1", "Kari Koordinator");
const VIEWER = person("00000e1", "Vera Viewer");
const TARGET = person("00000f1", "Tor Target");

/**
 * Who sends: an admin and a coordinator (their writes are allowed, their requests explore the
 * deeper paths), and the callers without a role: a viewer, someone without an Entra id, nobody at
 * all (no `from`), and the admin's object id from another channel (Web Chat lets the client write it).
 */
export const CALLERS = ["admin", "coordinator", "viewer", "noEntraId", "noFrom", "otherChannel"] as const;
export type Caller = (typeof CALLERS)[number];
const ROLELESS: ReadonlySet<Caller> = new Set(["viewer", "noEntraId", "noFrom", "otherChannel"]);

/**
 * What a caller without a role may write: every Teams activity keeps its conversation reference,
 * and anyone chooses their own language (`person`) and snoozes their own reminders (`mailbox`).
 * Nothing else: no cycle, agreement, report, roles, bindings or settings.
 */
const ROLELESS_WRITES: ReadonlySet<string> = new Set(["conversation", "person", "mailbox"]);

function fromOf(caller: Caller): Record<string, unknown> | undefined {
  switch (caller) {
    case "admin":
    case "otherChannel":
      return { ...ADMIN };
    case "coordinator":
      return { ...COORDINATOR };
    case "viewer":
      return { ...VIEWER };
    case "noEntraId":
      return { id: "29:no-entra-id", name: "Gjest" };
    case "noFrom":
      return undefined;
  }
}

// — the world —

export interface FuzzWorld {
  h: Harness;
  /** Writes and removes since the last `takeWrites`, by document type. */
  takeWrites(): string[];
  /** Error lines logged since the last `takeErrors` (a turn that threw, a request that failed). */
  takeErrors(): string[];
  /** Replies the connector refused (4xx): logged errors that are Teams' answer to an absurd activity, not ours. */
  connectorRefusals: number;
  close(): Promise<void>;
}

/** A store that notes the type of every document written or removed (a remove reads the type first). */
function noting(inner: DocumentStore, writes: string[]): DocumentStore {
  return {
    kind: inner.kind,
    read: (key) => inner.read(key),
    readMany: (keys) => inner.readMany(keys),
    write(doc, precondition) {
      writes.push(doc.type);
      return inner.write(doc, precondition);
    },
    async remove(key, precondition) {
      writes.push(`${(await inner.read(key))?.doc.type ?? "unknown"} (removed)`);
      return inner.remove(key, precondition);
    },
    list: (type, partition) => inner.list(type, partition),
    close: () => inner.close(),
  };
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const writes: string[] = [];
  const errors: string[] = [];
  // Error lines only, kept short: the invariant is that there are none.
  const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line.slice(0, 2000)) });
  const h = await startHarness(
    { ADMIN_AAD_IDS: ADMIN.aadObjectId },
    { clock: () => FIXED_NOW, wrapStore: (store) => noting(store, writes), logger },
  );
  const { app, store } = h.samhandling;
  const by = { id: ADMIN.aadObjectId, name: ADMIN.name };
  const roles: Array<[typeof ADMIN, Role]> = [
    [COORDINATOR, { kind: "region-coordinator", regionId: REGION }],
    [TARGET, { kind: "region-coordinator", regionId: "11" }],
  ];
  for (const [who, role] of roles) await app.people.grant(by, { id: who.aadObjectId, name: who.name }, role);
  await app.people.bind(by, CHANNEL, REGION);
  for (const user of [ADMIN, COORDINATOR, VIEWER, TARGET]) h.connector.members.set(user.id, user);
  await record(store, "national", 2027, ...NATIONAL_MEETINGS_2027);
  await record(store, REGION, 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" });
  await appendToCycle(store, REGION, 2027, () => [
    { id: "admins-change", recordedAt: "2027-04-20T07:59:00.000Z", by, data: { type: "invitations-sent", meeting: "regional-spring", date: "2027-04-19" } },
  ]);
  await appendToAgreement(store, REGION, 2027, () => ({
    events: [{ id: "task-t1", recordedAt: "2027-01-10T09:00:00+01:00", by, data: { type: "task-added", task: { id: "t1", title: "Klyngeprogram", responsible: ["IN"] } } }],
    result: undefined,
  }));
  writes.length = 0;
  errors.length = 0;
  return {
    h,
    takeWrites: () => writes.splice(0),
    takeErrors: () => errors.splice(0),
    connectorRefusals: 0,
    close: () => h.close(),
  };
}


// — realistic shapes —

const K = { regionId: REGION, year: 2027 };
const Y2026 = { regionId: REGION, year: 2026 };
const ROUND = { ...K, round: "spring", agency: "IN" };
const actionId = "5f0c6a7e-3b1d-4c2a-9f8e-1a2b3c4d5e6f";

/** Every card verb with the data its card sends (test/bot/authorization.http.test.ts's table). */
export const VERB_SEEDS: ReadonlyArray<{ verb: string; data: Record<string, unknown>; channel?: boolean }> = [
  { verb: "status.refresh", data: { regionId: REGION } },
  { verb: "form.open", data: { form: "meeting.plan", ...K, params: { meeting: "regional-autumn" } } },
  { verb: "undo", data: { regionId: REGION, aggregateId: REGION, year: 2027, eventId: "admins-change", actionId } },
  { verb: "history.page", data: { regionId: REGION, page: 1 } },
  { verb: "report.summary", data: { ...K, round: "spring" } },
  { verb: "report.export", data: { ...K, round: "spring", format: "md" } },
  { verb: "backfill.open", data: { ...K, scope: "region" } },
  { verb: "backfill.save", data: { ...Y2026, scope: "region", actionId, d0: "2026-05-05" } },
  { verb: "plan.open", data: { ...K, kind: "regional" } },
  { verb: "nudge.snooze", data: { ...K, stepKey: "regional-spring-meeting-held", for: "week" } },
  { verb: "nudge.snooze", data: { ...K, stepKey: "regional-spring-meeting-held", for: "date", until: "2027-05-01" }, channel: true },
  { verb: "plan.regional", data: { ...K, actionId, from: "2025", to: "2028", title: "Regional plan for innovasjon" } },
  { verb: "plan.action", data: { ...K, actionId, date: "2027-02-10" } },
  { verb: "meeting.plan", data: { ...K, actionId, params: { meeting: "regional-autumn" }, acceptLate: "", date: "2027-11-03", place: "Bergen" } },
  { verb: "meeting.invited", data: { ...Y2026, actionId, params: { meeting: "regional-autumn" }, acceptLate: "", date: "2026-11-10" } },
  { verb: "meeting.held", data: { ...K, actionId, params: { meeting: "regional-spring" }, acceptLate: "", date: "2027-04-20", experiences: "true", opportunities: "false" } },
  { verb: "report.submitted", data: { ...K, actionId, params: { agency: "IN", round: "spring" }, acceptLate: "", date: "2027-04-20" } },
  { verb: "draft.ready", data: { ...Y2026, actionId, params: {}, acceptLate: "", date: "2026-12-01" } },
  { verb: "political.recorded", data: { ...Y2026, actionId, params: {}, acceptLate: "", date: "2027-01-20", body: "Fylkestinget", caseNumber: "2027/123", outcome: "approved" } },
  { verb: "stateBudget.adopted", data: { regionId: "national", year: 2026, actionId, params: {}, acceptLate: "", date: "2026-12-10" } },
  { verb: "allocationLetter.received", data: { ...Y2026, actionId, params: { agency: "IN" }, acceptLate: "", date: "2027-01-20" } },
  { verb: "regionalBudget.adopted", data: { ...Y2026, actionId, params: {}, acceptLate: "", date: "2026-12-10" } },
  { verb: "step.done", data: { ...Y2026, actionId, params: { step: "regional-input-national-autumn" }, acceptLate: "", date: "2026-09-10" } },
  { verb: "agreement.signed", data: { ...Y2026, actionId, params: { party: "IN" }, acceptLate: "", date: "2027-01-20", link: "https://example.org/avtale.pdf" } },
  { verb: "commission.sent", data: { ...Y2026, actionId, params: { agency: "IN" }, acceptLate: "", date: "2027-01-20" } },
  { verb: "role.grant", data: { person: TARGET.aadObjectId, kind: "agency-rep", agency: "SIVA", region: "" } },
  { verb: "role.revoke", data: { person: TARGET.aadObjectId, kind: "region-coordinator", region: "11", agency: "" } },
  { verb: "channel.bind", data: { channelRegion: "11" }, channel: true },
  { verb: "channel.unbind", data: {}, channel: true },
  { verb: "agreement.open", data: K },
  { verb: "agreement.task.open", data: { ...K, taskId: "t1" } },
  { verb: "agreement.task.save", data: { ...K, taskId: "t1", actionId, title: "Klyngeprogram for havnæringene", responsible: "IN" } },
  { verb: "agreement.task.remove", data: { ...K, taskId: "t1", actionId } },
  { verb: "agreement.paste.open", data: K },
  { verb: "agreement.paste.preview", data: { ...K, paste: "Grønn omstilling; IN\nHavbruk; SIVA,IN" } },
  { verb: "agreement.paste.save", data: { ...K, actionId, paste: "Grønn omstilling; IN" } },
  { verb: "agreement.parties.open", data: K },
  { verb: "agreement.parties.save", data: { ...K, actionId, partyAgencies: "IN,SIVA", commissionAgencies: "IN" } },
  { verb: "agreement.copy", data: { regionId: REGION, year: 2028, actionId } },
  { verb: "report.open", data: ROUND },
  { verb: "report.task", data: { ...ROUND, tasks: "t1" } },
  { verb: "report.general", data: ROUND },
  { verb: "report.save", data: { ...ROUND, actionId, form: "tasks", tasks: "t1", "status-t1": "on-track", "comment-t1": "I rute." } },
  { verb: "report.submit", data: { ...ROUND, actionId } },
  { verb: "report.deputy", data: { ...ROUND, actionId, person: TARGET.aadObjectId } },
  { verb: "report.deputy.remove", data: { ...ROUND, actionId, person: TARGET.aadObjectId } },
  { verb: "report.waive", data: { ...ROUND, actionId, reason: "Ingen oppgaver i år." } },
  { verb: "report.waive.undo", data: { ...ROUND, actionId } },
];

/** Verbs without a seed (a verb added later): the fuzz test fails on them, so that a new card verb is fuzzed too. */
export const UNSEEDED_VERBS = HANDLED_VERBS.filter((v) => !VERB_SEEDS.some((s) => s.verb === v));

/** The typed commands, as people write them (the tests' own). */
const COMMANDS = [
  "status", "status Vestland", "status møre og romsdal", "status Atlantis", "oversikt", "overview", "hjelp", "help", "historikk Vestland",
  "history Vestland", "avtale Vestland", "agreement Vestland 2027", "rapport Vestland høst 2027", "report Vestland autumn 2027", "roller",
  "admin", "bind Vestland", "løs", "språk nynorsk", "språk engelsk", "gi <at>Tor Target</at> aktør SIVA", "fjern <at>Tor Target</at> koordinator Rogaland",
  "hei", "kan du hjelpe meg med noe",
];

// — mutations —

const NASTY_STRINGS = [
  "", " ", "\t\n", "${regionId}", "${$root.regionId}", "${if(true, 'a', 'b')}", "{{x}}", "%s%s%n", "\u0000", "\u202eevil", "🎉👩‍👩‍👧", "ÆØÅ æøå",
  "**fet** _kursiv_ [klikk](javascript:alert(1)) <at>x</at> <script>alert(1)</script>", "# Overskrift\n- punkt\n```kode```", "../../etc/passwd",
  "true", "false", "null", "NaN", "-0", "1e999", "2027-02-30", "2027-13-01", "0000-00-00", "27.04.2027", "2027-04-20T25:00:00Z",
  "__proto__", "constructor", "'; DROP TABLE documents; --", "<at>Samhandling</at>", "a".repeat(101),
];
const NASTY_NUMBERS = [0, -1, 1, 2.5, 1e308, -1e308, 2_147_483_648, Number.MAX_SAFE_INTEGER, 1e21, 5e-324];
/** The domain's words, real and not: a real region, unknown ones, another case or spacing. */
const DOMAIN_VALUES = [
  ...REGIONS.map((r) => r.id), "national", "nasjonal", "00", "99", "46 ", " 46", "Vestland", "vestland", "ALL",
  ...AGENCY_IDS, "in", "NAV", "XYZ", "spring", "autumn", "vår", "høst", "winter", "Spring",
  2019, 2020, 2026, 2027, 2028, 2040, 1899, 9999, -2027, 2027.5, "2027", "t1", "t2", "missing",
  "regional-spring", "regional-autumn", "national-spring", "meeting.plan", "region", "national", "md", "docx", "pdf", "tasks", "general",
  "on-track", "delayed", "week", "date", ADMIN.aadObjectId, VIEWER.aadObjectId, "29:1", randomUUID(),
];

/** A value of any shape a client could put anywhere. */
export const weird: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: "small" },
  { arbitrary: fc.constantFrom<unknown>(...NASTY_STRINGS, ...NASTY_NUMBERS, null, true, false, [], {}), weight: 4 },
  { arbitrary: fc.constantFrom<unknown>(...DOMAIN_VALUES), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  // Huge: up to 200 000 characters, within the body limit (256 KiB) only sometimes.
  { arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom("a", "å", "🎉", "${x}", "*")).map(([n, s]) => s.repeat(Math.ceil(n / s.length))), weight: 1 },
  // Deep: below and above the edge's nesting limit (64).
  { arbitrary: fc.integer({ min: 5, max: 120 }).map((depth) => nest(depth)), weight: 1 },
);

function nest(depth: number): unknown {
  let v: unknown = "bunn";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

type Op = { kind: "drop" | "set" | "add" | "replace" | "dup"; at: number; name: string; value: unknown };
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Op["kind"]>("drop", "set", "set", "set", "add", "replace", "dup"),
  at: fc.nat(),
  name: fc.oneof(fc.constantFrom("regionId", "year", "verb", "__proto__", "constructor", "actionId", "params", "x"), fc.string({ maxLength: 10 })),
  value: weird,
});

/** Paths to every field of a JSON value (objects and arrays), the root excluded. */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (out.length > 200 || prefix.length > 6) return out;
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([...prefix, i]), pathsOf(v, [...prefix, i], out)));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push([...prefix, k]), pathsOf(v, [...prefix, k], out);
  return out;
}

function apply(value: unknown, root: Op): unknown {
  // A copy: the constants (`{}`, `[]`) are shared between cases, and a later mutation must not write into them.
  const o = { ...root, value: structuredClone(root.value) };
  if (o.kind === "replace") return o.value;
  const paths = pathsOf(value);
  if (o.kind === "add" || paths.length === 0) {
    if (!value || typeof value !== "object" || Array.isArray(value)) return value;
    // defineProperty, so that "__proto__" is an own field (as JSON.parse makes it), not the prototype.
    Object.defineProperty(value, o.name, { value: o.value, enumerable: true, writable: true, configurable: true });
    return value;
  }
  const path = paths[o.at % paths.length]!;
  const parent = path.slice(0, -1).reduce<any>((v, k) => v[k], value);
  const last = path.at(-1)!;
  if (o.kind === "drop") Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (o.kind === "dup") parent[last] = [parent[last], parent[last]];
  else parent[last] = o.value;
  return value;
}

/** The seed as is (about a fifth of the time, so that the deep paths run), or with one to four mutations. */
export function mutated<T>(seed: T): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: fc.constant([] as Op[]), weight: 1 }, { arbitrary: fc.array(op, { minLength: 1, maxLength: 4 }), weight: 4 }).map((ops) =>
    ops.reduce<unknown>((v, o) => apply(v, o), structuredClone(seed)),
  );
}

// — cases —

/** One HTTP request: a body (an object to send as JSON, or raw text), its headers, and who sent it. */
export interface FuzzCase {
  kind: "card-action" | "message" | "activity" | "invoke" | "raw";
  caller: Caller;
  body: unknown;
  raw?: string | Buffer;
  headers: Record<string, string>;
  /** For a failure's message. */
  label: string;
}

const LOCALES = ["nb-NO", "nn-NO", "en-US", "en", "", "xx-YY", "nb-NO-x-verylongtag-abcdefghijklmnopqrstuvwxyz", "de-DE"];

function envelope(caller: Caller, channel: boolean, serviceUrl: string, locale: string, fields: Record<string, unknown>): Record<string, unknown> {
  const from = fromOf(caller);
  return {
    id: randomUUID(),
    channelId: caller === "otherChannel" ? "webchat" : "msteams",
    serviceUrl,
    locale,
    conversation: channel ? { id: `${CHANNEL};messageid=1`, conversationType: "channel", tenantId: "tenant-1" } : { id: `a:${caller}`, conversationType: "personal", tenantId: "tenant-1" },
    ...(from ? { from } : {}),
    recipient: BOT,
    timestamp: "2027-04-20T08:00:00.000Z",
    ...fields,
  };
}

/** The generator of requests, for a world whose fake connector is at `serviceUrl`. */
export function fuzzCases(serviceUrl: string): fc.Arbitrary<FuzzCase> {
  const caller = fc.constantFrom(...CALLERS);
  const locale = fc.oneof({ arbitrary: fc.constant("nb-NO"), weight: 4 }, { arbitrary: fc.constantFrom(...LOCALES), weight: 1 });
  const json = (kind: FuzzCase["kind"], label: string, c: Caller, body: unknown): FuzzCase => ({ kind, caller: c, body, headers: {}, label });

  const cardAction = fc
    .tuple(
      fc.oneof({ arbitrary: fc.constantFrom(...VERB_SEEDS), weight: 20 }, { arbitrary: fc.record({ verb: fc.oneof(fc.constantFrom("", "status.Refresh", "x".repeat(100), "toString", "__proto__", "hasOwnProperty"), fc.string({ maxLength: 20 })), data: fc.constant({}) }), weight: 1 }),
      caller,
      locale,
      fc.boolean(),
    )
    .chain(([seed, c, loc, channel]) =>
      // A fresh actionId as a card gives each rendering (the seed's own would make every save after the first a replay).
      fc.uuid().chain((id) => mutated("actionId" in seed.data ? { ...seed.data, actionId: id } : seed.data)).map((data) =>
        json("card-action", `${seed.verb} by ${c}`, c, envelope(c, channel || Boolean((seed as { channel?: boolean }).channel), serviceUrl, loc, {
          type: "invoke",
          name: "adaptiveCard/action",
          replyToId: "card-message-1",
          value: { action: { type: "Action.Execute", verb: seed.verb, data }, trigger: "manual" },
        })),
      ),
    );

  const message = fc
    .tuple(fc.constantFrom(...COMMANDS), caller, locale, fc.boolean(), fc.option(fc.constantFrom(...VERB_SEEDS), { freq: 4 }))
    .chain(([text, c, loc, channel, submit]) =>
      fc.tuple(mutated({ text }), submit ? mutated(submit.data) : fc.constant(undefined)).map(([fields, value]) => {
        const t = (fields as { text?: unknown } | null)?.text;
        const mention = channel ? { entities: [{ type: "mention", text: "<at>Samhandling</at>", mentioned: BOT }] } : {};
        return json("message", `message ${JSON.stringify(String(t).slice(0, 40))} by ${c}`, c, envelope(c, channel, serviceUrl, loc, {
          type: "message",
          ...(t !== undefined ? { text: typeof t === "string" && channel ? `<at>Samhandling</at> ${t}` : t } : {}),
          ...mention,
          // An Action.Submit of an older card arrives as a message with `value`.
          ...(value !== undefined ? { value } : {}),
        }));
      }),
    );

  /** Any activity type, its envelope mutated (fields dropped, types swapped). */
  const activity = fc
    .tuple(fc.constantFrom("message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "event", "typing", "endOfConversation", "messageUpdate", "messageDelete", "x"), caller, fc.boolean())
    .chain(([type, c, channel]) =>
      mutated(
        envelope(c, channel, serviceUrl, "nb-NO", {
          type,
          text: "status",
          action: type === "installationUpdate" ? "add" : undefined,
          membersAdded: type === "conversationUpdate" ? [{ id: BOT.id }] : undefined,
          channelData: { tenant: { id: "tenant-1" }, ...(channel ? { team: { id: "19:team@thread.tacv2" }, channel: { id: CHANNEL } } : {}) },
        }),
      ).map((body) => json("activity", `${type} activity by ${c}`, c, body)),
    );

  const invoke = fc
    .tuple(
      fc.constantFrom("adaptiveCard/action", "fileConsent/invoke", "application/search", "signin/verifyState", "signin/tokenExchange", "task/fetch", "composeExtension/query", "config/fetch", "healthCheck", ""),
      caller,
      fc.constantFrom<unknown>(
        { action: { type: "Action.Execute", verb: "status.refresh", data: { regionId: REGION } } },
        { type: "fileUpload", action: "accept", context: { regionId: REGION, year: 2027, round: "spring", format: "docx" }, uploadInfo: { name: "rapport.docx", uploadUrl: `${serviceUrl}upload/x`, contentUrl: "https://example.org/x", uniqueId: "u1", fileType: "docx" } },
        { type: "fileUpload", action: "decline", context: {} },
        { action: { type: "Action.Submit" } },
        {},
        [],
        "value",
      ),
    )
    .chain(([name, c, value]) =>
      mutated(value).map((v) => json("invoke", `invoke ${JSON.stringify(name)} by ${c}`, c, envelope(c, false, serviceUrl, "nb-NO", { type: "invoke", name, value: v }))),
    );

  /** What is not an activity at all, or not sent as one. */
  const valid = () => envelope("admin", false, serviceUrl, "nb-NO", { type: "message", text: "status" });
  const raw: fc.Arbitrary<FuzzCase> = fc.oneof(
    fc.constantFrom("gzip", "deflate", "br", "identity, gzip", "GZIP", "x-unknown").map((encoding) => ({
      kind: "raw" as const, caller: "admin" as const, body: undefined, raw: gzipSync(JSON.stringify(valid())), headers: { "content-encoding": encoding }, label: `content-encoding ${encoding}`,
    })),
    fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "", "application/json; charset=latin1").map((type) => ({
      kind: "raw" as const, caller: "admin" as const, body: undefined, raw: JSON.stringify(valid()), headers: { "content-type": type }, label: `content-type ${type}`,
    })),
    fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom("{", "[", "null", "1", '"x"', "{\"type\":", "\u0000", "[]".repeat(1000), "{}}", "\uFEFF{}")).map((text) => ({
      kind: "raw" as const, caller: "admin" as const, body: undefined, raw: text, headers: {}, label: `body ${JSON.stringify(text.slice(0, 40))}`,
    })),
    fc.constantFrom(300_000, 1_000_000).map((n) => ({
      kind: "raw" as const, caller: "admin" as const, body: undefined, raw: JSON.stringify({ ...valid(), text: "a".repeat(n) }), headers: {}, label: `body of ${n} characters`,
    })),
    fc.oneof(fc.constantFrom("Bearer", "Bearer x.y.z", "Basic dXNlcjpwYXNz", "bearer " + "a".repeat(5000)), fc.string({ maxLength: 60 })).map((auth) => ({
      kind: "raw" as const, caller: "admin" as const, body: valid(), headers: { authorization: auth }, label: `authorization ${JSON.stringify(auth.slice(0, 30))}`,
    })),
    fc.jsonValue({ maxDepth: 4 }).map((body) => ({ kind: "raw" as const, caller: "admin" as const, body, headers: {}, label: "arbitrary JSON" })),
  );

  return fc.oneof(
    { arbitrary: cardAction, weight: 10 },
    { arbitrary: message, weight: 4 },
    { arbitrary: activity, weight: 3 },
    { arbitrary: invoke, weight: 2 },
    { arbitrary: raw, weight: 1 },
  );
}

// — running and checking —

/** Longest a request may take before it counts as a hang. */
const REQUEST_TIMEOUT_MS = 15_000;

/** Sends one case; its HTTP status (0: no answer), the documents it wrote, and what broke an invariant (empty: nothing). */
export async function runCase(world: FuzzWorld, c: FuzzCase): Promise<{ status: number; writes: string[]; violations: string[] }> {
  const violations: string[] = [];
  let status: number;
  let text = "";
  try {
    const body = c.raw ?? JSON.stringify(c.body);
    const response = await fetch(`${world.h.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...c.headers },
      body: typeof body === "string" ? body : new Uint8Array(body ?? Buffer.alloc(0)),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    violations.push(`${c.label}: no answer (${(error as Error).message})`);
    status = 0;
  }
  if (status >= 500) violations.push(`${c.label}: ${status} ${text.slice(0, 300)}`);
  for (const line of world.takeErrors()) {
    // The connector refusing a reply (a 200 000-character activity id in its URL: 431) is Teams'
    // answer, logged as it should be; counted, not a crash. Anything else logged is.
    if (/"type":"RestError"/.test(line) && /"statusCode":4\d\d/.test(line)) world.connectorRefusals++;
    else violations.push(`${c.label}: logged an error: ${line.slice(0, 500)}`);
  }
  const writes = world.takeWrites();
  forgetReplies(world);
  if (ROLELESS.has(c.caller)) {
    const forbidden = writes.filter((type) => !ROLELESS_WRITES.has(type));
    if (forbidden.length > 0) violations.push(`${c.label}: a caller without a role wrote ${forbidden.join(", ")}`);
  }
  return { status, writes, violations };
}

/** The fake connector keeps every reply it got (for tests to read): emptied, so that the heap measured is the app's. */
function forgetReplies(world: FuzzWorld): void {
  const connector = world.h.connector;
  for (const list of [connector.posted, connector.updated, connector.postAttempts, connector.memberLookups, connector.memberListings, connector.created, connector.uploads]) list.length = 0;
}

export async function healthViolations(world: FuzzWorld): Promise<string[]> {
  try {
    const response = await fetch(`${world.h.url}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.text();
    return response.status === 200 ? [] : [`/healthz answered ${response.status}`];
  } catch (error) {
    return [`/healthz did not answer (${(error as Error).message})`];
  }
}

/** A full collection (V8's `gc`, reached without --expose-gc on the command line), so heap figures compare. */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

export interface Memory {
  heapMb: number;
  rssMb: number;
}

export function memory(): Memory {
  collectGarbage();
  const m = process.memoryUsage();
  return { heapMb: Math.round(m.heapUsed / 1e5) / 10, rssMb: Math.round(m.rss / 1e5) / 10 };
}

/** How much the heap may grow over a run (after a collection): generous, as the store's documents and caches do grow. */
export const HEAP_GROWTH_BOUND_MB = 150;

// — tokens: the same edge with MicrosoftAppId set, against a local login (as test/server/auth.http.test.ts) —

export interface TokenWorld extends FuzzWorld {
  /** A token the login signed for this app and this connector, valid now. */
  validToken(): string;
}

/** The app with token checks on, its login (OpenID configuration and JWKS) on 127.0.0.1. */
export async function startTokenWorld(): Promise<TokenWorld> {
  const login = await startLogin();
  const writes: string[] = [];
  const errors: string[] = [];
  const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line.slice(0, 2000)) });
  const h = await startHarness(
    { MicrosoftAppId: APP_ID, MicrosoftAppPassword: "not-a-real-secret" },
    {
      logger,
      wrapStore: (store) => noting(store, writes),
      authentication: {
        openIdMetadataUrl: login.metadataUrl("fuzz"),
        credentialsFactory: new FixedTokenCredentials({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "not-a-real-secret" }),
      },
    },
  );
  // The first start writes the settings: the app's, not a request's.
  writes.length = 0;
  return {
    h,
    takeWrites: () => writes.splice(0),
    takeErrors: () => errors.splice(0),
    connectorRefusals: 0,
    validToken: () => mintToken(tokenHeader(), teamsClaims(h.connector.url)),
    async close() {
      await h.close();
      await login.close();
    },
  };
}


/** One message with an Authorization header; `forged`: no token the login signed, so it must be refused. */
export interface TokenCase {
  authorization: string | undefined;
  forged: boolean;
  label: string;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Authorization headers: the valid token mutated (as text, or its claims re-signed), forged, or no token at all. */
export function tokenCases(serviceUrl: string): fc.Arbitrary<TokenCase> {
  // A character changed inside a segment (not a segment's last, whose low bits base64url may ignore): the signature no longer holds.
  const tampered = fc.tuple(fc.nat(), fc.nat({ max: 63 })).map(([at, to]): TokenCase => {
    const token = mintToken(tokenHeader(), teamsClaims(serviceUrl));
    const inner = [...token].flatMap((ch, i) => (ch !== "." && token[i + 1] !== undefined && token[i + 1] !== "." ? [i] : []));
    const i = inner[at % inner.length]!;
    const replacement = B64URL[to] === token[i] ? B64URL[(to + 1) % 64]! : B64URL[to]!;
    return { authorization: `Bearer ${token.slice(0, i)}${replacement}${token.slice(i + 1)}`, forged: true, label: `token with character ${i} changed` };
  });
  const mangled = fc.constantFrom<[string, (t: string) => string]>(
    ["truncated", (t) => t.slice(0, t.length - 10)],
    ["without its signature", (t) => t.split(".").slice(0, 2).join(".") + "."],
    ["two segments", (t) => t.split(".").slice(0, 2).join(".")],
    ["segments swapped", (t) => t.split(".").reverse().join(".")],
    ["doubled", (t) => `${t}.${t}`],
    ["with a space inside", (t) => t.replace(".", ". ")],
  ).map(([name, change]): TokenCase => ({ authorization: `Bearer ${change(mintToken(tokenHeader(), teamsClaims(serviceUrl)))}`, forged: true, label: `token ${name}` }));
  // Claims and header mutated, then signed by a stranger, unsigned or HMAC'd with the public key.
  const forged = fc
    .tuple(mutated(tokenHeader()), mutated(teamsClaims(serviceUrl)), fc.constantFrom("stranger", "none", "HS256"))
    .map(([header, claims, how]): TokenCase => {
      const h = how === "stranger" ? header : { ...(header && typeof header === "object" ? header : {}), alg: how };
      return { authorization: `Bearer ${mintToken(h, claims, strangerKey.privateKey)}`, forged: true, label: `token signed ${how === "stranger" ? "by another key" : how}` };
    });
  // Re-signed by the login's own key: accepted or refused by what the claims say, never a 5xx.
  const resigned = fc
    .tuple(mutated(tokenHeader()), mutated(teamsClaims(serviceUrl)))
    .map(([header, claims]): TokenCase => ({ authorization: `Bearer ${mintToken(header, claims)}`, forged: false, label: `token re-signed with ${JSON.stringify(claims).slice(0, 200)}` }));
  const garbage = fc
    .oneof(fc.constantFrom<string | undefined>(undefined, "", "Bearer", "Bearer ", "bearer x", "Basic dXNlcjpwYXNz", `Bearer ${"a".repeat(8000)}`, "Bearer e30.e30.", "Bearer ..", "Bearer \u00e6\u00f8\u00e5"), fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`))
    .map((authorization): TokenCase => ({ authorization, forged: true, label: `authorization ${JSON.stringify(authorization?.slice(0, 40))}` }));
  return fc.oneof(tampered, mangled, forged, resigned, garbage);
}

/**
 * Sends a Teams message from a viewer with this Authorization header. Invariants: 200 or 401
 * (or Node's 431 for headers too large), nothing else (no 5xx, no 503 while the login answers); a forged token is a 401; a refused
 * request writes nothing, not even the conversation reference; no error logged.
 */
export async function runTokenCase(world: TokenWorld, c: TokenCase): Promise<{ status: number; violations: string[] }> {
  const violations: string[] = [];
  const body = envelope("viewer", false, world.h.connector.url, "nb-NO", { type: "message", text: "status Vestland" });
  let status = 0;
  try {
    const response = await fetch(`${world.h.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(c.authorization === undefined ? {} : { authorization: c.authorization }) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = response.status;
    await response.text();
  } catch (error) {
    violations.push(`${c.label}: no answer (${(error as Error).message})`);
  }
  // 431: Node's own answer to headers over 16 KiB (a token of 200 000 characters), before the app.
  if (status !== 0 && status !== 200 && status !== 401 && status !== 431) violations.push(`${c.label}: ${status}`);
  if (c.forged && status === 200) violations.push(`${c.label}: accepted a token the login did not sign`);
  const writes = world.takeWrites();
  if (status !== 200 && writes.length > 0) violations.push(`${c.label}: refused (${status}) but wrote ${writes.join(", ")}`);
  for (const line of world.takeErrors()) violations.push(`${c.label}: logged an error: ${line.slice(0, 500)}`);
  forgetReplies(world);
  return { status, violations };
}
