/**
 * Roles, channel bindings and language through real HTTP: an admin grants by @mention (the
 * mention resolved to an Entra object id by the fake connector), people see their roles, a
 * bound channel's "status" means its region, a chosen language beats the Teams locale. Every
 * refusal names what is wrong and changes nothing in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostedActivity } from "../support/fake-connector.js";
import { KARI, at, cardOf, cardText, startHarness, type Harness, type SayOptions, type TeamsUser } from "../support/harness.js";

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-0000000000ad", name: "Anne Admin" };
const OLA: TeamsUser = { id: "29:ola", aadObjectId: "00000000-0000-0000-0000-0000000000b2", name: "Ola Nordmann" };
/** Mentioned, but not a member of the conversations the connector knows. */
const PER: TeamsUser = { id: "29:per", name: "Per Utenfor" };

const ROLES_KEY = { partition: "_system", id: "roles" };
const BINDINGS_KEY = { partition: "_system", id: "bindings" };

describe("roles, bindings and language over HTTP", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: ` ${ADMIN.aadObjectId!.toUpperCase()} ` });
    for (const user of [ADMIN, OLA, KARI]) h.connector.members.set(user.id, { id: user.id, name: user.name, aadObjectId: user.aadObjectId! });
  });
  afterAll(async () => h?.close());

  /** The text of the card the bot answered with (the last reply in the conversation). */
  const ask = async (text: string, options: SayOptions = {}) => {
    const { status, replies } = await h.say(text, options);
    expect(status).toBe(200);
    return cardText(cardOf(replies.at(-1) as PostedActivity));
  };
  /** An admin command in a channel: the bot's own mention first, then the person's. */
  const inChannel = (from: TeamsUser, mentions: TeamsUser[] = [], conversationId?: string): SayOptions => ({
    conversationType: "channel",
    mention: true,
    from,
    mentions,
    ...(conversationId ? { conversationId } : {}),
  });
  const rolesEtag = async () => (await h.samhandling.store.read(ROLES_KEY))?.etag;

  describe("meg / me", () => {
    it("a person without roles is told they are a viewer", async () => {
      const text = await ask("meg");
      expect(text).toContain("Rollene dine");
      expect(text).toContain("Kari Nordmann har ingen roller i Samhandling.");
      expect(text).toContain("Alle som ikke har en rolle, er lesere");
    });

    it("an ADMIN_AAD_IDS admin is an administrator with no document stored (ids compare case-insensitively)", async () => {
      expect(await h.samhandling.store.read(ROLES_KEY)).toBeUndefined();
      const text = await ask("me", { from: ADMIN, locale: "en-US" });
      expect(text).toContain("These are the roles of Anne Admin in Samhandling:");
      expect(text).toContain("• administrator");
    });
  });

  describe("gi / grant and fjern / revoke", () => {
    it("an admin grants a role by @mention; the person then sees it with «meg», and it is stored by Entra object id", async () => {
      const text = await ask(`gi ${at(OLA)} koordinator Vestland`, inChannel(ADMIN, [OLA]));
      expect(text).toBe("Ola Nordmann er nå regionkoordinator for Vestland.");
      // The Teams id of the mention was looked up at the connector.
      expect(h.connector.memberLookups.at(-1)).toMatch(/ 29:ola$/);
      expect(await ask("meg", { from: OLA })).toContain("• regionkoordinator for Vestland");
      const stored = (await h.samhandling.store.read(ROLES_KEY))!.doc as any;
      expect(stored.assignments).toEqual([
        expect.objectContaining({ personId: OLA.aadObjectId, name: "Ola Nordmann", role: "region-coordinator:46", grantedBy: { id: ADMIN.aadObjectId, name: "Anne Admin" } }),
      ]);
    });

    it("agency roles in nynorsk words and canonically, national and regional", async () => {
      expect(await ask(`gi ${at(OLA)} aktør Innovasjon Norge i Vestland`, { ...inChannel(ADMIN, [OLA]), locale: "nn-NO" })).toBe(
        "Ola Nordmann er no kontaktperson for Innovasjon Norge i Vestland.",
      );
      expect(await ask(`grant ${at(OLA)} agency-rep:SIVA`, { ...inChannel(ADMIN, [OLA]), locale: "en-US" })).toBe("Ola Nordmann is now contact for SIVA (national).");
      const me = await ask("meg", { from: OLA, locale: "nn-NO" });
      expect(me).toContain("• kontaktperson for Innovasjon Norge i Vestland");
      expect(me).toContain("• kontaktperson for SIVA (nasjonalt)");
      expect(me).toContain("• regionkoordinator for Vestland");
    });

    it("granting a role someone already holds changes nothing", async () => {
      const before = await rolesEtag();
      expect(await ask(`gi ${at(OLA)} koordinator 46`, inChannel(ADMIN, [OLA]))).toBe("Ola Nordmann er allerede regionkoordinator for Vestland. Ingenting er endret.");
      expect(await rolesEtag()).toBe(before);
    });

    it("a non-admin is refused, and nothing is stored", async () => {
      const before = await rolesEtag();
      const text = await ask(`gi ${at(OLA)} admin`, inChannel(KARI, [OLA]));
      expect(text).toContain("Bare administratorer kan gi og fjerne roller");
      expect(await rolesEtag()).toBe(before);
      expect(await ask("meg", { from: OLA })).not.toContain("administrator");
      // Someone with roles, but not admin, is refused as well.
      expect(await ask(`fjern ${at(OLA)} koordinator Vestland`, inChannel(OLA, [OLA]))).toContain("Bare administratorer");
      expect(await rolesEtag()).toBe(before);
    });

    it("an unknown role word is named, with the role grammar, and nothing is stored", async () => {
      const before = await rolesEtag();
      const card = cardOf((await h.say(`gi ${at(OLA)} sjef Vestland`, inChannel(ADMIN, [OLA]))).replies.at(-1));
      expect(cardText(card)).toBe("Jeg kjenner ikke rollen «sjef Vestland».\nRoller: admin · ruk · koordinator ‹region› · aktør ‹IN|SIVA|NFR|RFF› [region]");
      expect(await ask(`gi ${at(OLA)} aktør XY Vestland`, inChannel(ADMIN, [OLA]))).toContain("Jeg kjenner ikke aktøren «XY»");
      expect(await ask(`gi ${at(OLA)} koordinator`, inChannel(ADMIN, [OLA]))).toContain("En regionkoordinator trenger en region");
      expect(await ask(`gi ${at(OLA)}`, inChannel(ADMIN, [OLA]))).toContain("Skriv hvilken rolle");
      expect(await rolesEtag()).toBe(before);
    });

    it("an unknown region is named, with a suggestion when there is one", async () => {
      const before = await rolesEtag();
      expect(await ask(`gi ${at(OLA)} koordinator Vestlnd`, inChannel(ADMIN, [OLA]))).toBe("Jeg finner ingen region som heter «Vestlnd».\nMente du: Vestland?");
      const text = await ask(`grant ${at(OLA)} coordinator Atlantis`, { ...inChannel(ADMIN, [OLA]), locale: "en-US" });
      expect(text).toContain("I can't find a region called “Atlantis”.");
      expect(text).toContain("The regions are: Oslo, Rogaland");
      expect(await rolesEtag()).toBe(before);
    });

    it("without an @mention, or with two, the admin is told whom to mention", async () => {
      expect(await ask("gi Ola koordinator Vestland", inChannel(ADMIN))).toBe("Nevn personen med @, f.eks. «gi @Kari koordinator Vestland».");
      expect(await ask(`gi ${at(OLA)} ${at(KARI)} koordinator Vestland`, inChannel(ADMIN, [OLA, KARI]))).toBe("Nevn én person om gangen (2 er nevnt).");
    });

    it("a mentioned person the connector does not know gets a clear message, and nothing is stored", async () => {
      const before = await rolesEtag();
      const text = await ask(`gi ${at(PER)} koordinator Vestland`, inChannel(ADMIN, [PER]));
      expect(text).toContain("Jeg finner ikke Per Utenfor blant medlemmene i denne samtalen");
      expect(h.connector.memberLookups.at(-1)).toMatch(/ 29:per$/);
      expect(await rolesEtag()).toBe(before);
    });

    it("revoke takes the role away; revoking it again says it is not held", async () => {
      expect(await ask(`fjern ${at(OLA)} aktør SIVA`, inChannel(ADMIN, [OLA]))).toBe("Ola Nordmann er ikke lenger kontaktperson for SIVA (nasjonalt).");
      expect(await ask("meg", { from: OLA })).not.toContain("SIVA");
      const before = await rolesEtag();
      expect(await ask(`revoke ${at(OLA)} agency SIVA`, { ...inChannel(ADMIN, [OLA]), locale: "en-US" })).toBe(
        "Ola Nordmann does not hold the role contact for SIVA (national). Nothing changed.",
      );
      expect(await rolesEtag()).toBe(before);
    });

    it("an admin from ADMIN_AAD_IDS cannot be revoked by command", async () => {
      expect(await ask(`fjern ${at(ADMIN)} admin`, inChannel(ADMIN, [ADMIN]))).toContain("Anne Admin er administrator fordi det står i oppsettet av appen");
      expect(await ask("meg", { from: ADMIN })).toContain("• administrator");
    });
  });

  describe("roller / roles", () => {
    it("everyone may see who holds which role, all regions or one", async () => {
      const all = await ask("roller");
      expect(all).toContain("Roller i Samhandling");
      expect(all).toContain("Administratorer\n1 administrator fra oppsettet av appen");
      expect(all).toContain("Vestland\nOla Nordmann – kontaktperson for Innovasjon Norge i Vestland\nOla Nordmann – regionkoordinator for Vestland");
      const oslo = await ask("roles Oslo", { locale: "en-US" });
      expect(oslo).toContain("Roles – Oslo");
      expect(oslo).not.toContain("Ola Nordmann");
      expect(await ask("roller Atlantis")).toContain("Jeg finner ingen region som heter «Atlantis».");
    });
  });

  describe("bind / kople / løs", () => {
    const channel = "19:vestland-kanal@thread.tacv2";

    it("an admin binds a channel; «status» alone in any thread of it then shows that region", async () => {
      expect(await ask("bind Vestland", inChannel(ADMIN, [], `${channel};messageid=1001`))).toBe(
        "Denne samtalen er nå koblet til Vestland. Her betyr «status» alene Vestland.",
      );
      const status = await ask("status", inChannel(KARI, [], `${channel};messageid=2002`));
      expect(status).toContain("Status – Vestland");
      expect(status).toContain("Regionalt dialogmøte vår");
      // «roller» alone means the bound region too.
      expect(await ask("roller", inChannel(KARI, [], `${channel};messageid=2003`))).toContain("Roller – Vestland");
      // Another, unbound channel still gets the national track.
      expect(await ask("status", inChannel(KARI, [], "19:annen@thread.tacv2;messageid=1"))).toContain("Status – nasjonalt spor");
      // A personal chat cannot be bound, and «status» there is unaffected.
      expect(await ask("status", { from: KARI })).toContain("Status – nasjonalt spor");
    });

    it("«bind» alone tells the binding, to anyone; «kople» is the nynorsk word", async () => {
      expect(await ask("bind", inChannel(KARI, [], `${channel};messageid=3003`))).toBe("Denne samtalen er koblet til Vestland (av Anne Admin, 17. mars 2027).");
      expect(await ask("kople", { ...inChannel(KARI, [], `${channel};messageid=3004`), locale: "nn-NO" })).toBe(
        "Denne samtalen er kopla til Vestland (av Anne Admin, 17. mars 2027).",
      );
    });

    it("a non-admin cannot bind or unbind; an unknown region is named; a personal chat cannot be bound", async () => {
      const before = (await h.samhandling.store.read(BINDINGS_KEY))?.etag;
      expect(await ask("bind Oslo", inChannel(OLA, [], `${channel};messageid=4004`))).toContain("Bare administratorer");
      expect(await ask("løs", inChannel(KARI, [], `${channel};messageid=4005`))).toContain("Bare administratorer");
      expect(await ask("bind Atlantis", inChannel(ADMIN, [], `${channel};messageid=4006`))).toContain("Jeg finner ingen region som heter «Atlantis».");
      expect(await ask("bind Vestland", { from: ADMIN })).toBe("En personlig chat kan ikke kobles til en region. Bruk en kanal eller en gruppechat.");
      expect((await h.samhandling.store.read(BINDINGS_KEY))?.etag).toBe(before);
      expect(await ask("status", inChannel(KARI, [], `${channel};messageid=4007`))).toContain("Status – Vestland");
      // The card's national line (and the overview's national row) send "status nasjonalt": the national track even here.
      expect(await ask("status nasjonalt", inChannel(KARI, [], `${channel};messageid=4008`))).toContain("Status – nasjonalt spor");
    });

    it("binding a group chat to another region says what it was before", async () => {
      const chat = "19:gruppe@thread.v2";
      expect(await ask("bind Rogaland", { conversationType: "groupChat", mention: true, from: ADMIN, conversationId: chat })).toContain("koblet til Rogaland");
      expect(await ask("bind Agder", { conversationType: "groupChat", mention: true, from: ADMIN, conversationId: chat })).toBe(
        "Denne samtalen er nå koblet til Agder (før: Rogaland). Her betyr «status» alene Agder.",
      );
    });

    it("«løs» / «unbind» removes the binding; «status» is the national track again", async () => {
      expect(await ask("unbind", { ...inChannel(ADMIN, [], `${channel};messageid=5005`), locale: "en-US" })).toBe("This conversation is no longer bound to Vestland.");
      expect(await ask("status", inChannel(KARI, [], `${channel};messageid=5006`))).toContain("Status – nasjonalt spor");
      expect(await ask("løs", inChannel(ADMIN, [], `${channel};messageid=5007`))).toContain("ikke koblet til noen region");
    });
  });

  describe("språk / language", () => {
    it("«språk nynorsk» is confirmed in nynorsk, and the next status card is nynorsk despite an nb-NO locale", async () => {
      expect(await ask("språk nynorsk", { from: OLA })).toBe("Frå no av svarar eg deg på nynorsk.");
      const status = await ask("status Vestland", { from: OLA, locale: "nb-NO" });
      expect(status).toContain("Vis heile året");
      expect(status).toContain("ventar på nasjonalt temamøte vår");
      // Others keep their Teams language.
      expect(await ask("status Vestland", { from: KARI, locale: "nb-NO" })).toContain("venter på nasjonalt temamøte vår");
      expect(await ask("språk", { from: OLA, locale: "nb-NO" })).toContain("Du får svar på nynorsk.");
    });

    it("«language english» and «mål bokmål» switch again; «språk teams» follows the locale again", async () => {
      expect(await ask("language english", { from: OLA })).toBe("From now on I'll answer you in English.");
      expect(await ask("hjelp", { from: OLA, locale: "nn-NO" })).toContain("What Samhandling can do");
      expect(await ask("mål bokmål", { from: OLA, locale: "en-US" })).toBe("Fra nå av svarer jeg deg på bokmål.");
      expect(await ask("språk teams", { from: OLA, locale: "nn-NO" })).toBe("Frå no av følgjer eg språket i Teams (nynorsk).");
      expect(await ask("hjelp", { from: OLA, locale: "nn-NO" })).toContain("Kva Samhandling kan gjere");
    });

    it("an unknown language is named, and the choice is unchanged", async () => {
      await ask("språk nynorsk", { from: KARI });
      expect(await ask("språk klingon", { from: KARI })).toBe("Eg kjenner ikkje språket «klingon». Vel bokmål, nynorsk eller english.");
      expect(await ask("status", { from: KARI })).toContain("Status – nasjonalt spor");
      expect(await ask("språk", { from: KARI })).toContain("Du får svar på nynorsk.");
      await ask("språk auto", { from: KARI });
    });

    it("someone without an Entra object id cannot store a choice", async () => {
      const anonymous = { id: "29:guest", name: "Gjest" };
      expect(await ask("språk nynorsk", { from: anonymous })).toContain("Jeg ser ikke hvem du er");
      expect(await ask("meg", { from: anonymous })).toContain("du er leser");
    });
  });

  describe("hjelp", () => {
    it("admins see their commands in a group of their own; others do not", async () => {
      const admin = await ask("hjelp", { from: ADMIN });
      expect(admin).toContain("For administratorer");
      expect(admin).toContain("**gi @person ‹rolle›**");
      expect(admin).toContain("**meg** – rollene dine");
      const viewer = await ask("hjelp", { from: KARI });
      expect(viewer).toContain("**språk bokmål|nynorsk|english**");
      expect(viewer).not.toContain("For administratorer");
    });
  });
});
