/**
 * A nudge run: plan (pure, domain/nudges.ts) → record in the outbox → send each recipient's
 * digest once → mark it said. Run by the scheduler at NUDGE_TIME on working days and by
 * `POST /api/nudges/run`; with several instances, the lease lets one run at a time, and the
 * outbox's claims keep even overlapping runs from sending a digest twice.
 */
import { randomUUID } from "node:crypto";
import type { App } from "../app/app.js";
import type { Track } from "../app/status.js";
import type { Lang } from "../domain/calendar.js";
import { isWorkingDay, osloDate, type IsoDate } from "../domain/calendar.js";
import { byNudgeUrgency, planNudges, recipientId, topicOf, type Cadence, type Directory, type Recipient } from "../domain/nudges.js";
import type { Obligation } from "../domain/obligations.js";
import { NATIONAL, regionLanguage } from "../domain/regions.js";
import { mayRecord, type Role } from "../domain/roles.js";
import { renderNudgeCard, type NudgeCardItem } from "../cards/nudge-card.js";
import { langFromLocale } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { ConversationAddress, ConversationDocument, MailboxDocument, PendingItem } from "../store/records.js";
import type { DocumentStore } from "../store/store.js";
import { Lease } from "./lease.js";
import type { Messenger } from "./messenger.js";
import { Outbox } from "../app/outbox.js";
import { Sender } from "./sender.js";

export interface NudgeRunOptions {
  cadence: Cadence;
  /** Global send rate (messages per second). */
  ratePerSecond: number;
  /** How long a run's lease and claims hold without renewal. */
  leaseMs: number;
  /** Digests sent at the same time (the rate limit still applies). */
  concurrency?: number;
  /** Sender tuning (tests shorten the backoff). */
  sender?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

export interface NudgeRunSummary {
  date: IsoDate;
  /** Why nothing was done, when nothing was. */
  skipped?: "not-a-working-day" | "another-run-holds-the-lease";
  /** Nudges due today (before the outbox removed what was already said). */
  due: number;
  /** New nudges recorded in the outbox by this run. */
  recorded: number;
  /** Digest cards posted, and the nudges they carried. */
  sent: { cards: number; nudges: number };
  /** Recipients Teams would not deliver to (403/404, or no way to reach them): their nudges went to the channel or the admins. */
  unreachable: number;
  /** Cards Teams refused (another 4xx): logged, not retried. */
  rejected: number;
  /** Digests left pending after retries (throttling, outages): the next run sends them. */
  deferred: number;
  durationMs: number;
}

export interface NudgeRunner {
  run(): Promise<NudgeRunSummary>;
}

interface Context {
  runId: string;
  today: IsoDate;
  nowIso: () => string;
  tracks: Track[];
  obligations: Map<string, { regionId: string; obligation: Obligation }>;
  directory: Directory;
  rolesOf: Map<string, readonly Role[]>;
  summary: NudgeRunSummary;
}

export function createNudgeRunner(deps: { app: App; store: DocumentStore; messenger: Messenger; logger: Logger; options: NudgeRunOptions; instanceId?: string }): NudgeRunner {
  const { app, messenger, logger, options } = deps;
  const outbox = new Outbox(deps.store);
  const sender = new Sender(messenger, { ratePerSecond: options.ratePerSecond, ...options.sender });
  const instanceId = deps.instanceId ?? randomUUID();
  const lease = new Lease(deps.store, instanceId, options.leaseMs);
  const concurrency = options.concurrency ?? 8;

  async function run(): Promise<NudgeRunSummary> {
    const started = Date.now();
    const now = app.clock();
    const today = osloDate(now);
    const summary: NudgeRunSummary = { date: today, due: 0, recorded: 0, sent: { cards: 0, nudges: 0 }, unreachable: 0, rejected: 0, deferred: 0, durationMs: 0 };
    const finish = () => ({ ...summary, durationMs: Date.now() - started });
    // Weekends, public holidays and (by default) Christmas week and the July holiday: nothing is sent.
    if (!isWorkingDay(today, options.cadence.workingDays)) return { ...finish(), skipped: "not-a-working-day" };
    if (!(await lease.acquire())) return { ...finish(), skipped: "another-run-holds-the-lease" };
    const renewal = setInterval(() => {
      lease.renew().then(
        (held) => held || logger.warn({ instanceId }, "lost the nudge lease while running (it ran out); the outbox's claims still prevent double sends"),
        (error: unknown) => logger.warn({ err: error }, "could not renew the nudge lease"),
      );
    }, Math.max(1_000, options.leaseMs / 3));
    try {
      const ctx = await prepare(today, summary);
      const digests = planNudges({ today, cadence: options.cadence, tracks: ctx.tracks, directory: ctx.directory });
      summary.due = digests.reduce((n, d) => n + d.items.length, 0);
      for (const digest of digests) {
        const items: PendingItem[] = digest.items.map((i) => ({ key: i.key, regionId: i.regionId, year: i.year, stepKey: i.obligation.key, stage: i.stage, reason: i.reason }));
        summary.recorded += (await outbox.record(digest.recipient, items, today)).length;
      }
      // Everything pending, this run's and what earlier runs left (a crash, an outage): sent now.
      await deliverAll(ctx, (await outbox.all()).filter((m) => m.pending));
      logger.info({ summary: finish() }, "nudge run finished");
      return finish();
    } finally {
      clearInterval(renewal);
      await lease.release();
    }
  }

  async function prepare(today: IsoDate, summary: NudgeRunSummary): Promise<Context> {
    const [tracks, roster, bindings] = await Promise.all([app.tracks(), app.people.roster(), app.people.bindings()]);
    const obligations = new Map<string, { regionId: string; obligation: Obligation }>();
    for (const track of tracks) for (const o of track.obligations) obligations.set(`${track.regionId}|${o.year}|${o.key}`, { regionId: track.regionId, obligation: o });
    const rolesOf = new Map<string, Role[]>();
    for (const a of roster.assignments) rolesOf.set(a.person.id, [...(rolesOf.get(a.person.id) ?? []), a.role]);
    for (const id of roster.configuredAdmins) rolesOf.set(id, [{ kind: "admin" }, ...(rolesOf.get(id) ?? [])]);
    const directory: Directory = {
      people: [...rolesOf].map(([personId, roles]) => ({ personId, roles })),
      admins: [...rolesOf].filter(([, roles]) => roles.some((r) => r.kind === "admin")).map(([id]) => id),
      channels: bindings,
    };
    return { runId: randomUUID(), today, nowIso: () => new Date().toISOString(), tracks, obligations, directory, rolesOf, summary };
  }

  /**
   * Sends the mailboxes' digests, `concurrency` at a time, in three waves: the people responsible,
   * then the channels, then the admins. Whoever cannot be reached hands their nudges to a channel or
   * the admins (giveUp), and those have not been sent to yet: the nudges join their one card
   * instead of following in a second one.
   */
  async function deliverAll(ctx: Context, mailboxes: MailboxDocument[]): Promise<void> {
    const admins = new Set(ctx.directory.admins);
    const wave = (r: Recipient) => (r.kind === "channel" ? 1 : admins.has(r.personId) ? 2 : 0);
    const waves: Recipient[][] = [[], [], []];
    const queued = new Set<string>();
    const enqueue = (r: Recipient) => {
      if (queued.has(recipientId(r))) return;
      queued.add(recipientId(r));
      waves[wave(r)]!.push(r);
    };
    for (const m of mailboxes) enqueue(m.recipient);
    for (const queue of waves) {
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          try {
            await deliver(ctx, next, enqueue);
          } catch (error) {
            // One mailbox failing (the store, a bug) must not stop the others; it stays pending for the next run.
            ctx.summary.deferred++;
            logger.error({ err: error, recipient: recipientId(next) }, "could not deliver a nudge digest");
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
  }

  async function deliver(ctx: Context, recipient: Recipient, enqueue: (r: Recipient) => void): Promise<void> {
    const until = new Date(Date.now() + options.leaseMs).toISOString();
    const claimed = await outbox.claim(recipient, ctx.runId, ctx.nowIso(), until);
    if (!claimed) return;
    // Rendered from the steps as they stand now: what was done since it was recorded is not said.
    const live = claimed.items.filter((i) => isStillDue(ctx, i));
    const gone = claimed.items.filter((i) => !live.includes(i)).map((i) => i.key);
    if (live.length === 0) return outbox.drop(recipient, gone);

    const target = await addressFor(ctx, recipient);
    if (!target) return giveUp(ctx, recipient, live, gone, { status: 404, code: "NoConversation" }, enqueue);
    const card = renderNudgeCard(
      {
        to: recipient.kind === "channel" ? { kind: "channel", regionId: recipient.regionId } : { kind: "person" },
        today: ctx.today,
        // Most urgent first, also for what joined the digest later (a fallback from someone unreachable).
        items: live.map((i) => cardItem(ctx, recipient, i)).sort(byNudgeUrgency),
      },
      await languageFor(recipient, target.doc),
    );
    const { outcome, attempts } = await sender.send(target.address, card);
    switch (outcome.kind) {
      case "sent":
        await outbox.complete(recipient, live.map((i) => i.key), "sent", ctx.today);
        if (gone.length > 0) await outbox.drop(recipient, gone);
        ctx.summary.sent.cards++;
        ctx.summary.sent.nudges += live.length;
        return;
      case "unreachable":
        if (target.doc) await app.conversations.markUnreachable(target.doc, outcome.status, outcome.code);
        return giveUp(ctx, recipient, live, gone, outcome, enqueue);
      case "rejected":
        logger.error({ recipient: recipientId(recipient), status: outcome.status, code: outcome.code }, "Teams refused a nudge card; not retried");
        await outbox.complete(recipient, live.map((i) => i.key), "rejected", ctx.today);
        ctx.summary.rejected++;
        return;
      case "retry":
        logger.warn({ recipient: recipientId(recipient), status: outcome.status, code: outcome.code, attempts }, "nudge digest deferred to the next run");
        await outbox.release(recipient, `${outcome.status ?? "network"} ${outcome.code}`);
        ctx.summary.deferred++;
        return;
    }
  }

  /**
   * The recipient cannot be reached: their nudges are not tried again, and go instead to the
   * region's channel, else the admins (product.md: "with nobody assigned, to the admins").
   */
  async function giveUp(ctx: Context, recipient: Recipient, live: PendingItem[], gone: string[], why: { status: number; code: string }, enqueue: (r: Recipient) => void): Promise<void> {
    logger.warn({ recipient: recipientId(recipient), status: why.status, code: why.code }, "nudge recipient unreachable; falling back to the channel or the admins");
    await outbox.complete(recipient, live.map((i) => i.key), "unreachable", ctx.today);
    if (gone.length > 0) await outbox.drop(recipient, gone);
    ctx.summary.unreachable++;
    const fallbacks = new Map<string, { recipient: Recipient; items: PendingItem[] }>();
    for (const item of live) {
      const channels = recipient.kind === "person" && item.regionId !== NATIONAL ? ctx.directory.channels.filter((c) => c.regionId === item.regionId) : [];
      const to: Recipient[] =
        channels.length > 0
          ? channels.map((c) => ({ kind: "channel", conversationKey: c.conversationKey, regionId: c.regionId }))
          : ctx.directory.admins.filter((id) => recipient.kind !== "person" || id !== recipient.personId).map((personId) => ({ kind: "person", personId }));
      for (const r of to) {
        const entry = fallbacks.get(recipientId(r)) ?? { recipient: r, items: [] };
        entry.items.push({ ...item, reason: "fallback" });
        fallbacks.set(recipientId(r), entry);
      }
    }
    for (const { recipient: r, items } of fallbacks.values()) {
      if ((await outbox.record(r, items, ctx.today)).length > 0) enqueue(r);
    }
  }

  function isStillDue(ctx: Context, item: PendingItem): boolean {
    const found = ctx.obligations.get(`${item.regionId}|${item.year}|${item.stepKey}`);
    if (!found) return false;
    const state = found.obligation.state;
    return state === "overdue" || state === "open" || state === "due-soon" || state === "waiting";
  }

  function cardItem(ctx: Context, recipient: Recipient, item: PendingItem): NudgeCardItem {
    const { obligation } = ctx.obligations.get(`${item.regionId}|${item.year}|${item.stepKey}`)!;
    // In a channel the buttons are for whoever clicks, checked then; in a 1:1 chat only what the person may record.
    const canRecord = recipient.kind === "channel" || mayRecord(ctx.rolesOf.get(recipient.personId) ?? [], obligation.responsible);
    return { regionId: item.regionId, year: item.year, stage: item.stage, topic: topicOf(obligation.step), reason: item.reason, obligation, canRecord };
  }

  /**
   * Where to post: the person's 1:1 chat, or one opened through a team or group chat the bot
   * shares with them (someone who never chatted with it); a channel's own reference.
   */
  async function addressFor(ctx: Context, recipient: Recipient): Promise<{ address: ConversationAddress; doc?: ConversationDocument } | undefined> {
    if (recipient.kind === "channel") {
      const doc = await app.conversations.channel(recipient.conversationKey);
      return doc && !doc.unreachable ? { address: doc.address, doc } : undefined;
    }
    const doc = await app.conversations.personal(recipient.personId);
    if (doc && !doc.unreachable) return { address: doc.address, doc };
    for (const via of await sharedConversations(ctx)) {
      const opened = await messenger.openPersonalChat(via.address, recipient.personId);
      if (opened.kind === "opened") {
        await app.conversations.seen({ address: opened.address, personId: recipient.personId });
        return { address: opened.address };
      }
      if (opened.kind !== "not-member") logger.warn({ status: "status" in opened ? opened.status : undefined, code: opened.code }, "could not open a 1:1 chat through a shared conversation");
    }
    return undefined;
  }

  const sharedCache = new WeakMap<Context, Promise<ConversationDocument[]>>();
  function sharedConversations(ctx: Context): Promise<ConversationDocument[]> {
    let found = sharedCache.get(ctx);
    if (!found) {
      found = app.conversations.shared();
      sharedCache.set(ctx, found);
    }
    return found;
  }

  /** The language the person chose, else the locale of their chat; a channel reads its region's written form. */
  async function languageFor(recipient: Recipient, doc: ConversationDocument | undefined): Promise<Lang> {
    if (recipient.kind === "channel") return regionLanguage(recipient.regionId);
    return (await app.people.language(recipient.personId)) ?? langFromLocale(doc?.locale);
  }

  return { run };
}
