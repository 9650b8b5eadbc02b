/**
 * MODEL_PATH end to end (issue 13): the app started with models/2017-with-extra-step.yaml shows
 * the extra regional step on Vestland's status card and on the tab's wheel, in the file's words,
 * records it with its «Gjort» form, and says which model runs on /healthz. `npm start` with a
 * broken model file exits 1 naming every problem.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WheelSchema } from "../../src/tab/api-schema.js";
import { hasMessage, messagesOf } from "../../src/i18n/index.js";
import { cardOf, cardText, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };
const COORDINATOR: TeamsUser = { id: "29:coord", aadObjectId: "00000000-0000-0000-0000-0000000000c1", name: "Kari Koordinator" };
const STEP = "regional-input-national-autumn";
const TITLE_NB = "Regionalt innspill til nasjonalt temamøte høst";

let h: Harness;
beforeAll(async () => {
  // A week before the step's deadline (15 September 2027): due soon, on the card's first screen.
  const now = DateTime.fromISO("2027-09-08T09:00:00+02:00", { setZone: true });
  h = await startHarness({ MODEL_PATH: "models/2017-with-extra-step.yaml", ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now });
  await h.samhandling.app.people.grant({ id: ADMIN.aadObjectId!, name: ADMIN.name }, { id: COORDINATOR.aadObjectId!, name: COORDINATOR.name }, { kind: "region-coordinator", regionId: "46" });
});
afterAll(async () => {
  await h?.samhandling.close();
  await h?.connector.close();
  if (h) rmSync(h.dir, { recursive: true, force: true });
});

async function statusCard(who: TeamsUser, text = "status Vestland", locale = "nb-NO") {
  const { status, replies } = await h.say(text, { from: who, locale });
  expect(status).toBe(200);
  return cardOf(replies.at(-1));
}

async function wheel(lang = "nb") {
  const response = await fetch(`${h.url}/api/tab/wheel?region=46&year=2027&lang=${lang}`, { headers: { "x-samhandling-local-user": COORDINATOR.aadObjectId! } });
  expect(response.status).toBe(200);
  return WheelSchema.parse(await response.json());
}

describe("the app on models/2017-with-extra-step.yaml", () => {
  it("/healthz names the model that runs", async () => {
    const health = await (await fetch(`${h.url}/healthz`)).json();
    expect(health.model).toBe("samhandlingsmodell-2017-regionalt-innspill");
  });

  it("Vestland's status card shows the extra step, in the file's words, as the coordinator's task with its deadline and §", async () => {
    const card = await statusCard(COORDINATOR);
    const shown = cardText(card, { shown: true });
    expect(shown).toContain("send regionalt innspill til nasjonalt temamøte høst");
    expect(shown).toContain("🟠 **Vestland fylkeskommune**: send regionalt innspill til nasjonalt temamøte høst · frist 15. september 2027 · §1, §3");
    // Its button opens the generic form.
    expect(executeActions(card).some((a) => a.verb === "form.open" && a.data.form === "step.done" && a.data.params.step === STEP)).toBe(true);
    // In English, the English words.
    expect(cardText(await statusCard(COORDINATOR, "status Vestland", "en-US"))).toContain("send the regional input to the national autumn meeting");
  });

  it("the tab's wheel has the step with its title and its form, and the overview a column with the file's short title", async () => {
    const steps = (await wheel()).steps.filter((s) => s.stepId === STEP);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ title: TITLE_NB, track: "region", deadline: "2027-09-15", sections: expect.stringContaining("1") });
    expect(steps[0]!.look.state).toBe("due-soon");
    expect(JSON.stringify(steps[0])).toContain('"verb":"step.done"');
    expect((await wheel("en")).steps.find((s) => s.stepId === STEP)?.title).toBe("Regional input to the national autumn meeting");
    const me = await (await fetch(`${h.url}/api/tab/me?lang=nn`, { headers: { "x-samhandling-local-user": COORDINATOR.aadObjectId! } })).json();
    expect(me.strings[`tab.overview.col.${STEP}`]).toBe("Innspel haust");
  });

  it("«Gjort» records it: the card, the wheel and the trail say done", async () => {
    const who = { aadObjectId: COORDINATOR.aadObjectId!, name: COORDINATOR.name };
    const open = executeActions(await statusCard(COORDINATOR)).find((a) => a.verb === "form.open" && a.data.form === "step.done")!;
    const form = await invoke(h, who, open.verb, open.data);
    expect(cardText(form.card)).toContain(`Gjort: ${TITLE_NB}`);
    const save = executeActions(form.card).find((a) => a.verb === "step.done")!;
    const saved = await invoke(h, who, save.verb, { ...save.data, date: "2027-09-07" });
    expect(saved.status).toBe(200);
    expect((await wheel()).steps.find((s) => s.stepId === STEP)).toMatchObject({ doneOn: "2027-09-07", look: { state: "done" } });
    expect(cardText(await statusCard(COORDINATOR, "historikk Vestland"))).toContain(`${TITLE_NB}: gjort 7. september`);
  });
});

describe("a later app in the same process, without MODEL_PATH (as the test harness composes several)", () => {
  it("has none of the model file's words: its tab strings, cards and history speak the built-in model only", async () => {
    expect(hasMessage("nb", `step.${STEP}`)).toBe(true);
    const later = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    try {
      expect((await (await fetch(`${later.url}/healthz`)).json()).model).not.toBe("samhandling-2017-regionalt-innspill");
      for (const lang of ["nb", "nn", "en"] as const) {
        expect(hasMessage(lang, `step.${STEP}`), lang).toBe(false);
        expect(Object.keys(messagesOf(lang)).filter((key) => key.endsWith(STEP)), lang).toEqual([]);
      }
      const me = await (await fetch(`${later.url}/api/tab/me?lang=nn`, { headers: { "x-samhandling-local-user": ADMIN.aadObjectId! } })).json();
      expect(me.strings[`tab.overview.col.${STEP}`]).toBeUndefined();
    } finally {
      await later.close();
    }
  });
});

describe("npm start with a broken model file", () => {
  it("exits 1 and lists every problem, with where it is in the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "samhandling-model-start-"));
    try {
      const file = join(dir, "broken.yaml");
      writeFileSync(
        file,
        [
          "id: broken",
          "source: test",
          "validFrom: 2024",
          "steps:",
          "  - { id: first, sections: ['1'], scope: region, per: once, responsible: region-coordinator, done: { fact: step-completed }, opens: { month: 2, day: 29 }, deadline: { kind: fixed, date: { month: 3, day: 1 } }, requires: [nothing] }",
          "",
        ].join("\n"),
      );
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(STORE|SQLITE_|COSMOS_|NUDGE_|CLOCK_|MODEL_PATH)/.test(k)));
      const run = spawnSync("npm", ["start", "--silent"], { env: { ...env, MODEL_PATH: file, SQLITE_PATH: join(dir, "s.db"), PORT: "0" }, encoding: "utf8", timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("Invalid configuration:");
      expect(run.stderr).toContain(`MODEL_PATH (${file}): steps[0] (first).opens: no such day in every year (day 29, month 2)`);
      expect(run.stderr).toContain(`MODEL_PATH (${file}): steps[0] (first).texts: "first" is not a step the app has words for`);
      expect(run.stderr).toContain(`MODEL_PATH (${file}): steps[0] (first).requires[0]: unknown step "nothing"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
