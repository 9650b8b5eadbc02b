// @vitest-environment jsdom
/**
 * The admin card (`adaptive-cards/admin.json`): valid and under 28 KB in every language, in a
 * personal chat (no binding section) and in a channel (bound or not), empty or with a roster far
 * beyond a real installation. Its people picker is checked as Teams documents it; see
 * `checkCardWithPeoplePicker` for why the library needs a stand-in choice to check the rest.
 */
import { describe, expect, it } from "vitest";
import type { Roster } from "../../src/app/people.js";
import { MAX_ADMIN_ROSTER_LINES, PEOPLE_PICKER_DATASET, renderAdminCard, type AdminView } from "../../src/cards/admin-card.js";
import type { Lang } from "../../src/domain/calendar.js";
import { translator } from "../../src/i18n/index.js";
import { cardText } from "../support/harness.js";
import { checkCard, checkCardWithPeoplePicker, EMPTY_CHOICES_FAILURE, peoplePickers } from "../support/card-check.js";
import { executeActions } from "../support/invoke.js";
import { assignment, fullRoster } from "../support/rosters.js";

const fullRosterFor = (peoplePerRole: number) => fullRoster(peoplePerRole, ["x"]);

const LANGS: Lang[] = ["nb", "nn", "en"];
const OLA = { id: "00000000-0000-0000-0000-0000000000b2", name: "Ola Nordmann" };
const by = { id: "00000000-0000-0000-0000-0000000000ad", name: "Anne Admin" };

const small: Roster = {
  assignments: [assignment(1, { kind: "region-coordinator", regionId: "46" }, "Kari ${Nordmann}"), assignment(2, { kind: "admin" }, "")],
  configuredAdmins: ["x"],
};
const binding = { regionId: "46", boundBy: by, boundAt: "2027-03-17T09:00:00.000Z" };

const verbs = (card: unknown) => executeActions(card).map((a) => a.verb);

describe("admin card", () => {
  it.each(LANGS)("personal chat: roles and the roster, no binding section (%s)", (lang) => {
    for (const roster of [{ assignments: [], configuredAdmins: [] }, small]) {
      const card = renderAdminCard({ roster }, lang);
      checkCardWithPeoplePicker(card, PEOPLE_PICKER_DATASET);
      expect(verbs(card)).toEqual(["role.grant", "role.revoke"]);
      expect(JSON.stringify(card)).not.toContain("channelRegion");
    }
  });

  it.each(LANGS)("channel: bound and unbound, with a notice and the last choices kept (%s)", (lang) => {
    const t = translator(lang);
    const views: AdminView[] = [
      { roster: small, conversation: { binding: undefined } },
      { roster: small, conversation: { binding }, notice: { text: "✅ ok", style: "good", detail: t("admin.nameLater") } },
      {
        roster: fullRosterFor(3),
        conversation: { binding },
        notice: { text: "refused", style: "attention" },
        values: { person: OLA, kind: "agency-rep", region: "46", agency: "IN", channelRegion: "11" },
      },
    ];
    for (const view of views) {
      const card = renderAdminCard(view, lang);
      checkCardWithPeoplePicker(card, PEOPLE_PICKER_DATASET);
      expect(verbs(card)).toEqual(["role.grant", "role.revoke", "channel.bind", "channel.unbind"]);
    }
    expect(cardText(renderAdminCard(views[0]!, lang))).toContain(t("admin.channelUnbound"));
    expect(cardText(renderAdminCard(views[1]!, lang))).toContain("Vestland");
  });

  it("the picker is Teams' people picker; a chosen person is pre-selected by id with their name as the static choice", () => {
    const card = renderAdminCard({ roster: small, values: { person: OLA, kind: "region-coordinator", region: "46" } }, "nb");
    const [picker] = peoplePickers(card);
    expect(picker).toMatchObject({ id: "person", isMultiSelect: false, value: OLA.id, choices: [{ title: "Ola Nordmann", value: OLA.id }] });
    expect(picker!["choices.data"]).toEqual({ type: "Data.Query", dataset: "graph.microsoft.com/users" });
    checkCardWithPeoplePicker(card);
    // Without a choice the picker has no static choices at all, as Teams documents it.
    const fresh = peoplePickers(renderAdminCard({ roster: small }, "nb"))[0]!;
    expect(fresh.choices).toEqual([]);
    expect(fresh.value).toBe("");
  });

  it("the picker check is meaningful: a broken query, a multi-select picker or another broken element fails it", () => {
    const card = renderAdminCard({ roster: small, conversation: { binding } }, "nb");
    // Plain checkCard fails on the picker alone, as documented in card-check.ts.
    expect(() => checkCard(card)).toThrow();
    const broken = (change: (copy: any) => void) => {
      const copy = structuredClone(card);
      change(copy);
      return () => checkCardWithPeoplePicker(copy);
    };
    expect(broken((c) => (peoplePickers(c)[0]!["choices.data"].type = "Data.Querx"))).toThrow();
    expect(broken((c) => (peoplePickers(c)[0]!["choices.data"].dataset = "graph.microsoft.com/groups"))).toThrow();
    expect(broken((c) => (peoplePickers(c)[0]!.isMultiSelect = true))).toThrow();
    expect(broken((c) => c.body.push({ type: "Input.ChoiceSet", id: "empty", choices: [] }))).toThrow(/deeply equal/);
    expect(broken((c) => c.body.push({ type: "NoSuchElement" }))).toThrow();
    expect(EMPTY_CHOICES_FAILURE).toContain("at least one choice");
  });

  it("values the card does not offer are not echoed; the binding pre-selects the channel's region", () => {
    const card = renderAdminCard({ roster: small, conversation: { binding }, values: { kind: "boss", region: "99", agency: "XY" } }, "nb");
    const inputs = Object.fromEntries(collectInputs(card).map((i) => [i.id, i.value]));
    expect(inputs).toEqual({ person: "", kind: "", region: "", agency: "", channelRegion: "46" });
  });

  it("a name Teams did not give is shown as unknown with the start of the id; names are not re-expanded", () => {
    const text = cardText(renderAdminCard({ roster: small }, "nb"));
    expect(text).toContain("(navn ukjent, id 00000000…)");
    expect(text).toContain("Kari $ {Nordmann}");
    expect(cardText(renderAdminCard({ roster: small }, "nn"))).toContain("(namn ukjent, id 00000000…)");
  });

  it("a long roster is cut at the line budget, says how many more, and stays under 28 KB", () => {
    const full = fullRosterFor(3);
    const card = renderAdminCard({ roster: full, conversation: { binding } }, "nb");
    const facts = JSON.stringify(card).match(/"title":"Person nummer/g) ?? [];
    expect(facts).toHaveLength(MAX_ADMIN_ROSTER_LINES);
    expect(cardText(card)).toContain(`… og ${full.assignments.length - MAX_ADMIN_ROSTER_LINES} til.`);
    // Administrators first.
    expect(cardText(card).indexOf("administrator")).toBeLessThan(cardText(card).indexOf("regionkoordinator"));
  });
});

function collectInputs(card: unknown): Array<{ id: string; value: unknown }> {
  const found: Array<{ id: string; value: unknown }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (typeof n.type === "string" && n.type.startsWith("Input.")) found.push({ id: String(n.id), value: n.value });
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}
