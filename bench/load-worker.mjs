// The "outside world" of the bench, in a worker thread: the fake Bot Connector (reused from
// test/support) and the load generator. So the main thread holds only the bots being measured,
// as in production, where Teams and the connector are other machines. Plain JS with node:http;
// the TypeScript connector is loaded through tsx's API.
//
// Out: { type: "ready", url }                    once the connector listens
// In:  { type: "run", port, text, prefix, concurrency, turns, locale, expect, sample }
//        expect: { kind: "text", text } | { kind: "card", titleIncludes? }
// Out: { type: "result", latencies: Float64Array (ms, turn order), elapsedMs, failed, failures: string[], sample? }
// In:  { type: "invoke", port, prefix, concurrency, turns, locale, plan, expectText, sample }
//        card actions (`adaptiveCard/action` invokes, Action.Execute) whose answer is the invoke
//        response itself; turn n saves `{ ...plan.base, regionId, year, actionId, date, place }`
//        with verb plan.verb, in region plan.regions[n mod R] and year plan.year, on a date from
//        plan.dates (varying per turn), by actor plan.actors[k] (k = conversation), named
//        `Bench #${n} ${prefix}` (so that the main thread can find each turn's event).
// Out: { type: "result", latencies, elapsedMs, failed, failures, sample? (the first card) }
//        Or, with plan.turnsData (bench/rounds.ts), turn n is turnsData[n mod N] = { actorId, data }
//        with a fresh actionId.
// In:  { type: "probe", port, locale, actorId, verb, data } → Out: { type: "probed", status, body }
// In:  { type: "fanout-start" } → Out: { type: "fanout-started" }
//        the nudge fan-out (fanout.ts): forgets what the connector holds and from now on notes
//        when each post arrives (epoch ms), until
// In:  { type: "fanout-collect" } → Out: { type: "fanout-collected", attempts, accepted,
//        perConversation: [conversationId, accepted posts][], times: Float64Array (arrival of
//        each accepted post, in order), nonDigests, maxActivityBytes, created, memberLookups, sample? }
// In:  { type: "close" } → Out: { type: "closed" }
// Turn n of a run has activity id `${prefix}-t${n}`; conversation k is `${prefix}-c${k}`.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { startFakeConnector } = await tsImport("../test/support/fake-connector.ts", import.meta.url);
const connector = await startFakeConnector();
const ADAPTIVE = "application/vnd.microsoft.card.adaptive";

function post(agent, port, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/messages",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("request timed out after 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/** A problem with one reply, or undefined when it is what the job expects. */
function check(expect, activity) {
  if (expect.kind === "text") return activity.text === expect.text ? undefined : `replied text ${JSON.stringify(activity.text)}`;
  const attachment = activity.attachments?.[0];
  if (!attachment || attachment.contentType !== ADAPTIVE) return `not an Adaptive Card: ${JSON.stringify(activity).slice(0, 200)}`;
  if (attachment.content?.type !== "AdaptiveCard") return "attachment content is not an AdaptiveCard";
  const title = String(attachment.content.body?.[0]?.text ?? "");
  if (expect.titleIncludes && !title.includes(expect.titleIncludes)) return `card title ${JSON.stringify(title)} lacks ${JSON.stringify(expect.titleIncludes)}`;
  return undefined;
}

async function run(job) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latencies = new Float64Array(job.turns);
  const failures = [];
  let failed = 0;
  const note = (message) => {
    failed++;
    if (failures.length < 50) failures.push(message);
  };
  connector.posted.length = 0; // only this run's replies are kept
  let next = 0;
  const conversation = async (k) => {
    const conversationId = `${job.prefix}-c${k}`;
    for (let n = next++; n < job.turns; n = next++) {
      const body = JSON.stringify({
        type: "message",
        id: `${job.prefix}-t${n}`,
        channelId: "msteams",
        serviceUrl: connector.url,
        locale: job.locale,
        conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-bench" },
        // One person per conversation, as in Teams (a person has one 1:1 chat with the bot).
        from: { id: `29:bench-user-${k}`, aadObjectId: `00000000-0000-0000-0000-0000000b${String(k).padStart(4, "0")}`, name: `Bench Person ${k}` },
        recipient: { id: "28:samhandling-bot", name: "Samhandling" },
        text: job.text,
        timestamp: new Date().toISOString(),
      });
      const start = performance.now();
      try {
        const res = await post(agent, job.port, body);
        latencies[n] = performance.now() - start;
        if (res.status !== 200) note(`turn ${n}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      } catch (error) {
        latencies[n] = performance.now() - start;
        note(`turn ${n}: ${error?.message ?? error}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, (_, k) => conversation(k)));
  const elapsedMs = performance.now() - started;
  agent.destroy();

  // Every turn must have exactly one reply, and it must be the expected kind.
  const replies = new Map();
  for (const p of connector.posted) {
    const list = replies.get(p.replyToId ?? "") ?? [];
    list.push(p.activity);
    replies.set(p.replyToId ?? "", list);
  }
  let sample;
  for (let n = 0; n < job.turns; n++) {
    const got = replies.get(`${job.prefix}-t${n}`) ?? [];
    const problem = got.length !== 1 ? `${got.length} replies` : check(job.expect, got[0]);
    if (problem) note(`turn ${n}: ${problem}`);
    else if (job.sample && !sample) sample = got[0];
  }
  connector.posted.length = 0;
  return { type: "result", latencies, elapsedMs, failed, failures, ...(sample ? { sample } : {}) };
}

/** Every text a card shows (TextBlock texts, titles), as people read it. */
function cardText(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => cardText(n, out));
  else if (node && typeof node === "object") {
    if (typeof node.text === "string") out.push(node.text);
    if (typeof node.title === "string") out.push(node.title);
    Object.values(node).forEach((n) => cardText(n, out));
  }
  return out;
}

/** A problem with one invoke response, or undefined when it is a card that says `expectText`. */
function checkInvoke(expectText, res) {
  if (res.status !== 200) return `HTTP ${res.status} ${res.body.slice(0, 200)}`;
  let body;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `response is not JSON: ${res.body.slice(0, 200)}`;
  }
  if (body?.statusCode !== 200) return `invoke statusCode ${body?.statusCode}: ${res.body.slice(0, 200)}`;
  if (body.type !== ADAPTIVE || body.value?.type !== "AdaptiveCard") return `not an Adaptive Card: ${res.body.slice(0, 200)}`;
  const text = cardText(body.value).join("\n");
  if (!text.includes(expectText)) return `card lacks ${JSON.stringify(expectText)}: ${JSON.stringify(text.slice(0, 300))}`;
  return undefined;
}

const VENUES = ["fylkeshuset", "rådhuset", "kulturhuset", "Scandic", "Thon Hotel", "næringshagen", "Teams"];

function invokeActivity(job, n, k, conversationId) {
  const { plan } = job;
  const { actorId, data } = plan.turnsData ? turnOf(plan, n) : recordTurn(plan, n, k);
  return {
    type: "invoke",
    name: "adaptiveCard/action",
    id: `${job.prefix}-t${n}`,
    channelId: "msteams",
    serviceUrl: connector.url,
    locale: job.locale,
    conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-bench" },
    from: { id: `29:${actorId}`, aadObjectId: actorId, name: `Bench #${n} ${job.prefix}` },
    recipient: { id: "28:samhandling-bot", name: "Samhandling" },
    replyToId: `${job.prefix}-card-${k}`,
    value: { action: { type: "Action.Execute", verb: plan.verb, data }, trigger: "manual" },
    timestamp: new Date().toISOString(),
  };
}

/** A record form's save: region and date vary by turn, the actor by conversation. */
function recordTurn(plan, n, k) {
  const region = plan.regions[n % plan.regions.length];
  // Consecutive turns of one region land a week apart, and the regions' turns spread over the window.
  const date = plan.dates[(n + 7 * Math.floor(n / plan.regions.length)) % plan.dates.length];
  return {
    actorId: plan.actors[k % plan.actors.length],
    data: { ...plan.base, regionId: region.id, year: plan.year, actionId: randomUUID(), date, place: `${region.name}, ${VENUES[n % VENUES.length]}` },
  };
}

/** A turn given whole (the report round, rounds.ts): turn n is `plan.turnsData[n mod N]`, with a fresh action id. */
function turnOf(plan, n) {
  const turn = plan.turnsData[n % plan.turnsData.length];
  return { actorId: turn.actorId, data: { ...turn.data, actionId: randomUUID() } };
}

/** Card actions: the answer is the HTTP response (the invoke response), checked after the run. */
async function runInvokes(job) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latencies = new Float64Array(job.turns);
  const responses = new Array(job.turns);
  const failures = [];
  let failed = 0;
  const note = (message) => {
    failed++;
    if (failures.length < 50) failures.push(message);
  };
  connector.posted.length = 0;
  let next = 0;
  const conversation = async (k) => {
    const conversationId = `${job.prefix}-c${k}`;
    for (let n = next++; n < job.turns; n = next++) {
      const body = JSON.stringify(invokeActivity(job, n, k, conversationId));
      const start = performance.now();
      try {
        responses[n] = await post(agent, job.port, body);
        latencies[n] = performance.now() - start;
      } catch (error) {
        latencies[n] = performance.now() - start;
        note(`turn ${n}: ${error?.message ?? error}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, (_, k) => conversation(k)));
  const elapsedMs = performance.now() - started;
  agent.destroy();

  let sample;
  for (let n = 0; n < job.turns; n++) {
    if (!responses[n]) continue; // already noted
    const problem = checkInvoke(job.expectText, responses[n]);
    if (problem) note(`turn ${n}: ${problem}`);
    else if (job.sample && !sample) sample = JSON.parse(responses[n].body).value;
  }
  connector.posted.length = 0;
  return { type: "result", latencies, elapsedMs, failed, failures, ...(sample ? { sample } : {}) };
}

/** One invoke, answered as it came back (the bench uses it to read the real record form). */
async function probe(job) {
  const agent = new http.Agent({ keepAlive: false });
  const body = JSON.stringify({
    type: "invoke",
    name: "adaptiveCard/action",
    id: `probe-${randomUUID()}`,
    channelId: "msteams",
    serviceUrl: connector.url,
    locale: job.locale,
    conversation: { id: `probe-${job.actorId}`, conversationType: "personal", tenantId: "tenant-bench" },
    from: { id: `29:${job.actorId}`, aadObjectId: job.actorId, name: "Bench Probe" },
    recipient: { id: "28:samhandling-bot", name: "Samhandling" },
    replyToId: "probe-card",
    value: { action: { type: "Action.Execute", verb: job.verb, data: job.data }, trigger: "manual" },
  });
  try {
    const res = await post(agent, job.port, body);
    return { type: "probed", status: res.status, body: res.body };
  } catch (error) {
    return { type: "probed", status: 0, body: String(error?.message ?? error) };
  } finally {
    agent.destroy();
  }
}

/** Arrival times of the posts of the fan-out being watched (connector.onPost runs as each arrives). */
let fanoutTimes;
function fanoutStart() {
  connector.posted.length = 0;
  connector.postAttempts.length = 0;
  connector.created.length = 0;
  connector.memberLookups.length = 0;
  const times = (fanoutTimes = []);
  connector.onPost = () => {
    times.push(performance.timeOrigin + performance.now());
    return true;
  };
  return { type: "fanout-started" };
}

function fanoutCollect() {
  connector.onPost = undefined;
  const perConversation = new Map();
  let nonDigests = 0;
  let maxActivityBytes = 0;
  for (const p of connector.posted) {
    perConversation.set(p.conversationId, (perConversation.get(p.conversationId) ?? 0) + 1);
    const json = JSON.stringify(p.activity);
    maxActivityBytes = Math.max(maxActivityBytes, Buffer.byteLength(json, "utf8"));
    if (!json.includes('"nudge.snooze"')) nonDigests++;
  }
  // No faults are injected and no delay set, so every post that arrived was accepted: one time each.
  const times = Float64Array.from(fanoutTimes ?? []);
  const result = {
    type: "fanout-collected",
    attempts: connector.postAttempts.length,
    accepted: connector.posted.length,
    perConversation: [...perConversation],
    times,
    nonDigests,
    maxActivityBytes,
    created: connector.created.length,
    memberLookups: connector.memberLookups.length,
    ...(connector.posted[0] ? { sample: connector.posted[0].activity } : {}),
  };
  connector.posted.length = 0;
  connector.postAttempts.length = 0;
  fanoutTimes = undefined;
  return result;
}

parentPort.on("message", async (message) => {
  if (message.type === "run" || message.type === "invoke") {
    const result = message.type === "run" ? await run(message) : await runInvokes(message);
    parentPort.postMessage(result, [result.latencies.buffer]);
  } else if (message.type === "probe") {
    parentPort.postMessage(await probe(message));
  } else if (message.type === "fanout-start") {
    parentPort.postMessage(fanoutStart());
  } else if (message.type === "fanout-collect") {
    const result = fanoutCollect();
    parentPort.postMessage(result, [result.times.buffer]);
  } else if (message.type === "close") {
    await connector.close();
    parentPort.postMessage({ type: "closed" });
  }
});
parentPort.postMessage({ type: "ready", url: connector.url });
