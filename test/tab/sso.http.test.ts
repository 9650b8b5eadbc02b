/**
 * The tab's Teams SSO through real HTTP (issue 12): with MicrosoftAppId set, the API takes only
 * an Entra ID access token for the app (checked with jose against a local JWKS, the key of
 * test/support/local-login.ts), and each forgery or mistake is a 401 with a clear JSON error; the
 * keys out of reach is a 503 with Retry-After; no tenant allowed is refused with its own code.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { ApiErrorSchema, MeSchema, RecordAnswerSchema } from "../../src/tab/api-schema.js";
import { startHarness, type Harness } from "../support/harness.js";
import { epoch, startLogin, strangerKey, type Login } from "../support/local-login.js";
import { APP_ID, OTHER_TENANT, TAB_SSO_ENV, tabJwksUrl, tabToken, TENANT } from "../support/tab-login.js";

const COORDINATOR = "0a1b2c3d-0000-4000-8000-0000000000c1";
const VIEWER = "0a1b2c3d-0000-4000-8000-0000000000f1";
const SECOND_TENANT = "22222222-3333-4444-5555-666666666666";
const ADMIN = { id: "0a1b2c3d-0000-4000-8000-0000000000ad", name: "Anne Admin" };

async function me(h: Harness, authorization?: string, extra: Record<string, string> = {}) {
  const response = await fetch(`${h.url}/api/tab/me`, { headers: { ...(authorization ? { authorization } : {}), ...extra } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe("Teams SSO for the tab's API (MicrosoftAppId set)", () => {
  let login: Login;
  let h: Harness;
  beforeAll(async () => {
    login = await startLogin();
    h = await startHarness({ ...TAB_SSO_ENV, TAB_ALLOWED_TENANTS: `${TENANT},${SECOND_TENANT}`, CLOCK_NOW: "2027-04-01T10:00:00+02:00", ADMIN_AAD_IDS: ADMIN.id }, { tabSso: { jwksUrl: tabJwksUrl(login), timeoutMs: 1000 } });
  });
  afterAll(async () => {
    await h?.close();
    await login?.close();
  });

  it("a valid token (v2 or v1, either allowed tenant) is let in as its oid, with the oid's roles", async () => {
    const v2 = await me(h, `Bearer ${tabToken(VIEWER)}`);
    expect(v2.status).toBe(200);
    expect(MeSchema.parse(v2.body)).toMatchObject({ localMode: false, person: { id: VIEWER, name: "Tina Tabbrukar", roles: [] } });
    const v1 = await me(h, `Bearer ${tabToken(VIEWER, { version: 1 })}`);
    expect(v1.status).toBe(200);
    const other = await me(h, `Bearer ${tabToken(VIEWER, { tenant: SECOND_TENANT })}`);
    expect(other.status).toBe(200);
    // `preferred_username` when the token has no `name`.
    const bare = await me(h, `Bearer ${tabToken(VIEWER, { claims: { name: undefined, preferred_username: "tina@fylke.no" } })}`);
    expect(bare.body.person.name).toBe("tina@fylke.no");
    // The app's scope among others the person consented to.
    expect((await me(h, `Bearer ${tabToken(VIEWER, { claims: { scp: "User.Read access_as_user" } })}`)).status).toBe(200);
  });

  it("the oid's roles decide what the tab offers and records, as on the cards", async () => {
    await h.samhandling.app.people.setLanguage({ id: COORDINATOR, name: "Kari" }, "en");
    await h.samhandling.app.people.grant(ADMIN, { id: COORDINATOR, name: "Kari Koordinator" }, { kind: "region-coordinator", regionId: "46" });
    const coordinator = await me(h, `Bearer ${tabToken(COORDINATOR)}`);
    expect(coordinator.body).toMatchObject({ lang: "en", defaultRegion: "46", person: { id: COORDINATOR } });
    expect(coordinator.body.person.roles.join(" ")).toContain("Vestland");
    // The local mode's header is no identity here: without a token, nothing.
    expect((await me(h, undefined, { "x-samhandling-local-user": COORDINATOR })).status).toBe(401);
    // A viewer's token records nothing (403); the coordinator's records, as the coordinator.
    const body = { regionId: "46", year: 2027, verb: "meeting.plan", params: { meeting: "regional-spring" }, values: { date: "2027-05-20" }, actionId: randomUUID() };
    const post = (token: string) =>
      fetch(`${h.url}/api/tab/record`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const refused = await post(tabToken(VIEWER));
    expect(refused.status).toBe(403);
    const saved = await post(tabToken(COORDINATOR));
    expect(saved.status).toBe(200);
    expect(RecordAnswerSchema.parse(await saved.json()).kind).toBe("recorded");
    const events = (await loadCycles(h.samhandling.store, [{ regionId: "46", year: 2027 }]))[0]!.events;
    expect(events.map((e) => [e.by.id, e.by.name])).toEqual([[COORDINATOR, "Tina Tabbrukar"]]);
  });

  it("each bad token is a 401 with a clear JSON error, and a WWW-Authenticate challenge", async () => {
    const cases: Array<[string, string | undefined, string]> = [
      ["missing", undefined, "TOKEN_MISSING"],
      ["not a bearer token", `Basic ${Buffer.from("a:b").toString("base64")}`, "TOKEN_MISSING"],
      ["expired", `Bearer ${tabToken(VIEWER, { claims: { exp: epoch() - 3600, nbf: epoch() - 7200, iat: epoch() - 7200 } })}`, "TOKEN_EXPIRED"],
      ["wrong audience", `Bearer ${tabToken(VIEWER, { claims: { aud: "api://elsewhere.example.com/00000000-0000-0000-0000-000000000bad" } })}`, "TOKEN_AUDIENCE"],
      ["the Bot Framework's audience", `Bearer ${tabToken(VIEWER, { claims: { aud: "https://api.botframework.com" } })}`, "TOKEN_AUDIENCE"],
      ["wrong issuer (a tenant not allowed)", `Bearer ${tabToken(VIEWER, { tenant: OTHER_TENANT })}`, "TOKEN_ISSUER"],
      ["allowed issuer, other tenant claimed", `Bearer ${tabToken(VIEWER, { claims: { tid: OTHER_TENANT } })}`, "TOKEN_TENANT"],
      ["a tenant claim that is no string", `Bearer ${tabToken(VIEWER, { claims: { tid: [TENANT] } })}`, "TOKEN_TENANT"],
      // Client credentials: any app in an allowed tenant gets a token for the API, with no scope and its own oid. No person.
      ["an app's token, not a person's", `Bearer ${tabToken(VIEWER, { claims: { scp: undefined, roles: [], idtyp: "app" } })}`, "TOKEN_SCOPE"],
      ["a token for another scope only", `Bearer ${tabToken(VIEWER, { claims: { scp: "User.Read" } })}`, "TOKEN_SCOPE"],
      ["bad signature with a known kid", `Bearer ${tabToken(VIEWER, { key: strangerKey.privateKey })}`, "TOKEN_SIGNATURE"],
      ["an unknown kid", `Bearer ${tabToken(VIEWER, { kid: "someone-else", key: strangerKey.privateKey })}`, "TOKEN_SIGNATURE"],
      ["alg: none", `Bearer ${tabToken(VIEWER, { alg: "none" })}`, "TOKEN_ALGORITHM"],
      ["HS256 with the public key", `Bearer ${tabToken(VIEWER, { alg: "HS256" })}`, "TOKEN_ALGORITHM"],
      ["no oid", `Bearer ${tabToken(VIEWER, { claims: { oid: undefined } })}`, "TOKEN_INVALID"],
      ["an oid that is no Entra id", `Bearer ${tabToken("not-a-guid")}`, "TOKEN_INVALID"],
      ["not a JWT", "Bearer abc.def", "TOKEN_INVALID"],
    ];
    for (const [what, authorization, code] of cases) {
      const answer = await me(h, authorization);
      expect(answer.status, what).toBe(401);
      expect(ApiErrorSchema.parse(answer.body).error.code, what).toBe(code);
      expect(answer.headers.get("www-authenticate"), what).toBe("Bearer");
    }
    expect((await me(h)).body.error.message).toBe("Du er ikke logget inn. Last inn fanen på nytt i Teams.");
    const expired = await fetch(`${h.url}/api/tab/wheel?region=46&lang=en`, { headers: { authorization: `Bearer ${tabToken(VIEWER, { claims: { exp: epoch() - 3600 } })}` } });
    expect(((await expired.json()) as any).error.message).toBe("Your sign-in has expired. Reload the tab in Teams.");
    // Every route asks for the token, the record endpoint too.
    for (const path of ["/api/tab/wheel?region=46", "/api/tab/overview", "/api/tab/reports?region=46"]) expect((await fetch(`${h.url}${path}`)).status, path).toBe(401);
    const record = await fetch(`${h.url}/api/tab/record`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(record.status).toBe(401);
  });
});

describe("the keys out of reach, or no tenant allowed", () => {
  let login: Login;
  beforeAll(async () => {
    login = await startLogin();
  });
  afterAll(async () => login?.close());

  it("an unreachable or failing JWKS is a 503 with Retry-After; a forged alg is still a 401", async () => {
    login.down.add("down");
    login.hung.add("hung");
    for (const name of ["down", "hung"]) {
      const h = await startHarness({ ...TAB_SSO_ENV }, { tabSso: { jwksUrl: tabJwksUrl(login, name), timeoutMs: 300 } });
      try {
        const answer = await me(h, `Bearer ${tabToken(VIEWER)}`);
        expect(answer.status, name).toBe(503);
        expect(answer.headers.get("retry-after")).toBe("30");
        expect(ApiErrorSchema.parse(answer.body).error).toEqual({ code: "AUTH_UNAVAILABLE", message: "Innloggingen kunne ikke sjekkes akkurat nå. Prøv igjen om litt." });
        expect((await me(h, `Bearer ${tabToken(VIEWER, { alg: "none" })}`)).status).toBe(401);
      } finally {
        await h.close();
      }
    }
    // Nobody listening at all.
    const h = await startHarness({ ...TAB_SSO_ENV }, { tabSso: { jwksUrl: "http://127.0.0.1:1/keys", timeoutMs: 300 } });
    try {
      expect((await me(h, `Bearer ${tabToken(VIEWER)}`)).status).toBe(503);
    } finally {
      await h.close();
    }
  });

  it("after a failed fetch of the keys, a flood of requests does not ask Entra ID again at once; each refusal is one log line", async () => {
    let fetches = 0;
    const failing = createServer((_req, res) => {
      fetches++;
      res.writeHead(429, { "content-type": "text/plain" });
      res.end("throttled");
    });
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    const log: Array<{ level: number; msg: string; code?: string; err?: unknown }> = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void log.push(JSON.parse(line)) });
    const h = await startHarness({ ...TAB_SSO_ENV }, { tabSso: { jwksUrl: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/keys`, timeoutMs: 300 }, logger });
    try {
      for (let i = 0; i < 12; i++) expect((await me(h, `Bearer ${tabToken(VIEWER, { kid: `kid-${i}` })}`)).body.error.code).toBe("AUTH_UNAVAILABLE");
      expect(fetches).toBe(1);
    } finally {
      await h.close();
      failing.close();
    }
    // A refused token is one warning naming the check, without a stack or anything of the token.
    const ok = await startHarness({ ...TAB_SSO_ENV }, { tabSso: { jwksUrl: tabJwksUrl(login) }, logger });
    try {
      log.length = 0;
      const token = tabToken(VIEWER, { claims: { scp: undefined } });
      expect((await me(ok, `Bearer ${token}`)).status).toBe(401);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ level: 40, code: "TOKEN_SCOPE", msg: "tab token refused" });
      expect(log[0]!.err).toBeUndefined();
      expect(JSON.stringify(log[0])).not.toContain(token.split(".")[1]!.slice(0, 20));
    } finally {
      await ok.close();
    }
  });

  it("with MicrosoftAppId but no tenant allowed, every request is refused with a clear error, and start-up warns once", async () => {
    const log: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void log.push(JSON.parse(line)) });
    const { MicrosoftAppTenantId: _tenant, ...env } = TAB_SSO_ENV;
    const h = await startHarness(env, { tabSso: { jwksUrl: tabJwksUrl(login) }, logger });
    try {
      const answer = await me(h, `Bearer ${tabToken(VIEWER)}`);
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe("TAB_SSO_NOT_CONFIGURED");
      expect(log.filter((l) => /no tenant is allowed/.test(l.msg))).toHaveLength(1);
      expect(log.find((l) => /no tenant is allowed/.test(l.msg))!.msg).toContain("TAB_ALLOWED_TENANTS");
    } finally {
      await h.close();
    }
  });

  it("the app id alone is an audience when no public address or app id URI is set", async () => {
    const { PUBLIC_BASE_URL: _url, ...env } = TAB_SSO_ENV;
    const h = await startHarness(env, { tabSso: { jwksUrl: tabJwksUrl(login) } });
    try {
      expect((await me(h, `Bearer ${tabToken(VIEWER, { claims: { aud: APP_ID } })}`)).status).toBe(200);
      expect((await me(h, `Bearer ${tabToken(VIEWER, { version: 1 })}`)).body.error.code).toBe("TOKEN_AUDIENCE");
    } finally {
      await h.close();
    }
    // An explicit app id URI (TAB_SSO_APP_ID_URI) is the v1 audience then.
    const uri = await startHarness({ ...env, TAB_SSO_APP_ID_URI: "api://tab.example.no/custom" }, { tabSso: { jwksUrl: tabJwksUrl(login) } });
    try {
      expect((await me(uri, `Bearer ${tabToken(VIEWER, { version: 1, claims: { aud: "api://tab.example.no/custom" } })}`)).status).toBe(200);
    } finally {
      await uri.close();
    }
  });
});

describe("the tab's own app registration (TAB_SSO_CLIENT_ID): a bot that is a managed identity cannot expose an API", () => {
  const TAB_CLIENT_ID = "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d";
  let login: Login;
  let h: Harness;
  beforeAll(async () => {
    login = await startLogin();
    // The Bicep template's bot: UserAssignedMSI, no password; the tab signs in through its own registration.
    const { MicrosoftAppPassword: _secret, ...bot } = TAB_SSO_ENV;
    h = await startHarness({ ...bot, MicrosoftAppType: "UserAssignedMSI", TAB_SSO_CLIENT_ID: TAB_CLIENT_ID }, { tabSso: { jwksUrl: tabJwksUrl(login) } });
  });
  afterAll(async () => {
    await h?.close();
    await login?.close();
  });

  it("a token for TAB_SSO_CLIENT_ID is let in (v2: its client id; v1: api://<PUBLIC_BASE_URL's host>/<its client id>)", async () => {
    const v2 = await me(h, `Bearer ${tabToken(VIEWER, { claims: { aud: TAB_CLIENT_ID } })}`);
    expect(v2.status).toBe(200);
    expect(MeSchema.parse(v2.body).person.id).toBe(VIEWER);
    const v1 = await me(h, `Bearer ${tabToken(VIEWER, { version: 1, claims: { aud: `api://samhandling.example.no/${TAB_CLIENT_ID}` } })}`);
    expect(v1.status).toBe(200);
  });

  it("a token for the bot's id (MicrosoftAppId) is refused: only the tab's registration counts", async () => {
    for (const token of [tabToken(VIEWER, { claims: { aud: APP_ID } }), tabToken(VIEWER, { version: 1 })]) {
      const answer = await me(h, `Bearer ${token}`);
      expect(answer.status).toBe(401);
      expect(ApiErrorSchema.parse(answer.body).error.code).toBe("TOKEN_AUDIENCE");
    }
  });

  it("TAB_SSO_CLIENT_ID must be a GUID, said by name", () => {
    expect(() => loadConfig({ TAB_SSO_CLIENT_ID: "api://samhandling.example.no/tab" })).toThrow(ConfigError);
    expect(() => loadConfig({ TAB_SSO_CLIENT_ID: "api://samhandling.example.no/tab" })).toThrow(/TAB_SSO_CLIENT_ID: expected the client id \(a GUID\)/);
  });
});
