/**
 * The agreement card (§2.1, §3.3): the parties, who gets a commission agreement, and the concrete
 * tasks compactly (title, responsible, indicator), with the coordinator's buttons; and its forms:
 * one task, many tasks pasted with a preview, and the parties. Everything typed is shown as typed.
 */
import type { AgreementView, PastePreview } from "../app/agreements.js";
import { AGREEMENT_LIMITS, type AgreementParties, type AgreementTask, type PastedLine, type TaskParty } from "../domain/agreement.js";
import type { Lang } from "../domain/calendar.js";
import { AGENCIES, AGENCY_IDS, regionById } from "../domain/regions.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { cardBytes, expandTemplate, MAX_CARD_BYTES, noTemplate, userText, type AdaptiveCard } from "./templates.js";

export interface Notice {
  text: string;
  style: "good" | "attention" | "default";
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function partyName(party: TaskParty, regionId: string): string {
  return party === "region" ? (regionById(regionId)?.authority ?? party) : AGENCIES[party].name;
}

/**
 * How much of each task the card shows. 40 tasks with every field at its limit would not fit in
 * 28 KB: then descriptions go first, then long titles and indicators are shortened. The full text
 * is always in the task's form.
 */
const DETAIL = [
  { title: AGREEMENT_LIMITS.title, indicator: AGREEMENT_LIMITS.indicator, description: 160 },
  { title: 120, indicator: 80, description: 0 },
  { title: 70, indicator: 0, description: 0 },
] as const;

/**
 * The beginning of a task's title in its row's action title, which is the row's name for screen
 * readers and its hover text (Adaptive Cards: aria-label and title): enough to tell rows apart.
 */
const OPEN_TITLE = 60;

export function renderAgreementCard(view: AgreementView, options: { canChange: boolean; actionId: string; notice?: Notice }, lang: Lang): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const detail of DETAIL) {
    card = expandTemplate("agreement", agreementCardData(view, options, lang, detail));
    if (cardBytes(card) <= MAX_CARD_BYTES) return card;
  }
  return card!;
}

function agreementCardData(view: AgreementView, options: { canChange: boolean; actionId: string; notice?: Notice }, lang: Lang, detail: (typeof DETAIL)[number]) {
  const t = translator(lang);
  const { state } = view;
  const region = regionById(state.regionId)!;
  const subtitle =
    state.year === view.currentYear ? "agreement.subtitle.current" : state.year === view.currentYear + 1 ? "agreement.subtitle.draft" : "agreement.subtitle.other";
  const otherYear = state.year === view.currentYear ? (view.draftYear ?? 0) : view.currentYear;
  const names = (parties: readonly TaskParty[]) => parties.map((p) => partyName(p, state.regionId)).join(", ");
  return {
    title: t("agreement.title", { year: state.year, region: region.name }),
    subtitle: t(subtitle, { year: state.year }),
    notice: options.notice ? noTemplate(options.notice.text) : "",
    noticeStyle: options.notice?.style ?? "default",
    parties: t("agreement.parties", { parties: names(["region", ...state.parties.partyAgencies]) }),
    commission: t("agreement.commission", { agencies: state.parties.commissionAgencies.length > 0 ? names(state.parties.commissionAgencies) : t("agreement.commission.none") }),
    partiesNote: state.partiesSet ? "" : t("agreement.partiesDefault"),
    tasksHeading: t("agreement.tasks", { count: state.tasks.length }),
    empty: t("agreement.empty"),
    tasks: state.tasks.map((task, i) => ({
      id: task.id,
      line: `${i + 1}.\u00A0${userText(shorten(task.title, detail.title))}`,
      meta: [
        t("agreement.responsible", { parties: names(task.responsible) }),
        ...(task.indicator && detail.indicator > 0 ? [t("agreement.indicator", { text: userText(shorten(task.indicator, detail.indicator)) })] : []),
      ].join(" · "),
      description: task.description && detail.description > 0 ? userText(shorten(task.description, detail.description), "block") : "",
      // Each row its own name, not one «Endre oppgave» for all: «Endre oppgave 3: Inkubatorer i distriktene».
      openTitle: noTemplate(t("agreement.task.open", { number: i + 1, title: shorten(task.title, Math.min(detail.title, OPEN_TITLE)) })),
    })),
    hint: options.canChange && state.tasks.length > 0 ? t("agreement.hint") : "",
    canChange: options.canChange,
    buttons: { add: t("agreement.button.add"), paste: t("agreement.button.paste"), parties: t("agreement.button.parties") },
    copy: options.canChange && view.copyFrom ? t("agreement.button.copy", { year: view.copyFrom.year }) : "",
    otherYear,
    otherYearTitle: otherYear === 0 ? "" : t(otherYear > state.year && state.year === view.currentYear ? "agreement.button.draft" : "agreement.button.year", { year: otherYear }),
    regionId: state.regionId,
    year: state.year,
    actionId: options.actionId,
  };
}

export interface TaskForm {
  regionId: string;
  year: number;
  parties: AgreementParties;
  /** Editing this task; absent: a new one. */
  task?: AgreementTask;
  actionId: string;
  error?: string;
  /** What was typed, when the form comes back with an error. */
  values?: Partial<Record<"title" | "description" | "indicator" | "planRef" | "responsible", string>>;
}

export function renderTaskForm(form: TaskForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const region = regionById(form.regionId)!;
  const task = form.task;
  const v = (id: "title" | "description" | "indicator" | "planRef", fallback: string | undefined) => noTemplate(form.values?.[id] ?? fallback ?? "");
  // The county authority and the agreement's parties; an agency no longer a party stays on a task that has it.
  const choices: TaskParty[] = ["region", ...AGENCY_IDS.filter((a) => form.parties.partyAgencies.includes(a) || task?.responsible.includes(a))];
  return expandTemplate("agreement-task", {
    title: t(task ? "agreement.task.titleEdit" : "agreement.task.titleNew", { year: form.year }),
    region: region.name,
    error: noTemplate(form.error ?? ""),
    labels: {
      title: t("agreement.field.title"),
      responsible: t("agreement.field.responsible"),
      description: t("agreement.field.description"),
      indicator: t("agreement.field.indicator"),
      planRef: t("agreement.field.planRef"),
      required: t("form.required"),
    },
    values: {
      title: v("title", task?.title),
      description: v("description", task?.description),
      indicator: v("indicator", task?.indicator),
      planRef: v("planRef", task?.planRef),
      responsible: noTemplate(form.values?.responsible ?? task?.responsible.join(",") ?? ""),
    },
    choices: choices.map((p) => ({ title: partyName(p, form.regionId), value: p })),
    saveTitle: t("form.save"),
    removeTitle: t("agreement.button.remove"),
    cancelTitle: t("form.cancel"),
    regionId: form.regionId,
    year: form.year,
    taskId: task?.id ?? "",
    actionId: form.actionId,
    // Removing is another action than saving: each is recorded once, but both can be done.
    removeActionId: `${form.actionId}-remove`,
  });
}

export interface PasteForm {
  regionId: string;
  year: number;
  text: string;
  actionId: string;
  preview?: Omit<PastePreview, "state">;
  error?: string;
}

export function renderPasteForm(form: PasteForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const lines = form.preview?.lines ?? [];
  const ready = lines.filter((l): l is Extract<PastedLine, { ok: true }> => l.ok);
  const problems = lines.filter((l): l is Extract<PastedLine, { ok: false }> => !l.ok);
  const tooMany = form.preview?.tooManyLines ?? false;
  return expandTemplate("agreement-paste", {
    title: t("agreement.paste.title", { year: form.year }),
    intro: t("agreement.paste.intro"),
    error: noTemplate(form.error ?? (tooMany ? t("agreement.paste.tooMany", { max: AGREEMENT_LIMITS.pasteLines }) : "")),
    label: t("agreement.field.paste"),
    required: t("form.required"),
    text: noTemplate(form.text),
    previewed: form.preview !== undefined,
    readyHeading: t("agreement.paste.ready", { count: ready.length }),
    ready: ready.map((l) => ({ line: `✓ ${userText(shorten(l.title, 90))} – ${l.responsible.map((p) => partyName(p, form.regionId)).join(", ")}` })),
    problemsHeading: t("agreement.paste.problems", { count: problems.length }),
    problems: problems.map((l) => ({ line: `⚠ ${pasteProblem(l, form.year, t)}` })),
    previewTitle: t("agreement.paste.preview"),
    // Saving is offered once a preview shows what would be added.
    saveTitle: form.preview && ready.length > 0 && !tooMany ? t("agreement.paste.save", { count: ready.length }) : "",
    cancelTitle: t("form.cancel"),
    regionId: form.regionId,
    year: form.year,
    actionId: form.actionId,
  });
}

/** «Linje 3: «Innovasjon» er ikke en aktør i avtalen …» */
export function pasteProblem(line: Extract<PastedLine, { ok: false }>, year: number, t: Translate): string {
  return t(`agreement.paste.line.${line.problem}` as MessageKey, { line: line.line, name: userText(shorten(line.name ?? "", 40)), year, max: AGREEMENT_LIMITS.title });
}

export interface PartiesForm {
  regionId: string;
  year: number;
  parties: AgreementParties;
  actionId: string;
  error?: string;
}

export function renderPartiesForm(form: PartiesForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  return expandTemplate("agreement-parties", {
    title: t("agreement.parties.title", { year: form.year, region: regionById(form.regionId)!.name }),
    intro: t("agreement.parties.intro"),
    error: noTemplate(form.error ?? ""),
    labels: { partyAgencies: t("agreement.field.partyAgencies"), commissionAgencies: t("agreement.field.commissionAgencies"), required: t("form.required") },
    values: { partyAgencies: form.parties.partyAgencies.join(","), commissionAgencies: form.parties.commissionAgencies.join(",") },
    agencies: AGENCY_IDS.map((a) => ({ title: AGENCIES[a].fullName, value: a })),
    saveTitle: t("form.save"),
    cancelTitle: t("form.cancel"),
    regionId: form.regionId,
    year: form.year,
    actionId: form.actionId,
  });
}
