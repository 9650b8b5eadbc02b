// @vitest-environment jsdom
/**
 * Names are text, and short (issue 11). People whose Teams names are a Markdown link, an image,
 * template syntax, bold text, and 100 KB go through every card that shows a name, through real
 * HTTP: the grant confirmations (by @mention and from the admin card), «roller», «meg», the admin
 * card (roster, binding), the welcome card, the history (cycle and agreement), an agency's report
 * card (deputies, who sent it) and the round's summary (who sent what). Each card shows the name
 * as text — no link, image or formatting of theirs in any TextBlock — and stays under Teams'
 * 28 KB; every stored name is at most 256 characters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToAgreement } from "../../src/app/report-store.js";
import { displayName, MAX_NAME_CHARS } from "../../src/domain/display-name.js";
import { checkCard, checkCardWithPeoplePicker, markdownLive, markdownShown, markdownTexts, peoplePickers } from "../support/card-check.js";
import type { PostedActivity } from "../support/fake-connector.js";
import { record } from "../support/events.js";
import { botAdded } from "../support/nudging.js";
import { cardOf, startHarness, type Harness, type SayOptions, type TeamsUser } from "../support/harness.js";
import { executeActions, invoke, type Invoker } from "../support/invoke.js";
import { AGENCY_IDS } from "../../src/domain/regions.js";

const HOSTILE = {
  link: "Kari [Trykk her](https://evil.example)",
  image: "![x](https://evil.example/x.png)",
  template: "${$root.secret}",
  bold: "**fet**",
  huge: `Hugo [Trykk her](https://evil.example) ${"x".repeat(100 * 1024)}`,
} as const;
type Kind = keyof typeof HOSTILE;
const KINDS = Object.keys(HOSTILE) as Kind[];
/** What must never be live in a card's Markdown, per name. */
const LIVE: Record<Kind, string> = { link: "[Trykk her](", image: "![x](", template: "${", bold: "**fet**", huge: "[Trykk her](" };

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad99", name: "Anne Admin" };
const PEOPLE: Record<Kind, TeamsUser & { aadObjectId: string }> = Object.fromEntries(
  KINDS.map((kind, i) => [kind, { id: `29:hostile-${i}`, aadObjectId: `00000000-0000-0000-0000-00000000e0${i}0`, name: HOSTILE[kind] }]),
) as never;
const invoker = (kind: Kind, extra: Partial<Invoker> = {}): Invoker => ({ aadObjectId: PEOPLE[kind].aadObjectId, name: PEOPLE[kind].name, ...extra });
const CHANNEL = "19:vestland-hostile@thread.tacv2";
const inChannel = (from: TeamsUser, mentions: TeamsUser[] = [], conversationId = CHANNEL): SayOptions => ({ conversationType: "channel", conversationId, mention: true, from, mentions });
const SPRING = { regionId: "46", year: 2027, round: "spring" } as const;

/** The name as a reader sees it: as stored (≤ 256 characters, «…» when cut), template syntax broken up. */
const shown = (kind: Kind) => displayName(HOSTILE[kind]).replace(/\$\{/g, "$ {");

/**
 * The card is valid and ≤ 28 KB, every name given shows as text, and no hostile name's Markdown
 * (a link, an image, bold, template syntax) is live anywhere in it.
 */
function expectSafe(card: unknown, names: readonly Kind[]): string {
  expect(card, "a card").toBeTruthy();
  if (peoplePickers(card).length > 0) checkCardWithPeoplePicker(card as object);
  else checkCard(card as object);
  const texts = markdownTexts(card);
  for (const kind of KINDS) for (const text of texts) expect(markdownLive(text), `live ${kind} Markdown in «${text.slice(0, 120)}»`).not.toContain(LIVE[kind]);
  const all = texts.map(markdownShown).join("\n");
  for (const kind of names) expect(all, `${kind} shown as text`).toContain(shown(kind));
  // The 100 KB name is cut: nothing beyond its 256 characters reaches the card.
  expect(all).not.toContain("x".repeat(MAX_NAME_CHARS));
  return all;
}

describe("hostile display names through every card that shows a name (issue 11)", () => {
  let h: Harness;
  const last = (replies: PostedActivity[]) => cardOf(replies.at(-1));

  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-04-15T10:00:00+02:00", ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    for (const user of [ADMIN, ...Object.values(PEOPLE)]) h.connector.members.set(user.id, { id: user.id, name: user.name, aadObjectId: user.aadObjectId! });
    // Agreement 2027 for Vestland with one task every agency answers for.
    await appendToAgreement(h.samhandling.store, "46", 2027, () => ({
      events: [{ id: "seed-t1", recordedAt: "2027-01-10T09:00:00+01:00", by: { id: ADMIN.aadObjectId!, name: ADMIN.name }, data: { type: "task-added" as const, task: { id: "t1", title: "Klyngeprogram", responsible: [...AGENCY_IDS] } } }],
      result: undefined,
    }));
    await record(h.samhandling.store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-20" });
  }, 60_000);
  afterAll(async () => h?.close());

  it("a name enters at most 256 characters long (from the message, a mention, the people picker); the grant confirmations show it as text", async () => {
    for (const kind of KINDS) {
      // A 100 KB name in the mention would pass the body limit three times over: Teams' mention carries a short one, the connector the real one.
      const mention = kind === "huge" ? { ...PEOPLE[kind], name: "Hugo" } : PEOPLE[kind];
      const { status, replies } = await h.say(`gi <at>${mention.name}</at> koordinator Vestland`, inChannel(ADMIN, [mention]));
      expect(status).toBe(200);
      const text = expectSafe(last(replies), [kind]);
      expect(text).toContain(`${shown(kind)} er nå regionkoordinator for Vestland.`);

      const granted = await invoke(h, { aadObjectId: ADMIN.aadObjectId!, name: ADMIN.name, conversationType: "channel", conversationId: CHANNEL }, "role.grant", {
        card: "admin", person: PEOPLE[kind].aadObjectId, kind: "admin", region: "", agency: "",
      });
      expect(granted.status).toBe(200);
      expect(expectSafe(granted.card, [kind])).toContain(`✅ ${shown(kind)} er nå administrator.`);
    }
    const roles = (await h.samhandling.store.read({ partition: "_system", id: "roles" }))!.doc as unknown as { assignments: Array<{ personId: string; name: string }> };
    for (const kind of KINDS) {
      const names = roles.assignments.filter((a) => a.personId === PEOPLE[kind].aadObjectId).map((a) => a.name);
      expect(names).toEqual([displayName(HOSTILE[kind]), displayName(HOSTILE[kind])]);
    }
    expect(displayName(HOSTILE.huge)).toHaveLength(MAX_NAME_CHARS);
    expect(displayName(HOSTILE.huge).endsWith("…")).toBe(true);
  });

  it("«roller», «meg» and the admin card show every name as text", async () => {
    expectSafe(last((await h.say("roller", inChannel(ADMIN))).replies), KINDS);
    for (const kind of KINDS) {
      // The person's own 100 KB name arrives in `from.name` of their message: cut there too.
      const text = expectSafe(last((await h.say("meg", { from: PEOPLE[kind] })).replies), [kind]);
      expect(text).toContain(`Dette er rollene til ${shown(kind)} i Samhandling:`);
    }
    expectSafe(last((await h.say("admin", inChannel(ADMIN))).replies), KINDS);
  });

  it("a channel bound by each of them: the binding names them as text, on «bind» and on the admin card; the welcome card names the admins as text", async () => {
    for (const [i, kind] of KINDS.entries()) {
      const channel = `19:bound-${i}@thread.tacv2`;
      expect((await h.say("bind Vestland", inChannel(PEOPLE[kind], [], channel))).status).toBe(200);
      expectSafe(last((await h.say("bind", inChannel(ADMIN, [], channel))).replies), [kind]);
      expectSafe(last((await h.say("admin", inChannel(ADMIN, [], channel))).replies), KINDS);
    }
    expect((await botAdded(h, { conversationId: "19:welcome@thread.tacv2", conversationType: "channel", teamId: "19:team@thread.tacv2" })).status).toBe(200);
    const welcome = cardOf(h.connector.to("19:welcome@thread.tacv2")[0]);
    expect(expectSafe(welcome, KINDS)).toContain("Administratorer: ");
  });

  it("an agency's report card names its deputies and who sent it as text; so does the round's summary", async () => {
    // Innovasjon Norge's contact is «link»; SIVA's «image», Forskningsrådet's «template», RFF's «bold».
    for (const [i, agency] of AGENCY_IDS.entries()) await h.samhandling.app.people.grant({ id: ADMIN.aadObjectId!, name: ADMIN.name }, { id: PEOPLE[KINDS[i]!].aadObjectId, name: displayName(HOSTILE[KINDS[i]!]) }, { kind: "agency-rep", agency, regionId: "46" });
    const rep = invoker("link");
    let hub = (await invoke(h, rep, "report.open", { ...SPRING, agency: "IN" })).card;
    for (const kind of ["image", "template", "bold", "huge"] as const) {
      const deputy = executeActions(hub).find((a) => a.verb === "report.deputy")!;
      hub = (await invoke(h, rep, "report.deputy", { ...deputy.data, person: PEOPLE[kind].aadObjectId })).card;
      expect(expectSafe(hub, [kind])).toContain(`${shown(kind)} kan nå svare for Innovasjon Norge i denne runden.`);
    }
    expect(expectSafe(hub, ["image", "template", "bold", "huge"])).toContain("Stedfortreder: ");

    // Each agency answers and sends: IN by its deputy «huge», the others by their contacts.
    const senders: Array<[Kind, string]> = [["huge", "IN"], ["image", "SIVA"], ["template", "NFR"], ["bold", "RFF"]];
    for (const [kind, agency] of senders) {
      const who = invoker(kind);
      const key = { ...SPRING, agency };
      const open = (await invoke(h, who, "report.open", key)).card;
      const form = (await invoke(h, who, "report.task", executeActions(open).find((a) => a.verb === "report.task")!.data)).card;
      const save = executeActions(form).find((a) => a.verb === "report.save")!.data;
      await invoke(h, who, "report.save", { ...save, "status-t1": "on-track", "comment-t1": `Svar fra ${HOSTILE[kind].slice(0, 60)}` });
      const submit = executeActions((await invoke(h, who, "report.open", key)).card).find((a) => a.verb === "report.submit")!;
      const sent = (await invoke(h, who, "report.submit", submit.data)).card;
      expect(expectSafe(sent, [kind])).toMatch(/Sendt inn .* av /);
    }
    // The summary lists the agreement's parties (RFF is not one by default): who sent for each is named as text.
    const summary = (await invoke(h, { aadObjectId: ADMIN.aadObjectId! }, "report.summary", SPRING)).card;
    const parties = senders.filter(([, agency]) => agency !== "RFF").map(([kind]) => kind);
    const text = expectSafe(summary, parties);
    for (const kind of parties) expect(text).toContain(`av ${shown(kind)}`);
  });

  it("the history (a meeting planned, an agreement task added by each) names who did it as text", async () => {
    for (const [i, kind] of KINDS.entries()) {
      const who = invoker(kind);
      const opened = await invoke(h, who, "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
      const date = `2027-04-${21 + i}`;
      const first = await invoke(h, who, "meeting.plan", { ...executeActions(opened.card).find((a) => a.verb === "meeting.plan")!.data, date });
      // A date that makes a deadline passed is saved on the second click («Lagre likevel»).
      const again = executeActions(first.card).find((a) => a.verb === "meeting.plan");
      const saved = again ? await invoke(h, who, "meeting.plan", { ...again.data, date }) : first;
      expectSafe(saved.card, []);
      if (i < 4) {
        const agreement = (await invoke(h, who, "agreement.open", { regionId: "46", year: 2027 })).card;
        const form = (await invoke(h, who, "agreement.task.open", executeActions(agreement).find((a) => a.verb === "agreement.task.open" && !a.data.taskId)!.data)).card;
        const task = executeActions(form).find((a) => a.verb === "agreement.task.save")!;
        expectSafe((await invoke(h, who, "agreement.task.save", { ...task.data, title: `Oppgave ${i}`, responsible: "region" })).card, []);
      }
    }
    // Every page of «historikk Vestland» (ten changes a page).
    let card = last((await h.say("historikk Vestland")).replies);
    const pages = [expectSafe(card, [])];
    for (let next = executeActions(card).find((a) => a.verb === "history.page" && a.data.page === 2); next; next = undefined) {
      card = (await invoke(h, { aadObjectId: ADMIN.aadObjectId! }, "history.page", next.data)).card;
      pages.push(expectSafe(card, []));
    }
    const text = pages.join("\n");
    for (const kind of KINDS) expect(text).toContain(`· ${shown(kind)}`);
  });
});
