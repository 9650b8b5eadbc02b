/**
 * What the welcome in a 1:1 chat says is due for the person now (issue 11): their own steps — the
 * ones their roles make theirs, as under «Dine oppgaver» on the status card — most urgent first,
 * a few of them, the rest counted, and the status card one tap away. The nudges kept for someone
 * who arrives late follow in their own card (nudges/run.ts, `reachable`); this says it at once,
 * also on a day nudges are not sent.
 */
import { attentionOf, isActionable, type Attention } from "../domain/agenda.js";
import { compareIsoDate, formatDate, type IsoDate, type Lang } from "../domain/calendar.js";
import type { Obligation } from "../domain/obligations.js";
import type { ProcessModel } from "../domain/process.js";
import { NATIONAL, regionById } from "../domain/regions.js";
import { mayRecord, type Role } from "../domain/roles.js";
import { translator } from "../i18n/index.js";
import { regionName, stepTitle } from "./names.js";

export interface DueNow {
  today: IsoDate;
  /** The most urgent of the person's own steps (at most `SHOWN`). */
  items: Array<{ regionId: string; obligation: Obligation }>;
  /** How many there are in all. */
  total: number;
}

/** Lines on the welcome card: it greets, it is no to-do list; the status card has the rest. */
export const SHOWN = 3;

/** Late first, then what is due within days, blocked, the next two weeks, later; as the status card orders «Dine oppgaver». */
const RANK: Record<Attention, number> = { overdue: 0, "due-soon": 1, blocked: 2, upcoming: 3, later: 4, done: 5, quiet: 5 };

/**
 * The person's own actionable steps across every track. Undefined for someone without a duty (a
 * viewer, or an admin alone: an admin may record anything, but nothing is theirs by that).
 */
export function dueNow(
  tracks: ReadonlyArray<{ regionId: string; obligations: readonly Obligation[] }>,
  roles: readonly Role[],
  today: IsoDate,
  model: Pick<ProcessModel, "dueSoonWorkingDays">,
): DueNow | undefined {
  const duties = roles.filter((role) => role.kind !== "admin");
  if (duties.length === 0) return undefined;
  const mine = tracks.flatMap((track) => track.obligations.filter((o) => isActionable(o) && mayRecord(duties, o.responsible)).map((obligation) => ({ regionId: track.regionId, obligation })));
  const rank = (o: Obligation) => RANK[attentionOf(o, today, model)];
  mine.sort((a, b) => rank(a.obligation) - rank(b.obligation) || compareIsoDate(a.obligation.deadline, b.obligation.deadline) || a.regionId.localeCompare(b.regionId));
  return { today, items: mine.slice(0, SHOWN), total: mine.length };
}

/** The welcome's paragraphs about what is due, and the status button for the region of the first line. */
export function dueText(due: DueNow, lang: Lang): { lines: string[]; button?: { title: string; value: string } } {
  const t = translator(lang);
  if (due.total === 0) return { lines: [t("welcome.nothingDue")] };
  const lines = due.items.map(({ regionId, obligation: o }) => {
    const where = regionId !== NATIONAL ? ` · ${regionName(regionId, t)}` : "";
    const step = `${stepTitle(o, o.year, regionId, t)}${where}`;
    const date = formatDate(o.deadline, lang);
    return o.state === "overdue" || compareIsoDate(o.deadline, due.today) < 0 ? t("welcome.dueLineLate", { step, date }) : t("welcome.dueLine", { step, date });
  });
  const first = due.items[0]!.regionId;
  const region = first === NATIONAL ? undefined : regionById(first);
  const button = region
    ? { title: t("button.status", { region: region.name }), value: `status ${region.name}` }
    : { title: t("welcome.statusNational"), value: lang === "en" ? "status national" : "status nasjonalt" };
  const more = due.total > due.items.length ? [t("welcome.dueMore", { count: due.total - due.items.length, button: button.title })] : [];
  return { lines: [t("welcome.due", { count: due.total }), ...lines, ...more], button };
}
