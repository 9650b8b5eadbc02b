/**
 * Issue 13, personal data: `npm run store -- person export|erase` on a store filled through real
 * HTTP as a person would (a role granted, a chat with the bot and a language chosen, a channel
 * bound, a step recorded, a nudge snoozed, a report drafted and submitted, a deputy named and
 * being named) — once on SQLite, once on the Cosmos DB emulator, with the real command line run
 * as a child process against the app's own store.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ERASED_NAME,
  erasePerson,
  ErasureRefusedError,
  EXPORT_GROUPS,
  exportCounts,
  exportPerson,
  PERSONAL_DATA_BY_TYPE,
  type PersonExport,
} from "../../src/app/personal-data.js";
import { SYSTEM_PARTITION, type RolesDocument } from "../../src/store/records.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore, StoredDocument, WritePrecondition } from "../../src/store/store.js";
import { appendToCycle, loadCycles } from "../../src/app/cycles.js";
import type { DomainEvent } from "../../src/domain/events.js";
import { DOCUMENT_TYPES } from "../../src/store/transfer.js";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { executeActions, invoke, type Invoker } from "../support/invoke.js";
import { chatOf, chatWith, digestsTo, person, RUN_KEY, runNudges } from "../support/nudging.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

const ANNE: TeamsUser = { id: "29:anne", aadObjectId: "00000000-0000-0000-0000-00000000ad13", name: "Anne Admin" };
const ERIK = person(1301, "Erik Eksempel");
const SIVA_REP = person(1302, "Sivert Siva");
const DAG = person(1303, "Dag Deputy");
/** Who recorded RUK AU's meetings (test/support/events.ts). */
const KARI_ID = "00000000-0000-0000-0000-0000000000a1";
const CHANNEL = "19:vestland-gdpr@thread.tacv2";
const SPRING_IN = { regionId: "46", year: 2027, round: "spring", agency: "IN" } as const;
const SPRING_SIVA = { ...SPRING_IN, agency: "SIVA" } as const;

const ev = (id: string, by: { id: string; name: string }, data: DomainEvent["data"]): DomainEvent => ({ id, recordedAt: "2027-04-20T10:00:00.000+02:00", by, data });
const as = (user: TeamsUser): Invoker => ({ aadObjectId: user.aadObjectId!, name: user.name, conversationId: chatOf(user) });
const action = (card: unknown, verb: string) => executeActions(card).find((a) => a.verb === verb);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real command line (`npm run store -- …`), with only the store's settings from `env`. */
function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(STORE|SQLITE_|COSMOS_|ADMIN_AAD_IDS)/.test(k)));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/store.ts", ...args], { cwd: projectRoot, env: { ...clean, LOG_LEVEL: "silent", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.end();
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every document as stored (JSON and etag), by partition/id. */
async function snapshot(store: DocumentStore): Promise<Map<string, { json: string; etag: string }>> {
  const all = new Map<string, { json: string; etag: string }>();
  for (const type of DOCUMENT_TYPES) for (const { doc, etag } of await store.list(type)) all.set(`${doc.partition}/${doc.id}`, { json: JSON.stringify(doc), etag });
  return all;
}

/**
 * An export's entries as they should read after Erik's erasure: his `by` replaced by `pseudonym`,
 * and without the entries about him (the roles granted to him, the deputy appointment naming him).
 */
function erasedView(data: PersonExport, erik: TeamsUser, pseudonym: { id: string; name: string }): Record<string, unknown[]> {
  const by = JSON.stringify({ id: erik.aadObjectId, name: erik.name }).slice(1, -1);
  return Object.fromEntries(
    EXPORT_GROUPS.map((g) => [
      g,
      (data[g] as unknown[]).map((item) => JSON.parse(JSON.stringify(item).replaceAll(by, JSON.stringify(pseudonym).slice(1, -1)))).filter((item) => !JSON.stringify(item).includes(erik.aadObjectId!)),
    ]),
  );
}

describe.each(["sqlite", "cosmos"] as const)("person export and erase (%s)", (storeKind) => {
  let h: Harness;
  let emulator: CosmosEmulator | undefined;
  let cliEnv: Record<string, string>;
  const now = DateTime.fromISO("2027-04-20T10:00:00+02:00", { setZone: true });
  const store = () => h.samhandling.store;
  const channel = async (text: string) => {
    const { status, replies } = await h.say(text, { conversationType: "channel", conversationId: CHANNEL, mention: true, from: DAG });
    expect(status).toBe(200);
    return cardText(cardOf(replies.at(-1)));
  };
  const grant = async (by: TeamsUser, to: TeamsUser, role: Parameters<Harness["samhandling"]["app"]["people"]["grant"]>[2]) =>
    expect(await h.samhandling.app.people.grant({ id: by.aadObjectId!, name: by.name }, { id: to.aadObjectId!, name: to.name }, role)).toEqual({ kind: "granted" });
  /** A report form's «Lagre» with the given inputs, as the hub's first task button opens it. */
  const saveDraft = async (who: TeamsUser, key: object, inputs: Record<string, string>) => {
    const hub = (await invoke(h, as(who), "report.open", key)).card;
    const form = (await invoke(h, as(who), "report.task", action(hub, "report.task")!.data)).card;
    const saved = (await invoke(h, as(who), "report.save", { ...action(form, "report.save")!.data, ...inputs })).card;
    expect(cardText(saved)).toContain("Utkastet er lagret.");
    return saved;
  };

  beforeAll(async () => {
    const env: Record<string, string> = { ADMIN_AAD_IDS: ANNE.aadObjectId!, NUDGE_RUN_KEY: RUN_KEY };
    if (storeKind === "cosmos") {
      emulator = await startCosmosEmulator();
      Object.assign(env, { STORE: "cosmos", COSMOS_ENDPOINT: emulator.endpoint, COSMOS_KEY: emulator.key });
    }
    h = await startHarness(env, { clock: () => now });
    cliEnv = storeKind === "cosmos" ? { ...env } : { ...env, STORE: "sqlite", SQLITE_PATH: join(h.dir, "samhandling.db") };
    for (const p of [ERIK, SIVA_REP, DAG, ANNE]) h.connector.members.set(p.id, { id: p.id, name: p.name, aadObjectId: p.aadObjectId! });

    // Anne (an admin by the settings) makes Erik an admin, Vestland's coordinator and Innovasjon Norge's contact there; Erik makes Sivert SIVA's.
    await grant(ANNE, ERIK, { kind: "admin" });
    await grant(ANNE, ERIK, { kind: "region-coordinator", regionId: "46" });
    await grant(ANNE, ERIK, { kind: "agency-rep", agency: "IN", regionId: "46" });
    await grant(ERIK, SIVA_REP, { kind: "agency-rep", agency: "SIVA", regionId: "46" });
    // Everyone writes to the bot: their 1:1 chats are kept.
    for (const p of [ERIK, SIVA_REP, DAG]) await chatWith(h, p);
    // Erik binds the county's channel.
    const bound = await h.say("bind Vestland", { conversationType: "channel", conversationId: CHANNEL, mention: true, from: ERIK });
    expect(cardText(cardOf(bound.replies.at(-1)))).toContain("Vestland");
    // What someone else recorded: RUK AU's year (Kari Nordmann).
    await record(store(), "national", 2027, ...NATIONAL_MEETINGS_2027);
    // Erik plans Vestland's spring dialogue meeting from the card (12 May: the report round is open, due 5 May).
    const form = (await invoke(h, as(ERIK), "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } })).card;
    const planned = await invoke(h, as(ERIK), "meeting.plan", { ...action(form, "meeting.plan")!.data, date: "2027-05-12" });
    expect(planned.status).toBe(200);
    // Erik adds the agreement's tasks.
    for (const [n, task] of [{ title: "Klyngeprogram for havnæringene", responsible: ["IN"] }, { title: "Inkubatorer i distriktene", responsible: ["SIVA"] }].entries()) {
      const added = await h.samhandling.app.agreements.addTask({ actor: { id: ERIK.aadObjectId!, name: ERIK.name }, regionId: "46", year: 2027, actionId: `task-${n}`, task });
      expect(added.kind).toBe("changed");
    }
    // The nudge run; Erik snoozes an item of his digest for a week.
    await runNudges(h);
    const snooze = digestsTo(h, chatOf(ERIK))
      .flatMap((p) => executeActions(cardOf(p)))
      .find((a) => a.verb === "nudge.snooze" && a.data.for === "week");
    expect(snooze, "a digest with «Utsett» to Erik").toBeDefined();
    expect((await invoke(h, as(ERIK), "nudge.snooze", snooze!.data)).status).toBe(200);
    // Erik writes IN's report, submits it, and edits it again (a draft since); Sivert drafts SIVA's.
    const draft = await saveDraft(ERIK, SPRING_IN, { "status-t1": "on-track", "comment-t1": "Tre nye klyngeprosjekter." });
    expect(cardText((await invoke(h, as(ERIK), "report.submit", action(draft, "report.submit")!.data)).card)).toContain("Rapporten er sendt inn.");
    await saveDraft(ERIK, SPRING_IN, { "status-t1": "done", "comment-t1": "Fullført." });
    await saveDraft(SIVA_REP, SPRING_SIVA, { "status-t2": "on-track", "comment-t2": "To inkubatorer i gang." });
    // Erik names Dag to answer for IN; Sivert names Erik to answer for SIVA.
    const inHub = (await invoke(h, as(ERIK), "report.open", SPRING_IN)).card;
    expect(cardText((await invoke(h, as(ERIK), "report.deputy", { ...action(inHub, "report.deputy")!.data, person: DAG.aadObjectId })).card)).toContain("kan nå svare for");
    const sivaHub = (await invoke(h, as(SIVA_REP), "report.open", SPRING_SIVA)).card;
    expect(cardText((await invoke(h, as(SIVA_REP), "report.deputy", { ...action(sivaHub, "report.deputy")!.data, person: ERIK.aadObjectId })).card)).toContain("kan nå svare for");
    // Last (his cards would be in nynorsk from now on): Erik chooses nynorsk.
    await chatWith(h, ERIK, "språk nynorsk");
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await emulator?.close();
  });

  it("export lists every kind of entry about Erik, each with its document; nothing about anyone else", async () => {
    const run = await runCli(["person", "export", ERIK.aadObjectId!.toUpperCase()], cliEnv);
    expect(run.stderr).toMatch(/^exported \d+ entries about 00000000-0000-0000-0000-000000001301 from /);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout) as PersonExport;
    expect(data.personId).toBe(ERIK.aadObjectId);
    const counts = exportCounts(data);
    for (const group of EXPORT_GROUPS) expect(counts.byGroup[group], group).toBeGreaterThan(0);
    expect(counts.pseudonymous).toBe(0);
    expect(data.person).toEqual([expect.objectContaining({ language: "nn", document: { partition: "_people", id: ERIK.aadObjectId, type: "person" } })]);
    expect(data.roles.map((r) => r.role).sort()).toEqual(["admin", "agency-rep:IN:46", "region-coordinator:46"]);
    expect(data.conversations[0]!.conversation).toMatchObject({ personId: ERIK.aadObjectId, address: { conversationId: chatOf(ERIK), conversationType: "personal" } });
    expect(Object.keys(data.mailboxes[0]!.snoozed)).toHaveLength(1);
    expect(data.auditTrail.map((e) => `${e.document.type} ${e.event.data.type}`)).toEqual(["cycle meeting-planned", "cycle follow-up-report-submitted", "agreement task-added", "agreement task-added"]);
    expect(data.reportVersions).toHaveLength(1);
    expect(data.reportDrafts[0]!.draft.content.tasks.t1).toEqual({ status: "done", comment: "Fullført." });
    expect(data.deputyAppointments).toEqual([expect.objectContaining({ report: SPRING_SIVA, namedBy: { id: SIVA_REP.aadObjectId, name: SIVA_REP.name } })]);
    expect(data.reportDecisions).toEqual([expect.objectContaining({ decision: expect.objectContaining({ kind: "named-deputy", deputyId: DAG.aadObjectId }) })]);
    expect(data.rolesGranted).toEqual([expect.objectContaining({ role: "agency-rep:SIVA:46", to: SIVA_REP.aadObjectId, pseudonymous: false })]);
    expect(data.channelBindings).toEqual([expect.objectContaining({ regionId: "46", pseudonymous: false })]);
    // Others' entries are not Erik's: Sivert's draft, Kari's events, Anne's grants to Erik are listed as Erik's roles only.
    expect(run.stdout).not.toContain("To inkubatorer i gang.");
    expect(run.stdout).not.toContain(KARI_ID);
  }, 60_000);

  it("erase: without --yes nothing changes; with it Erik is gone, the trail says «slettet person», everyone else is untouched, and a second erase writes nothing", async () => {
    const others = [SIVA_REP.aadObjectId!, DAG.aadObjectId!, ANNE.aadObjectId!, KARI_ID];
    const exportsBefore = await Promise.all(others.map((id) => exportPerson(store(), id)));
    const before = await snapshot(store());

    // The command line runs the dry run and the second erasure on SQLite; on Cosmos the module does (each child process costs seconds).
    if (storeKind === "sqlite") {
      const dry = await runCli(["person", "erase", ERIK.aadObjectId!], cliEnv);
      expect(dry.code).toBe(0);
      expect(dry.stderr).toContain("nothing was changed: run again with --yes to erase");
      expect(dry.stderr).toMatch(/delete _people\/00000000-0000-0000-0000-000000001301 \(person\)/);
    } else {
      const dry = await erasePerson(store(), ERIK.aadObjectId!, { dryRun: true, configuredAdmins: [ANNE.aadObjectId!] });
      expect(dry.documents).toContainEqual({ partition: "_people", id: ERIK.aadObjectId, type: "person", action: "delete", what: ["the person's document (language choice)"] });
      expect(dry).toMatchObject({ dryRun: true, written: 0, removed: 0 });
    }
    expect(await snapshot(store())).toEqual(before);

    const erased = await runCli(["person", "erase", ERIK.aadObjectId!, "--yes"], cliEnv);
    expect(erased.stderr).toMatch(/^erased 00000000-0000-0000-0000-000000001301 in .*: 3 documents deleted, \d+ pseudonymised/);
    expect(erased.code).toBe(0);
    const after = await snapshot(store());

    // Nothing stored names Erik any more: not his id, not his name.
    const everything = [...after.values()].map((d) => d.json).join("\n");
    expect(everything).not.toContain(ERIK.aadObjectId);
    expect(everything).not.toContain(ERIK.name);
    // Documents that never mentioned him are exactly as they were (same etag); only the pseudonym key is new.
    for (const [key, doc] of before) if (!doc.json.includes(ERIK.aadObjectId!)) expect(after.get(key), key).toEqual(doc);
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([`${SYSTEM_PARTITION}/pseudonym-key`]);
    // What is left about Erik is the trail, pseudonymous: one pseudonym for all of it, the name «slettet person».
    const left = await exportPerson(store(), ERIK.aadObjectId!);
    const counts = exportCounts(left);
    expect(counts.pseudonymous).toBe(counts.total);
    for (const group of ["person", "roles", "conversations", "mailboxes", "deputyAppointments"] as const) expect(left[group], group).toEqual([]);
    expect(left.auditTrail).toHaveLength(4);
    expect(left.reportVersions).toHaveLength(1);
    const pseudonyms = new Set([...left.auditTrail.map((e) => e.event.by), ...left.reportVersions.map((v) => v.version.by), ...left.reportDrafts.map((d) => d.draft.by)].map((by) => JSON.stringify(by)));
    expect(pseudonyms.size).toBe(1);
    expect(JSON.parse([...pseudonyms][0]!)).toEqual({ id: expect.stringMatching(/^erased:[0-9a-f]{32}$/), name: ERASED_NAME });
    // Other people's data is theirs as before, with Erik's name and id pseudonymised where he acted on it (granted Sivert's
    // role), and without the entries about Erik himself (Anne's grants to him, Sivert naming him deputy).
    const pseudonym = JSON.parse([...pseudonyms][0]!);
    const exportsAfter = await Promise.all(others.map((id) => exportPerson(store(), id)));
    for (const [i, id] of others.entries()) expect(erasedView(exportsAfter[i]!, ERIK, pseudonym), id).toEqual(erasedView(exportsBefore[i]!, ERIK, pseudonym));
    expect(exportsAfter[0]!.roles).toEqual([expect.objectContaining({ role: "agency-rep:SIVA:46", name: SIVA_REP.name, grantedBy: pseudonym })]);
    expect(exportsAfter[0]!.reportDrafts).toHaveLength(1);

    // The cards still render, with «slettet person» where Erik was.
    expect(await channel("status")).toContain("Vestland");
    const history = await channel("historikk");
    expect(history).toContain(ERASED_NAME);
    expect(history).not.toContain(ERIK.name);
    const summary = await channel("rapport vår");
    expect(summary).toContain(ERASED_NAME);
    expect(summary).toContain("Tre nye klyngeprosjekter.");
    // Dag, named by Erik, still answers for IN: his appointment is his, not Erik's.
    const hub = (await invoke(h, as(DAG), "report.open", SPRING_IN)).card;
    expect(cardText(hub)).toContain("Stedfortreder: Dag Deputy");
    expect(executeActions(hub).map((a) => a.verb)).toContain("report.submit");

    // Again: nothing left to do, nothing written (every etag as it was).
    const settled = await snapshot(store());
    if (storeKind === "sqlite") {
      const again = await runCli(["person", "erase", ERIK.aadObjectId!, "--yes"], cliEnv);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain("nothing left to erase");
      expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, removed: 0, documents: [] });
    } else {
      expect(await erasePerson(store(), ERIK.aadObjectId!, { configuredAdmins: [ANNE.aadObjectId!] })).toMatchObject({ written: 0, removed: 0, documents: [] });
    }
    expect(await snapshot(store())).toEqual(settled);
    // Child processes (tsx) take seconds each on a loaded machine.
  }, 90_000);
});

describe("the rules of an erasure", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "samhandling-gdpr-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every document type says what it holds about people", () => {
    expect(Object.keys(PERSONAL_DATA_BY_TYPE).sort()).toEqual([...DOCUMENT_TYPES].sort());
  });

  it("a malformed id is a usage error (exit 2) naming it; so is the app's own «system»", async () => {
    const bad = await runCli(["person", "export", "kari@fylke.no"], { SQLITE_PATH: join(dir, "none.db") });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('store: "kari@fylke.no" is not an Entra object id');
    const store = openSqliteStore(":memory:");
    await expect(exportPerson(store, "system")).rejects.toThrow('"system" is the app itself, not a person');
    await expect(erasePerson(store, "erased:0123456789abcdef")).rejects.toThrow("is the pseudonym of a person already erased");
    await store.close();
  }, 60_000);

  it("a document the app changes while the erasure writes it is read and decided again: both changes are kept", async () => {
    const raw = openSqliteStore(join(dir, "race.db"));
    const erik = { id: ERIK.aadObjectId!, name: ERIK.name };
    const sivert = { id: SIVA_REP.aadObjectId!, name: SIVA_REP.name };
    await appendToCycle(raw, "46", 2027, () => [ev("e1", erik, { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" })]);
    let raced = false;
    // The app appends Sivert's event between the erasure's read and its write (once).
    const racing: DocumentStore = {
      kind: raw.kind,
      read: (key) => raw.read(key),
      readMany: (keys) => raw.readMany(keys),
      list: (type, partition) => raw.list(type, partition),
      remove: (key, precondition) => raw.remove(key, precondition),
      close: () => raw.close(),
      async write(doc: StoredDocument, precondition: WritePrecondition) {
        if (!raced && doc.type === "cycle") {
          raced = true;
          await appendToCycle(raw, "46", 2027, () => [ev("e2", sivert, { type: "invitations-sent", meeting: "regional-spring", date: "2027-04-21" })]);
        }
        return raw.write(doc, precondition);
      },
    };
    const report = await erasePerson(racing, erik.id, { configuredAdmins: [ANNE.aadObjectId!] });
    expect(raced).toBe(true);
    expect(report).toMatchObject({ written: 1, removed: 0 });
    const events = (await loadCycles(raw, [{ regionId: "46", year: 2027 }]))[0]!.events;
    expect(events.map((e) => `${e.id} ${e.by.name}`)).toEqual([`e1 ${ERASED_NAME}`, "e2 Sivert Siva"]);
    await raw.close();
  });

  it("a document that mentions the person but does not parse is named, and left alone", async () => {
    const store = openSqliteStore(join(dir, "odd.db"));
    const odd = { partition: "46", id: "cycle-2026", type: "cycle", schemaVersion: 1, regionId: "46", year: 2026, events: [{ id: "x", by: { id: ERIK.aadObjectId } }] };
    await store.write(odd, { ifAbsent: true });
    const ref = { partition: "46", id: "cycle-2026", type: "cycle" };
    expect((await exportPerson(store, ERIK.aadObjectId!)).unreadable).toEqual([ref]);
    expect(await erasePerson(store, ERIK.aadObjectId!)).toMatchObject({ written: 0, removed: 0, unreadable: [ref] });
    expect((await store.read(ref))!.doc).toEqual(odd);
    await store.close();
  });

  it("on SQLite the file holds no trace of the erased person once closed: deleted bytes are zeroed, not left in free space", async () => {
    const file = join(dir, "bytes.db");
    const store = openSqliteStore(file);
    const erik = ERIK.aadObjectId!;
    await store.write({ id: erik, partition: "_people", type: "person", schemaVersion: 1, lang: "nn", updatedAt: "2027-04-20T10:00:00.000Z" }, { ifAbsent: true });
    const grantedBy = { id: ANNE.aadObjectId!, name: ANNE.name };
    const roles: RolesDocument = {
      id: "roles",
      partition: SYSTEM_PARTITION,
      type: "roles",
      schemaVersion: 1,
      assignments: [{ personId: erik, name: ERIK.name, role: "region-coordinator:46", grantedBy, grantedAt: "2027-01-04T09:00:00.000Z" }],
    };
    await store.write(roles, { ifAbsent: true });
    expect(await erasePerson(store, erik, { configuredAdmins: [ANNE.aadObjectId!] })).toMatchObject({ written: 1, removed: 1 });
    await store.close();
    // Closing checkpoints the WAL into the file and removes it; what is left must not hold Erik's id or name.
    const bytes = readFileSync(file);
    expect(bytes.includes(erik), "the id in the file").toBe(false);
    expect(bytes.includes(ERIK.name), "the name in the file").toBe(false);
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).includes(erik) : false, "the id in the WAL").toBe(false);
  });

  it("the last admin is not erased: refused, nothing written", async () => {
    const store = openSqliteStore(join(dir, "admin.db"));
    const roles: RolesDocument = {
      id: "roles",
      partition: SYSTEM_PARTITION,
      type: "roles",
      schemaVersion: 1,
      assignments: [{ personId: ERIK.aadObjectId!, name: ERIK.name, role: "admin", grantedBy: { id: ANNE.aadObjectId!, name: ANNE.name }, grantedAt: "2027-01-04T09:00:00.000Z" }],
    };
    await store.write(roles, { ifAbsent: true });
    const before = await snapshot(store);
    await expect(erasePerson(store, ERIK.aadObjectId!)).rejects.toThrow(ErasureRefusedError);
    expect(await snapshot(store)).toEqual(before);
    // With another admin in ADMIN_AAD_IDS it goes ahead.
    expect(await erasePerson(store, ERIK.aadObjectId!, { configuredAdmins: [ANNE.aadObjectId!] })).toMatchObject({ written: 1, removed: 0 });
    await store.close();
  });
});
