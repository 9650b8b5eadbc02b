/**
 * The meeting papers (issue 10, "Export for the meeting papers and the archive"), each parsed back
 * the way its reader would: the CSV by a CSV parser as Norwegian Excel reads it, the .docx opened
 * as a zip and its text read, the Markdown as text whose person-written parts stay text.
 */
import { parse } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/exports/csv.js";
import { toDocx } from "../../src/exports/docx.js";
import { renderExport } from "../../src/exports/index.js";
import { toMarkdown } from "../../src/exports/markdown.js";
import { exportFileName } from "../../src/exports/paper.js";
import { docxText } from "./read-back.js";
import { autumnSummary, MADE_AT, springSummary } from "./summary-fixture.js";

const context = { madeAt: MADE_AT };


describe("CSV for Norwegian Excel", () => {
  const csv = toCsv(springSummary(), context, "nb");
  const rows: string[][] = parse(csv, { delimiter: ";", bom: true, relax_column_count: false });

  it("is UTF-8 with a byte order mark, semicolons and CRLF line ends", () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split("\r\n")[0]).toBe("\uFEFFNr.;Oppgave;Part;Status;Kommentar;Svart av;Svart;For sent");
    expect(csv.endsWith("\r\n")).toBe(true);
    // Every record ends in CRLF; a bare LF is only ever inside a quoted comment.
    const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, "");
    expect(outsideQuotes.match(/(?<!\r)\n/g)).toBeNull();
    expect(csv).toContain('"Tre nye klynger.\nEn til på vei."');
  });

  it("has one row per answer with who answered, when (Norwegian date) and whether late, and a row for each missing answer or agency that will not report", () => {
    expect(rows).toEqual([
      ["Nr.", "Oppgave", "Part", "Status", "Kommentar", "Svart av", "Svart", "For sent"],
      ["1", "Klyngeprogram; fase 2", "Innovasjon Norge", "i rute", "Tre nye klynger.\nEn til på vei.", "Ingrid Innovasjon", "12.04.2027 09:00", "nei"],
      ["1", "Klyngeprogram; fase 2", "SIVA", "forsinket", "'+47 prosjekter venter; \"neste\" runde", "Sindre Siva", "15.04.2027 08:05", "ja"],
      ["2", "Forskningsløft for havbruk", "Forskningsrådet", "ikke svart", "", "", "", ""],
      // The forms' word for the status (report.status.done «Fullført»), not a second one.
      ["3", "'-Inkubator i Sogn", "SIVA", "fullført", "'@alle: ferdig", "Sindre Siva", "15.04.2027 08:05", "ja"],
      // RFF will not report: its task still has its row, with the reason.
      ["4", "Regionale forskningsfond: felles utlysning", "RFF", "vil ikke rapportere", "Ordningen er avviklet i fylket", "", "", ""],
    ]);
  });

  it("lists every task of the agreement, even one whose only responsible agency will not report", () => {
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(springSummary().tasks.map((_, i) => String(i + 1))));
    const en: string[][] = parse(toCsv(springSummary(), context, "en"), { delimiter: ";", bom: true });
    expect(en.at(-1)!.slice(2, 5)).toEqual(["RFF", "will not report", "Ordningen er avviklet i fylket"]);
    expect(en[4]![3]).toBe("done");
  });

  it("defuses every cell that Excel would run as a formula", () => {
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("speaks nynorsk and English too", () => {
    expect(toCsv(springSummary(), context, "nn").split("\r\n")[0]).toContain("Oppgåve");
    const en: string[][] = parse(toCsv(springSummary(), context, "en"), { delimiter: ";", bom: true });
    expect(en[0]).toEqual(["No.", "Task", "Party", "Status", "Comment", "Answered by", "Answered", "Late"]);
    expect(en[3]![3]).toBe("not answered");
  });
});

describe("Markdown", () => {
  const md = toMarkdown(springSummary(), context, "nb");

  it("lists the agreement, the round, the meeting, who answered when, who did not, and the case number", () => {
    expect(md).toContain("# Oppfølging av samarbeidsavtalen – Vestland, vår 2027");
    expect(md).toContain("- **Parter:** Vestland fylkeskommune, Innovasjon Norge, SIVA, Forskningsrådet, RFF");
    expect(md).toContain("- **Saksnummer, politisk behandling:** 2026/4711");
    expect(md).toContain("- **Frist for rapportene:** 13. april 2027");
    expect(md).toContain("- **Regionalt dialogmøte:** 20. april 2027");
    expect(md).toContain("- **Innovasjon Norge:** levert 12. april 2027 kl. 09.00 av Ingrid Innovasjon · 2 innleveringer");
    expect(md).toContain("- **SIVA:** levert for sent 15. april 2027 kl. 08.05 av Sindre Siva");
    expect(md).toContain("- **Forskningsrådet:** ikke levert");
    expect(md).toContain("- **RFF:** vil ikke rapportere: Ordningen er avviklet i fylket");
    expect(md).toContain("- **Innovasjon Norge:** i rute – Ingrid Innovasjon, 12. april 2027 kl. 09.00 · forrige runde: forsinket");
    expect(md).toContain("  > Tre nye klynger.\n  > En til på vei.");
    expect(md).toContain("- **Klyngeprogram; fase 2:** Innovasjon Norge: forsinket → i rute");
    expect(md).toContain("- **Innovasjon Norge:** 10. april 2027 kl. 14.30 – Ingrid Innovasjon");
    expect(md).toContain("- **SIVA:** 15. april 2027 kl. 08.05 – Sindre Siva (for sent)");
    expect(md).toContain("Forventninger til utfordringer og utviklingstrekk i regionen neste år");
    expect(md).toContain("- **SIVA:** fullført – Sindre Siva, 15. april 2027 kl. 08.05");
    expect(md).not.toMatch(/:\*\* ferdig/);
  });

  it("every task has a line for each responsible agency: the one that will not report says so under the task too", () => {
    const task4 = md.slice(md.indexOf("### 4. Regionale forskningsfond"), md.indexOf("## Endret siden forrige runde"));
    expect(task4).toContain("- **RFF:** vil ikke rapportere: Ordningen er avviklet i fylket");
  });

  it("the first round with reports says there is nothing to compare with, not that nothing changed", () => {
    const first = toMarkdown({ ...springSummary(), changed: [], previousReported: false }, context, "nb");
    expect(first).toContain("## Endret siden forrige runde\n\nFørste runde med rapporter – ingenting å sammenligne med.");
    expect(first).not.toContain("Ingen oppgaver har endret status");
    expect(toMarkdown({ ...springSummary(), changed: [] }, context, "nb")).toContain("Ingen oppgaver har endret status siden forrige runde.");
  });

  it("a meeting whose day has passed unrecorded is not promised as still to come", () => {
    const unrecorded = toMarkdown({ ...springSummary(), meetingUnrecorded: true }, context, "nb");
    expect(unrecorded).toContain("- **Status for runden:** fristen er ute, og møtet er ikke registrert som holdt; svar tas imot, merket for sent, til det er registrert");
    expect(md).toContain("- **Status for runden:** fristen er ute; svar tas imot, merket for sent, til møtet er holdt");
  });

  it("keeps person-written Markdown as text: no link, no heading, no list", () => {
    expect(md).toContain("> \\[klikk her\\](https://evil.example)");
    expect(md).toContain("> \\=HYPERLINK");
    expect(md).not.toMatch(/^\s*>?\s*#+ Ikke/m);
    expect(md).toContain("> \\# Ikke en overskrift");
    expect(md).toContain("### 3. -Inkubator i Sogn");
  });

  it("autumn: the stances on next year's draft and whether it is omforent", () => {
    const autumn = toMarkdown(autumnSummary(), context, "nb");
    // §3: all parties must agree; RFF does not report this round, so it has not, and the papers say why.
    // Who said no is named (§3: the region needs to know whom to talk to before political treatment).
    expect(autumn).toContain("- **Omforent:** nei – ikke alle partene er enige ennå. SIVA er ikke enig i utkastet. RFF rapporterer ikke denne runden.");
    expect(autumn).toContain("Syn på utkastet til samarbeidsavtale 2028 (§ 3.2):** ✔ enig, med merknader");
    expect(autumn).toContain("- **Regionalt dialogmøte:** 17. november 2027 (holdt)");
    expect(autumn).not.toContain("Forventninger til utfordringer");
  });
});

describe(".docx for the case file", () => {
  it("opens as a zip whose document holds the papers' text, in the reader's language", async () => {
    const bytes = await toDocx(springSummary(), context, "nn");
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(["[Content_Types].xml", "word/document.xml", "docProps/core.xml"]));
    const text = docxText(bytes);
    expect(text).toContain("Oppfølging av samarbeidsavtalen – Vestland, vår 2027");
    expect(text).toContain("Saksnummer, politisk handsaming: 2026/4711");
    expect(text).toContain("Innovasjon Norge: levert 12. april 2027 kl. 09.00 av Ingrid Innovasjon · 2 innleveringar");
    expect(text).toContain("SIVA: levert for seint 15. april 2027 kl. 08.05 av Sindre Siva");
    expect(text).toContain("Forskningsrådet: ikkje levert");
    expect(text).toContain("Tre nye klynger.\nEn til på vei.");
    expect(text).toContain("# Ikke en overskrift\n[klikk her](https://evil.example)");
    // The forms' status word (nynorsk «Fullført»), and RFF's task listed with its «vil ikkje rapportere».
    expect(text).toContain("SIVA: fullført – Sindre Siva, 15. april 2027 kl. 08.05");
    expect(text).toContain("4. Regionale forskningsfond: felles utlysning\nAnsvar: RFF\nRFF: vil ikkje rapportere: Ordningen er avviklet i fylket");
    expect(strFromU8(files["docProps/core.xml"]!)).toContain("Oppfølging av samarbeidsavtalen – Vestland, vår 2027");
  });
});

describe("the file", () => {
  it("is named for the region, year and round, with the format's content type", async () => {
    expect(exportFileName("46", 2027, "spring", "docx")).toBe("oppfolging-vestland-2027-var.docx");
    expect(exportFileName("15", 2027, "autumn", "csv")).toBe("oppfolging-more-og-romsdal-2027-host.csv");
    const csv = await renderExport("csv", springSummary(), context, "nb");
    expect(csv).toMatchObject({ name: "oppfolging-vestland-2027-var.csv", contentType: "text/csv; charset=utf-8" });
    const docx = await renderExport("docx", springSummary(), context, "en");
    expect(docx.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(docxText(docx.bytes)).toContain("Follow-up of the cooperation agreement – Vestland, spring 2027");
  });
});
