/**
 * The page's only way to the server: `/api/tab/*` with the SSO token (inside Teams) or the local
 * user header (local mode), and every answer parsed with the contract's schema
 * (src/tab/api-schema.ts). Anything that does not parse becomes an `ApiFailure`, which the page
 * shows as a message: never a blank page, never half-read data.
 */
import type { z } from "zod";
import { ApiErrorSchema } from "../api-schema";
import type { Startup } from "./startup";

export type FailureKind =
  /** The server refused with its JSON error; `message` is already in the person's language. */
  | "refused"
  /** The answer did not match the contract (a server and page of different versions). */
  | "invalid"
  /** No answer, or one that is not the JSON error shape (e.g. a proxy's page). */
  | "unreachable";

export class ApiFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

export interface Api {
  get<S extends z.ZodType>(path: string, query: Record<string, string | number | undefined>, schema: S): Promise<z.infer<S>>;
  /** POSTs JSON; `schema` is tried on the answer whatever its status (a refusal may be a 4xx with a body the schema knows). */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>>;
}

/** The API paths, in one place (the server's routes: src/tab/routes.ts). */
export const API = {
  me: "/api/tab/me",
  wheel: "/api/tab/wheel",
  overview: "/api/tab/overview",
  reports: "/api/tab/reports",
  record: "/api/tab/record",
} as const;

export function createApi(start: Startup, lang: () => string | undefined): Api {
  const headers = async (): Promise<Record<string, string>> => {
    const h: Record<string, string> = { accept: "application/json" };
    if (start.getToken) h.authorization = `Bearer ${await start.getToken()}`;
    if (start.localUser) h["x-samhandling-local-user"] = start.localUser;
    return h;
  };
  const url = (path: string, query: Record<string, string | number | undefined>) => {
    const u = new URL(path, window.location.origin);
    const language = lang();
    if (language) u.searchParams.set("lang", language);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") u.searchParams.set(k, String(v));
    return u.toString();
  };
  const send = async <S extends z.ZodType>(request: () => Promise<Response>, schema: S, anyStatus: boolean): Promise<z.infer<S>> => {
    let response: Response;
    let body: unknown;
    try {
      response = await request();
      body = await response.json();
    } catch (error) {
      // Network down, or an answer that is not JSON: say so, with the browser's reason for whoever debugs.
      throw new ApiFailure("unreachable", error instanceof Error ? error.message : String(error));
    }
    if (response.ok || anyStatus) {
      const parsed = schema.safeParse(body);
      if (parsed.success) return parsed.data;
      if (response.ok) throw new ApiFailure("invalid", parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), response.status);
    }
    const refusal = ApiErrorSchema.safeParse(body);
    if (refusal.success) throw new ApiFailure("refused", refusal.data.error.message, response.status);
    throw new ApiFailure("unreachable", `HTTP ${response.status}`, response.status);
  };
  return {
    async get(path, query, schema) {
      const h = await headers();
      return send(() => fetch(url(path, query), { headers: h }), schema, false);
    },
    async post(path, body, schema) {
      const h = await headers();
      return send(() => fetch(url(path, {}), { method: "POST", headers: { ...h, "content-type": "application/json" }, body: JSON.stringify(body) }), schema, true);
    },
  };
}
