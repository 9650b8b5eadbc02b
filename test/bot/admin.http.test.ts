/**
 * The admin card over real HTTP: `admin` opens it for administrators only; its buttons
 * (Action.Execute invokes, as Teams sends them) grant and revoke roles for the person chosen in
 * the people picker (an Entra object id, nothing else) and bind the conversation the card is in.
 * A non-admin's click and bad data are refused, naming the field, and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostedActivity } from "../support/fake-connector.js";
import { KARI, cardOf, cardText, startHarness, type Harness, type SayOptions, type TeamsUser } from "../support/harness.js";
import { executeActions, invoke, type Invoker } from "../support/invoke.js";

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-0000000000ad", name: "Anne Admin" };
/** Nobody the connector knows: picked in a personal chat, the bot learns only the id. */
const OLA: TeamsUser = { id: "29:ola", aadObjectId: "00000000-0000-0000-0000-0000000000b2", name: "Ola Nordmann" };

const ROLES_KEY = { partition: "_system", id: "roles" };
const BINDINGS_KEY = { partition: "_system", id: "bindings" };
const CHANNEL = "19:admin-kanal@thread.tacv2";

const asAdmin = (extra: Partial<Invoker> = {}): Invoker => ({ aadObjectId: ADMIN.aadObjectId!, name: ADMIN.name, ...extra });
const inChannel = (thread: number): Partial<Invoker> => ({ conversationType: "channel", conversationId: `${CHANNEL};messageid=${thread}` });

describe("the admin card over HTTP", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    // Teams' member look-up answers to the Entra object id as well: Kari is a member of the channel.
    h.connector.members.set(KARI.aadObjectId!, { id: KARI.id, name: KARI.name, aadObjectId: KARI.aadObjectId! });
  });
  afterAll(async () => h?.close());

  const ask = async (text: string, options: SayOptions = {}) => {
    const { status, replies } = await h.say(text, options);
    expect(status).toBe(200);
    return cardOf(replies.at(-1) as PostedActivity);
  };
  const click = async (who: Invoker, verb: string, data: unknown) => {
    const { status, card, body } = await invoke(h, who, verb, data);
    expect(status).toBe(200);
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    return card;
  };
  const etag = async (key: typeof ROLES_KEY) => (await h.samhandling.store.read(key))?.etag;
  const verbs = (card: unknown) => executeActions(card).map((a) => a.verb);

  describe("admin / administrer / administrasjon", () => {
    it("an admin gets the card: people picker, role, region and agency, the buttons, and the roles now", async () => {
      const card = await ask("admin", { from: ADMIN });
      expect(cardText(card)).toContain("Administrer Samhandling");
      expect(verbs(card)).toEqual(["role.grant", "role.revoke"]);
      const picker = JSON.stringify(card);
      expect(picker).toContain('"choices.data":{"type":"Data.Query","dataset":"graph.microsoft.com/users"}');
      expect(cardText(card)).toContain("1 administrator fra oppsettet av appen");
      // In a personal chat there is nothing to bind.
      expect(picker).not.toContain("channel.bind");
    });

    it("in a channel the card has the binding section; the nynorsk and English words open it too", async () => {
      const card = await ask("administrer", { from: ADMIN, conversationType: "channel", mention: true, conversationId: `${CHANNEL};messageid=1`, locale: "nn-NO" });
      expect(verbs(card)).toEqual(["role.grant", "role.revoke", "channel.bind", "channel.unbind"]);
      expect(cardText(card)).toContain("Samtalen er ikkje kopla til nokon region");
      expect(cardText(card)).toContain("Kople kanalen");
      expect(cardText(await ask("administrasjon", { from: ADMIN, locale: "en-US" }))).toContain("Administer Samhandling");
    });

    it("anyone else gets the usual refusal", async () => {
      expect(cardText(await ask("admin"))).toContain("Bare administratorer kan gi og fjerne roller");
      expect(cardText(await ask("admin", { from: { id: "29:guest", name: "Gjest" } }))).toContain("Jeg ser ikke hvem du er");
    });
  });

  describe("roles by card", () => {
    it("grant in a channel: the connector names the picked person; «meg» then shows the role", async () => {
      const card = await click(asAdmin(inChannel(2)), "role.grant", { card: "admin", person: KARI.aadObjectId, kind: "region-coordinator", region: "46", agency: "" });
      expect(cardText(card)).toContain("✅ Kari Nordmann er nå regionkoordinator for Vestland.");
      expect(h.connector.memberLookups.at(-1)).toBe(`${CHANNEL};messageid=2 ${KARI.aadObjectId}`);
      // The answer is the admin card again, with the role in the list and the person still chosen.
      expect(cardText(card)).toContain("Roller nå");
      expect(JSON.stringify(card)).toContain(`"choices":[{"title":"Kari Nordmann","value":"${KARI.aadObjectId}"}]`);
      expect(cardText(await ask("meg", { from: KARI }))).toContain("• regionkoordinator for Vestland");
      const stored = (await h.samhandling.store.read(ROLES_KEY))!.doc as any;
      expect(stored.assignments).toEqual([
        expect.objectContaining({ personId: KARI.aadObjectId, name: "Kari Nordmann", role: "region-coordinator:46", grantedBy: { id: ADMIN.aadObjectId, name: "Anne Admin" } }),
      ]);
    });

    it("grant in a personal chat to someone the bot cannot name: stored without a name, said so, named once they write", async () => {
      const card = await click(asAdmin(), "role.grant", { person: OLA.aadObjectId, kind: "agency-rep", region: "46", agency: "IN" });
      const text = cardText(card);
      expect(text).toContain("✅ Personen med id 00000000… er nå kontaktperson for Innovasjon Norge i Vestland.");
      expect(text).toContain("Teams ga meg bare id-en, ikke navnet.");
      expect(text).toContain("(navn ukjent, id 00000000…)");
      expect(cardText(await ask("roller"))).toContain("(navn ukjent, id 00000000…) – kontaktperson for Innovasjon Norge i Vestland");

      // Ola writes to the bot: «meg» shows the role, and from then on the lists have his name.
      expect(cardText(await ask("meg", { from: OLA }))).toContain("• kontaktperson for Innovasjon Norge i Vestland");
      const roles = cardText(await ask("roller"));
      expect(roles).toContain("Ola Nordmann – kontaktperson for Innovasjon Norge i Vestland");
      expect(roles).not.toContain("navn ukjent");
      // A later grant uses the name now known, in the admin's language.
      const nn = await click(asAdmin({ locale: "nn-NO" }), "role.grant", { person: OLA.aadObjectId, kind: "agency-rep", agency: "SIVA" });
      expect(cardText(nn)).toContain("✅ Ola Nordmann er no kontaktperson for SIVA (nasjonalt).");
    });

    it("granting a role held already, and revoking one not held, change nothing", async () => {
      const before = await etag(ROLES_KEY);
      expect(cardText(await click(asAdmin(), "role.grant", { person: KARI.aadObjectId, kind: "region-coordinator", region: "46" }))).toContain(
        "Kari Nordmann er allerede regionkoordinator for Vestland. Ingenting er endret.",
      );
      expect(cardText(await click(asAdmin(), "role.revoke", { person: KARI.aadObjectId, kind: "national-coordinator" }))).toContain(
        "Kari Nordmann har ikke rollen nasjonal koordinator (RUK AU). Ingenting er endret.",
      );
      expect(await etag(ROLES_KEY)).toBe(before);
    });

    it("revoke by card takes the role away; an ADMIN_AAD_IDS admin cannot be revoked", async () => {
      const card = await click(asAdmin({ locale: "en-US" }), "role.revoke", { person: KARI.aadObjectId, kind: "region-coordinator", region: "46", agency: "" });
      expect(cardText(card)).toContain("✅ Kari Nordmann is no longer region coordinator for Vestland.");
      expect(cardText(await ask("meg", { from: KARI }))).toContain("Kari Nordmann har ingen roller i Samhandling.");
      const refused = await click(asAdmin(), "role.revoke", { person: ADMIN.aadObjectId, kind: "admin" });
      expect(cardText(refused)).toContain("Anne Admin er administrator fordi det står i oppsettet av appen");
      expect(JSON.stringify(refused)).toContain('"style":"attention"');
    });

    it("a non-admin clicking an old card is refused, gets no admin card, and nothing changes", async () => {
      const roles = await etag(ROLES_KEY);
      const bindings = await etag(BINDINGS_KEY);
      for (const [verb, data] of [
        ["role.grant", { person: KARI.aadObjectId, kind: "admin" }],
        ["role.revoke", { person: OLA.aadObjectId, kind: "agency-rep", region: "46", agency: "IN" }],
        ["channel.bind", { channelRegion: "11" }],
        ["channel.unbind", {}],
      ] as const) {
        // Ola holds roles, but is no administrator.
        const card = await click({ aadObjectId: OLA.aadObjectId!, name: OLA.name, ...inChannel(3) }, verb, data);
        expect(cardText(card)).toBe("Bare administratorer kan gi og fjerne roller og koble samtaler til regioner. Skriv «meg» for å se rollene dine.");
        expect(verbs(card)).toEqual([]);
      }
      expect(await etag(ROLES_KEY)).toBe(roles);
      expect(await etag(BINDINGS_KEY)).toBe(bindings);
      expect(cardText(await ask("meg", { from: KARI }))).not.toContain("administrator");
    });

    it("bad data gets a message naming the field, and nothing is stored", async () => {
      const before = await etag(ROLES_KEY);
      const cases: Array<[unknown, string]> = [
        [{ person: KARI.aadObjectId, kind: "boss", region: "46" }, "Feltet «Rolle» mangler eller er ugyldig."],
        [{ person: KARI.aadObjectId, kind: "" }, "Feltet «Rolle» mangler eller er ugyldig."],
        [{ person: KARI.aadObjectId, kind: "region-coordinator", region: "" }, "Feltet «Region» må fylles ut: en regionkoordinator hører til én region."],
        [{ person: KARI.aadObjectId, kind: "region-coordinator", region: "99" }, "Feltet «Region» mangler eller er ugyldig."],
        [{ person: KARI.aadObjectId, kind: "agency-rep", region: "46" }, "Feltet «Virkemiddelaktør» må fylles ut: en kontaktperson hører til én virkemiddelaktør."],
        [{ person: KARI.aadObjectId, kind: "agency-rep", agency: "XY" }, "Feltet «Virkemiddelaktør» mangler eller er ugyldig."],
        [{ kind: "admin" }, "Feltet «Person» mangler eller er ugyldig."],
        [{ person: `${KARI.aadObjectId},${OLA.aadObjectId}`, kind: "admin" }, "Feltet «Person» mangler eller er ugyldig."],
        [{ person: 42, kind: "admin" }, "Feltet «Person» mangler eller er ugyldig."],
      ];
      for (const [data, message] of cases) {
        const card = await click(asAdmin(), "role.grant", data);
        expect(cardText(card), JSON.stringify(data)).toContain(message);
        expect(JSON.stringify(card)).toContain('"style":"attention"');
      }
      expect(cardText(await click(asAdmin({ locale: "en-US" }), "role.revoke", { person: KARI.aadObjectId, kind: "boss" }))).toContain("The field “Role” is missing or invalid.");
      expect(cardText(await click(asAdmin({ locale: "nn-NO" }), "role.grant", { person: KARI.aadObjectId, kind: "region-coordinator" }))).toContain(
        "Feltet «Region» må fyllast ut: ein regionkoordinator høyrer til éin region.",
      );
      expect(await etag(ROLES_KEY)).toBe(before);
    });
  });

  describe("the conversation's binding by card", () => {
    it("bind in a channel: «status» alone in any thread of it then shows the region; the card shows the binding", async () => {
      const card = await click(asAdmin(inChannel(10)), "channel.bind", { card: "admin", channelRegion: "46", person: "", kind: "" });
      expect(cardText(card)).toContain("✅ Denne samtalen er nå koblet til Vestland. Her betyr «status» alene Vestland.");
      expect(cardText(card)).toContain("Denne samtalen er koblet til Vestland (av Anne Admin, 17. mars 2027).");
      expect(cardText(await ask("status", { conversationType: "channel", mention: true, conversationId: `${CHANNEL};messageid=11` }))).toContain("Status – Vestland");
      // The text command sees the same binding: same key rule.
      expect(cardText(await ask("bind", { conversationType: "channel", mention: true, conversationId: `${CHANNEL};messageid=12` }))).toBe(
        "Denne samtalen er koblet til Vestland (av Anne Admin, 17. mars 2027).",
      );
      const moved = await click(asAdmin(inChannel(13)), "channel.bind", { channelRegion: "11" });
      expect(cardText(moved)).toContain("✅ Denne samtalen er nå koblet til Rogaland (før: Vestland).");
    });

    it("a region missing or unknown is named; a personal chat cannot be bound; nothing changes", async () => {
      const before = await etag(BINDINGS_KEY);
      expect(cardText(await click(asAdmin(inChannel(14)), "channel.bind", { channelRegion: "" }))).toContain("Feltet «Region» mangler eller er ugyldig.");
      expect(cardText(await click(asAdmin(inChannel(14)), "channel.bind", { channelRegion: "Atlantis" }))).toContain("Feltet «Region» mangler eller er ugyldig.");
      expect(cardText(await click(asAdmin(), "channel.bind", { channelRegion: "46" }))).toContain("En personlig chat kan ikke kobles til en region.");
      expect(await etag(BINDINGS_KEY)).toBe(before);
    });

    it("unbind by card: «status» is the national track again; unbinding again says it is not bound", async () => {
      const card = await click(asAdmin({ ...inChannel(20), locale: "nn-NO" }), "channel.unbind", { card: "admin" });
      expect(cardText(card)).toContain("✅ Denne samtalen er ikkje lenger kopla til Rogaland.");
      expect(cardText(await ask("status", { conversationType: "channel", mention: true, conversationId: `${CHANNEL};messageid=21` }))).toContain("Status – nasjonalt spor");
      expect(cardText(await click(asAdmin(inChannel(22)), "channel.unbind", {}))).toContain("Denne samtalen er ikke koblet til noen region.");
    });
  });
});
