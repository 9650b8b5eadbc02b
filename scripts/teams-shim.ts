/**
 * A tiny HTTP forwarder that sits between the Microsoft 365 Agents Playground and the bot and
 * gives each activity the locale a real Teams client would send.
 *
 * Why: the bot answers in the client's language (bokmål unless the client says otherwise), but the
 * Playground (0.2.28) stamps every activity `locale: "en-US"` (hard-coded in its server), so in the
 * Playground the bot would always answer in English. A Norwegian Teams client sends "nb-NO".
 * The shim sets `activity.locale` and the `locale` of clientInfo entities, and changes nothing else.
 *
 * Used by `npm run playground` (scripts/playground.ts) and the browser test (test/e2e).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** How long one forwarded request may take (the bot answers a turn well within this). */
const TIMEOUT_MS = 30_000;
/** Activities are small; anything bigger than this is refused rather than buffered. */
const MAX_BODY_BYTES = 1_000_000;

/** A language tag such as nb-NO, nn-NO or en-US (BCP 47-ish: language, then optional subtags). */
export function isLocaleTag(value: string): boolean {
  return /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(value);
}

export interface LocaleShim {
  /** Where the shim listens, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  /** One line per forwarded activity: its type, its text in quotes, its value as JSON. */
  seen: string[];
  close(): Promise<void>;
}

interface Activity {
  type?: unknown;
  text?: unknown;
  value?: unknown;
  locale?: unknown;
  entities?: unknown;
}

/** Sets the locale where Teams puts it; returns a one-line summary of the activity. */
function relocalise(activity: Activity, locale: string): string {
  activity.locale = locale;
  if (Array.isArray(activity.entities)) {
    for (const e of activity.entities as { type?: unknown; locale?: unknown }[]) {
      if (e && typeof e === "object" && e.type === "clientInfo") e.locale = locale;
    }
  }
  const text = typeof activity.text === "string" && activity.text ? ` "${activity.text}"` : "";
  const value = activity.value !== undefined ? ` ${JSON.stringify(activity.value)}` : "";
  return `${typeof activity.type === "string" ? activity.type : "?"}${text}${value}`;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Sets status, content type and body. No chaining: restify (when loaded in the same process) patches writeHead to not return `res`. */
function answer(res: http.ServerResponse, status: number, type: string | null, body: Buffer | string): void {
  res.statusCode = status;
  if (type) res.setHeader("content-type", type);
  res.end(body);
}

/**
 * Listens on 127.0.0.1 (a free port) and forwards every request to `target` (same path and
 * query), with the activity's locale set to `locale`. Passes the Authorization and Content-Type
 * headers on, and gives back the bot's status, content type and body. 502 when the bot cannot be
 * reached, 504 when it does not answer within 30 s.
 */
export function startLocaleShim(target: string, locale: string): Promise<LocaleShim> {
  if (!isLocaleTag(locale)) return Promise.reject(new Error(`not a language tag (such as nb-NO): "${locale}"`));
  const seen: string[] = [];

  const server = http.createServer(async (req, res) => {
    try {
      let body = await readBody(req);
      if (body === undefined) return answer(res, 413, "text/plain", "Teams shim: request body too large");
      try {
        const activity: unknown = JSON.parse(body.toString("utf8"));
        if (activity && typeof activity === "object" && !Array.isArray(activity)) {
          seen.push(relocalise(activity as Activity, locale));
          body = Buffer.from(JSON.stringify(activity));
        }
      } catch {
        // Not JSON: forward it unchanged and let the bot refuse it.
      }
      const headers: Record<string, string> = {};
      if (req.headers["content-type"]) headers["content-type"] = req.headers["content-type"];
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      const method = req.method ?? "POST";
      const reply = await fetch(new URL(req.url ?? "/", target), {
        method,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      answer(res, reply.status, reply.headers.get("content-type"), Buffer.from(await reply.arrayBuffer()));
    } catch (error) {
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      const text = timedOut
        ? `Teams shim: the bot at ${target} did not answer within ${TIMEOUT_MS / 1000} s`
        : `Teams shim: cannot reach the bot at ${target} (${cause})`;
      if (!res.headersSent) answer(res, timedOut ? 504 : 502, "text/plain", text);
      else res.destroy();
    }
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections(); // the Playground keeps connections alive
          }),
      });
    });
  });
}
