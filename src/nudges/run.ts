/**
 * A nudge run: plan (pure, domain/nudges.ts) → record in the outbox → send each recipient's
 * digest once → mark it said. Run by the scheduler at NUDGE_TIME on working days and by
 * `POST /api/nudges/run`.
 *
 * Who sends what, once:
 * - one run at a time per process (a second trigger joins the run under way), and one in the
 *   whole installation (the lease, with its etag; renewed while the run lasts);
 * - each digest is claimed with the mailbox's etag until a deadline, and its sending (retries and
 *   Teams' Retry-After included) must fit before that deadline — so no other run can take over a
 *   card that is still on its way;
 * - what is recorded stays recorded: whatever fails (Teams, the store, a crash) is sent by a later
 *   run. The one case that sends a card twice is a card Teams accepted whose "sent" could not be
 *   written (the process died, the store failed for longer than the retries here, or the post
 *   timed out after reaching Teams): a card twice rather than none.
 */
import { randomUUID } from "node:crypto";
import type { App } from "../app/app.js";
import { UNREACHABLE_RETENTION_DAYS } from "../app/conversations.js";
import { Outbox } from "../app/outbox.js";
import type { Track } from "../app/status.js";
import { renderNudgeCard, type NudgeCardItem, type NudgeCardView } from "../cards/nudge-card.js";
import { renderReportHubCard } from "../cards/report-hub-card.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { isWorkingDay, osloDate, type IsoDate, type Lang } from "../domain/calendar.js";
import { byNudgeUrgency, planNudges, recipientId, reportRounds, roundTally, sentAlone, stageDue, topicOf, type Cadence, type Directory, type Recipient } from "../domain/nudges.js";
import { loadRoundReports } from "../app/report-store.js";
import type { AgencyId } from "../domain/regions.js";
import { ACTIONABLE, type Obligation } from "../domain/obligations.js";
import { NATIONAL, regionLanguage } from "../domain/regions.js";
import { mayRecord, type Role } from "../domain/roles.js";
import { langFromLocale } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { ConversationAddress, ConversationDocument, MailboxDocument, PendingItem } from "../store/records.js";
import type { DocumentStore } from "../store/store.js";
import { Lease } from "./lease.js";
import type { Messenger, SendOutcome } from "./messenger.js";
import { Sender } from "./sender.js";

export interface NudgeRunOptions {
  cadence: Cadence;
  /** Global send rate (messages per second). */
  ratePerSecond: number;
  /** How long a run's lease and its claim on each digest hold without renewal. */
  leaseMs: number;
  /** Digests sent at the same time (the rate limit still applies). */
  concurrency?: number;
  /** Sender tuning (tests shorten the backoff). */
  sender?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; sendTimeoutMs?: number };
}

export interface NudgeRunSummary {
  date: IsoDate;
  /** Why nothing was done, when nothing was. */
  skipped?: "not-a-working-day" | "another-run-holds-the-lease";
  /** Why the run stopped early (Teams refuses the bot itself, or keeps failing): everything left waits for a later run. */
  halted?: string;
  /** Nudges due today (before the outbox removed what was already said). */
  due: number;
  /** New nudges recorded in the outbox by this run (those handed to a channel or the admins included). */
  recorded: number;
  /** Digest cards posted, and the nudges they carried. */
  sent: { cards: number; nudges: number };
  /**
   * Earlier stages of a step kept for someone who arrived later (blocked, then first notice, then
   * overdue): said by the card that says where the step stands now, so not on a card themselves.
   */
  superseded: number;
  /** Recipients Teams would not deliver to (403/404): their nudges went to the channel or the admins. */
  unreachable: number;
  /**
   * Recipients the bot has no conversation with yet (nor can open one): their nudges are kept for
   * them — sent when they install the app or first write to it — and meanwhile told to the channel
   * or the admins.
   */
  waiting: number;
  /**
   * Conversation references Teams had refused for more than UNREACHABLE_RETENTION_DAYS, removed by
   * this run with their mailboxes (people who left: README, "Personal data"). Set when any was.
   */
  expired?: number;
  /** Cards Teams refused (another 4xx): logged, not retried. */
  rejected: number;
  /** Digests left pending (throttling, outages, a halted run): a later run sends them. */
  deferred: number;
  /** Cards Teams accepted whose "sent" could not be written: a later run sends them again. */
  unconfirmed: number;
  /** Recipients or mailboxes this run could not deal with (the store failed; the log says which). */
  errors: number;
  durationMs: number;
}

export interface NudgeRunner {
  /** One run; a call while a run is under way in this process gets that run's summary. */
  run(): Promise<NudgeRunSummary>;
  /** Stop claiming digests, let the ones on their way finish (at most `ms`), release the lease: for shutdown. */
  drain(ms: number): Promise<void>;
  /**
   * A person or conversation the bot can now reach (the app installed, a first message): what
   * waits for them in their mailbox is sent now, through the same claims as a run (so never
   * twice, with any number of instances). Undefined when nothing waits, or not on a working day
   * (the next run sends it then).
   */
  reachable(who: Reachable): Promise<NudgeRunSummary | undefined>;
}

/** Who became reachable: a person (by Entra object id) or a channel or group chat (by its key). */
export type Reachable = { personId: string } | { conversationKey: string };

interface Context {
  runId: string;
  today: IsoDate;
  tracks: Track[];
  obligations: Map<string, { regionId: string; obligation: Obligation }>;
  /** Each region's report rounds (`region|year|stepId`): their agencies' obligations together. */
  rounds: Map<string, Obligation[]>;
  /** Deputies named for the reports due today, by step instance `region|year|stepKey` (issue 10). */
  deputies: Map<string, string[]>;
  directory: Directory;
  rolesOf: Map<string, readonly Role[]>;
  summary: NudgeRunSummary;
  /** Set when no more digests should be claimed (halt, shutdown). */
  stop?: string;
  /** Retry outcomes in a row, across recipients: a connector that keeps failing halts the run. */
  failuresInARow: number;
  shared?: Promise<ConversationDocument[]>;
}

/** This many failed digests in a row mean Teams (or the way to it) is down: the rest waits. */
const MAX_FAILURES_IN_A_ROW = 10;
/** Tries to write "sent" after Teams accepted a card (the write is idempotent). */
const CONFIRM_ATTEMPTS = 5;
/** Time kept free at the end of a claim for writing the outcome: 5 s, or a quarter of a short claim. */
/** How long a run waits for the lease held by another (an arrival's delivery takes well under a second). */
export const RUN_LEASE_WAIT_MS = 3_000;

const claimMargin = (leaseMs: number) => Math.min(5_000, leaseMs / 4);

export function createNudgeRunner(deps: { app: App; store: DocumentStore; messenger: Messenger; logger: Logger; options: NudgeRunOptions }): NudgeRunner {
  const { app, messenger, logger, options } = deps;
  const outbox = new Outbox(deps.store);
  const sender = new Sender(messenger, { ratePerSecond: options.ratePerSecond, ...options.sender });
  const concurrency = options.concurrency ?? 8;
  let running: Promise<NudgeRunSummary> | undefined;
  let runningCtx: Context | undefined;
  let draining = false;
  /** Deliveries to people who just became reachable, under way in this process (shutdown waits for them). */
  const arrivals = new Set<Promise<unknown>>();

  function run(): Promise<NudgeRunSummary> {
    running ??= runOnce((ctx) => {
      runningCtx = ctx;
      if (draining) ctx.stop ??= "shutting down";
    }).finally(() => {
      running = undefined;
      runningCtx = undefined;
    });
    return running;
  }

  async function drain(ms: number): Promise<void> {
    draining = true;
    if (runningCtx) runningCtx.stop ??= "shutting down";
    const under = [...(running ? [running] : []), ...arrivals];
    if (under.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    // The run's own failure is logged by whoever awaited it; here only its end matters.
    await Promise.race([Promise.allSettled(under), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  function reachable(who: Reachable): Promise<NudgeRunSummary | undefined> {
    const delivery = deliverWaiting(who);
    arrivals.add(delivery);
    void delivery.then(
      () => arrivals.delete(delivery),
      () => arrivals.delete(delivery),
    );
    return delivery;
  }

  /**
   * What waits for someone who just became reachable: their mailbox's pending digest, claimed and
   * sent as a run does (deliverAll), without planning anything new — one point read when nothing
   * waits, which is nearly always. A run under way in this process is let finish first: it may hold
   * this very digest (found without a conversation a moment ago) and lifts its claim at its end.
   * It also takes the run lease, like a run: an arrival and a run (here or on another instance)
   * never send at the same time — a run sending under Teams' throttling was seen to race an
   * arrival's delivery into a second card. While another holds the lease, the next run sends it.
   */
  async function deliverWaiting(who: Reachable): Promise<NudgeRunSummary | undefined> {
    if (draining) return undefined;
    const today = osloDate(app.clock());
    // Nudges are posted on working days only; what waits goes with the next run.
    if (!isWorkingDay(today, options.cadence.workingDays)) return undefined;
    // The mailbox's key is the recipient's id alone: a channel's region does not matter to find it.
    const probe: Recipient = "personId" in who ? { kind: "person", personId: who.personId } : { kind: "channel", conversationKey: who.conversationKey, regionId: "" };
    if (!(await outbox.read(probe))?.pending) return undefined;
    if (running) await running.catch(() => undefined);
    const runId = randomUUID();
    const lease = new Lease(deps.store, runId, options.leaseMs);
    if (!(await lease.acquire())) return undefined;
    let result: NudgeRunSummary;
    try {
      const mailbox = await outbox.read(probe);
      if (!mailbox?.pending || draining) return undefined;
      const startedAt = Date.now();
      const summary = emptySummary(today);
      const ctx = await prepare(runId, today, summary);
      await deliverAll(ctx, [mailbox]);
      result = { ...summary, durationMs: Date.now() - startedAt };
    } finally {
      await lease.release();
    }
    logger.info({ summary: result, recipient: recipientId(probe) }, "nudges kept for someone who just became reachable");
    return result;
  }

  async function runOnce(started: (ctx: Context) => void): Promise<NudgeRunSummary> {
    const startedAt = Date.now();
    const today = osloDate(app.clock());
    const summary = emptySummary(today);
    const finish = () => ({ ...summary, durationMs: Date.now() - startedAt });
    // Weekends, public holidays and (by default) Christmas week and the July holiday: nothing is sent.
    if (!isWorkingDay(today, options.cadence.workingDays)) return { ...finish(), skipped: "not-a-working-day" };
    const runId = randomUUID();
    const lease = new Lease(deps.store, runId, options.leaseMs);
    // A delivery to someone who just arrived holds the lease briefly: wait it out rather than skip the day.
    if (!(await lease.acquireWithin(RUN_LEASE_WAIT_MS))) return { ...finish(), skipped: "another-run-holds-the-lease" };
    const renewal = setInterval(() => {
      lease.renew().then(
        (held) => held || logger.warn({ runId }, "lost the nudge lease while running; the digests' own claims still keep each card to one run"),
        (error: unknown) => logger.warn({ err: error, runId }, "could not renew the nudge lease"),
      );
    }, options.leaseMs / 3);
    renewal.unref();
    try {
      // Before the mailboxes are listed: what is removed here is neither planned on nor sent.
      await expireUnreachable(summary);
      const { mailboxes: before, unreadable } = await outbox.all();
      if (unreadable.length > 0) {
        summary.errors += unreadable.length;
        logger.error({ mailboxes: unreadable }, "mailboxes that do not parse are left alone; fix or remove them");
      }
      const ctx = await prepare(runId, today, summary);
      started(ctx);
      const byRecipient = new Map(before.map((m) => [recipientId(m.recipient), m]));
      const digests = planNudges({
        today,
        cadence: options.cadence,
        tracks: ctx.tracks,
        directory: ctx.directory,
        deputies: ctx.deputies,
        firstSaidOn: (recipient, stepRef) => {
          const said = byRecipient.get(recipient)?.said[`${stepRef}|first`];
          return said?.outcome === "sent" ? said.on : undefined;
        },
      });
      summary.due = digests.reduce((n, d) => n + d.items.length, 0);
      for (const digest of digests) {
        // A round's tally is about the round's step (all its agencies), not one agency's instance.
        const items: PendingItem[] = digest.items.map((i) => ({ key: i.key, regionId: i.regionId, year: i.year, stepKey: i.round?.stepId ?? i.obligation.key, stage: i.stage, reason: i.reason }));
        try {
          summary.recorded += (await outbox.record(digest.recipient, items, today)).length;
        } catch (error) {
          // One recipient's mailbox failing must not keep the others from being recorded and sent.
          summary.errors++;
          logger.error({ err: error, recipient: recipientId(digest.recipient) }, "could not record nudges; the next run plans them again");
        }
      }
      // Everything pending, this run's and what earlier runs left (a crash, an outage): sent now.
      const { mailboxes } = await outbox.all();
      await deliverAll(ctx, mailboxes.filter((m) => m.pending));
      if (ctx.stop) summary.halted = ctx.stop;
      const result = finish();
      logger.info({ summary: result }, "nudge run finished");
      return result;
    } finally {
      clearInterval(renewal);
      await lease.release();
    }
  }

  /**
   * The retention rule for people who left (README, "Personal data"): a conversation Teams has
   * refused (403/404) for more than UNREACHABLE_RETENTION_DAYS is removed, and with it what its
   * mailbox kept for its return — the reference first, so that one that speaks up in between (its
   * etag changes) keeps both. Once per run, under the run's lease. A failure here is counted and
   * logged, and the run goes on: the next run tries again.
   */
  async function expireUnreachable(summary: NudgeRunSummary): Promise<void> {
    try {
      const cutoff = app.clock().minus({ days: UNREACHABLE_RETENTION_DAYS }).toUTC().toISO()!;
      const { removed } = await app.conversations.expireUnreachable(cutoff);
      for (const doc of removed) {
        // The mailbox's key is the recipient's id alone: a channel's region does not matter to find it.
        const recipient: Recipient | undefined = doc.personId
          ? { kind: "person", personId: doc.personId }
          : doc.conversationKey
            ? { kind: "channel", conversationKey: doc.conversationKey, regionId: "" }
            : undefined;
        const mailbox = recipient ? await outbox.discard(recipient) : false;
        logger.info(
          { conversation: doc.id, ...(recipient ? { recipient: recipientId(recipient) } : {}), unreachableSince: doc.unreachable?.at, mailbox },
          `conversation refused by Teams for more than ${UNREACHABLE_RETENTION_DAYS} days removed, with its mailbox`,
        );
      }
      if (removed.length > 0) summary.expired = removed.length;
    } catch (error) {
      summary.errors++;
      logger.error({ err: error }, "could not remove long-unreachable conversations; the next run tries again");
    }
  }

  async function prepare(runId: string, today: IsoDate, summary: NudgeRunSummary): Promise<Context> {
    const [tracks, roster, bindings] = await Promise.all([app.tracks(), app.people.roster(), app.people.bindings()]);
    const obligations = new Map<string, { regionId: string; obligation: Obligation }>();
    const rounds = new Map<string, Obligation[]>();
    for (const track of tracks) {
      for (const o of track.obligations) obligations.set(`${track.regionId}|${o.year}|${o.key}`, { regionId: track.regionId, obligation: o });
      for (const [ref, round] of reportRounds(track.obligations)) rounds.set(`${track.regionId}|${ref}`, round);
    }
    const rolesOf = new Map<string, Role[]>();
    for (const a of roster.assignments) rolesOf.set(a.person.id, [...(rolesOf.get(a.person.id) ?? []), a.role]);
    for (const id of roster.configuredAdmins) rolesOf.set(id, [{ kind: "admin" }, ...(rolesOf.get(id) ?? [])]);
    const directory: Directory = {
      people: [...rolesOf].map(([personId, roles]) => ({ personId, roles })),
      admins: [...rolesOf].filter(([, roles]) => roles.some((r) => r.kind === "admin")).map(([id]) => id),
      channels: bindings,
    };
    const deputies = await deputiesOf(tracks, today, summary);
    return { runId, today, tracks, obligations, rounds, deputies, directory, rolesOf, summary, failuresInARow: 0 };
  }

  /**
   * The deputies named for the follow-up reports due today (issue 10: an agency's contact may name
   * one per region and round): read from the round's report documents, only for what is due. A
   * round whose documents cannot be read is told to the contacts alone, and the run says so.
   */
  async function deputiesOf(tracks: Track[], today: IsoDate, summary: NudgeRunSummary): Promise<Map<string, string[]>> {
    const deputies = new Map<string, string[]>();
    for (const track of tracks) {
      for (const round of reportRounds(track.obligations).values()) {
        const due = round.filter((o) => o.party !== undefined && o.party !== "region" && stageDue(o, today, options.cadence) !== undefined);
        const first = due[0];
        if (!first || first.step.done.fact !== "follow-up-report") continue;
        try {
          const reports = await loadRoundReports(deps.store, track.regionId, first.year, first.step.done.round, due.map((o) => o.party as AgencyId));
          reports.forEach((report, i) => {
            if (report && report.deputies.length > 0) deputies.set(`${track.regionId}|${first.year}|${due[i]!.key}`, report.deputies.map((d) => d.personId));
          });
        } catch (error) {
          summary.errors++;
          logger.error({ err: error, regionId: track.regionId, year: first.year, stepId: first.stepId }, "could not read a round's reports for its deputies; its contacts are told");
        }
      }
    }
    return deputies;
  }

  /**
   * Sends the mailboxes' digests, `concurrency` at a time, in waves: the people responsible, then
   * the channels, then the admins. Whoever cannot be reached hands their nudges to a channel or the
   * admins (giveUp), and those have not been sent to yet: the nudges join their one card. Only a
   * recipient whose wave is already under way (an admin standing in for another admin) gets a
   * second card, in a last wave the same day.
   */
  async function deliverAll(ctx: Context, mailboxes: MailboxDocument[]): Promise<void> {
    const admins = new Set(ctx.directory.admins);
    const waveOf = (r: Recipient) => (r.kind === "channel" ? 1 : admins.has(r.personId) ? 2 : 0);
    const LATE = 3;
    const waves: Recipient[][] = [[], [], [], []];
    const queued = new Set<string>();
    const taken = new Set<string>();
    let current = 0;
    const enqueue = (r: Recipient) => {
      const id = recipientId(r);
      // Not yet queued, and its wave still to come: it joins that wave (and its one card).
      if (!queued.has(id) && waveOf(r) >= current) {
        queued.add(id);
        waves[waveOf(r)]!.push(r);
        return;
      }
      // Its wave is under way or over and it was served already: a second card, today, in the last wave.
      if ((taken.has(id) || waveOf(r) < current) && !waves[LATE]!.some((q) => recipientId(q) === id)) {
        queued.add(id);
        waves[LATE]!.push(r);
      }
    };
    for (const m of mailboxes) enqueue(m.recipient);
    for (; current < waves.length; current++) {
      const queue = waves[current]!;
      const worker = async () => {
        for (let next = queue.shift(); next && !ctx.stop; next = queue.shift()) {
          taken.add(recipientId(next));
          try {
            await deliver(ctx, next, enqueue);
          } catch (error) {
            // One mailbox failing (the store, a bug) must not stop the others; it stays pending for
            // the next run, which may take it at once if the claim can be lifted here.
            ctx.summary.errors++;
            logger.error({ err: error, recipient: recipientId(next) }, "could not deliver a nudge digest");
            await outbox.release(next, `error: ${error instanceof Error ? error.message : String(error)}`, ctx.runId).catch((releaseError: unknown) =>
              logger.warn({ err: releaseError, recipient: recipientId(next) }, "could not lift the claim either; it runs out by itself"),
            );
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      if (ctx.stop) ctx.summary.deferred += waves.slice(current).reduce((n, w) => n + w.length, 0);
    }
  }

  async function deliver(ctx: Context, queued: Recipient, enqueue: (r: Recipient) => void): Promise<void> {
    // A channel speaks for the region it is bound to now (it may have been bound to another since).
    const recipient = currentRecipient(ctx, queued);
    const claimedUntil = Date.now() + options.leaseMs;
    const claimed = await outbox.claim(recipient, ctx.runId, new Date().toISOString(), new Date(claimedUntil).toISOString());
    if (!claimed) return;
    // Rendered from the steps as they stand now: what was done since it was recorded is not said.
    const live = claimed.items.filter((i) => isStillDue(ctx, i));
    const gone = claimed.items.filter((i) => !live.includes(i)).map((i) => i.key);
    if (gone.length > 0) await outbox.drop(recipient, gone);
    if (live.length === 0) return outbox.release(recipient, "nothing left to say", ctx.runId);

    const target = await addressFor(ctx, recipient);
    if (target.kind === "refused") return giveUp(ctx, recipient, live, target.why, enqueue);
    if (target.kind === "no-conversation") return keepFor(ctx, recipient, live, enqueue);
    // Kept for someone who arrived later, a step may have moved on meanwhile (blocked → can be
    // signed → overdue): the card says where it stands now, once; the earlier stages count as said.
    const { latest, covered } = latestStages(live);
    if (covered.length > 0) {
      await outbox.complete(recipient, covered, "sent", ctx.today, ctx.runId, true);
      ctx.summary.superseded += covered.length;
    }
    const cards = await cardsOf(ctx, recipient, latest, await languageFor(recipient, target.doc));
    const deadline = claimedUntil - claimMargin(options.leaseMs);
    // One card after the other, each marked said as Teams accepts it; the claim holds the rest
    // until the last, so a failure half-way sends only what is left, later, and nothing twice.
    for (const [n, { items, card }] of cards.entries()) {
      const more = n < cards.length - 1;
      const left = cards.slice(n).flatMap((c) => c.items);
      if (n > 0 && ctx.stop) {
        ctx.summary.deferred++;
        return outbox.release(recipient, `stopped: ${ctx.stop}`, ctx.runId);
      }
      const { outcome, attempts } = await sender.send(target.address, card, deadline);
      noteOutcome(ctx, outcome);
      switch (outcome.kind) {
        case "sent":
          ctx.summary.sent.cards++;
          ctx.summary.sent.nudges += items.length;
          if (!(await confirmSent(ctx, recipient, items, more))) return;
          continue;
        case "unreachable":
          if (target.doc) await app.conversations.markUnreachable(target.doc, outcome.status, outcome.code);
          return giveUp(ctx, recipient, left, outcome, enqueue);
        case "rejected":
          logger.error({ recipient: recipientId(recipient), status: outcome.status, code: outcome.code }, "Teams refused a nudge card; not retried");
          await outbox.complete(recipient, items.map((i) => i.key), "rejected", ctx.today, ctx.runId, more);
          ctx.summary.rejected++;
          continue;
        case "halt":
        case "retry":
          logger.warn({ recipient: recipientId(recipient), status: outcome.status, code: outcome.code, attempts }, "nudge digest left for a later run");
          await outbox.release(recipient, `${outcome.status ?? "network"} ${outcome.code}`, ctx.runId);
          ctx.summary.deferred++;
          return;
      }
    }
  }

  /**
   * The cards a mailbox's digest makes: the digest itself, most urgent first, then each report
   * round's opening on a card of its own per agency and region (domain/nudges.ts, sentAlone).
   */
  async function cardsOf(ctx: Context, recipient: Recipient, live: PendingItem[], lang: Lang): Promise<Array<{ items: PendingItem[]; card: AdaptiveCard }>> {
    const to: NudgeCardView["to"] = recipient.kind === "channel" ? { kind: "channel", regionId: recipient.regionId } : { kind: "person" };
    const render = (items: NudgeCardItem[]) => renderNudgeCard({ to, today: ctx.today, items: items.sort(byNudgeUrgency) }, lang);
    const shown = live.map((pending) => ({ pending, item: cardItem(ctx, recipient, pending) }));
    const alone = shown.filter((s) => sentAlone(s.item, recipient));
    const digest = shown.filter((s) => !alone.includes(s));
    const openings = [];
    for (const s of alone) openings.push({ items: [s.pending], card: (await openingCard(recipient, s.item, lang)) ?? render([s.item]) });
    return [...(digest.length > 0 ? [{ items: digest.map((s) => s.pending), card: render(digest.map((s) => s.item)) }] : []), ...openings];
  }

  /**
   * A round's opening is the agency's report hub as the recipient sees it (report-hub-card.ts):
   * the start of the report itself, labelled with round, agency and region. Without a round to
   * show (none in the store's view), the one-item nudge card says it instead.
   */
  async function openingCard(recipient: Recipient, item: NudgeCardItem, lang: Lang): Promise<AdaptiveCard | undefined> {
    const o = item.obligation;
    if (recipient.kind !== "person" || o.step.done.fact !== "follow-up-report" || o.party === undefined || o.party === "region") return undefined;
    const view = await app.reports.hub({ regionId: item.regionId, year: item.year, round: o.step.done.round, agency: o.party, personId: recipient.personId });
    return view ? renderReportHubCard(view, lang) : undefined;
  }

  /** Teams refusing the bot itself stops the run at once; a connector failing digest after digest stops it too. */
  function noteOutcome(ctx: Context, outcome: SendOutcome): void {
    if (outcome.kind === "halt") {
      ctx.stop ??= `Teams refuses the bot (${outcome.status} ${outcome.code}): check MicrosoftAppId/MicrosoftAppPassword`;
      logger.error({ status: outcome.status, code: outcome.code }, "Teams refuses the bot's credentials; the nudge run stops and keeps everything for later");
      return;
    }
    ctx.failuresInARow = outcome.kind === "retry" ? ctx.failuresInARow + 1 : 0;
    if (ctx.failuresInARow >= MAX_FAILURES_IN_A_ROW) ctx.stop ??= `${MAX_FAILURES_IN_A_ROW} digests in a row could not be delivered (last: ${outcome.kind === "retry" ? `${outcome.status ?? "network"} ${outcome.code}` : outcome.kind})`;
  }

  /**
   * Teams has the card: write it down, trying again through a passing store failure; if that
   * fails, say so (false: the recipient's other cards wait for a later run). `more`: other cards
   * of the digest follow, and the run keeps its claim on them.
   */
  async function confirmSent(ctx: Context, recipient: Recipient, sent: PendingItem[], more: boolean): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await outbox.complete(recipient, sent.map((i) => i.key), "sent", ctx.today, ctx.runId, more);
        return true;
      } catch (error) {
        if (attempt >= CONFIRM_ATTEMPTS) {
          ctx.summary.unconfirmed++;
          logger.error({ err: error, recipient: recipientId(recipient) }, "a nudge card was sent but could not be marked sent; a later run will send it again");
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }

  /**
   * Teams refused the recipient's conversation (403/404: blocked, uninstalled): their nudges go to
   * the region's channel, else the admins (product.md: "with nobody assigned, to the admins") —
   * recorded there first, so that a failure in between loses nothing. As for someone the bot
   * cannot reach yet (keepFor), the nudges also stay pending for the recipient: a person who
   * removed the app and installs it again, or a channel the bot is added back to, is an arrival
   * and gets what waited for them (found by a newcomer's walk: a reinstall got nothing).
   */
  async function giveUp(ctx: Context, recipient: Recipient, live: PendingItem[], why: { status: number; code: string }, enqueue: (r: Recipient) => void): Promise<void> {
    logger.warn({ recipient: recipientId(recipient), status: why.status, code: why.code }, "nudge recipient unreachable; kept for them, told to the channel or the admins meanwhile");
    await handOver(ctx, recipient, live, enqueue);
    await outbox.release(recipient, `refused by Teams: ${why.status} ${why.code}`, ctx.runId, false);
    ctx.summary.unreachable++;
  }

  /**
   * The bot has no conversation with the recipient yet, and could open none: "no conversation
   * yet" is not "refused by Teams". Both things happen:
   * - the nudges stay pending for the recipient (their claim lifted, not counted as a failed
   *   attempt), and go to them when they install the app or first write to it (bot.ts →
   *   `reachable`), or with the next run — an admin or RUK AU who starts using the bot after
   *   today's run still hears what was due today;
   * - meanwhile someone hears of it today: the region's channel, else the other admins
   *   (product.md: nudges go "with nobody assigned, to the admins"; a person the bot cannot
   *   reach is as good as nobody for today). Their mailboxes key each nudge, so the next runs,
   *   finding the recipient still away, do not tell them twice.
   */
  async function keepFor(ctx: Context, recipient: Recipient, live: PendingItem[], enqueue: (r: Recipient) => void): Promise<void> {
    logger.info({ recipient: recipientId(recipient), nudges: live.length }, "no conversation with the nudge recipient yet; kept for them, told to the channel or the admins meanwhile");
    await handOver(ctx, recipient, live, enqueue);
    await outbox.release(recipient, "no conversation yet", ctx.runId, false);
    ctx.summary.waiting++;
  }

  /** The recipient's nudges, for the region's channel, else the admins (the recipient excepted): recorded in their mailboxes and queued. */
  async function handOver(ctx: Context, recipient: Recipient, live: PendingItem[], enqueue: (r: Recipient) => void): Promise<void> {
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
      const fresh = (await outbox.record(r, items, ctx.today)).length;
      ctx.summary.recorded += fresh;
      if (fresh > 0) enqueue(r);
    }
  }

  function currentRecipient(ctx: Context, recipient: Recipient): Recipient {
    if (recipient.kind !== "channel") return recipient;
    const bound = ctx.directory.channels.find((c) => c.conversationKey === recipient.conversationKey);
    return bound && bound.regionId !== recipient.regionId ? { ...recipient, regionId: bound.regionId } : recipient;
  }

  function isStillDue(ctx: Context, item: PendingItem): boolean {
    // A round's tally stands once due: it says who answered, whatever happened since.
    if (item.stage === "round-due") return roundTally(ctx.rounds.get(`${item.regionId}|${item.year}|${item.stepKey}`) ?? []) !== undefined;
    const found = ctx.obligations.get(`${item.regionId}|${item.year}|${item.stepKey}`);
    if (!found) return false;
    // Blocked (past the deadline, still waiting for someone else) is still due: the "blocked" notice stands.
    return ACTIONABLE.has(found.obligation.state);
  }

  function cardItem(ctx: Context, recipient: Recipient, item: PendingItem): NudgeCardItem {
    if (item.stage === "round-due") {
      // Rendered as the round stands when sent: a report that came in since counts as in.
      const round = ctx.rounds.get(`${item.regionId}|${item.year}|${item.stepKey}`)!;
      const tally = roundTally(round)!;
      return { regionId: item.regionId, year: item.year, stage: item.stage, topic: "report", reason: item.reason, obligation: round[0]!, round: tally, canRecord: false };
    }
    const { obligation } = ctx.obligations.get(`${item.regionId}|${item.year}|${item.stepKey}`)!;
    // In a channel the buttons are for whoever clicks, checked then; in a 1:1 chat only what the person may record.
    const deputy = recipient.kind === "person" && (ctx.deputies.get(`${item.regionId}|${item.year}|${item.stepKey}`) ?? []).includes(recipient.personId);
    const canRecord = recipient.kind === "channel" || mayRecord(ctx.rolesOf.get(recipient.personId) ?? [], obligation.responsible);
    return { regionId: item.regionId, year: item.year, stage: item.stage, topic: topicOf(obligation.step), reason: item.reason, obligation, canRecord, ...(deputy ? { canWriteReport: true } : {}) };
  }

  /**
   * Where to post: the person's 1:1 chat; a person the bot has never had a chat with, one opened
   * through a team or group chat they share with it; a channel's own reference. A chat Teams
   * refused (blocked, uninstalled) is not reopened behind the person's back.
   */
  async function addressFor(ctx: Context, recipient: Recipient): Promise<Target> {
    const refused = (doc: ConversationDocument): Target => ({ kind: "refused", why: { status: doc.unreachable!.status, code: doc.unreachable!.code } });
    if (recipient.kind === "channel") {
      const doc = await app.conversations.channel(recipient.conversationKey);
      // A channel the bot was removed from (or never kept) waits for it to be added again.
      return !doc ? { kind: "no-conversation" } : doc.unreachable ? refused(doc) : { kind: "address", address: doc.address, doc };
    }
    const doc = await app.conversations.personal(recipient.personId);
    if (doc) return doc.unreachable ? refused(doc) : { kind: "address", address: doc.address, doc };
    ctx.shared ??= app.conversations.shared();
    const tried = new Set<string>();
    for (const via of await ctx.shared) {
      // One question per team: its channels share the members.
      const scope = via.teamId ?? via.id;
      if (tried.has(scope) || via.unreachable) continue;
      tried.add(scope);
      const opened = await messenger.openPersonalChat(via.address, recipient.personId, via.teamId);
      if (opened.kind === "opened") {
        await app.conversations.seen({ address: opened.address, personId: recipient.personId });
        return { kind: "address", address: opened.address };
      }
      if (opened.kind === "unreachable") await app.conversations.markUnreachable(via, opened.status, opened.code);
      else if (opened.kind !== "not-member") logger.warn({ status: opened.status, code: opened.code }, "could not open a 1:1 chat through a shared conversation");
    }
    return { kind: "no-conversation" };
  }

  /** The language the person chose, else the locale of their chat; a channel reads its region's written form. */
  async function languageFor(recipient: Recipient, doc: ConversationDocument | undefined): Promise<Lang> {
    if (recipient.kind === "channel") return regionLanguage(recipient.regionId);
    return (await app.people.language(recipient.personId)) ?? langFromLocale(doc?.locale);
  }

  return { run, drain, reachable };
}

/** Where a digest can go: an address; a conversation Teams refused (given up on); none yet (kept for later). */
type Target = { kind: "address"; address: ConversationAddress; doc?: ConversationDocument } | { kind: "refused"; why: { status: number; code: string } } | { kind: "no-conversation" };

function emptySummary(date: IsoDate): NudgeRunSummary {
  return { date, due: 0, recorded: 0, sent: { cards: 0, nudges: 0 }, superseded: 0, unreachable: 0, waiting: 0, rejected: 0, deferred: 0, unconfirmed: 0, errors: 0, durationMs: 0 };
}

/**
 * One stage per step instance: the one recorded last (pending items are appended as recorded, and
 * a step's stages follow each other: blocked, first, reminder, overdue). The others are `covered`.
 */
export function latestStages(items: readonly PendingItem[]): { latest: PendingItem[]; covered: string[] } {
  const last = new Map<string, PendingItem>();
  for (const item of items) last.set(`${item.regionId}|${item.year}|${item.stepKey}`, item);
  const keep = new Set(last.values());
  return { latest: items.filter((i) => keep.has(i)), covered: items.filter((i) => !keep.has(i)).map((i) => i.key) };
}
