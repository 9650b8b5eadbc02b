/**
 * The tab's bundle (build/tab/) and contract-checked fixture answers (./fixtures.ts) behind the
 * same paths as the real routes (src/tab/routes.ts), for developing the page on known data: the
 * record route answers «late» first and «recorded» once the late deadline is accepted.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RecordAnswerSchema, RecordBodySchema, type TabLang } from "../../src/tab/api-schema.js";
import { me, overview, reports, wheel } from "./fixtures.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const SHELL = `<!doctype html><html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Årshjul</title></head><body><div id="root"></div><script type="module" src="/tab/assets/app.js"></script></body></html>`;

export interface Seen {
  localUser?: string;
  records: unknown[];
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** The bundle and the fixture API, as the real routes will serve them. */
export function startFixtureServer(seen: Seen): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(value));
    };
    const local = req.headers["x-samhandling-local-user"];
    if (typeof local === "string") seen.localUser = local;
    const lang = (url.searchParams.get("lang")?.slice(0, 2) ?? "nb") as TabLang;
    if (url.pathname === "/tab" || url.pathname === "/tab/config") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(SHELL);
    } else if (url.pathname.startsWith("/tab/assets/")) {
      const file = path.join(ROOT, "build", "tab", path.basename(url.pathname));
      res.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "application/json" });
      res.end(readFileSync(file));
    } else if (url.pathname === "/api/tab/me") json(200, me(["nb", "nn", "en"].includes(lang) ? lang : "nb"));
    else if (url.pathname === "/api/tab/wheel") json(200, wheel(url.searchParams.get("region") ?? "46", Number(url.searchParams.get("year") ?? 2026)));
    else if (url.pathname === "/api/tab/overview") json(200, overview());
    else if (url.pathname === "/api/tab/reports") json(200, reports(Number(url.searchParams.get("year") ?? 2026), url.searchParams.get("round") === "autumn" ? "autumn" : "spring"));
    else if (url.pathname === "/api/tab/record" && req.method === "POST") {
      const parsed = RecordBodySchema.safeParse(await body(req));
      if (!parsed.success) return json(400, { error: { code: "bad-request", message: "Skjemaet kunne ikke leses." } });
      seen.records.push(parsed.data);
      const answer =
        parsed.data.acceptLate.length === 0
          ? { kind: "late", message: "Fristen for «Regionalt dialogmøte vår» blir 8. april – den er passert.", steps: ["Regionalt dialogmøte vår"], accept: ["regional-spring-meeting-held"] }
          : { kind: "recorded", message: "Registrert: innkallingen er sendt.", wheel: wheel("46", 2026) };
      json(200, RecordAnswerSchema.parse(answer));
    } else json(404, { error: { code: "not-found", message: "Ukjent adresse." } });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

