/**
 * Issue 11: botbuilder's token validation, run for real with MicrosoftAppId set. A local login
 * serves an OpenID configuration and its JWKS; tokens are minted with a local RSA key. Each bad
 * token is a 401 and the login being unreachable a 503 with Retry-After; a refused request gets
 * no reply, touches nothing in the store, and leaves one structured log line and nothing on stderr.
 */
import { randomUUID, type KeyObject } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { countingStore, type CountingStore } from "../support/store-ops.js";
import { BOT, cardOf, KARI, startHarness, type Harness } from "../support/harness.js";
import { freePort } from "../support/ports.js";
import { APP_ID, epoch, FixedTokenCredentials, mintToken, startLogin, strangerKey, teamsClaims, tokenHeader, type Login } from "../support/local-login.js";

const now = epoch;
/** A JWT signed RS256 (or as `alg` says), with the claims Teams puts in the tokens it sends a bot. */
function mint(options: { claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: KeyObject; serviceUrl: string }): string {
  return mintToken({ ...tokenHeader(), ...options.header }, { ...teamsClaims(options.serviceUrl), ...options.claims }, options.key);
}

interface Bench {
  h: Harness;
  counting: CountingStore;
  /** The app's log lines, parsed. */
  log: Array<Record<string, unknown>>;
}

async function startBench(login: Login, name: string, extra: { timeoutMs?: number; metadataUrl?: string } = {}): Promise<Bench> {
  let counting!: CountingStore;
  const log: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info", base: { app: "samhandling" } }, { write: (line: string) => void log.push(JSON.parse(line)) });
  const h = await startHarness(
    { MicrosoftAppId: APP_ID, MicrosoftAppPassword: "not-a-real-secret" },
    {
      logger,
      wrapStore: (store) => (counting = countingStore(store)).store,
      authentication: {
        openIdMetadataUrl: extra.metadataUrl ?? login.metadataUrl(name),
        credentialsFactory: new FixedTokenCredentials({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "not-a-real-secret" }),
        ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
      },
    },
  );
  return { h, counting, log };
}

/** A message from Kari as Teams sends it, in a conversation of its own. */
function teamsMessage(h: Harness, text: string, channelId = "msteams") {
  return {
    type: "message",
    id: randomUUID(),
    channelId,
    serviceUrl: h.connector.url,
    locale: "nb-NO",
    conversation: { id: `conv-${randomUUID()}`, conversationType: "personal", tenantId: "tenant-1" },
    from: KARI,
    recipient: BOT,
    text,
    timestamp: new Date().toISOString(),
  };
}

interface Sent {
  status: number;
  headers: Headers;
  body: any;
  replies: number;
  /** Store calls the request made (reads, writes, removes, queries). */
  storeCalls: number;
  /** Log lines the request left. */
  lines: Array<Record<string, unknown>>;
}

async function send(bench: Bench, activity: ReturnType<typeof teamsMessage>, authorization: string | undefined): Promise<Sent> {
  const { h, counting, log } = bench;
  counting.reset();
  const logged = log.length;
  const response = await fetch(`${h.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  const { ops } = counting;
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
    replies: h.connector.to(activity.conversation.id).length,
    storeCalls: ops.reads + ops.readManyCalls + ops.writes + ops.removes + ops.lists,
    lines: log.slice(logged),
  };
}

let login: Login;
let consoleError: MockInstance;

beforeAll(async () => {
  // Spied on before any adapter exists: what botbuilder prints during a token check would reach this.
  consoleError = vi.spyOn(console, "error");
  login = await startLogin();
});

afterAll(async () => {
  await login.close();
  consoleError.mockRestore();
});

describe("with MicrosoftAppId set, tokens checked against the login's keys", () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench(login, "teams");
  });
  afterAll(() => bench.h.close());

  it("a valid Teams token is accepted: 200, and the bot answers in the conversation", async () => {
    const activity = teamsMessage(bench.h, "hjelp");
    const sent = await send(bench, activity, `Bearer ${mint({ serviceUrl: bench.h.connector.url })}`);
    expect(sent.status).toBe(200);
    expect(sent.replies).toBe(1);
    expect(cardOf(bench.h.connector.to(activity.conversation.id)[0])).toBeDefined();
    expect(sent.storeCalls).toBeGreaterThan(0);
  });

  const refusals: Array<[string, (serviceUrl: string) => string | undefined, string?]> = [
    ["expired", (s) => `Bearer ${mint({ serviceUrl: s, claims: { nbf: now() - 7200, exp: now() - 3600 } })}`],
    ["not yet valid", (s) => `Bearer ${mint({ serviceUrl: s, claims: { nbf: now() + 3600, exp: now() + 7200 } })}`],
    ["for another app (wrong audience)", (s) => `Bearer ${mint({ serviceUrl: s, claims: { aud: "11111111-1111-1111-1111-111111111111" } })}`],
    ["from another issuer", (s) => `Bearer ${mint({ serviceUrl: s, claims: { iss: "https://login.evil.example/" } })}`],
    ["for another serviceUrl than the activity's", () => `Bearer ${mint({ serviceUrl: "https://smba.trafficmanager.net/emea/" })}`],
    ["signed by another key under the login's key id", (s) => `Bearer ${mint({ serviceUrl: s, key: strangerKey.privateKey })}`],
    ["unsigned (alg: none)", (s) => `Bearer ${mint({ serviceUrl: s, header: { alg: "none" } })}`],
    ["HS256 with the login's public key as secret", (s) => `Bearer ${mint({ serviceUrl: s, header: { alg: "HS256" } })}`],
    ["under a key id the login does not have", (s) => `Bearer ${mint({ serviceUrl: s, header: { kid: "unknown-key" } })}`],
    ["not a JWT", () => "Bearer not.a.token"],
    ["missing (no Authorization header)", () => undefined],
    ["a Basic header", () => `Basic ${Buffer.from(`${APP_ID}:not-a-real-secret`).toString("base64")}`],
    // The login endorses its key for msteams only: the same valid token on another channel is refused.
    ["valid, but sent on a channel the key is not endorsed for", (s) => `Bearer ${mint({ serviceUrl: s })}`, "webchat"],
  ];

  it.each(refusals)("a token %s: 401 with a body that names no internal detail, no reply, nothing read or written, one log line", async (_, authorization, channelId) => {
    const activity = teamsMessage(bench.h, "hjelp", channelId);
    const sent = await send(bench, activity, authorization(bench.h.connector.url));
    expect(sent.status).toBe(401);
    expect(sent.body).toEqual({ error: { code: "UNAUTHORIZED", message: "a valid Bot Framework token is required" } });
    expect(sent.headers.get("www-authenticate")).toBe("Bearer");
    expect(sent.replies).toBe(0);
    expect(sent.storeCalls).toBe(0);
    expect(sent.lines).toHaveLength(1);
    expect(sent.lines[0]).toMatchObject({ level: 40, msg: "token refused", status: 401, activityId: activity.id });
    expect(sent.lines[0]).not.toHaveProperty("err");
    expect(consoleError).not.toHaveBeenCalled();
  });
});

describe("the login metadata unreachable: 503 with Retry-After, and the retry goes through once it is back", () => {
  const outages: Array<[string, (login: Login) => Promise<Parameters<typeof startBench>[2] & { name: string }>]> = [
    ["answering 500", async (l) => (l.down.add("down"), { name: "down" })],
    ["refusing connections", async () => ({ name: "refused", metadataUrl: `http://127.0.0.1:${await freePort()}/refused/.well-known/openid-configuration` })],
    ["not answering at all", async (l) => (l.hung.add("hung"), { name: "hung", timeoutMs: 300 })],
  ];

  it.each(outages)("a login %s", async (_, outage) => {
    const { name, ...extra } = await outage(login);
    const bench = await startBench(login, name, extra);
    try {
      const activity = teamsMessage(bench.h, "hjelp");
      const token = `Bearer ${mint({ serviceUrl: bench.h.connector.url })}`;
      const sent = await send(bench, activity, token);
      expect(sent.status).toBe(503);
      expect(sent.headers.get("retry-after")).toBe("30");
      expect(sent.body).toEqual({ error: { code: "AUTH_UNAVAILABLE", message: "the token could not be checked just now; try again" } });
      expect(sent.replies).toBe(0);
      expect(sent.storeCalls).toBe(0);
      expect(sent.lines).toHaveLength(1);
      expect(sent.lines[0]).toMatchObject({ level: 50, status: 503, activityId: activity.id });
      expect(consoleError).not.toHaveBeenCalled();

      if (name !== "refused") {
        // Teams retries the same activity; by then the login answers again, and nothing was remembered of the outage.
        login.down.delete(name);
        login.hung.delete(name);
        const retried = await send(bench, activity, token);
        expect(retried.status).toBe(200);
        expect(retried.replies).toBe(1);
      }
    } finally {
      await bench.h.close();
    }
  });
});
