/**
 * The bot through real HTTP: the app on port 0, a fake Bot Connector recording what the bot
 * posts. What a person in Teams would see, for good and bad input.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGIONS } from "../../src/domain/regions.js";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { record } from "../support/events.js";
import { BOT, cardOf, cardText, startHarness, type Harness, type SayOptions, type TeamsUser } from "../support/harness.js";

/** Where the bot keeps its data in a run of the HTTP tests: the embedded default, or Cosmos DB (in-process emulator). */
interface Backend {
  name: "sqlite" | "cosmos";
  /** Starts what the store needs and gives the env that selects it (a restart reuses the same env). */
  start(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

const sqlite: Backend = { name: "sqlite", start: async () => ({}), stop: async () => {} };

function cosmos(): Backend {
  let emulator: CosmosEmulator | undefined;
  return {
    name: "cosmos",
    async start() {
      emulator = await startCosmosEmulator();
      return { STORE: "cosmos", COSMOS_ENDPOINT: emulator.endpoint, COSMOS_KEY: emulator.key };
    },
    async stop() {
      await emulator?.close();
    },
  };
}

/** The card's buttons that send a command, in reading order: those in the body first, then the card's own row. */
function submits(card: unknown): Array<{ title: string; data: { command: string } }> {
  const found: Array<{ title: string; data: { command: string } }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "Action.Submit") found.push(n as never);
      if (n.body) walk(n.body);
      if (n.items) walk(n.items);
      if (n.actions) walk(n.actions);
    }
  };
  walk(card);
  return found;
}

for (const backend of [sqlite, cosmos()]) {
  describe(`bot over HTTP on ${backend.name} (17 March 2027, tracking since 5 February)`, () => {
    let h: Harness;
    let storeDir = "";

    beforeAll(async () => {
      const env = await backend.start();
      // First start in early February sets the tracking start (after the January signing of the
      // previous cycle, which is therefore "not recorded"); then restart on the same store in March.
      const first = await startHarness({ ...env, CLOCK_NOW: "2027-02-05T08:00:00+01:00" });
      await first.samhandling.close();
      await first.connector.close();
      storeDir = first.dir;
      h = await startHarness({ ...env, CLOCK_NOW: "2027-03-17T10:00:00+01:00" }, { dir: first.dir });
      await record(h.samhandling.store, "national", 2027, { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24", place: "Oslo" });
      await record(h.samhandling.store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-20", place: "Bergen" });
    });
    afterAll(async () => {
      await h?.close();
      rmSync(storeDir, { recursive: true, force: true });
      await backend.stop();
    });

    it("status <region> in a 1:1 chat answers at the top what is late, what is next and who acts", async () => {
      const { status, replies } = await h.say("status Vestland");
      expect(status).toBe(200);
      expect(replies).toHaveLength(1);
      const card = cardOf(replies[0]);
      expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
      const shown = cardText(card, { shown: true });
      expect(shown).toContain("Status – Vestland");
      expect(shown).toContain("Syklus 2027");
      // §4.1: RUK AU's invitations were due six weeks before the planned 24 March meeting, 10
      // February — a national step, counted apart from the county's own.
      expect(shown).toContain("🔴 0 forfalt (+1 nasjonalt)");
      // §4.2: the regional meeting is planned for 20 April in Bergen; its invitations are due three
      // weeks before, 30 March — within the next 14 days, and the national meeting's date is known.
      expect(shown).toContain("Neste 14 dager (1)\n🔵 **Vestland fylkeskommune**: kall inn til regionalt vårmøte · frist 30. mars 2027\nmøtet 20. april 2027, Bergen · §4.2, §3.1");
      // The national track is one line on a region's card.
      expect(shown).toContain("Nasjonalt: 1 forfalt · neste: 🔵 RUK AU: hold nasjonalt temamøte vår · frist 31. mars 2027");
      expect(shown).not.toContain("Innkalling til nasjonalt vårmøte");
      // The rest of the year is behind «Vis hele året», by phase.
      expect(shown).toContain("Vis hele året");
      expect(shown).not.toContain("Vår 2027");
      const year = cardText(card);
      expect(year).toContain("Vår 2027");
      expect(year).toContain("⏳ **Regionalt dialogmøte vår** · Venter");
      expect(year).toContain("Ansvar: Vestland fylkeskommune");
      expect(year).toContain("venter på nasjonalt temamøte vår");
      // The state's colour is on the line: open reads as accent, not as a failure.
      expect(JSON.stringify(card)).toContain('"text":"🔵 **Vestland fylkeskommune**: kall inn til regionalt vårmøte · frist 30. mars 2027","wrap":true,"color":"Accent"');
    });

    it("status alone shows the national track in full: what RUK AU is late with, then what is next", async () => {
      const shown = cardText(cardOf((await h.say("status")).replies[0]), { shown: true });
      expect(shown).toContain("Forfalt (1)\n🔴 **RUK AU**: kall inn til nasjonalt vårmøte · fristen var 10. februar 2027");
      expect(shown).toContain("Neste 14 dager (1)\n🔵 **RUK AU**: hold nasjonalt temamøte vår · frist 31. mars 2027");
      expect(shown).not.toContain("Nasjonalt:");
    });

    it("in a channel, the @mention of the bot is stripped before the command is read", async () => {
      const { status, replies } = await h.say("status møre og romsdal", { conversationType: "channel", mention: true });
      expect(status).toBe(200);
      expect(cardText(cardOf(replies[0]))).toContain("Status – Møre og Romsdal");
    });

    it("in a group chat, region names are matched forgivingly", async () => {
      const { replies } = await h.say("status More og Romsdal", { conversationType: "groupChat", mention: true });
      expect(cardText(cardOf(replies[0]))).toContain("Status – Møre og Romsdal");
    });

    it("status without a region shows the national track and says how to ask for one region", async () => {
      const text = cardText(cardOf((await h.say("status")).replies[0]));
      expect(text).toContain("Status – nasjonalt spor");
      expect(text).toContain("Nasjonalt temamøte vår");
      expect(text).not.toContain("Regionalt dialogmøte vår");
      expect(text).toContain("«status Vestland»");
    });

    it("oversikt shows all fifteen regions and the national track on one card", async () => {
      const card = cardOf((await h.say("oversikt")).replies[0]);
      const text = cardText(card);
      expect(text).toContain("Oversikt – alle regioner");
      for (const region of REGIONS) expect(text).toContain(region.name);
      expect(text).toContain("Nasjonalt spor");
      // Tapping a row asks for that region's status.
      expect(JSON.stringify(card)).toContain('"data":{"command":"status Vestland"}');
    });

    it("English works: overview and help in an en-US Teams client", async () => {
      expect(cardText(cardOf((await h.say("overview", { locale: "en-US" })).replies[0]))).toContain("Overview – all regions");
      const help = cardText(cardOf((await h.say("help", { locale: "en-GB" })).replies[0]));
      expect(help).toContain("What Samhandling can do");
      expect(help).toContain("**status [region]**");
      const status = cardText(cardOf((await h.say("status Vestland", { locale: "en-US" })).replies[0]), { shown: true });
      expect(status).toContain("Next 14 days (1)\n🔵 **Vestland fylkeskommune**: send invitations to the regional spring meeting · due 30 March 2027");
      expect(status).toContain("National: 1 overdue");
      expect(status).toContain("Show the whole year");
    });

    it("nynorsk works: a nn-NO Teams client gets nynorsk", async () => {
      const card = cardOf((await h.say("status Vestland", { locale: "nn-NO" })).replies[0]);
      expect(cardText(card, { shown: true })).toContain("Neste 14 dagar (1)\n🔵 **Vestland fylkeskommune**: kall inn til regionalt vårmøte · frist 30. mars 2027");
      expect(cardText(card, { shown: true })).toContain("Nasjonalt: 1 over fristen");
      expect(cardText(card)).toContain("ventar på nasjonalt temamøte vår");
      expect(cardText(cardOf((await h.say("hjelp", { locale: "nn-NO" })).replies[0]))).toContain("Kva Samhandling kan gjere");
    });

    it("hjelp lists the commands in bokmål", async () => {
      const text = cardText(cardOf((await h.say("hjelp")).replies[0]));
      expect(text).toContain("Hva Samhandling kan gjøre");
      expect(text).toContain("**oversikt**");
    });

    it("an unknown region gets suggestions to tap", async () => {
      const { status, replies } = await h.say("status Vestlnd");
      expect(status).toBe(200);
      const card = cardOf(replies[0]);
      expect(cardText(card)).toContain("Jeg finner ingen region som heter «Vestlnd».");
      expect(card.actions).toEqual([
        expect.objectContaining({ type: "Action.Submit", title: "Vestland", data: { command: "status Vestland" } }),
      ]);
    });

    it("tapping a button (Action.Submit with a command, no text) runs that command", async () => {
      const { status, replies } = await h.sayWith({ value: { command: "status Vestland" } });
      expect(status).toBe(200);
      expect(cardText(cardOf(replies[0]))).toContain("Status – Vestland");
      // Data that is not a command is treated as an empty message, not an error.
      const odd = await h.sayWith({ value: { command: 42, other: "x" } });
      expect(odd.status).toBe(200);
      expect(cardText(cardOf(odd.replies[0]))).toContain("«status»");
    });

    it("a region nobody could guess lists all regions", async () => {
      const text = cardText(cardOf((await h.say("status Atlantis")).replies[0]));
      expect(text).toContain("«Atlantis»");
      expect(text).toContain("Regionene er: Oslo, Rogaland");
    });

    it("recorded progress shows up: a held meeting is done", async () => {
      await record(h.samhandling.store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-16" });
      const card = cardOf((await h.say("status Vestland")).replies[0]);
      // §3.1: with the national meeting held, the regional one is no longer waiting for it.
      expect(cardText(card)).toContain("🔵 **Regionalt dialogmøte vår** · Åpen");
      expect(cardText(card)).not.toContain("venter på nasjonalt temamøte vår");
      expect(cardText(card, { shown: true })).not.toContain("hold nasjonalt temamøte vår");
    });

    describe("bad input never crashes the bot", () => {
      it("invalid JSON gets 400 and nothing is posted", async () => {
        const before = h.connector.posted.length;
        const response = await h.post("{ not json", "application/json");
        expect(response.status).toBe(400);
        expect(h.connector.posted.length).toBe(before);
      });

      it("an activity without a conversation gets 400 naming the field", async () => {
        const response = await h.post({ type: "message", channelId: "msteams", serviceUrl: h.connector.url, text: "status", from: { id: "u" } });
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body).error.message).toContain("conversation");
      });

      it("an activity with a serviceUrl that is not a URL gets 400", async () => {
        const response = await h.post({ type: "message", channelId: "msteams", serviceUrl: "nowhere", conversation: { id: "c" }, text: "status" });
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body).error.message).toContain("serviceUrl");
      });

      it("a body that is not JSON at all gets a 4xx", async () => {
        const response = await h.post("status Vestland", "text/plain");
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      });

      it("an empty text gets a polite hint", async () => {
        const { status, replies } = await h.say("");
        expect(status).toBe(200);
        expect(cardText(cardOf(replies[0]))).toBe("Skriv «status», «oversikt» eller «hjelp».");
      });

      it("a message without text (e.g. only an attachment) gets the same hint", async () => {
        const { status, replies } = await h.say(undefined);
        expect(status).toBe(200);
        expect(cardText(cardOf(replies[0]))).toContain("«status»");
      });

      it("a 10 000-character text gets a polite refusal", async () => {
        const { status, replies } = await h.say("status ".repeat(1429).slice(0, 10_000));
        expect(status).toBe(200);
        expect(cardText(cardOf(replies[0]))).toContain("Meldingen er for lang (10000 tegn)");
      });

      it("a body over the size limit gets 413", async () => {
        const response = await h.post({ type: "message", channelId: "msteams", serviceUrl: h.connector.url, conversation: { id: "c" }, text: "x".repeat(300_000) });
        expect(response.status).toBe(413);
        expect(JSON.parse(response.body)).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "the body is larger than 256 KB" } });
      });

      it("a body that is not JSON gets 400 in the same JSON error shape as every other refusal", async () => {
        const response = await fetch(`${h.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"type": "message",' });
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ error: { code: "INVALID_JSON", message: "the body is not valid JSON" } });
      });

      it("an unknown path gets 404 in the JSON error shape", async () => {
        const response = await fetch(`${h.url}/api/nothing-here`);
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({ error: { code: "NOT_FOUND", message: "no such endpoint" } });
      });

      it("an unknown command gets the short help: what was not understood, a hint, and buttons", async () => {
        const card = cardOf((await h.say("kan du hjelpe meg med noe")).replies[0]);
        expect(cardText(card)).toBe("Jeg forstod ikke «kan du hjelpe meg med noe».\nTrykk på en knapp, eller skriv for eksempel «status Vestland».\nStatus\nOversikt\nHjelp");
        expect(submits(card).map((a) => a.data)).toEqual([{ command: "status" }, { command: "oversikt" }, { command: "hjelp" }]);
      });

      it("a conversation update (the bot added to a team) is accepted without a reply", async () => {
        const before = h.connector.posted.length;
        const response = await h.post({
          type: "conversationUpdate", channelId: "msteams", serviceUrl: h.connector.url, conversation: { id: "team-conv" },
          recipient: BOT, from: { id: "29:user-1" }, membersAdded: [{ id: "29:user-2" }],
        });
        expect(response.status).toBe(200);
        expect(h.connector.posted.length).toBe(before);
      });

      it("a card action from a stale card gets a translated message, not an error", async () => {
        const response = await h.post({
          type: "invoke", name: "adaptiveCard/action", channelId: "msteams", serviceUrl: h.connector.url, locale: "nb-NO",
          conversation: { id: "c-invoke" }, recipient: BOT, from: { id: "29:user-1" },
          value: { action: { type: "Action.Execute", verb: "unknown.verb", data: {} }, trigger: "manual" },
        });
        expect(response.status).toBe(200);
        const body = JSON.parse(response.body);
        expect(body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
        expect(cardText(body.value)).toContain("Skriv «status» for et nytt kort");
      });

      it("an unknown invoke gets 400, not a 5xx", async () => {
        const response = await h.post({ type: "invoke", name: "no/such", channelId: "msteams", serviceUrl: h.connector.url, conversation: { id: "c" }, recipient: BOT, from: { id: "u" } });
        expect(response.status).toBe(400);
      });

      it.each([
        ["a locale that is not a string", { locale: 123 }],
        ["an id that is not a string", { id: 5 }],
        ["isGroup that is not a boolean", { conversation: { id: "c", isGroup: "yes" } }],
        ["an aadObjectId that is not a string", { from: { id: "u", aadObjectId: 5 } }],
        ["no recipient", { recipient: undefined }],
        ["entities that are not objects", { entities: ["x"] }],
      ])("%s gets 400 naming the field, never a 5xx", async (_name, patch) => {
        const response = await h.post({
          type: "message", channelId: "msteams", serviceUrl: h.connector.url, conversation: { id: "c" }, recipient: BOT, from: { id: "u" }, text: "status",
          ...patch,
        });
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body).error.code).toBe("INVALID_ACTIVITY");
      });

      it("a multipart upload is refused with 415 before anything is read or stored", async () => {
        const response = await fetch(`${h.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "multipart/form-data; boundary=x" },
          body: `--x\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n${"A".repeat(100_000)}\r\n--x--\r\n`,
        });
        expect(response.status).toBe(415);
      });

      it("a serviceUrl nobody answers does not turn into a 5xx (the failure is logged)", async () => {
        const response = await h.post({
          type: "message", channelId: "msteams", serviceUrl: "http://127.0.0.1:9/", conversation: { id: "c-unreachable" }, recipient: BOT, from: { id: "u" }, text: "hjelp",
        });
        expect(response.status).toBeLessThan(500);
      });

      it("Markdown typed by a person is shown as text, not turned into a link in the bot's name", async () => {
        const text = cardText(cardOf((await h.say("hei [klikk her](https://evil.example)")).replies[0]));
        expect(text).toContain("\\[klikk her\\]\\(https://evil.example\\)");
      });

      it("after all of it the server is healthy", async () => {
        const response = await fetch(`${h.url}/healthz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ status: "ok", store: backend.name, model: "samhandlingsmodell-2017" });
      });
    });
  });
}

describe("first contact: a region name, a greeting or anything else gets somewhere (17 March 2027)", () => {
  const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };
  const OLA: TeamsUser = { id: "29:ola", aadObjectId: "00000000-0000-0000-0000-0000000000b2", name: "Ola Nordmann" };
  const SIRI: TeamsUser = { id: "29:siri", aadObjectId: "00000000-0000-0000-0000-0000000000c3", name: "Siri Sivertsen" };
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    const people = h.samhandling.app.people;
    const admin = { id: ADMIN.aadObjectId!, name: ADMIN.name };
    expect(await people.grant(admin, { id: OLA.aadObjectId!, name: OLA.name }, { kind: "region-coordinator", regionId: "46" })).toMatchObject({ kind: "granted" });
    expect(await people.grant(admin, { id: SIRI.aadObjectId!, name: SIRI.name }, { kind: "agency-rep", agency: "SIVA", regionId: "50" })).toMatchObject({ kind: "granted" });
  });
  afterAll(async () => h?.close());

  const card = async (text: string, options: SayOptions = {}) => {
    const { status, replies } = await h.say(text, options);
    expect(status).toBe(200);
    // A fresh conversation each time unless one is named; in a named one, the answer is the latest post.
    if (options.conversationId === undefined) expect(replies).toHaveLength(1);
    return cardOf(replies.at(-1));
  };
  const buttons = (c: unknown) => submits(c).map((a) => [a.title, a.data.command]);

  it.each([
    ["Vestland", "nb-NO"],
    ["vestland", "nb-NO"],
    ["46", "nb-NO"],
    ["status for Vestland", "nb-NO"],
    ["vis Vestland", "nb-NO"],
    ["vis Vestland", "nn-NO"],
    ["Vestland", "nn-NO"],
    ["show Vestland", "en-US"],
    ["Vestland", "en-US"],
  ])("«%s» (%s) is «status Vestland»", async (text, locale) => {
    expect(await card(text, { locale })).toEqual(await card("status Vestland", { locale }));
  });

  it("«Møre og Romsdal» written bare is its status", async () => {
    expect(await card("Møre og Romsdal")).toEqual(await card("status Møre og Romsdal"));
  });

  it.each(["hei", "Hei!", "hallo", "god morgen", "heisann", "hi", "hello"])("the greeting «%s» gets the short help with buttons, not «Jeg forstod ikke»", async (greeting) => {
    const c = await card(greeting);
    const text = cardText(c);
    expect(text).toContain("Hei! Jeg er Samhandling");
    expect(text).not.toContain("forstod ikke");
    expect(buttons(c)).toEqual([["Status", "status"], ["Oversikt", "oversikt"], ["Hjelp", "hjelp"]]);
  });

  it("nynorsk and English short help", async () => {
    const nn = await card("hei", { locale: "nn-NO" });
    expect(cardText(nn)).toContain("Hei! Eg er Samhandling og held styr på årshjulet i samhandlingsmodellen.");
    expect(cardText(nn)).toContain("Trykk på ein knapp, eller skriv til dømes «status Vestland».");
    expect(buttons(nn)).toEqual([["Status", "status"], ["Oversikt", "oversikt"], ["Hjelp", "hjelp"]]);
    const en = await card("what is this", { locale: "en-US" });
    expect(cardText(en)).toContain("I didn't understand “what is this”.");
    expect(buttons(en)).toEqual([["Status", "status"], ["Overview", "overview"], ["Help", "help"]]);
  });

  it("the Status button is for the person's own region: a region coordinator's, an agency's regional contact's", async () => {
    expect(buttons(await card("hei", { from: OLA }))[0]).toEqual(["Status Vestland", "status Vestland"]);
    expect(cardText(await card("hei", { from: OLA }))).toContain("skriv for eksempel «status Vestland»");
    expect(buttons(await card("hva nå", { from: SIRI }))[0]).toEqual(["Status Trøndelag", "status Trøndelag"]);
  });

  it("in a channel bound to a region, the Status button is for that region, whoever asks", async () => {
    const channel = { conversationType: "channel" as const, conversationId: "19:rogaland@thread.tacv2", mention: true };
    expect(cardText(await card("bind Rogaland", { ...channel, from: ADMIN }))).toContain("Rogaland");
    expect(buttons(await card("hei", { ...channel, from: OLA }))).toEqual([["Status Rogaland", "status Rogaland"], ["Oversikt", "oversikt"], ["Hjelp", "hjelp"]]);
  });

  it("tapping the short help's buttons runs them: the region's status, the overview, the full help", async () => {
    const [status, overview, help] = submits(await card("hei", { from: OLA }));
    const tap = async (data: { command: string }) => cardOf((await h.sayWith({ value: data }, { from: OLA })).replies[0]);
    expect(await tap(status!.data)).toEqual(await card("status Vestland", { from: OLA }));
    expect(await tap(overview!.data)).toEqual(await card("oversikt", { from: OLA }));
    expect(cardText(await tap(help!.data))).toContain("Hva Samhandling kan gjøre");
  });

  it("«hjelp» still gets the full help", async () => {
    const text = cardText(await card("hjelp"));
    expect(text).toContain("Hva Samhandling kan gjøre");
    expect(text).toContain("**historikk [region]**");
  });

  it("a short word that only starts a region's name is not taken for it («inn» is not Innlandet)", async () => {
    expect(cardText(await card("inn"))).toContain("Jeg forstod ikke «inn».");
  });
});

describe("POST /api/nudges/run (the contract's trigger for an external timer)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ NUDGE_RUN_KEY: "k3y-for-the-timer", CLOCK_NOW: "2027-03-17T09:00:00+01:00" });
  });
  afterAll(async () => h?.close());
  const run = (headers: Record<string, string>) => fetch(`${h.url}/api/nudges/run`, { method: "POST", headers });

  it("is refused with 401 without the key, with a wrong key, or with another scheme", async () => {
    expect((await run({})).status).toBe(401);
    expect((await run({ authorization: "Bearer wrong" })).status).toBe(401);
    expect((await run({ authorization: "Basic k3y-for-the-timer" })).status).toBe(401);
  });

  it("with the key it runs the nudges and answers with a JSON summary (nobody holds a role yet: nothing to send)", async () => {
    const response = await run({ authorization: "Bearer k3y-for-the-timer" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ date: "2027-03-17", due: 0, recorded: 0, sent: { cards: 0, nudges: 0 }, unreachable: 0, deferred: 0 });
  });
});

describe("with a Microsoft App ID the bot is not open to the world", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ MicrosoftAppId: "11111111-2222-3333-4444-555555555555", MicrosoftAppPassword: "not-a-real-secret" });
  });
  afterAll(async () => h?.close());

  it("a request without a Bot Framework token gets 401 and no reply is posted", async () => {
    const { status, replies } = await h.say("status Vestland");
    expect(status).toBe(401);
    expect(replies).toEqual([]);
  });
});
