/**
 * `npm run bench -- fuzz`: the fuzz test's properties (test/support/fuzz.ts) at scale, at least
 * 20 000 requests against one real app (compose(), SQLite in a temp folder, fake connector, all on
 * 127.0.0.1 in this process), one at a time so that every store write is the request's in flight.
 * Prints the count, the failures (must be 0, else exit 1), requests per second, how the answers
 * were spread over the kinds of request, and heap and RSS at the start and the end of the main run, the app still up (each after a
 * full collection; the heap's growth must stay under HEAP_GROWTH_BOUND_MB).
 *
 * Then the token check: BENCH_FUZZ_TOKENS (2 000) requests with generated Authorization headers
 * against the app with MicrosoftAppId set and a local login (runTokenCase's invariants).
 *
 * Knobs (environment): BENCH_FUZZ_REQUESTS (20 000), BENCH_FUZZ_TOKENS (2 000), BENCH_FUZZ_SEED (random, printed: set it to
 * replay a run).
 */
import fc from "fast-check";
import { type Memory, fuzzCases, healthViolations, HEAP_GROWTH_BOUND_MB, memory, runCase, runTokenCase, startFuzzWorld, startTokenWorld, tokenCases } from "../test/support/fuzz.js";

const BATCH = 500;
const HEALTH_EVERY = 250;
/** Failures printed in full; the rest are counted. */
const SHOWN = 10;

/** Runs the fuzz bench; resolves with the exit code. */
export async function runFuzzBench(): Promise<number> {
  const requests = Number.isInteger(Number(process.env.BENCH_FUZZ_REQUESTS)) && Number(process.env.BENCH_FUZZ_REQUESTS) > 0 ? Number(process.env.BENCH_FUZZ_REQUESTS) : 20_000;
  const seed = Number.isInteger(Number(process.env.BENCH_FUZZ_SEED)) && process.env.BENCH_FUZZ_SEED ? Number(process.env.BENCH_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  const tokens = Number.isInteger(Number(process.env.BENCH_FUZZ_TOKENS)) && Number(process.env.BENCH_FUZZ_TOKENS) >= 0 && process.env.BENCH_FUZZ_TOKENS ? Number(process.env.BENCH_FUZZ_TOKENS) : 2_000;
  let tokenDone = 0;
  const world = await startFuzzWorld();
  const arbitrary = fuzzCases(world.h.connector.url);
  const failures: string[] = [];
  const spread = new Map<string, number>();
  const statuses = new Map<number, number>();
  /** Requests that wrote to the store (the admin's and the coordinator's that parsed, and everyone's conversation reference). */
  let writing = 0;
  const written = new Map<string, number>();
  console.log(`Samhandling bench, fuzz — ${requests} requests, then ${tokens} with generated tokens, seed ${seed} (BENCH_FUZZ_SEED replays it), app at ${world.h.url}`);
  const start = memory();
  const began = performance.now();
  let done = 0;
  let end: Memory = start;
  try {
    for (let batch = 0; done < requests; batch++) {
      for (const c of fc.sample(arbitrary, { numRuns: Math.min(BATCH, requests - done), seed: seed + batch })) {
        const { status, writes, violations } = await runCase(world, c);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (writes.length > 0) writing++;
        for (const type of writes) written.set(type, (written.get(type) ?? 0) + 1);
        if (++done % HEALTH_EVERY === 0) violations.push(...(await healthViolations(world)));
        failures.push(...violations);
        spread.set(c.kind, (spread.get(c.kind) ?? 0) + 1);
      }
      if (done % 5_000 < BATCH) console.log(`  ${done} requests, ${failures.length} failures, ${Math.round(done / ((performance.now() - began) / 1000))} requests/s`);
    }
    failures.push(...(await healthViolations(world)));
    // While the app is still up: what it holds after the run, not what closing it frees.
    end = memory();
  } finally {
    await world.close();
  }
  const seconds = (performance.now() - began) / 1000;
  // Then the token check: the same edge with MicrosoftAppId set, generated Authorization headers.
  const tokenWorld = await startTokenWorld();
  const tokenStatuses = new Map<number, number>();
  const tokenBegan = performance.now();
  try {
    for (let batch = 0; tokenDone < tokens; batch++) {
      for (const c of fc.sample(tokenCases(tokenWorld.h.connector.url), { numRuns: Math.min(BATCH, tokens - tokenDone), seed: seed + 1_000_000 + batch })) {
        const { status, violations } = await runTokenCase(tokenWorld, c);
        tokenStatuses.set(status, (tokenStatuses.get(status) ?? 0) + 1);
        failures.push(...violations);
        tokenDone++;
      }
    }
    failures.push(...(await healthViolations(tokenWorld)));
  } finally {
    await tokenWorld.close();
  }
  const tokenSeconds = (performance.now() - tokenBegan) / 1000;
  const growth = end.heapMb - start.heapMb;
  if (growth >= HEAP_GROWTH_BOUND_MB) failures.push(`heap grew ${growth.toFixed(1)} MB (bound ${HEAP_GROWTH_BOUND_MB} MB)`);

  console.log("");
  console.log(`requests            ${done} (${[...spread].map(([k, n]) => `${k} ${n}`).join(", ")})`);
  console.log(`answers             ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(", ")}; ${writing} requests wrote to the store (${[...written].map(([t, n]) => `${t} ${n}`).join(", ")})`);
  console.log(`failures            ${failures.length}`);
  console.log(`requests/s          ${(done / seconds).toFixed(0)} (${seconds.toFixed(1)} s, one at a time)`);
  console.log(`token check         ${tokenDone} requests (${[...tokenStatuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(", ")}), ${(tokenDone / tokenSeconds).toFixed(0)} requests/s`);
  console.log(`connector refusals  ${world.connectorRefusals} (replies Teams would refuse too, e.g. a 200 000-character activity id in the URL; logged, not failures)`);
  console.log(`heap                ${start.heapMb} → ${end.heapMb} MB (after a full collection; bound +${HEAP_GROWTH_BOUND_MB} MB)`);
  console.log(`rss                 ${start.rssMb} → ${end.rssMb} MB`);
  for (const failure of failures.slice(0, SHOWN)) console.log(`  ✗ ${failure.slice(0, 1000)}`);
  if (failures.length > SHOWN) console.log(`  … and ${failures.length - SHOWN} more`);
  console.log(failures.length === 0 ? "fuzz: OK" : `fuzz: ${failures.length} FAILURES (seed ${seed})`);
  return failures.length === 0 ? 0 : 1;
}
