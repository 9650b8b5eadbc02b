// Load generator of the bench, run in a worker thread so that the client's own CPU work does not
// share the event loop with the bots it measures. Plain JS (node:http only): it needs no tsx.
//
// Message in:  { port, text, serviceUrl, prefix, concurrency, turns, locale }
// Message out: { latencies: Float64Array (ms, in turn order), elapsedMs, failures: [{turn, status, body}] }
// Turn n of a job has activity id `${prefix}-t${n}`; worker k talks in conversation `${prefix}-c${k}`.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";

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

async function run(job) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latencies = new Float64Array(job.turns);
  const failures = [];
  let next = 0;
  const conversation = async (k) => {
    const conversationId = `${job.prefix}-c${k}`;
    for (let n = next++; n < job.turns; n = next++) {
      const body = JSON.stringify({
        type: "message",
        id: `${job.prefix}-t${n}`,
        channelId: "msteams",
        serviceUrl: job.serviceUrl,
        locale: job.locale,
        conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-bench" },
        from: { id: "29:bench-user", aadObjectId: "00000000-0000-0000-0000-0000000000b1", name: "Bench Person" },
        recipient: { id: "28:samhandling-bot", name: "Samhandling" },
        text: job.text,
        timestamp: new Date().toISOString(),
      });
      const start = performance.now();
      try {
        const res = await post(agent, job.port, body);
        latencies[n] = performance.now() - start;
        if (res.status !== 200) failures.push({ turn: n, status: res.status, body: res.body.slice(0, 200) });
      } catch (error) {
        latencies[n] = performance.now() - start;
        failures.push({ turn: n, status: 0, body: String(error?.message ?? error) });
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, (_, k) => conversation(k)));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies, elapsedMs, failures };
}

parentPort.on("message", async (job) => {
  const result = await run(job);
  parentPort.postMessage(result, [result.latencies.buffer]);
});
