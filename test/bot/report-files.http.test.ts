// @vitest-environment jsdom
/**
 * The meeting papers as a Teams file in a 1:1 chat (issue 10: "a file card in a 1:1 chat (Teams
 * file consent, supportsFiles in the manifest)"), through real HTTP: «Last ned» → the bot posts a
 * file consent card; «Tillat» → a `fileConsent/invoke` with an upload address, the bot PUTs the
 * file there (the fake connector stands for OneDrive) and posts the file card; «Avslå» → nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkCard } from "../support/card-check.js";
import { BOT, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";
import { docxText } from "../exports/read-back.js";
import { ROUND, seedSpringRound } from "../exports/seed-round.js";

const VIEWER = { aadObjectId: "00000000-0000-0000-0000-0000000000f8", name: "Vera Viewer" };
const CHAT = `conv-${VIEWER.aadObjectId}`;
const CONTENT_URL = "https://contoso-my.sharepoint.com/personal/vera/Documents/Applications/Samhandling/oppfolging-vestland-2027-var.docx";

describe("«Last ned» in a 1:1 chat: the file card (Vestland, spring 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-04-15T10:00:00+02:00" });
    await seedSpringRound(h.samhandling.store);
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.connector.posted.length = 0;
    h.connector.uploads.length = 0;
    h.connector.uploadStatus = 201;
  });

  /** Teams' answer to the consent card: «Tillat» (accept, with where to upload) or «Avslå». */
  const consent = (action: "accept" | "decline", context: unknown, uploadUrl = `${h.connector.url}upload/${randomUUID()}`) =>
    h.post({
      type: "invoke",
      name: "fileConsent/invoke",
      id: randomUUID(),
      channelId: "msteams",
      serviceUrl: h.connector.url,
      locale: "nb-NO",
      conversation: { id: CHAT, conversationType: "personal", tenantId: "tenant-1" },
      from: { id: `29:${VIEWER.aadObjectId}`, aadObjectId: VIEWER.aadObjectId, name: VIEWER.name },
      recipient: BOT,
      replyToId: "consent-card-1",
      value: {
        type: "fileUpload",
        action,
        context,
        ...(action === "accept" ? { uploadInfo: { name: "oppfolging-vestland-2027-var.docx", uploadUrl, contentUrl: CONTENT_URL, uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C9D", fileType: "docx" } } : {}),
      },
    });

  async function offer(format = "docx") {
    const summary = (await invoke(h, VIEWER, "report.summary", ROUND)).card;
    const button = executeActions(summary).find((a) => a.verb === "report.export" && a.data.format === format)!;
    return invoke(h, VIEWER, "report.export", button.data);
  }

  it("offers the file with a consent card, and the clicked card says what to do and offers the other formats", async () => {
    const answer = await offer();
    expect(cardText(answer.card)).toContain("«oppfolging-vestland-2027-var.docx» kommer i chatten nedenfor. Trykk «Tillat» for å lagre filen i OneDrive.");
    expect(executeActions(answer.card).filter((a) => a.verb === "report.export").map((a) => [a.title, a.data.format])).toEqual([
      ["Excel (CSV)", "csv"],
      ["Markdown", "md"],
    ]);
    checkCard(answer.card);

    const posted = h.connector.to(CHAT);
    expect(posted).toHaveLength(1);
    const card = posted[0]!.activity.attachments![0]!;
    expect(card.contentType).toBe("application/vnd.microsoft.teams.card.file.consent");
    expect((card as { name?: string }).name).toBe("oppfolging-vestland-2027-var.docx");
    expect(card.content.description).toBe("Oppfølgingsrapporter for Vestland, vår 2027");
    expect(card.content.sizeInBytes).toBeGreaterThan(1000);
    expect(card.content.acceptContext).toEqual({ ...ROUND, format: "docx", lang: "nb" });
    expect(card.content.declineContext).toEqual(card.content.acceptContext);
  });

  it("«Tillat»: the file goes to the upload address whole, it opens as the papers, and the file card is posted", async () => {
    await offer();
    const context = h.connector.to(CHAT)[0]!.activity.attachments![0]!.content.acceptContext;
    const response = await consent("accept", context);
    expect(response.status).toBe(200);

    expect(h.connector.uploads).toHaveLength(1);
    const upload = h.connector.uploads[0]!;
    expect(upload.headers["content-range"]).toBe(`bytes 0-${upload.bytes.length - 1}/${upload.bytes.length}`);
    expect(Number(upload.headers["content-length"])).toBe(upload.bytes.length);
    const text = docxText(upload.bytes);
    expect(text).toContain("Oppfølging av samarbeidsavtalen – Vestland, vår 2027");
    expect(text).toContain("SIVA: levert for sent 14. april 2027 kl. 09.00 av Siri Sivertsen");
    expect(text).not.toContain("UTKAST");

    const info = h.connector.to(CHAT).at(-1)!.activity.attachments![0]! as { contentType: string; name?: string; contentUrl?: string; content: any };
    expect(info.contentType).toBe("application/vnd.microsoft.teams.card.file.info");
    expect(info.name).toBe("oppfolging-vestland-2027-var.docx");
    expect(info.contentUrl).toBe(CONTENT_URL);
    expect(info.content).toEqual({ uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C9D", fileType: "docx" });
  });

  it("«Avslå»: nothing is uploaded and nothing more is said", async () => {
    await offer("csv");
    const context = h.connector.to(CHAT)[0]!.activity.attachments![0]!.content.declineContext;
    h.connector.posted.length = 0;
    expect((await consent("decline", context)).status).toBe(200);
    expect(h.connector.uploads).toEqual([]);
    expect(h.connector.to(CHAT)).toEqual([]);
  });

  it("a failed upload is told to the person; Teams still gets 200", async () => {
    h.connector.uploadStatus = 500;
    const response = await consent("accept", { ...ROUND, format: "md", lang: "nn" });
    expect(response.status).toBe(200);
    expect(h.connector.to(CHAT).at(-1)!.activity.text).toBe("Eg fekk ikkje lagra «oppfolging-vestland-2027-var.docx» i OneDrive. Prøv igjen om litt.");
  });

  it("refuses a consent whose context was tampered with, or an upload address off https, and uploads nothing", async () => {
    const bad = await consent("accept", { ...ROUND, regionId: "99", format: "docx", lang: "nb" });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: "INVALID_FILE_CONSENT" } });
    const elsewhere = await consent("accept", { ...ROUND, format: "docx", lang: "nb" }, "http://169.254.169.254/upload/x");
    expect(elsewhere.status).toBe(400);
    expect(h.connector.uploads).toEqual([]);
    expect(h.connector.to(CHAT)).toEqual([]);
  });
});
