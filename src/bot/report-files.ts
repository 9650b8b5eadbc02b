/**
 * The meeting papers as a Teams file (issue 10): in a 1:1 chat the bot offers the file with a
 * file consent card; when the person allows it, Teams answers with a `fileConsent/invoke` that
 * carries an upload address in their OneDrive, the bot PUTs the file there and posts the file
 * card. Teams offers this to bots in personal chats only (manifest `supportsFiles`); channels get
 * signed download links instead (report-export-actions.ts).
 *
 * The file is made again on «Tillat», from what the consent card carried (region, year, round,
 * format, language): nothing is kept between the two turns, and it holds what was submitted by then.
 */
import type { InvokeResponse, TurnContext } from "botbuilder";
import { z } from "zod";
import type { App } from "../app/app.js";
import { ROUNDS } from "../domain/process.js";
import { EXPORT_FORMATS } from "../exports/index.js";
import { regionDisplayName } from "../exports/paper.js";
import { translator } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { RegionId, Year } from "./card-data.js";

const FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent";
const FILE_INFO = "application/vnd.microsoft.teams.card.file.info";
/** How long the upload to OneDrive may take before the person is told it failed. */
const UPLOAD_TIMEOUT_MS = 30_000;

/** What the consent card carries back to the bot (its accept and decline context). */
export const ExportFileContext = z.object({ regionId: RegionId, year: Year, round: z.enum(ROUNDS), format: z.enum(EXPORT_FORMATS), lang: z.enum(["nb", "nn", "en"]) });
export type ExportFileContext = z.infer<typeof ExportFileContext>;

export interface FileOffer {
  name: string;
  size: number;
  description: string;
  context: ExportFileContext;
}

/** Posts the file consent card: Teams shows the file's name and size with «Tillat» and «Avslå». */
export async function offerFile(context: TurnContext, offer: FileOffer): Promise<void> {
  await context.sendActivity({
    type: "message",
    attachments: [
      {
        contentType: FILE_CONSENT,
        name: offer.name,
        content: { description: offer.description, sizeInBytes: offer.size, acceptContext: offer.context, declineContext: offer.context },
      },
    ],
  });
}

/** What Teams sends on «Tillat»/«Avslå»; also checked at the HTTP edge (invokes.ts). */
export const ConsentAnswer = z.object({
  action: z.enum(["accept", "decline"]),
  context: z.unknown(),
  uploadInfo: z
    .object({
      name: z.string().min(1).max(300),
      uploadUrl: z.url({ protocol: /^https?$/ }),
      contentUrl: z.string().min(1),
      uniqueId: z.string().optional(),
      fileType: z.string().optional(),
    })
    .optional(),
});

const refused = (message: string): InvokeResponse => ({ status: 400, body: { error: { code: "INVALID_FILE_CONSENT", message } } });

/**
 * The `fileConsent/invoke`: on «Tillat» the file goes to the upload address and the file card is
 * posted; on «Avslå» nothing more is said. Teams gets 200 either way once the answer is understood;
 * a failed upload is told to the person in their chat, not as an error to Teams.
 */
export async function answerFileConsent(app: App, context: TurnContext, logger?: Logger): Promise<InvokeResponse> {
  const answer = ConsentAnswer.safeParse(context.activity.value);
  if (!answer.success) return refused("expected { action, context, uploadInfo }");
  if (answer.data.action === "decline") return { status: 200 };
  const file = ExportFileContext.safeParse(answer.data.context);
  const upload = answer.data.uploadInfo;
  if (!file.success || !upload) return refused("the consent's context or upload address is missing");
  // Only to OneDrive over https (Teams' own upload address); plain http only to the connector itself (local runs, tests).
  if (!uploadAllowed(upload.uploadUrl, context.activity.serviceUrl)) return refused("the upload address must be https");
  const t = translator(file.data.lang);
  try {
    const made = await app.exports.file(file.data);
    if (!made) {
      await context.sendActivity(t("export.card.unknown", { region: regionDisplayName(file.data.regionId), year: file.data.year }));
      return { status: 200 };
    }
    const size = made.bytes.length;
    const response = await fetch(upload.uploadUrl, {
      method: "PUT",
      // One request for the whole file: the range is all of it (Teams' "upload the file" step).
      headers: { "content-range": `bytes 0-${size - 1}/${size}`, "content-type": made.contentType },
      body: new Uint8Array(made.bytes),
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    if (!response.ok) throw Object.assign(new Error(`upload answered ${response.status}`), { code: `UPLOAD_${response.status}` });
    await context.sendActivity({
      type: "message",
      attachments: [{ contentType: FILE_INFO, name: upload.name, contentUrl: upload.contentUrl, content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? made.name.split(".").pop() } }],
    });
  } catch (error) {
    logger?.warn({ err: error, code: (error as { code?: unknown } | null)?.code, conversationId: context.activity.conversation?.id }, "could not upload the report file");
    await context.sendActivity(t("export.file.failed", { file: upload.name }));
  }
  return { status: 200 };
}

function uploadAllowed(uploadUrl: string, serviceUrl: string | undefined): boolean {
  const target = new URL(uploadUrl);
  if (target.protocol === "https:") return true;
  try {
    return serviceUrl !== undefined && new URL(serviceUrl).origin === target.origin;
  } catch {
    return false;
  }
}
