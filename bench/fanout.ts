/**
 * The nudge fan-out run of `npm run bench` (see the header of bench.ts): BENCH_FANOUT_RECIPIENTS
 * (2000) people each get one digest card in their own 1:1 chat, sent by the real runner
 * (compose() → `samhandling.nudges.run()`, src/nudges/run.ts) through the botbuilder Messenger to
 * the fake Bot Connector in the bench's worker thread, with the global limit
 * NUDGE_RATE_PER_SECOND = BENCH_FANOUT_RATE (50). Measured: the achieved send rate as a share of
 * the limit (target ≥ 90 %), duplicates and losses (both must be 0), peak memory, and what the
 * run costs on the main thread.
 *
 * The installation: compose() on a fresh SQLite file, CLOCK_NOW = BENCH_FANOUT_CLOCK_NOW
 * (2027-02-01T09:00:00+01:00, a Monday: the national spring meeting's first notice to convene,
 * §4.1, and nothing else is due for a national coordinator that day), NUDGE_SCHEDULER=off, no
 * admins (so nobody is told of the regional steps nobody holds). Before compose() the roles
 * document is written once with every recipient holding `national-coordinator` (ids
 * `00000000-0000-0000-0000-%012d`; granting them one by one would rewrite the document 2 000
 * times); then each recipient's 1:1 chat is stored through `app.conversations.seen` (serviceUrl:
 * the fake connector; conversation `a:fanout-chat-<id>`). A dry plan (planNudges on the app's
 * tracks and roster, as the runner does) must give exactly one digest with exactly one nudge per
 * recipient and nothing for anyone else, else the run is not made.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { compose, cadenceOf } from "../src/compose.js";
import { loadConfig } from "../src/config.js";
import { osloDate } from "../src/domain/calendar.js";
import { planNudges, type Directory } from "../src/domain/nudges.js";
import type { Role } from "../src/domain/roles.js";
import type { Logger } from "../src/logger.js";
import type { NudgeRunSummary } from "../src/nudges/run.js";
import { MailboxDocumentSchema, NUDGES_PARTITION, RolesDocumentSchema, SYSTEM_PARTITION, type RolesDocument } from "../src/store/records.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";

export interface FanoutOptions {
  recipients: number;
  ratePerSecond: number;
  clockNow: string;
  /** A directory of its own for the SQLite file. */
  dir: string;
  logger: Logger;
  /** The fake connector (in the worker thread). */
  connectorUrl: string;
  /** Talks to the worker (bench.ts `ask`). */
  ask: <T>(message: object) => Promise<T>;
  /** CPU time of the main thread so far, in ms. */
  mainThreadCpuMs: () => number;
}

/** What the worker's connector saw between `fanout-start` and `fanout-collect`. */
interface Collected {
  type: "fanout-collected";
  /** POST …/activities requests received. */
  attempts: number;
  /** Posts the connector accepted (200), i.e. cards Teams would deliver. */
  accepted: number;
  /** Accepted posts per conversation id. */
  perConversation: Array<[string, number]>;
  /** Arrival of each accepted post, epoch ms (high resolution), in order. */
  times: Float64Array;
  /** Accepted posts that are not nudge digests (no `nudge.snooze` action). */
  nonDigests: number;
  /** Largest accepted activity, bytes of JSON. */
  maxActivityBytes: number;
  /** 1:1 chats the bot opened (POST /v3/conversations) and member look-ups: none expected. */
  created: number;
  memberLookups: number;
  sample?: { attachments?: Array<{ content?: unknown }> };
}

export interface FanoutResult {
  recipients: number;
  ratePerSecond: number;
  clockNow: string;
  /** The one step everyone was nudged about (dry plan). */
  step: { key: string; stage: string; deadline: string };
  setupMs: { roles: number; conversations: number };
  /** From calling run() until it returned. */
  wallMs: number;
  /** From calling run() until the first card reached the connector (planning, recording in the outbox, first claim). */
  firstCardMs: number;
  /** First accepted post to last accepted post. */
  sendPhaseMs: number;
  /** Cards per second over the send phase: (accepted − 1) intervals / sendPhaseMs. */
  achievedRate: number;
  /** achievedRate / ratePerSecond. */
  shareOfLimit: number;
  /** Cards / whole run (planning and recording included). */
  overallRate: number;
  /** Most accepted posts in any 1 s window (t − 1 s, t]: evenly spaced at the limit, that is ratePerSecond. */
  maxInOneSecond: number;
  /** Largest gap between consecutive posts, ms (the slot interval is 1000 / rate). */
  maxGapMs: number;
  connector: { attempts: number; accepted: number; nonDigests: number; created: number; memberLookups: number; maxActivityBytes: number };
  /** Conversations that got more than one card, and the surplus cards. */
  duplicates: { conversations: number; cards: number };
  /** Recipients whose chat got no card; posts to conversations nobody was to get. */
  lost: number;
  strays: number;
  /** The runner's own summary. */
  summary: NudgeRunSummary;
  /** Read back from the outbox after the run. */
  outbox: { mailboxes: number; pending: number; saidSent: number; saidOther: number };
  /** A second run the same day must say nothing (the outbox's `said`). */
  rerun: { summary: NudgeRunSummary; posts: number };
  memory: {
    /** process RSS (main thread, worker and everything else in the process), MB. */
    rssBeforeMb: number;
    rssPeakMb: number;
    /** VmHWM after resetting it just before the run (Linux), MB; undefined elsewhere. */
    vmHwmMb?: number;
    /** The main thread's V8 heap (the bot's), MB. */
    heapBeforeMb: number;
    heapPeakMb: number;
    heapAfterMb: number;
    /** The main heap after a full collection once the run returned: what the run left behind, MB (undefined if gc cannot be had). */
    heapRetainedMb?: number;
  };
  /** Main-thread CPU during run(), ms, and per card (µs). */
  cpu: { ms: number; usPerCard: number };
  problems: string[];
}

const MB = 1024 * 1024;
const personId = (i: number) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
const chatId = (id: string) => `a:fanout-chat-${id}`;
const nowMs = () => performance.timeOrigin + performance.now();

export async function runFanout(o: FanoutOptions): Promise<FanoutResult> {
  const problems: string[] = [];
  const problem = (message: string) => {
    problems.push(message);
    if (problems.length <= 20) console.error(`  ✗ fanout: ${message}`);
  };
  mkdirSync(o.dir, { recursive: true });
  const config = loadConfig({
    SQLITE_PATH: join(o.dir, "samhandling.db"),
    LOG_LEVEL: "silent",
    CLOCK_NOW: o.clockNow,
    HOST: "127.0.0.1",
    PORT: "0",
    NUDGE_SCHEDULER: "off",
    NUDGE_RATE_PER_SECOND: String(o.ratePerSecond),
  });
  const ids = Array.from({ length: o.recipients }, (_, i) => personId(i + 1));

  // The roles document, written once (as an installation that granted these over time has it).
  let t = performance.now();
  const seeding = openSqliteStore(config.SQLITE_PATH);
  const grantedAt = config.clockNow!.minus({ days: 30 }).toUTC().toISO()!;
  const roles: RolesDocument = RolesDocumentSchema.parse({
    id: "roles",
    partition: SYSTEM_PARTITION,
    type: "roles",
    schemaVersion: 1,
    assignments: ids.map((id, i) => ({ personId: id, name: `Fanout Person ${i + 1}`, role: "national-coordinator", grantedBy: { id: personId(0), name: "Bench Admin" }, grantedAt })),
  });
  await seeding.write(roles, { ifAbsent: true });
  await seeding.close();
  const rolesMs = performance.now() - t;

  const samhandling = await compose(config, o.logger);
  try {
    const { app } = samhandling;
    t = performance.now();
    for (const id of ids) {
      await app.conversations.seen({
        address: { serviceUrl: o.connectorUrl, channelId: "msteams", conversationId: chatId(id), conversationType: "personal", tenantId: "tenant-bench", botId: "28:samhandling-bot", botName: "Samhandling" },
        personId: id,
        locale: "nb-NO",
      });
    }
    const conversationsMs = performance.now() - t;

    // Dry plan, as the runner plans: exactly one digest with one nudge per recipient, nobody else.
    const today = osloDate(app.clock());
    const roster = await app.people.roster();
    const rolesOf = new Map<string, Role[]>();
    for (const a of roster.assignments) rolesOf.set(a.person.id, [...(rolesOf.get(a.person.id) ?? []), a.role]);
    const directory: Directory = { people: [...rolesOf].map(([pid, r]) => ({ personId: pid, roles: r })), admins: roster.configuredAdmins, channels: await app.people.bindings() };
    const digests = planNudges({ today, cadence: cadenceOf(config), tracks: await app.tracks(), directory });
    const wanted = new Set(ids);
    const stepKeys = new Set(digests.flatMap((d) => d.items.map((i) => `${i.regionId}|${i.year}|${i.obligation.key}|${i.stage}`)));
    const planned = digests.filter((d) => d.recipient.kind === "person" && wanted.has(d.recipient.personId) && d.items.length === 1);
    if (digests.length !== o.recipients || planned.length !== o.recipients || stepKeys.size !== 1)
      throw new Error(
        `the dry plan at ${o.clockNow} is not one nudge per recipient: ${digests.length} digests, ${planned.length} with exactly one nudge to a recipient, steps ${[...stepKeys].join(", ")}`,
      );
    const first = digests[0]!.items[0]!;
    const step = { key: `${first.regionId}/${first.year}/${first.obligation.key}`, stage: first.stage, deadline: first.obligation.deadline };

    // The run, watched: memory sampled every 50 ms, VmHWM reset just before (Linux).
    await o.ask({ type: "fanout-start" });
    const gc = collector();
    gc?.();
    const before = process.memoryUsage();
    const hwmReset = resetPeakRss();
    let rssPeak = before.rss;
    let heapPeak = before.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      rssPeak = Math.max(rssPeak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed);
    }, 50);
    const cpuBefore = o.mainThreadCpuMs();
    const startedAt = nowMs();
    let summary: NudgeRunSummary;
    try {
      summary = await samhandling.nudges.run();
    } finally {
      clearInterval(sampler);
    }
    const wallMs = nowMs() - startedAt;
    const cpuMs = o.mainThreadCpuMs() - cpuBefore;
    const after = process.memoryUsage();
    rssPeak = Math.max(rssPeak, after.rss);
    heapPeak = Math.max(heapPeak, after.heapUsed);
    const vmHwm = hwmReset ? peakRss() : undefined;
    gc?.();
    const retained = gc ? process.memoryUsage().heapUsed : undefined;
    const seen = await o.ask<Collected>({ type: "fanout-collect" });

    // Every recipient's chat exactly one card; nothing anywhere else.
    const counts = new Map(seen.perConversation);
    let lost = 0;
    for (const id of ids) if (!counts.has(chatId(id))) lost++;
    const chats = new Set(ids.map(chatId));
    const strays = seen.perConversation.filter(([c]) => !chats.has(c)).reduce((s, [, n]) => s + n, 0);
    const dup = seen.perConversation.filter(([, n]) => n > 1);
    const duplicates = { conversations: dup.length, cards: dup.reduce((s, [, n]) => s + n - 1, 0) };
    const times = Array.from(seen.times);
    const sendPhaseMs = times.length > 1 ? times.at(-1)! - times[0]! : 0;
    const achievedRate = times.length > 1 ? ((times.length - 1) / sendPhaseMs) * 1000 : 0;
    let maxInOneSecond = 0;
    let maxGapMs = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      maxInOneSecond = Math.max(maxInOneSecond, i - j + 1);
      if (i > 0) maxGapMs = Math.max(maxGapMs, times[i]! - times[i - 1]!);
    }

    // The outbox afterwards: nothing pending, one `sent` per recipient.
    const mailboxes = (await samhandling.store.list("mailbox", NUDGES_PARTITION)).map((v) => MailboxDocumentSchema.parse(v.doc));
    const outbox = { mailboxes: mailboxes.length, pending: 0, saidSent: 0, saidOther: 0 };
    for (const m of mailboxes) {
      if (m.pending) outbox.pending++;
      for (const s of Object.values(m.said)) s.outcome === "sent" ? outbox.saidSent++ : outbox.saidOther++;
    }

    // The same day again: everything was said, nothing is sent.
    await o.ask({ type: "fanout-start" });
    const rerunSummary = await samhandling.nudges.run();
    const again = await o.ask<Collected>({ type: "fanout-collect" });

    const n = o.recipients;
    if (summary.skipped) problem(`the run was skipped: ${summary.skipped}`);
    if (summary.due !== n || summary.recorded !== n) problem(`summary: due ${summary.due}, recorded ${summary.recorded}, expected ${n} each`);
    if (summary.sent.cards !== n || summary.sent.nudges !== n) problem(`summary: sent ${summary.sent.cards} cards with ${summary.sent.nudges} nudges, expected ${n} each`);
    if (summary.deferred || summary.unreachable || summary.rejected) problem(`summary: deferred ${summary.deferred}, unreachable ${summary.unreachable}, rejected ${summary.rejected} (expected 0)`);
    if (seen.accepted !== n) problem(`the connector accepted ${seen.accepted} cards, expected ${n}`);
    if (seen.attempts !== seen.accepted) problem(`${seen.attempts} posts reached the connector for ${seen.accepted} accepted`);
    if (duplicates.conversations) problem(`${duplicates.conversations} conversations got more than one card (${duplicates.cards} surplus)`);
    if (lost) problem(`${lost} recipients got no card`);
    if (strays) problem(`${strays} cards went to conversations outside the recipients' chats`);
    if (seen.nonDigests) problem(`${seen.nonDigests} posted activities are not nudge digests`);
    if (seen.created || seen.memberLookups) problem(`the bot opened ${seen.created} chats and looked up ${seen.memberLookups} members (every recipient has a stored chat)`);
    if (outbox.mailboxes !== n || outbox.pending !== 0 || outbox.saidSent !== n || outbox.saidOther !== 0)
      problem(`outbox: ${outbox.mailboxes} mailboxes, ${outbox.pending} still pending, ${outbox.saidSent} said as sent, ${outbox.saidOther} otherwise (expected ${n}, 0, ${n}, 0)`);
    if (rerunSummary.sent.cards !== 0 || rerunSummary.recorded !== 0 || again.attempts !== 0)
      problem(`a second run the same day recorded ${rerunSummary.recorded}, sent ${rerunSummary.sent.cards} cards, ${again.attempts} posts (expected none)`);

    return {
      recipients: n,
      ratePerSecond: o.ratePerSecond,
      clockNow: o.clockNow,
      step,
      setupMs: { roles: rolesMs, conversations: conversationsMs },
      wallMs,
      firstCardMs: times.length ? times[0]! - startedAt : NaN,
      sendPhaseMs,
      achievedRate,
      shareOfLimit: achievedRate / o.ratePerSecond,
      overallRate: (seen.accepted / wallMs) * 1000,
      maxInOneSecond,
      maxGapMs,
      connector: { attempts: seen.attempts, accepted: seen.accepted, nonDigests: seen.nonDigests, created: seen.created, memberLookups: seen.memberLookups, maxActivityBytes: seen.maxActivityBytes },
      duplicates,
      lost,
      strays,
      summary,
      outbox,
      rerun: { summary: rerunSummary, posts: again.attempts },
      memory: {
        rssBeforeMb: before.rss / MB,
        rssPeakMb: rssPeak / MB,
        ...(vmHwm !== undefined ? { vmHwmMb: vmHwm / MB } : {}),
        heapBeforeMb: before.heapUsed / MB,
        heapPeakMb: heapPeak / MB,
        heapAfterMb: after.heapUsed / MB,
        ...(retained !== undefined ? { heapRetainedMb: retained / MB } : {}),
      },
      cpu: { ms: cpuMs, usPerCard: seen.accepted ? (cpuMs / seen.accepted) * 1000 : NaN },
      problems,
    };
  } finally {
    await samhandling.close();
  }
}

/** Prints the run as the rest of the bench prints its figures. */
export function printFanout(r: FanoutResult, target: number): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const mark = r.shareOfLimit >= target ? "ok" : "UNDER";
  const row = (label: string, value: string) => console.log(`  ${label.padEnd(30)} ${value}`);
  console.log(
    `\nNudge fan-out: ${r.recipients} digests to ${r.recipients} 1:1 chats through the fake connector (worker thread), NUDGE_RATE_PER_SECOND=${r.ratePerSecond};\nclock ${r.clockNow}, everyone a national coordinator nudged once (${r.step.key}, ${r.step.stage}, deadline ${r.step.deadline}):\n`,
  );
  row("setup", `roles document ${r.setupMs.roles.toFixed(0)} ms, ${r.recipients} conversation references ${r.setupMs.conversations.toFixed(0)} ms`);
  row("run wall time", `${(r.wallMs / 1000).toFixed(2)} s (first card after ${r.firstCardMs.toFixed(0)} ms: plan, record, claim)`);
  row("send phase (first→last post)", `${(r.sendPhaseMs / 1000).toFixed(2)} s for ${r.connector.accepted} cards`);
  row("achieved rate", `${r.achievedRate.toFixed(2)} cards/s = ${pct(r.shareOfLimit)} of the ${r.ratePerSecond}/s limit (target ≥ ${pct(target)}) ${mark}`);
  row("overall rate (whole run)", `${r.overallRate.toFixed(2)} cards/s`);
  row("most in any 1 s", `${r.maxInOneSecond} posts (limit ${r.ratePerSecond}; at the connector, so HTTP jitter included)`);
  row("largest gap between posts", `${r.maxGapMs.toFixed(1)} ms (slot ${(1000 / r.ratePerSecond).toFixed(1)} ms)`);
  row("duplicates", `${r.duplicates.conversations} conversations (${r.duplicates.cards} surplus cards)`);
  row("lost", `${r.lost} recipients without a card; deferred ${r.summary.deferred}, unreachable ${r.summary.unreachable}, rejected ${r.summary.rejected}; strays ${r.strays}`);
  row("connector", `${r.connector.attempts} posts, ${r.connector.accepted} accepted, ${r.connector.nonDigests} not digests; largest ${r.connector.maxActivityBytes} bytes`);
  row("outbox afterwards", `${r.outbox.mailboxes} mailboxes, ${r.outbox.pending} pending, ${r.outbox.saidSent} said (sent), ${r.outbox.saidOther} otherwise`);
  row("second run, same day", `recorded ${r.rerun.summary.recorded}, sent ${r.rerun.summary.sent.cards}, ${r.rerun.posts} posts; ${(r.rerun.summary.durationMs / 1000).toFixed(2)} s`);
  const m = r.memory;
  row(
    "memory",
    `RSS ${m.rssBeforeMb.toFixed(0)} → peak ${m.rssPeakMb.toFixed(0)} MB${m.vmHwmMb !== undefined ? ` (VmHWM ${m.vmHwmMb.toFixed(0)} MB)` : ""}, whole process; main heap ${m.heapBeforeMb.toFixed(0)} → peak ${m.heapPeakMb.toFixed(0)} MB (at the end ${m.heapAfterMb.toFixed(0)} MB${m.heapRetainedMb !== undefined ? `, ${m.heapRetainedMb.toFixed(0)} MB after a full GC` : ""})`,
  );
  row("main-thread CPU", `${(r.cpu.ms / 1000).toFixed(2)} s, ${r.cpu.usPerCard.toFixed(0)} µs per card`);
  row("run summary", JSON.stringify(r.summary));
}

/**
 * A full garbage collection on demand, to tell what the run keeps from what it merely left for the
 * collector: global.gc under --expose-gc, else the flag switched on at run time (V8 allows it).
 */
function collector(): (() => void) | undefined {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** Resets the process's peak RSS (VmHWM) to the current RSS (Linux ≥ 4.0); false where it cannot. */
function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return peakRss() !== undefined;
  } catch {
    return false;
  }
}

/** VmHWM in bytes, from /proc/self/status. */
function peakRss(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
