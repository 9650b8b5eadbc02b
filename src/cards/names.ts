/** Display names for responsible parties and steps, as people in the process say them. */
import type { MissingRef, Obligation, StepInstanceRef } from "../domain/obligations.js";
import type { StepDefinition } from "../domain/process.js";
import { AGENCIES, regionById, type AgencyId } from "../domain/regions.js";
import type { MessageKey, Translate } from "../i18n/index.js";
import type { RecordVerb } from "../domain/recording.js";

export function regionName(regionId: string | undefined, t: Translate): string {
  const region = regionId ? regionById(regionId) : undefined;
  return region ? region.name : t("role.region-coordinator.national");
}

export function partyName(party: StepInstanceRef["party"], regionId: string | undefined, t: Translate): string | undefined {
  if (party === undefined) return undefined;
  if (party === "region") return regionName(regionId, t);
  return AGENCIES[party].name;
}

/** "Samarbeidsavtale 2028 signert – SIVA" */
export function stepTitle(ref: StepInstanceRef, year: number, regionId: string | undefined, t: Translate): string {
  const base = t(`step.${ref.stepId}` as MessageKey, { next: year + 1, year });
  const party = partyName(ref.party, regionId, t);
  return party ? `${base} – ${party}` : base;
}

/**
 * A prerequisite still missing, in words: a step's title ("Fylkesbudsjett 2028 vedtatt"), or, when
 * only the date of the meeting that step holds is needed (§4.2), that date ("Dato for nasjonalt
 * temamøte vår").
 */
export function missingTitle(ref: MissingRef, year: number, regionId: string | undefined, t: Translate): string {
  if (ref.need === "date" && ref.meeting) return t(`missing.date.${ref.meeting}` as MessageKey);
  return stepTitle(ref, year, regionId, t);
}

/** Where an external event comes from (§2.1): "fra Stortinget", "fra departementet". */
export function externalSource(step: StepDefinition, t: Translate): string {
  switch (step.id) {
    case "state-budget-adopted":
      return t("external.from.state-budget-adopted");
    case "allocation-letter-received":
      return t("external.from.allocation-letter-received");
    default:
      return t("external.from.other");
  }
}

/** The responsible parties of a group, once each: "Innovasjon Norge, SIVA". */
export function groupResponsible(group: readonly Obligation[], t: Translate): string {
  return [...new Set(group.map((o) => responsibleName(o, t)).filter(Boolean))].join(", ");
}

/** One title for a step due for several parties: "Oppfølgingsrapport (vår) – Innovasjon Norge, SIVA". */
export function groupTitle(group: readonly Obligation[], regionId: string | undefined, t: Translate): string {
  const first = group[0]!;
  const base = t(`step.${first.stepId}` as MessageKey, { next: first.year + 1, year: first.year });
  const parties = group.map((o) => partyName(o.party, regionId, t)).filter((p): p is string => p !== undefined);
  return parties.length > 0 ? `${base} – ${parties.join(", ")}` : base;
}

export function responsibleName(o: Obligation, t: Translate): string {
  const r = o.responsible;
  switch (r.role) {
    case "national-coordinator":
      return t("role.national-coordinator");
    case "region-coordinator": {
      const region = r.regionId ? regionById(r.regionId) : undefined;
      return region ? region.authority : t("role.region-coordinator.national");
    }
    case "agency-national":
    case "agency-regional":
      return r.agency ? AGENCIES[r.agency as AgencyId].name : "";
    case "party":
      return r.agency ? AGENCIES[r.agency as AgencyId].name : "";
  }
}

export function sectionsText(sections: readonly string[]): string {
  return sections.map((s) => `§${s}`).join(", ");
}

/**
 * A button's words, which its form repeats as its title: «Sett møtedato», or «Endre møtedato» once
 * the meeting has a date (the same form then moves it).
 */
export function buttonTitle(verb: RecordVerb, o: Pick<Obligation, "meeting">, t: Translate): string {
  return verb === "meeting.plan" && o.meeting?.plannedDate !== undefined ? t("form.button.meeting.replan") : t(`form.button.${verb}` as MessageKey);
}
