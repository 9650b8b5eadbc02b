/**
 * Helpers for the nudge tests: how Teams installs the bot and how people reach it, the trigger
 * an external timer calls, and reading the digest cards the fake connector received.
 */
import { randomUUID } from "node:crypto";
import type { DateTime } from "luxon";
import { createApp } from "../../src/app/app.js";
import { loadSettings } from "../../src/app/settings.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { RolesDocumentSchema, SYSTEM_PARTITION } from "../../src/store/records.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore } from "../../src/store/store.js";
import { record } from "./events.js";
import type { Role } from "../../src/domain/roles.js";
import { BOT, cardOf, cardText, type Harness, type TeamsUser } from "./harness.js";
import type { PostedActivity } from "./fake-connector.js";

export const RUN_KEY = "nudge-run-key-for-tests";
export const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };

export const person = (n: number, name: string): TeamsUser => ({ id: `29:user-${n}`, aadObjectId: `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`, name });

/** The person's 1:1 chat with the bot, by convention of these tests. */
export const chatOf = (user: TeamsUser) => `a:chat-${user.aadObjectId}`;

/** The person writes to the bot in their 1:1 chat (which is how the bot learns where to reach them). */
export async function chatWith(h: Harness, user: TeamsUser, text = "hjelp", locale = "nb-NO"): Promise<void> {
  const { status } = await h.say(text, { from: user, conversationId: chatOf(user), locale });
  if (status !== 200) throw new Error(`chat failed: ${status}`);
}

/** Teams' conversationUpdate when the bot is added to a team (its General channel) or a group chat. */
export function botAdded(h: Harness, options: { conversationId: string; conversationType: "channel" | "groupChat" | "personal"; teamId?: string; from?: TeamsUser; locale?: string }) {
  return h.post({
    type: "conversationUpdate",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: h.connector.url,
    locale: options.locale ?? "nb-NO",
    conversation: { id: options.conversationId, conversationType: options.conversationType, tenantId: "tenant-1", ...(options.conversationType !== "personal" ? { isGroup: true } : {}) },
    from: options.from ?? ADMIN,
    recipient: BOT,
    membersAdded: [{ id: BOT.id }],
    channelData: { tenant: { id: "tenant-1" }, ...(options.teamId ? { team: { id: options.teamId } } : {}), eventType: options.conversationType === "channel" ? "teamMemberAdded" : undefined },
  });
}

/** Teams' installationUpdate when the app is removed from a conversation. */
export function appRemoved(h: Harness, options: { conversationId: string; conversationType: "channel" | "groupChat" | "personal"; from?: TeamsUser }) {
  return h.post({
    type: "installationUpdate",
    action: "remove",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: h.connector.url,
    conversation: { id: options.conversationId, conversationType: options.conversationType, tenantId: "tenant-1" },
    from: options.from ?? ADMIN,
    recipient: BOT,
  });
}

export async function grant(h: Harness, user: TeamsUser, role: Role): Promise<void> {
  const result = await h.samhandling.app.people.grant({ id: ADMIN.aadObjectId!, name: ADMIN.name }, { id: user.aadObjectId!, name: user.name }, role);
  if (result.kind !== "granted") throw new Error(`grant failed: ${result.kind}`);
}

/** The trigger an external timer calls; the JSON summary. */
export async function runNudges(h: Harness): Promise<any> {
  const response = await fetch(`${h.url}/api/nudges/run`, { method: "POST", headers: { authorization: `Bearer ${RUN_KEY}` } });
  if (response.status !== 200) throw new Error(`nudge run answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Nudge digests posted to a conversation (not the answers to what people wrote there). */
export function digestsTo(h: Harness, conversationId: string): PostedActivity[] {
  return h.connector.to(conversationId).filter(isDigest);
}

export function isDigest(p: PostedActivity): boolean {
  return JSON.stringify(cardOf(p) ?? {}).includes('"nudge.snooze"');
}

export const textOf = (p: PostedActivity | undefined) => cardText(cardOf(p));

/** A digest's item headings («🟠 Påminnelse: …»), in the card's order; none for any other card. */
export function digestHeadings(p: PostedActivity): string[] {
  if (!isDigest(p)) return [];
  const body = (cardOf(p)?.body ?? []) as Array<{ type: string; items?: Array<{ text?: string }> }>;
  return body.filter((b) => b.type === "Container" && b.items?.[0]?.text).map((b) => b.items![0]!.text!);
}

/**
 * A report hub (issue 10), as a report round's opening is sent — one card per agency and region
 * — by its title («Oppfølgingsrapport vår 2027 · Innovasjon Norge · Vestland»); else undefined.
 */
export function reportHubTitle(p: PostedActivity): string | undefined {
  const card = cardOf(p) as { refresh?: { action?: { verb?: string } }; body?: Array<{ text?: string }> } | undefined;
  return card?.refresh?.action?.verb === "report.open" ? card.body?.[0]?.text : undefined;
}


/**
 * A stopped installation's SQLite file as a running one has it, for tests that start the real
 * process: `people` hold `national-coordinator` and have chatted with the bot (chat i at
 * `chat(i)`), and the national spring meeting is planned for 24 March 2027 — so on 1 February
 * each of them is due one nudge (§4.1).
 */
export async function seedNationalCoordinators(sqlitePath: string, o: { connectorUrl: string; people: readonly TeamsUser[]; now: DateTime; chat: (i: number) => string }): Promise<void> {
  const store = openSqliteStore(sqlitePath);
  try {
    await seedNationalCoordinatorsIn(store, o);
  } finally {
    await store.close();
  }
}

/** As {@link seedNationalCoordinators}, into any store (the Cosmos emulator's, for the scale-out test); the store stays open. */
export async function seedNationalCoordinatorsIn(store: DocumentStore, o: { connectorUrl: string; people: readonly TeamsUser[]; now: DateTime; chat: (i: number) => string }): Promise<void> {
  const settings = await loadSettings(store, "2027-01-01");
  const app = createApp({ store, model: MODEL_2017, settings, clock: () => o.now });
  const assignments = o.people.map((p) => ({ personId: p.aadObjectId!, name: p.name, role: "national-coordinator", grantedBy: { id: ADMIN.aadObjectId!, name: ADMIN.name }, grantedAt: "2027-01-04T09:00:00.000Z" }));
  await store.write(RolesDocumentSchema.parse({ id: "roles", partition: SYSTEM_PARTITION, type: "roles", schemaVersion: 1, assignments }), { ifAbsent: true });
  for (const [i, p] of o.people.entries()) {
    await app.conversations.seen({
      personId: p.aadObjectId!,
      address: { serviceUrl: o.connectorUrl, channelId: "msteams", conversationId: o.chat(i), conversationType: "personal", tenantId: "tenant-1", botId: "28:bot" },
    });
  }
  await record(store, "national", 2027, { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" });
}
