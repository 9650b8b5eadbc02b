/**
 * Starts the real app (same composition as main.ts) on port 0 with a SQLite file in a temp
 * folder, and a fake Bot Connector; `say` posts an activity through real HTTP.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compose, openStore, type Samhandling } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import type { AuthenticationSettings } from "../../src/bot/adapter.js";
import type { TabSsoOptions } from "../../src/tab/sso.js";
import type { DocumentStore } from "../../src/store/store.js";
import type { Clock } from "../../src/app/clock.js";
import { startFakeConnector, type FakeConnector, type PostedActivity } from "./fake-connector.js";

export interface Harness {
  url: string;
  connector: FakeConnector;
  samhandling: Samhandling;
  dir: string;
  /** Posts a message activity; resolves with the HTTP status and what the bot posted back to that conversation. */
  say(text: string | undefined, options?: SayOptions): Promise<{ status: number; replies: PostedActivity[] }>;
  /** Posts a message activity with extra fields (e.g. a card button's `value`) and no text. */
  sayWith(fields: Record<string, unknown>, options?: SayOptions): Promise<{ status: number; replies: PostedActivity[] }>;
  post(body: unknown, contentType?: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export interface SayOptions {
  locale?: string;
  conversationType?: "personal" | "groupChat" | "channel";
  conversationId?: string;
  /** Adds an @mention of the bot at the start of the text, as Teams does in channels. */
  mention?: boolean;
  /** Who writes; Kari Nordmann (a viewer unless given a role) when absent. */
  from?: TeamsUser;
  /** People @mentioned in the text (write them there as `<at>Name</at>`, see `at`); each gets its mention entity. */
  mentions?: TeamsUser[];
}

/** A person as Teams sends them in `from` and in mentions. */
export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId?: string;
}

export const KARI: TeamsUser = { id: "29:user-1", aadObjectId: "00000000-0000-0000-0000-0000000000a1", name: "Kari Nordmann" };

/** How a mention of a person reads in a Teams message's text. */
export const at = (user: TeamsUser) => `<at>${user.name}</at>`;

export const BOT = { id: "28:samhandling-bot", name: "Samhandling" };

/**
 * `dir` reuses the store folder of an earlier run (a restart); it is then kept on close.
 * `wrapStore` puts something between the app and the real SQLite store (e.g. failing writes);
 * `samhandling.store` is then the wrapper.
 */
export async function startHarness(
  env: Record<string, string> = {},
  options: {
    dir?: string;
    wrapStore?: (store: DocumentStore) => DocumentStore;
    clock?: Clock;
    connector?: FakeConnector;
    /** Token checks against a local OpenID configuration (with MicrosoftAppId in `env`). */
    authentication?: AuthenticationSettings;
    /** Where the tab's SSO tokens are checked (a local JWKS, see tab-login.ts), with MicrosoftAppId in `env`. */
    tabSso?: TabSsoOptions;
    /** The app's logger (default: LOG_LEVEL's, silent), for tests that read the log. */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "samhandling-test-"));
  // A shared connector stands for one Teams behind several instances (scale-out tests).
  const connector = options.connector ?? (await startFakeConnector());
  // Tests write national events straight into the store and then ask: no national cache unless a test wants one.
  const config = loadConfig({ SQLITE_PATH: join(dir, "samhandling.db"), LOG_LEVEL: "silent", NATIONAL_CACHE_SECONDS: "0", NUDGE_SCHEDULER: "off", ...env });
  const samhandling = await compose(config, options.logger ?? createLogger(config.LOG_LEVEL), {
    ...(options.authentication ? { authentication: options.authentication } : {}),
    ...(options.tabSso ? { tabSso: options.tabSso } : {}),
    ...(options.wrapStore ? { store: options.wrapStore(await openStore(config)) } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    // Retries as in production but quicker: a test waits milliseconds, not the seconds Teams would ask for.
    nudgeSender: { baseDelayMs: 20, maxDelayMs: 200, sendTimeoutMs: 5_000 },
  });
  await new Promise<void>((resolve) => samhandling.server.listen(0, "127.0.0.1", resolve));
  const { port } = samhandling.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const post = async (body: unknown, contentType = "application/json") => {
    const response = await fetch(`${url}/api/messages`, {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: await response.text() };
  };

  return {
    url,
    connector,
    samhandling,
    dir,
    post,
    async sayWith(fields, options = {}) {
      const conversationId = options.conversationId ?? `conv-${randomUUID()}`;
      const { status } = await post({ ...messageActivity(connector.url, conversationId, undefined, options), ...fields });
      return { status, replies: connector.to(conversationId) };
    },
    async say(text, options = {}) {
      const conversationId = options.conversationId ?? `conv-${randomUUID()}`;
      const { status } = await post(messageActivity(connector.url, conversationId, text, options));
      return { status, replies: connector.to(conversationId) };
    },
    async close() {
      await samhandling.close();
      if (!options.connector) await connector.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A message activity as Teams sends it (with the bot's @mention in channels when asked). */
function messageActivity(serviceUrl: string, conversationId: string, text: string | undefined, options: SayOptions) {
  const mentionText = `<at>${BOT.name}</at>`;
  const entities = [
    ...(options.mention ? [{ type: "mention", text: mentionText, mentioned: BOT }] : []),
    ...(options.mentions ?? []).map((user) => ({ type: "mention", text: at(user), mentioned: { id: user.id, name: user.name } })),
  ];
  return {
    type: "message",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl,
    locale: options.locale ?? "nb-NO",
    conversation: { id: conversationId, conversationType: options.conversationType ?? "personal", tenantId: "tenant-1" },
    from: options.from ?? KARI,
    recipient: BOT,
    ...(text !== undefined ? { text: options.mention ? `${mentionText} ${text}` : text } : {}),
    ...(entities.length > 0 ? { entities } : {}),
    timestamp: new Date().toISOString(),
  };
}

/** The Adaptive Card of a posted reply, or undefined. */
export function cardOf(reply: PostedActivity | undefined): any {
  return reply?.activity.attachments?.find((a) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
}

/** All text of a card (TextBlocks, facts, action titles), for assertions on what a person reads. */
/**
 * The card's text, one TextBlock or title a line. `shown`: only what a reader sees before opening
 * anything (what sits behind a toggle, `isVisible: false`, is left out).
 */
export function cardText(card: unknown, options: { shown?: boolean } = {}): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (options.shown && n.isVisible === false) return;
      if (typeof n.text === "string") out.push(n.text);
      if (typeof n.title === "string") out.push(n.title);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out.join("\n");
}
