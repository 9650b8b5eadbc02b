/**
 * The årshjul tab on the restify server: its page (`GET /tab`, `GET /tab/config`), the page's
 * bundle (`GET /tab/assets/:file`, from build/tab/) and its JSON API (`/api/tab/...`).
 *
 * Every API request: the person (sso.ts: a Teams SSO token with a bot identity, else local mode),
 * their language (their `språk` choice, else the page's `lang`, else bokmål), the query parsed
 * with zod (a bad value is a 400 naming it, never a 5xx), one view built from the app's use cases
 * (views.ts), and the answer parsed by its schema (api-schema.ts) before it is sent. Refusals have
 * the shape `{ error: { code, message } }`, the message in the person's language where known.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type restify from "restify";
import { z } from "zod";
import type { App } from "../app/app.js";
import type { Lang } from "../domain/calendar.js";
import { ROUNDS, type Round } from "../domain/process.js";
import { matchRegion } from "../domain/regions.js";
import { langFromLocale, translator, type MessageKey } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { MAX_BODY_BYTES, MAX_JSON_DEPTH, nestedDeeperThan } from "../server/server.js";
import { CardCache } from "../cards/card-cache.js";
import { ApiErrorSchema, MeSchema, OverviewSchema, type Overview, RecordAnswerSchema, RecordBodySchema, ReportsSchema, WheelSchema } from "./api-schema.js";
import { tabShell, TAB_CSP } from "./page.js";
import type { TabAuth, TabPerson, TabRefusalCode } from "./sso.js";
import { meView, overviewView, recordFromTab, reportsView, wheelView } from "./views.js";

/**
 * The bundle scripts/build-tab.ts writes (`npm run build:tab`), from here: src/tab/ or dist/tab/ →
 * build/tab/. From the module's path as a string: under jsdom (some tests) `URL` is jsdom's,
 * which Node's fileURLToPath does not take.
 */
export function defaultAssetsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "build", "tab");
}

/** The first cycle of the 2017 model (adopted 28.11.2017) is 2018; the wheel looks at most a year ahead. */
const FIRST_YEAR = 2018;

export interface TabRouteDeps {
  app: App;
  auth: TabAuth;
  logger: Logger;
  /** Where the page's bundle is (default: build/tab/). */
  assetsDir?: string;
}

/** The people's words for each refusal of the sign-in (the code stays in the answer for programs). */
const AUTH_MESSAGES: Record<TabRefusalCode, MessageKey> = {
  LOCAL_USER_INVALID: "tab.api.localUser",
  TOKEN_MISSING: "tab.api.unauthorized",
  TOKEN_EXPIRED: "tab.api.expired",
  TOKEN_INVALID: "tab.api.refused",
  TOKEN_SIGNATURE: "tab.api.refused",
  TOKEN_ALGORITHM: "tab.api.refused",
  TOKEN_AUDIENCE: "tab.api.refused",
  TOKEN_ISSUER: "tab.api.refused",
  TOKEN_TENANT: "tab.api.refused",
  TOKEN_SCOPE: "tab.api.refused",
  AUTH_UNAVAILABLE: "tab.api.authUnavailable",
  TAB_SSO_NOT_CONFIGURED: "tab.api.notConfigured",
};

/** A language tag as Teams' locale (`nb-NO`, `nn`, `en-US`), or our own codes. */
const LangParam = z.string().max(35).regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/);
/** Teams' channel or chat id (`19:…@thread.tacv2`), for the channel's bound region. */
const ChannelParam = z.string().min(1).max(300).regex(/^[\x21-\x7e]+$/);

/** A refusal the route answers with. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

interface Asked {
  query: URLSearchParams;
  person: TabPerson;
  lang: Lang;
}

export function registerTabRoutes(server: restify.Server, deps: TabRouteDeps): void {
  const { app, auth, logger } = deps;
  const assetsDir = deps.assetsDir ?? defaultAssetsDir();
  const bundleMissing = () => !existsSync(join(assetsDir, "app.js"));
  // The overview grid by version and language (three languages × the day's versions): few and small.
  const overviews = new CardCache<Overview>(30);

  // — the page —
  // restify takes a handler without `next` only when it is async.
  const shell = async (req: restify.Request, res: restify.Response) => {
    if (bundleMissing()) return void sendBundleMissing(res);
    const asked = LangParam.safeParse(searchOf(req).get("lang") ?? undefined);
    const lang = langFromLocale(asked.success ? asked.data : (req.headers["accept-language"] ?? "nb").split(",")[0]);
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": TAB_CSP,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    res.end(tabShell(lang, { stylesheet: existsSync(join(assetsDir, "app.css")) }));
  };
  server.get("/tab", shell);
  server.get("/tab/config", shell);

  server.get("/tab/assets/:file", async (req, res) => {
    const name = String((req.params as Record<string, unknown>).file ?? "");
    if (bundleMissing()) return void sendBundleMissing(res);
    // Only a plain file name the bundle has: no folders, no dot files, nothing outside build/tab/.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) || !bundleFiles(assetsDir).includes(name)) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
      return void res.end("not found");
    }
    const path = join(assetsDir, name);
    const stat = statSync(path);
    const etag = `W/"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
    const headers = {
      "content-type": contentTypeOf(name),
      // Chunks carry their content's hash in the name (`chunk-O4MIY67H.js`): kept for a year. The rest
      // (app.js, its map) keep their names across builds: asked again each time, cheap with the etag.
      "cache-control": /-[A-Z0-9]{8,}\.[a-z.]+$/.test(name) ? "public, max-age=31536000, immutable" : "no-cache",
      etag,
      "x-content-type-options": "nosniff",
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    const bytes = readFileSync(path);
    res.writeHead(200, { ...headers, "content-length": bytes.length });
    res.end(bytes);
  });

  // — the API —
  /** The steps every answer shares; `view` builds the answer, which `schema` checks before it goes out. */
  const api =
    <T>(schema: z.ZodType<T>, view: (asked: Asked) => Promise<T>) =>
    async (req: restify.Request, res: restify.Response) => {
      const query = searchOf(req);
      let lang: Lang = "nb";
      try {
        const badLang = () => new Refusal(400, "INVALID_LANG", "tab.api.badLang");
        const given = single(query, "lang", badLang);
        const asked = given === null ? undefined : LangParam.safeParse(given);
        if (asked && !asked.success) throw badLang();
        if (asked) lang = langFromLocale(asked.data);
        const person = await authenticate(req);
        // The person's own choice (`språk`) wins over the page's Teams locale, as in chat.
        lang = (await app.people.language(person.id)) ?? lang;
        sendJson(res, 200, schema.parse(await view({ query, person, lang })));
      } catch (error) {
        answerFailure(res, error, lang, req);
      }
    };

  const authenticate = async (req: restify.Request): Promise<TabPerson> => {
    const result = await auth.authenticate(req.headers);
    if (result.kind === "person") return result.person;
    const headers: Record<string, string> = {};
    if (result.retryAfterSeconds !== undefined) headers["retry-after"] = String(result.retryAfterSeconds);
    if (result.status === 401) headers["www-authenticate"] = "Bearer";
    throw new Refusal(result.status, result.code, AUTH_MESSAGES[result.code], {}, headers);
  };

  const answerFailure = (res: restify.Response, error: unknown, lang: Lang, req: restify.Request) => {
    if (error instanceof Refusal) {
      if (error.status >= 500) logger.error({ code: error.code, url: req.url }, "tab request refused");
      else logger.debug({ code: error.code, url: req.url, status: error.status }, "tab request refused");
      for (const [name, value] of Object.entries(error.headers)) res.header(name, value);
      return sendError(res, error.status, error.code, translator(lang)(error.key, error.params));
    }
    if (error instanceof z.ZodError) {
      // Our own answer did not fit its schema: a bug here, not the caller's fault nor an outage.
      logger.error({ err: error, url: req.url }, "tab answer does not match its schema");
      return sendError(res, 500, "TAB_ANSWER_INVALID", translator(lang)("tab.api.unavailable"));
    }
    // The store (or another dependency) failed; nothing was written half-way (every write is one document).
    logger.error({ err: error, code: (error as { code?: unknown } | null)?.code, url: req.url }, "tab request failed");
    return sendError(res, 503, "TAB_UNAVAILABLE", translator(lang)("tab.api.unavailable"));
  };

  server.get(
    "/api/tab/me",
    api(MeSchema, async ({ query, person, lang }) => {
      const badChannel = () => new Refusal(400, "INVALID_CHANNEL", "tab.api.badChannel");
      const given = single(query, "channel", badChannel);
      const channel = given === null ? undefined : ChannelParam.safeParse(given);
      if (channel && !channel.success) throw badChannel();
      return meView(app, person, lang, auth.localMode, channel?.data);
    }),
  );

  server.get(
    "/api/tab/wheel",
    api(WheelSchema, async ({ query, person, lang }) => {
      const regionId = regionParam(query);
      const year = yearParam(query, app) ?? currentYear(app);
      return wheelView(app, regionId, year, person, lang);
    }),
  );

  server.get(
    "/api/tab/overview",
    api(OverviewSchema, async ({ lang }) => overviewView(app, lang, overviews)),
  );

  server.get(
    "/api/tab/reports",
    api(ReportsSchema, async ({ query, lang }) => {
      const regionId = regionParam(query);
      const year = yearParam(query, app);
      const round = roundParam(query);
      return reportsView(app, regionId, { ...(year !== undefined ? { year } : {}), ...(round ? { round } : {}) }, lang);
    }),
  );

  server.post("/api/tab/record", async (req: restify.Request, res: restify.Response) => {
    const query = searchOf(req);
    const given = LangParam.safeParse(query.get("lang") ?? undefined);
    let lang: Lang = given.success ? langFromLocale(given.data) : "nb";
    try {
      if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw new Refusal(415, "UNSUPPORTED_MEDIA_TYPE", "tab.api.unsupportedMedia");
      const person = await authenticate(req);
      lang = (await app.people.language(person.id)) ?? lang;
      const raw = await readJson(req);
      const body = RecordBodySchema.safeParse(raw);
      if (!body.success) throw new Refusal(400, "INVALID_BODY", "tab.api.badRequest");
      // A year outside the model's is no form the page could have shown (within it, a closed cycle is the card's refusal).
      const last = currentYear(app) + 1;
      for (const year of [body.data.year, body.data.wheelYear ?? body.data.year])
        if (year < FIRST_YEAR || year > last) throw new Refusal(400, "INVALID_YEAR", "tab.api.badYear", { from: FIRST_YEAR, to: last });
      const outcome = await recordFromTab(app, person, body.data, lang);
      if (outcome.status === 400) throw outcome.field === "regionId" ? new Refusal(400, "INVALID_REGION", "tab.api.badRegion") : new Refusal(400, "INVALID_VERB", "tab.api.badStep");
      sendJson(res, outcome.status, RecordAnswerSchema.parse(outcome.answer));
    } catch (error) {
      answerFailure(res, error, lang, req);
    }
  });

  // Anything else under /api/tab/ is answered in the API's own shape, not restify's.
  const notFound = async (req: restify.Request, res: restify.Response) => {
    const given = LangParam.safeParse(searchOf(req).get("lang") ?? undefined);
    sendError(res, 404, "NOT_FOUND", translator(given.success ? langFromLocale(given.data) : "nb")("tab.api.notFound"));
  };
  server.get("/api/tab/*", notFound);
  server.post("/api/tab/*", notFound);
}

/** The request's query; a URL that does not parse has none (its parameters are then missing, and said so). */
function searchOf(req: restify.Request): URLSearchParams {
  try {
    return new URL(req.url ?? "/", "http://tab.invalid").searchParams;
  } catch {
    return new URLSearchParams();
  }
}

/**
 * A parameter's one value, null when absent. Given more than once (`?region=46&region=03`) it is
 * refused like a wrong value: which one was meant cannot be known, and the first is not always it.
 */
function single(query: URLSearchParams, name: string, refusal: () => Refusal): string | null {
  const values = query.getAll(name);
  if (values.length > 1) throw refusal();
  return values[0] ?? null;
}

/** `region`: an id (`46`) or a name as the bot matches it (`Vestland`, `vestland`). */
function regionParam(query: URLSearchParams): string {
  const badRegion = () => new Refusal(400, "INVALID_REGION", "tab.api.badRegion");
  const given = single(query, "region", badRegion);
  const match = given !== null && given.length <= 100 ? matchRegion(given) : undefined;
  if (match?.kind !== "found") throw badRegion();
  return match.region.id;
}

/** `year`: a cycle year of the model, from its first to next year; absent → undefined. */
function yearParam(query: URLSearchParams, app: App): number | undefined {
  const last = currentYear(app) + 1;
  const badYear = () => new Refusal(400, "INVALID_YEAR", "tab.api.badYear", { from: FIRST_YEAR, to: last });
  const given = single(query, "year", badYear);
  if (given === null) return undefined;
  const year = /^\d{4}$/.test(given) ? Number(given) : NaN;
  if (!(year >= FIRST_YEAR && year <= last)) throw badYear();
  return year;
}

/** `round`: `spring` or `autumn`; absent → undefined (the round that matters now). */
function roundParam(query: URLSearchParams): Round | undefined {
  const badRound = () => new Refusal(400, "INVALID_ROUND", "tab.api.badRound");
  const given = single(query, "round", badRound);
  if (given === null) return undefined;
  if (!(ROUNDS as readonly string[]).includes(given)) throw badRound();
  return given as Round;
}

function currentYear(app: App): number {
  return app.clock().setZone("Europe/Oslo").year;
}

/**
 * The body as JSON, within the server's limits (server.ts: the size of the bot endpoint's bodies
 * and its nesting depth); a compressed body was refused before this (server.ts, 415).
 */
async function readJson(req: restify.Request): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) throw new Refusal(413, "BODY_TOO_LARGE", "tab.api.tooLarge", {}, { connection: "close" });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, "BODY_TOO_LARGE", "tab.api.tooLarge", {}, { connection: "close" });
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new Refusal(400, "INVALID_BODY", "tab.api.badRequest");
  }
  if (nestedDeeperThan(parsed, MAX_JSON_DEPTH)) throw new Refusal(400, "INVALID_BODY", "tab.api.badRequest");
  return parsed;
}

function sendJson(res: restify.Response, status: number, body: unknown): void {
  res.header("cache-control", "no-store");
  res.header("x-content-type-options", "nosniff");
  res.send(status, body);
}

function sendError(res: restify.Response, status: number, code: string, message: string): void {
  sendJson(res, status, ApiErrorSchema.parse({ error: { code, message } }));
}

/** The files of the bundle, flat (chunks, maps, the legal notes). */
function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

const CONTENT_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  map: "application/json; charset=utf-8",
  json: "application/json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  woff2: "font/woff2",
};

function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

/** For whoever runs the server from a fresh checkout: what to do (a developer's message, in English like the logs). */
function sendBundleMissing(res: restify.Response): void {
  res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end("The tab's page is not built yet: run `npm run build:tab` (npm start does it before starting), then reload.\n");
}
