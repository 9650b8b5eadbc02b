/**
 * The locale shim (scripts/teams-shim.ts) between the Agents Playground and the bot: it sets the
 * locale a Norwegian Teams client would send, and otherwise passes requests and answers through.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLocaleTag, type LocaleShim, startLocaleShim } from "../scripts/teams-shim.js";

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A stand-in bot: records each request, answers 201 with a JSON body that echoes nothing. */
function standInBot(): Promise<{ server: http.Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body,
      });
      res.statusCode = req.url?.startsWith("/missing") ? 404 : 201;
      res.setHeader("content-type", "application/vnd.test+json");
      res.end('{"id":"answer-1"}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }),
    );
  });
}

/** A port nothing listens on: open one, note it, close it. */
function closedPortUrl(): Promise<string> {
  return new Promise((resolve) => {
    const server = http.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}

const playgroundActivity = {
  type: "message",
  text: "status Vestland",
  locale: "en-US",
  from: { id: "user-id-0", name: "Alex Wilber" },
  conversation: { id: "personal-chat-id" },
  serviceUrl: "http://127.0.0.1:56150/_connector",
  entities: [
    { type: "clientInfo", locale: "en-US", country: "US", platform: "Web", timezone: "America/Los_Angeles" },
    { type: "mention", text: "<at>Samhandling</at>" },
  ],
};

describe("locale shim", () => {
  let bot: Awaited<ReturnType<typeof standInBot>>;
  let shim: LocaleShim;

  beforeAll(async () => {
    bot = await standInBot();
    shim = await startLocaleShim(bot.url, "nb-NO");
  });

  afterAll(async () => {
    await shim?.close();
    await new Promise((resolve) => bot?.server.close(resolve));
  });

  it("listens on loopback", () => {
    expect(shim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("forwards to the same path with the locale set, keeping auth and everything else", async () => {
    const res = await fetch(`${shim.url}/api/messages?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer abc.def" },
      body: JSON.stringify(playgroundActivity),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/vnd.test+json");
    expect(await res.text()).toBe('{"id":"answer-1"}');

    const got = bot.received.at(-1)!;
    expect(got).toMatchObject({ method: "POST", url: "/api/messages?x=1", authorization: "Bearer abc.def", contentType: "application/json" });
    expect(JSON.parse(got.body)).toEqual({
      ...playgroundActivity,
      locale: "nb-NO",
      entities: [
        { ...playgroundActivity.entities[0], locale: "nb-NO" },
        { type: "mention", text: "<at>Samhandling</at>" }, // other entities untouched
      ],
    });
    expect(shim.seen.at(-1)).toBe('message "status Vestland"');
  });

  it("passes a card button's value on unchanged, with no authorization when none was sent", async () => {
    const click = { type: "message", locale: "en-US", value: { command: "oversikt" } };
    const res = await fetch(`${shim.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(click),
    });
    expect(res.status).toBe(201);
    const got = bot.received.at(-1)!;
    expect(got.authorization).toBeUndefined();
    expect(JSON.parse(got.body)).toEqual({ ...click, locale: "nb-NO" });
    expect(shim.seen.at(-1)).toBe('message {"command":"oversikt"}');
  });

  it("gives back the bot's error status, and forwards a body that is not JSON unchanged", async () => {
    const res = await fetch(`${shim.url}/missing`, { method: "POST", headers: { "content-type": "text/plain" }, body: "not json" });
    expect(res.status).toBe(404);
    expect(bot.received.at(-1)).toMatchObject({ url: "/missing", contentType: "text/plain", body: "not json" });
  });

  it("answers 502 with a short text when the bot cannot be reached", async () => {
    const down = await startLocaleShim(await closedPortUrl(), "nb-NO");
    try {
      const res = await fetch(`${down.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(playgroundActivity),
      });
      expect(res.status).toBe(502);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^Teams shim: cannot reach the bot at http:\/\/127\.0\.0\.1:\d+/);
      expect(text.length).toBeLessThan(300);
    } finally {
      await down.close();
    }
  });

  it("accepts language tags and refuses anything else", async () => {
    for (const tag of ["nb-NO", "nn-NO", "en-US", "nb", "zh-Hant-TW"]) expect(isLocaleTag(tag), tag).toBe(true);
    for (const tag of ["", "nb_NO", "norsk bokmål", "n", "nb-", "nb-NO;drop"]) expect(isLocaleTag(tag), tag).toBe(false);
    await expect(startLocaleShim(bot.url, "nb_NO")).rejects.toThrow(/not a language tag/);
  });
});
