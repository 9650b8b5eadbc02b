import { DateTime } from "luxon";
const root = process.argv[2]!;
const { openSqliteStore } = await import(`${root}/src/store/sqlite-store.ts`);
const { seedStore } = await import(`${root}/bench/seed.ts`);
const { createApp } = await import(`${root}/src/app/app.ts`);
const { MODEL_2017 } = await import(`${root}/src/domain/process.ts`);
const { toSettings } = await import(`${root}/src/app/settings.ts`);
const { renderStatusCard } = await import(`${root}/src/cards/status-card.ts`);
const store = openSqliteStore(":memory:");
await seedStore(store, 2027);
const settingsDoc = (await (store as any).read({ partition: "_system", id: "settings" })).doc;
const app = createApp({ store, model: MODEL_2017, settings: toSettings(settingsDoc, "r"), clock: () => DateTime.fromISO("2027-11-17T09:00:00+01:00") });
for (const id of ["46", "03", "11"]) {
  const a = await app.status(id);
  const st = a.status.evaluate();
  const card = renderStatusCard(st, MODEL_2017, "nb", { showMyActions: false, canRecord: () => false, actionId: "x" } as any);
  const t0 = performance.now(); for (let i = 0; i < 200; i++) renderStatusCard(a.status.evaluate(), MODEL_2017, "nb", { canRecord: () => false, actionId: "x" } as any); const ms = (performance.now() - t0) / 200;
  const t1 = performance.now(); for (let i = 0; i < 2000; i++) JSON.stringify(card); const js = (performance.now() - t1) / 2000;
  console.log(id, JSON.stringify(card).length, "bytes", ms.toFixed(3), "ms render", (js*1000).toFixed(1), "µs stringify");
}
