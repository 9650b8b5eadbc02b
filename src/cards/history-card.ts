/**
 * The "historikk" card: the audit trail of a region (or the national track), one compact block
 * per change — when (Oslo time) and who, what was recorded, and its values — newest first, with
 * «Nyere» / «Eldre» buttons (Action.Execute `history.page`).
 */
import { DateTime } from "luxon";
import type { AgreementHistoryEntry, HistoryEntry, HistoryPage, TrailEntry } from "../app/history.js";
import { formatDate, formatDateTime, type Lang } from "../domain/calendar.js";
import type { DomainEvent, EventData } from "../domain/events.js";
import type { MeetingId } from "../domain/process.js";
import { AGENCIES, NATIONAL, regionById, type AgencyId } from "../domain/regions.js";
import { hasMessage, translator, type MessageKey, type Translate } from "../i18n/index.js";
import { cardBytes, expandTemplate, MAX_CARD_BYTES, notAListItem, noTemplate, userName, userText, type AdaptiveCard } from "./templates.js";

/** The step a meeting event is about, for its name ("Nasjonalt temamøte vår", "Innkalling til regionalt vårmøte"). */
const MEETING_STEP: Record<MeetingId, string> = {
  "national-spring": "national-spring-meeting",
  "national-autumn": "national-autumn-meeting",
  "regional-spring": "regional-spring-meeting",
  "regional-autumn": "regional-autumn-meeting",
};

/** What a person reads of one entry. */
export interface EntryText {
  /** "17. mars 2027 kl. 10.00 · Kari Nordmann" */
  header: string;
  /** "Nasjonalt temamøte vår holdt 10. mars 2027" */
  what: string;
  /** "Politisk organ: Fylkesutvalet", "Saksnummer: 2027/1234", … */
  values: string[];
  /** "↩️ Angret 17. mars 2027 kl. 10.05 av Kari Nordmann", or "" */
  undone: string;
}

export function renderHistoryCard(view: HistoryPage, lang: Lang): AdaptiveCard {
  const card = expandTemplate("history", historyCardData(view, lang, false));
  // Ten entries with the longest links and places allowed stay under 28 KB; should they not, links lose their targets.
  return cardBytes(card) <= MAX_CARD_BYTES ? card : expandTemplate("history", historyCardData(view, lang, true));
}

function historyCardData(view: HistoryPage, lang: Lang, compact: boolean) {
  const t = translator(lang);
  const region = view.regionId === NATIONAL ? undefined : regionById(view.regionId);
  const years = yearsText(view.years, lang);
  return {
    title: region ? t("history.title", { region: region.name }) : t("history.titleNational"),
    subtitle: t("history.subtitle", { years, total: view.total }),
    note: region ? t("history.regionNote") : "",
    empty: t("history.empty", { years }),
    emptyHint: t("history.emptyHint"),
    entries: view.entries.map((entry) => {
      const text = describeEntry(entry, lang, { compact });
      return { ...text, values: text.values.map((line) => ({ line })) };
    }),
    pageText: view.pageCount > 1 ? t("history.page", { page: view.page, pages: view.pageCount }) : "",
    regionId: view.regionId,
    newerPage: view.page > 1 ? view.page - 1 : 0,
    olderPage: view.page < view.pageCount ? view.page + 1 : 0,
    newerTitle: t("history.newer"),
    olderTitle: t("history.older"),
  };
}

/** One entry in words. User-typed text (names, places, bodies, case numbers) is shown as typed, never as Markdown. */
export function describeEntry(entry: TrailEntry, lang: Lang, options: { compact?: boolean } = {}): EntryText {
  const t = translator(lang);
  if ("kind" in entry) return describeAgreementEntry(entry, lang, t);
  const { event } = entry;
  const undone = entry.undoneBy ? t("history.undone", { when: when(entry.undoneBy, lang), name: who(entry.undoneBy, t) }) : "";
  const header = notAListItem(t("history.header", { when: when(event, lang), name: who(event, t) }));
  if (event.data.type === "event-undone") {
    const what = entry.undoes ? t("history.what.event-undone", { what: describeData(entry.undoes.data, entry, lang, t, options).what }) : t("history.what.event-undone-unknown");
    return { header, what, values: [], undone };
  }
  return { header, ...describeData(event.data, entry, lang, t, options), undone };
}

/**
 * The sentence the trail says of a change ("Regionalt dialogmøte vår planlagt 3. juni 2027"). The
 * banner after saving says the very same, so the two cannot drift apart. `where`: the aggregate
 * the event is in (a region's signature names its county authority) and its cycle year.
 */
export function eventSentence(data: EventData, where: Pick<HistoryEntry, "aggregateId" | "year">, lang: Lang): string {
  return describeData(data, where, lang, translator(lang), {}).what;
}

function describeData(data: EventData, entry: Pick<HistoryEntry, "aggregateId" | "year">, lang: Lang, t: Translate, options: { compact?: boolean }): { what: string; values: string[] } {
  const next = entry.year + 1;
  const step = (id: string) => t(`step.${id}` as MessageKey, { next, year: entry.year });
  const date = "date" in data ? formatDate(data.date, lang) : "";
  const value = (label: MessageKey, text: string) => `${t(label)}: ${text}`;
  switch (data.type) {
    case "meeting-planned":
      return {
        what: t("history.what.meeting-planned", { meeting: step(`${MEETING_STEP[data.meeting]}-held`), date }),
        values: data.place ? [value("form.field.place", userText(data.place))] : [],
      };
    case "invitations-sent":
      return { what: t("history.what.invitations-sent", { step: step(`${MEETING_STEP[data.meeting]}-convened`), date }), values: [] };
    case "meeting-held":
      return {
        what: t("history.what.meeting-held", { meeting: step(`${MEETING_STEP[data.meeting]}-held`), date }),
        values: [
          ...(data.parts?.experiences ? [`✔ ${t("form.field.experiences")}`] : []),
          ...(data.parts?.opportunities ? [`✔ ${t("form.field.opportunities")}`] : []),
        ],
      };
    case "follow-up-report-submitted":
      return { what: t("history.what.follow-up-report-submitted", { step: step(`follow-up-report-${data.round}`), agency: AGENCIES[data.agency].name, date }), values: [] };
    case "follow-up-report-waived":
      return {
        what: t("history.what.follow-up-report-waived", { step: step(`follow-up-report-${data.round}`), agency: AGENCIES[data.agency].name }),
        values: [value("report.field.reason", userText(data.reason))],
      };
    case "draft-agreement-ready":
      return { what: t("history.what.draft-agreement-ready", { step: step("draft-agreement-ready"), date }), values: data.link ? [value("form.field.link", link(data.link, options.compact))] : [] };
    case "political-treatment-recorded":
      return {
        what: t("history.what.political-treatment-recorded", { step: step("political-treatment"), outcome: lowerFirst(t(`outcome.${data.outcome}`)), date }),
        values: [value("form.field.body", userText(data.body)), value("form.field.caseNumber", userText(data.caseNumber))],
      };
    case "state-budget-adopted":
      return { what: t("history.what.state-budget-adopted", { step: step("state-budget-adopted"), date }), values: [] };
    case "allocation-letter-received":
      return { what: t("history.what.allocation-letter-received", { next, agency: AGENCIES[data.agency].name, date }), values: [] };
    case "regional-budget-adopted":
      return { what: t("history.what.regional-budget-adopted", { step: step("regional-budget-adopted"), date }), values: [] };
    case "agreement-signed": {
      const party = data.party === "region" ? (regionById(entry.aggregateId)?.authority ?? t("role.region-coordinator.national")) : AGENCIES[data.party].name;
      return { what: t("history.what.agreement-signed", { next, party, date }), values: [] };
    }
    case "commission-agreement-sent":
      return { what: t("history.what.commission-agreement-sent", { next, agency: AGENCIES[data.agency].name, date }), values: [] };
    case "step-completed": {
      // A model file's own step: its title (from the file's words, i18n installModelTexts), and the party it was done for.
      const party = data.party === undefined ? undefined : data.party === "region" ? (regionById(entry.aggregateId)?.authority ?? t("role.region-coordinator.national")) : AGENCIES[data.party].name;
      // A step since taken out of the model file keeps its trail entry, under its id.
      const title = hasMessage(lang, `step.${data.step}`) ? step(data.step) : data.step;
      return { what: t("history.what.step-completed", { step: party ? `${title} – ${party}` : title, date }), values: [] };
    }
    case "regional-plan-recorded":
      return {
        what: t("history.what.regional-plan-recorded", { from: data.from, to: data.to }),
        values: [...(data.title ? [value("form.field.title", userText(data.title))] : []), ...(data.link ? [value("form.field.planLink", link(data.link, options.compact))] : [])],
      };
    case "action-plan-recorded":
      return { what: t("history.what.action-plan-recorded", { year: entry.year, date }), values: data.link ? [value("form.field.planLink", link(data.link, options.compact))] : [] };
    case "event-undone":
      // An undo of an undo is not something the app records; said plainly should one turn up.
      return { what: t("history.what.event-undone-unknown"), values: [] };
  }
}

/** An agreement's change (§2.1): its parties, or a task added, changed, removed or copied. */
function describeAgreementEntry(entry: AgreementHistoryEntry, lang: Lang, t: Translate): EntryText {
  const { event, year } = entry;
  const { data } = event;
  const header = notAListItem(t("history.header", { when: when(event, lang), name: who(event, t) }));
  const names = (ids: readonly AgencyId[]) => ids.map((a) => AGENCIES[a].name).join(", ");
  switch (data.type) {
    case "parties-set":
      return {
        header,
        what: t("agreement.history.parties-set", { year, parties: names(data.partyAgencies) }),
        values: [t("agreement.commission", { agencies: data.commissionAgencies.length > 0 ? names(data.commissionAgencies) : t("agreement.commission.none") })],
        undone: "",
      };
    case "task-added":
    case "task-edited":
      return { header, what: t(`agreement.history.${data.type}`, { year, title: userText(data.task.title) }), values: [], undone: "" };
    case "task-removed":
      return { header, what: t("agreement.history.task-removed", { year, title: userText(entry.taskTitle ?? data.taskId) }), values: [], undone: "" };
    case "tasks-copied":
      return { header, what: t("agreement.history.tasks-copied", { count: data.tasks.length, from: data.fromYear, year }), values: [], undone: "" };
  }
}

function when(event: Pick<DomainEvent, "recordedAt">, lang: Lang): string {
  return formatDateTime(DateTime.fromISO(event.recordedAt), lang);
}

function who(event: Pick<DomainEvent, "by">, t: Translate): string {
  return event.by.name.trim() ? userName(event.by.name) : t("history.unknownName");
}

/**
 * A link to the draft: clickable, shown without its protocol and shortened. Parentheses in the
 * address are encoded so that they do not end the Markdown link. Compact: the shortened text only.
 */
function link(href: string, compact = false): string {
  const label = userText(shorten(href.replace(/^https?:\/\//i, ""), 60));
  if (compact) return label;
  let url: string;
  try {
    url = new URL(href).href;
  } catch {
    return label;
  }
  if (!/^https?:$/i.test(new URL(url).protocol)) return label;
  return `[${label}](${noTemplate(url.replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/ /g, "%20"))})`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase("nb") + text.slice(1);
}

/** "2026 og 2027" / "2026 and 2027": the cycle years shown, each named (a range "2025–2027" read as a span nobody could place). */
function yearsText(years: readonly number[], lang: Lang): string {
  return new Intl.ListFormat(lang, { type: "conjunction" }).format(years.map(String));
}
