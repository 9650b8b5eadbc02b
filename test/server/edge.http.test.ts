/**
 * Hostile input refused at the HTTP edge, cheaply (issue 11), through real HTTP:
 * - a compressed body is refused (415) before it is read or inflated, so a gzip bomb costs nothing;
 * - an invoke the bot does not answer, or whose value it cannot read (a card action without an
 *   action, a verb that is not text, thousands of nested arrays), is a 400 with the JSON error
 *   shape, never botbuilder's empty 500, and nothing is written or posted;
 * - local mode (no MicrosoftAppId) listens on 127.0.0.1 unless HOST is set (the real entry point).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGzip, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nestedDeeperThan } from "../../src/server/server.js";
import { refuseInvoke } from "../../src/bot/invokes.js";
import type { DocumentStore } from "../../src/store/store.js";
import { BOT, KARI, startHarness, type Harness } from "../support/harness.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad01";

/** Every write and removal the app makes, whatever it is. */
const writes: string[] = [];
function counting(store: DocumentStore): DocumentStore {
  return {
    kind: store.kind,
    read: (key) => store.read(key),
    readMany: (keys) => store.readMany(keys),
    list: (type, partition) => store.list(type, partition),
    write: (doc, precondition) => {
      writes.push(`${doc.type}:${doc.id}`);
      return store.write(doc, precondition);
    },
    remove: (key, precondition) => {
      writes.push(`remove:${key.id}`);
      return store.remove(key, precondition);
    },
    close: () => store.close(),
  };
}

/** A message activity in a new personal chat, as Teams sends it. */
function message(h: Harness, conversationId: string, text: string) {
  return {
    type: "message",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: h.connector.url,
    locale: "nb-NO",
    conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-1" },
    from: KARI,
    recipient: BOT,
    text,
  };
}

/** An invoke as raw JSON, its value spliced in as written (so it may nest deeper than JSON.stringify can go). */
function invokeJson(h: Harness, conversationId: string, name: string | undefined, valueJson: string | undefined): string {
  const activity = {
    type: "invoke",
    ...(name !== undefined ? { name } : {}),
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: h.connector.url,
    locale: "nb-NO",
    conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-1" },
    from: { id: `29:${ADMIN}`, aadObjectId: ADMIN, name: "Admin" },
    recipient: BOT,
    replyToId: "card-message-1",
    value: "@VALUE@",
  };
  const json = JSON.stringify(activity);
  return valueJson === undefined ? json.replace(',"value":"@VALUE@"', "") : json.replace('"@VALUE@"', valueJson);
}

const deep = (levels: number, inner = "1") => "[".repeat(levels) + inner + "]".repeat(levels);

/** The gzip of `bytes` spaces, made a megabyte at a time (the test itself never holds the inflated body). */
async function gzipOfSpaces(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on("data", (part: Buffer) => parts.push(part));
  const chunk = Buffer.alloc(1 << 20, 0x20);
  for (let written = 0; written < bytes; written += chunk.length) {
    if (!gzip.write(chunk)) await once(gzip, "drain");
  }
  gzip.end();
  await once(gzip, "end");
  return Buffer.concat(parts);
}

describe("the HTTP edge refuses hostile input cheaply", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN }, { wrapStore: counting });
  });
  afterAll(async () => h?.close());

  const postRaw = async (body: Buffer | string, headers: Record<string, string>) => {
    const response = await fetch(`${h.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : new Uint8Array(body) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  describe("Content-Encoding", () => {
    it("a gzip bomb (4 × 32 KB, inflating to 32 MB each) gets 415 with the JSON error shape, and memory does not jump", async () => {
      const bomb = await gzipOfSpaces(32 * 1024 * 1024);
      expect(bomb.length).toBeLessThan(256 * 1024); // under the body limit, which counts compressed bytes
      const rssBefore = process.memoryUsage().rss;
      const answers = await Promise.all(Array.from({ length: 4 }, () => postRaw(bomb, { "content-encoding": "gzip" })));
      const grown = process.memoryUsage().rss - rssBefore;
      for (const answer of answers) {
        expect(answer.status).toBe(415);
        expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
        expect(answer.headers.get("accept-encoding")).toBe("identity");
        expect(JSON.parse(answer.text)).toEqual({ error: { code: "UNSUPPORTED_CONTENT_ENCODING", message: expect.any(String) } });
      }
      // Inflated (restify as it was), the four cost about 300 MB: the buffers, their copy, the string.
      expect(grown).toBeLessThan(64 * 1024 * 1024);
      expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    });

    it("a compressed activity is refused before it is read: no reply, nothing written, whatever the coding", async () => {
      for (const coding of ["gzip", "GZIP", "deflate", "br", "x-gzip", "identity, gzip", "gzip, identity", ""]) {
        const conversationId = `conv-encoded-${randomUUID()}`;
        const body = gzipSync(JSON.stringify(message(h, conversationId, "status Vestland")));
        const before = writes.length;
        const answer = await postRaw(body, { "content-encoding": coding });
        expect([coding, answer.status]).toEqual([coding, 415]);
        expect(JSON.parse(answer.text).error.code).toBe("UNSUPPORTED_CONTENT_ENCODING");
        expect(h.connector.to(conversationId)).toEqual([]);
        expect(writes.length).toBe(before);
      }
    });

    it("on every path, however spelt (the router decodes `/api/%6Dessages` to the bot endpoint)", async () => {
      const conversationId = `conv-spelt-${randomUUID()}`;
      const body = new Uint8Array(gzipSync(JSON.stringify(message(h, conversationId, "status Vestland"))));
      for (const path of ["/api/%6Dessages", "/api/./messages", "/api/messages?x=1", "/api/nudges/run"]) {
        const response = await fetch(`${h.url}${path}`, { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body });
        expect([path, response.status, (await response.json()).error.code]).toEqual([path, 415, "UNSUPPORTED_CONTENT_ENCODING"]);
      }
      expect(h.connector.to(conversationId)).toEqual([]);
    });

    it("`identity` (no coding) is accepted, in any case: the bot answers", async () => {
      for (const coding of ["identity", "Identity", " identity "]) {
        const conversationId = `conv-identity-${randomUUID()}`;
        const answer = await postRaw(JSON.stringify(message(h, conversationId, "status Vestland")), { "content-encoding": coding });
        expect(answer.status).toBe(200);
        expect(h.connector.to(conversationId)).toHaveLength(1);
      }
    });
  });

  describe("invokes the bot cannot read", () => {
    const DEEP = 5_000;
    /** Malformed values: what is wrong with each; `deep` ones are refused by their nesting, whatever the invoke. */
    const VALUES: Array<{ label: string; json: string | undefined; deep?: boolean }> = [
      { label: "no value", json: undefined },
      { label: "{}", json: "{}" },
      { label: "[]", json: "[]" },
      { label: "null", json: "null" },
      { label: "a string", json: '"status"' },
      { label: "a number", json: "42" },
      { label: "action null", json: '{"action":null}' },
      { label: "action a string", json: '{"action":"status.refresh"}' },
      { label: "action an array", json: '{"action":[]}' },
      { label: "action without a verb", json: '{"action":{"type":"Action.Execute"}}' },
      { label: "verb a number", json: '{"action":{"type":"Action.Execute","verb":42}}' },
      { label: "verb an array", json: '{"action":{"type":"Action.Execute","verb":["status.refresh"]}}' },
      { label: "verb an object", json: '{"action":{"type":"Action.Execute","verb":{"toString":"x"}}}' },
      { label: "verb 10 KB long", json: JSON.stringify({ action: { type: "Action.Execute", verb: "x".repeat(10_000) } }) },
      { label: "not Action.Execute", json: '{"action":{"type":"Action.Submit","verb":"status.refresh"}}' },
      { label: "consent without an action", json: '{"context":{},"uploadInfo":{}}' },
      { label: "value nested 5 000 arrays deep", json: deep(DEEP), deep: true },
      { label: "action nested 5 000 arrays deep", json: `{"action":${deep(DEEP)}}`, deep: true },
      { label: "data nested 5 000 arrays deep", json: `{"action":{"type":"Action.Execute","verb":"status.refresh","data":${deep(DEEP)}}}`, deep: true },
      { label: "data nested 5 000 objects deep", json: `{"action":{"type":"Action.Execute","verb":"status.refresh","data":${'{"a":'.repeat(DEEP)}1${"}".repeat(DEEP)}}}`, deep: true },
    ];
    /** Every invoke name botbuilder's ActivityHandler or the bot dispatch, and some it does not; the code a malformed value gets. */
    const NAMES: Array<{ name: string | undefined; code: string }> = [
      { name: "adaptiveCard/action", code: "INVALID_CARD_ACTION" },
      { name: "fileConsent/invoke", code: "INVALID_FILE_CONSENT" },
      { name: "application/search", code: "UNSUPPORTED_INVOKE" },
      { name: "signin/verifyState", code: "UNSUPPORTED_INVOKE" },
      { name: "signin/tokenExchange", code: "UNSUPPORTED_INVOKE" },
      { name: "task/fetch", code: "UNSUPPORTED_INVOKE" },
      { name: "composeExtension/query", code: "UNSUPPORTED_INVOKE" },
      { name: "nonsense", code: "UNSUPPORTED_INVOKE" },
      { name: undefined, code: "UNSUPPORTED_INVOKE" },
    ];

    it("a well-formed card action in a new chat writes (the counter sees the turn's writes)", async () => {
      const conversationId = `conv-control-${randomUUID()}`;
      const before = writes.length;
      const answer = await h.post(invokeJson(h, conversationId, "adaptiveCard/action", '{"action":{"type":"Action.Execute","verb":"no.such.verb","data":{}},"trigger":"manual"}'));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).type).toBe("application/vnd.microsoft.card.adaptive");
      expect(writes.length).toBeGreaterThan(before);
    });

    for (const { name, code } of NAMES) {
      it(`${name ?? "(no name)"}: every malformed value is a 400 with the JSON error shape; nothing written, nothing posted`, async () => {
        const seen: string[] = [];
        for (const value of VALUES) {
          // A valid consent answer is not malformed for fileConsent; every listed value is malformed for every name.
          const conversationId = `conv-bad-${randomUUID()}`;
          const before = writes.length;
          const answer = await h.post(invokeJson(h, conversationId, name, value.json));
          const body = answer.body ? JSON.parse(answer.body) : undefined;
          seen.push(`${value.label}: ${answer.status} ${body?.error?.code}`);
          expect(answer.status, value.label).toBe(400);
          expect(body, value.label).toEqual({ error: { code: value.deep ? "INVALID_ACTIVITY" : code, message: expect.any(String) } });
          expect(body.error.message.length, value.label).toBeLessThan(400);
          expect(writes.length, value.label).toBe(before);
          expect(h.connector.to(conversationId), value.label).toEqual([]);
        }
        expect(seen).toHaveLength(VALUES.length);
        expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
      });
    }

    it("the refusal names what is wrong, without echoing the value", async () => {
      const answer = await h.post(invokeJson(h, `conv-${randomUUID()}`, "adaptiveCard/action", '{"action":{"type":"Action.Execute","verb":42,"data":{"secret":"do-not-echo"}}}'));
      const { error } = JSON.parse(answer.body);
      expect(error.message).toContain("value.action.verb");
      expect(error.message).not.toContain("do-not-echo");
    });
  });

  it("a message whose mention has no `mentioned` is a 400 before the turn (botbuilder's mention removal threw on it): nothing written, no apology posted", async () => {
    for (const mention of [{ type: "mention", text: "<at>Samhandling</at>" }, { type: "Mention", text: "<at>Samhandling</at>", mentioned: null }]) {
      const conversationId = `conv-mention-${randomUUID()}`;
      const before = writes.length;
      const answer = await h.post({ ...message(h, conversationId, "<at>Samhandling</at> status"), entities: [mention] });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: { code: "INVALID_ACTIVITY", message: expect.stringContaining("entities.0.mentioned") } });
      expect(writes.length).toBe(before);
      expect(h.connector.to(conversationId)).toEqual([]);
    }
    // A mention as Teams sends it still reaches the bot.
    const conversationId = `conv-mention-${randomUUID()}`;
    const answer = await h.post({ ...message(h, conversationId, "<at>Samhandling</at> hjelp"), entities: [{ type: "mention", text: "<at>Samhandling</at>", mentioned: { id: BOT.id, name: "Samhandling" } }] });
    expect(answer.status).toBe(200);
    expect(h.connector.to(conversationId)).toHaveLength(1);
  });

  describe("refuseInvoke and nestedDeeperThan (the rules)", () => {
    it("only invokes are its business; a good card action and a good consent pass", () => {
      expect(refuseInvoke({ type: "message", value: "anything" })).toBeUndefined();
      expect(refuseInvoke({ type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: "status.refresh" }, trigger: "automatic" } })).toBeUndefined();
      expect(refuseInvoke({ type: "invoke", name: "fileConsent/invoke", value: { action: "decline", context: {} } })).toBeUndefined();
      expect(refuseInvoke({ type: "invoke", name: "toString", value: {} })?.body.error.code).toBe("UNSUPPORTED_INVOKE");
      expect(refuseInvoke({ type: "invoke", name: "__proto__", value: {} })?.body.error.code).toBe("UNSUPPORTED_INVOKE");
    });

    it("depth is measured without recursion, at any depth", () => {
      expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
      expect(nestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
      expect(nestedDeeperThan(JSON.parse(deep(100_000)), 64)).toBe(true);
      expect(nestedDeeperThan("text", 0)).toBe(false);
    });
  });
});

describe("local mode listens on loopback unless HOST is set (the real entry point, src/main.ts)", () => {
  const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "samhandling-edge-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts `npm start`'s entry point on port 0; resolves with what it logged once it listens, then stops it. */
  async function listeningLog(env: Record<string, string>): Promise<string> {
    // Empty values win over a developer's .env (set variables are never overwritten by it) and read as unset.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HOST|PORT|STORE|SQLITE_|COSMOS_|NUDGE_|CLOCK_|Microsoft)/.test(k)));
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: projectRoot,
      env: { ...clean, HOST: "", MicrosoftAppId: "", MicrosoftAppPassword: "", SQLITE_PATH: join(dir, `${randomUUID()}.db`), PORT: "0", NUDGE_SCHEDULER: "off", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (/"url":"http/.test(out)) resolve();
        });
        child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("exit", (code) => reject(new Error(`the app exited (${code}) before listening:\n${out}`)));
      });
    } finally {
      child.kill("SIGTERM");
    }
    return out;
  }

  it("without MicrosoftAppId and without HOST: 127.0.0.1, and no warning", async () => {
    const log = await listeningLog({});
    expect(log).toMatch(/"url":"http:\/\/127\.0\.0\.1:\d+"/);
    expect(log).toContain('"auth":"none (local mode)"');
    expect(log).not.toContain("LOCAL MODE without authentication");
  }, 30_000);

  it("HOST set explicitly wins (all interfaces), with the loud warning", async () => {
    const log = await listeningLog({ HOST: "0.0.0.0" });
    expect(log).toMatch(/"url":"http:\/\/0\.0\.0\.0:\d+"/);
    expect(log).toContain("LOCAL MODE without authentication on a non-loopback address");
  }, 30_000);
});
