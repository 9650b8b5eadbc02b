/**
 * The meeting papers as files (issue 10, "Export for the meeting papers and the archive"): the
 * round's summary rendered as .docx, CSV or Markdown, for the Teams file card, and the signed
 * short-lived download links the app serves (`GET /api/reports/download`).
 *
 * Who may export: whoever may see the summary, viewers included — the papers hold submitted
 * reports only, never drafts (domain/report-summary.ts). A link is a bearer token for one region,
 * round and format for a few minutes; it is made when someone asks for it, not put on a card
 * that stays in the chat.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Lang } from "../domain/calendar.js";
import { ROUNDS, type Round } from "../domain/process.js";
import { regionById } from "../domain/regions.js";
import type { RoundSummary } from "../domain/report-summary.js";
import { EXPORT_FORMATS, renderExport, type ExportFile, type ExportFormat } from "../exports/index.js";
import { checkLink, signedQuery } from "../exports/links.js";

export { DEFAULT_REPORT_LINK_MINUTES } from "../exports/links.js";
import { REPORT_LINK_SECRET_ID, ReportLinkSecretDocumentSchema, SYSTEM_PARTITION, type ReportLinkSecretDocument } from "../store/records.js";
import { StoreConflictError, type DocumentStore } from "../store/store.js";
import type { Clock } from "./clock.js";

export interface ReportLinkSettings {
  /** The app's public address (PUBLIC_BASE_URL); without it no links are made, the file card still works. */
  baseUrl?: string;
  minutes: number;
  /** REPORT_LINK_SECRET; without it a secret is made once and kept in the store. */
  secret?: string;
}

export interface ExportRequest {
  regionId: string;
  year: number;
  round: Round;
  format: ExportFormat;
  lang: Lang;
}

export interface DownloadLink {
  format: ExportFormat;
  url: string;
}

export type DownloadAnswer = { kind: "file"; file: ExportFile } | { kind: "refused"; status: 400 | 403 | 404; code: string; message: string };

export interface ReportExports {
  readonly linkMinutes: number;
  /** The file of one round; undefined when the region's cycle has no such round. */
  file(request: ExportRequest): Promise<ExportFile | undefined>;
  /** Fresh signed links, one per format; undefined when the app has no public address. */
  links(request: Omit<ExportRequest, "format">): Promise<DownloadLink[] | undefined>;
  /** What a download link's query gets: the file, or why not (expired, tampered with, no such round). */
  download(query: URLSearchParams): Promise<DownloadAnswer>;
}

export interface ReportExportsDeps {
  store: DocumentStore;
  clock: Clock;
  summary(regionId: string, year: number, round: Round): Promise<RoundSummary | undefined>;
  links: ReportLinkSettings;
}

/** The signed values of a valid link, checked once more: they were made by this app, so this fails only on a changed secret's leftovers. */
const SignedClaims = z.object({
  region: z.string().refine((id) => regionById(id) !== undefined),
  year: z.coerce.number().int().min(2000).max(2999),
  round: z.enum(ROUNDS),
  format: z.enum(EXPORT_FORMATS),
  lang: z.enum(["nb", "nn", "en"]),
});

export function createReportExports(deps: ReportExportsDeps): ReportExports {
  let secret: Promise<string> | undefined;
  const signingSecret = (): Promise<string> => {
    if (deps.links.secret) return Promise.resolve(deps.links.secret);
    // Kept for the process's life; a failed read is not remembered, the next link tries again.
    secret ??= storedSecret(deps.store, deps.clock).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return secret;
  };

  const file = async (request: ExportRequest): Promise<ExportFile | undefined> => {
    const summary = await deps.summary(request.regionId, request.year, request.round);
    return summary ? renderExport(request.format, summary, { madeAt: deps.clock().toISO()! }, request.lang) : undefined;
  };

  return {
    linkMinutes: deps.links.minutes,
    file,
    async links(request) {
      const base = deps.links.baseUrl;
      if (!base) return undefined;
      const key = await signingSecret();
      const expires = Math.floor(deps.clock().toSeconds()) + deps.links.minutes * 60;
      return EXPORT_FORMATS.map((format) => ({
        format,
        url: `${base.replace(/\/+$/, "")}/api/reports/download?${signedQuery(key, { ...request, format, expires }).toString()}`,
      }));
    },
    async download(query) {
      const check = checkLink(await signingSecret(), query, Math.floor(deps.clock().toSeconds()));
      if (!check.ok) {
        return check.reason === "expired"
          ? { kind: "refused", status: 403, code: "LINK_EXPIRED", message: "this download link has expired; ask Samhandling for the report again" }
          : { kind: "refused", status: 403, code: "LINK_INVALID", message: "this download link is not valid" };
      }
      const claims = SignedClaims.safeParse(check.claims);
      if (!claims.success) return { kind: "refused", status: 400, code: "LINK_INVALID", message: "this download link is not valid" };
      const { region, ...rest } = claims.data;
      const made = await file({ regionId: region, ...rest });
      return made ? { kind: "file", file: made } : { kind: "refused", status: 404, code: "ROUND_NOT_FOUND", message: "the region's cycle has no such report round" };
    },
  };
}

/** The stored signing secret, made by whichever instance comes first (created only if absent). */
async function storedSecret(store: DocumentStore, clock: Clock): Promise<string> {
  const key = { partition: SYSTEM_PARTITION, id: REPORT_LINK_SECRET_ID } as const;
  const found = await store.read(key);
  if (found) return ReportLinkSecretDocumentSchema.parse(found.doc).secret;
  const doc: ReportLinkSecretDocument = { ...key, type: "report-link-secret", schemaVersion: 1, secret: randomBytes(32).toString("base64url"), createdAt: clock().toISO()! };
  try {
    await store.write(doc, { ifAbsent: true });
    return doc.secret;
  } catch (error) {
    // Another instance made it in the meantime: sign with theirs, so links work on every instance.
    if (!(error instanceof StoreConflictError)) throw error;
    const theirs = await store.read(key);
    if (!theirs) throw error;
    return ReportLinkSecretDocumentSchema.parse(theirs.doc).secret;
  }
}
