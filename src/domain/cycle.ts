/**
 * The reducer: the events of one region's (or the national track's) cycle year → its state.
 * Later events win; a political treatment that sent the draft back reopens the draft (§3.2).
 */
import type { IsoDate } from "./calendar.js";
import type { DomainEvent, Party } from "./events.js";
import type { MeetingId, Round } from "./process.js";
import type { AgencyId } from "./regions.js";
import type { Stance } from "./reports.js";

export interface MeetingState {
  plannedDate?: IsoDate;
  place?: string;
  invitationsSentOn?: IsoDate;
  heldOn?: IsoDate;
  parts?: { experiences: boolean; opportunities: boolean };
}

export interface PoliticalTreatment {
  body: string;
  date: IsoDate;
  caseNumber: string;
  outcome: "approved" | "approved-with-changes" | "sent-back";
}

export interface CycleState {
  regionId: string;
  year: number;
  meetings: Partial<Record<MeetingId, MeetingState>>;
  followUpReports: Partial<Record<Round, Partial<Record<AgencyId, IsoDate>>>>;
  /** Agencies that will not report in a round, with the reason (the step is then not applicable). */
  followUpWaived: Partial<Record<Round, Partial<Record<AgencyId, string>>>>;
  /** The stances on the draft of next year's agreement submitted with the autumn reports (§3: omforent). */
  followUpStances?: Partial<Record<Round, Partial<Record<AgencyId, Stance>>>>;
  draftAgreement?: { readyOn: IsoDate; link?: string };
  politicalTreatment?: PoliticalTreatment;
  stateBudgetAdoptedOn?: IsoDate;
  allocationLetters: Partial<Record<AgencyId, IsoDate>>;
  regionalBudgetAdoptedOn?: IsoDate;
  signatures: Partial<Record<Party, IsoDate>>;
  commissionAgreementsSent: Partial<Record<AgencyId, IsoDate>>;
  /** Steps of fact "step-completed", by instance key (`step` or `step:party`, obligations.ts instanceKey). */
  completed?: Record<string, IsoDate>;
  /** §2: the regional plan in force (a later record revises it) and the year's action plan. */
  regionalPlan?: { from: number; to: number; title?: string; link?: string };
  actionPlan?: { adoptedOn: IsoDate; link?: string };
}

export function emptyCycle(regionId: string, year: number): CycleState {
  return { regionId, year, meetings: {}, followUpReports: {}, followUpWaived: {}, allocationLetters: {}, signatures: {}, commissionAgreementsSent: {} };
}

/** Folds events (in recorded order) into the state of the cycle, leaving out undone ones. Pure. */
export function reduceCycle(regionId: string, year: number, events: readonly DomainEvent[]): CycleState {
  const undone = new Set(events.flatMap((e) => (e.data.type === "event-undone" ? [e.data.eventId] : [])));
  return events.filter((e) => !undone.has(e.id)).reduce(applyEvent, emptyCycle(regionId, year));
}

export function applyEvent(state: CycleState, event: DomainEvent): CycleState {
  const d = event.data;
  const meeting = (id: MeetingId, patch: Partial<MeetingState>): CycleState => ({
    ...state,
    meetings: { ...state.meetings, [id]: { ...state.meetings[id], ...patch } },
  });
  switch (d.type) {
    case "meeting-planned":
      return meeting(d.meeting, { plannedDate: d.date, ...(d.place ? { place: d.place } : {}) });
    case "invitations-sent":
      return meeting(d.meeting, { invitationsSentOn: d.date });
    case "meeting-held":
      return meeting(d.meeting, { heldOn: d.date, ...(d.parts ? { parts: d.parts } : {}) });
    case "follow-up-report-submitted": {
      const submitted: CycleState = { ...state, followUpReports: { ...state.followUpReports, [d.round]: { ...state.followUpReports[d.round], [d.agency]: d.date } } };
      if (!d.stance) return submitted;
      return { ...submitted, followUpStances: { ...state.followUpStances, [d.round]: { ...state.followUpStances?.[d.round], [d.agency]: d.stance } } };
    }
    case "follow-up-report-waived":
      return { ...state, followUpWaived: { ...state.followUpWaived, [d.round]: { ...state.followUpWaived[d.round], [d.agency]: d.reason } } };
    case "draft-agreement-ready":
      return { ...state, draftAgreement: { readyOn: d.date, ...(d.link ? { link: d.link } : {}) } };
    case "political-treatment-recorded": {
      const treatment: PoliticalTreatment = { body: d.body, date: d.date, caseNumber: d.caseNumber, outcome: d.outcome };
      if (d.outcome !== "sent-back") return { ...state, politicalTreatment: treatment };
      // Sent back: the draft must be reworked and treated again.
      const { draftAgreement: _reopened, ...rest } = state;
      return { ...rest, politicalTreatment: treatment };
    }
    case "state-budget-adopted":
      return { ...state, stateBudgetAdoptedOn: d.date };
    case "allocation-letter-received":
      return { ...state, allocationLetters: { ...state.allocationLetters, [d.agency]: d.date } };
    case "regional-budget-adopted":
      return { ...state, regionalBudgetAdoptedOn: d.date };
    case "agreement-signed":
      return { ...state, signatures: { ...state.signatures, [d.party]: d.date } };
    case "commission-agreement-sent":
      return { ...state, commissionAgreementsSent: { ...state.commissionAgreementsSent, [d.agency]: d.date } };
    case "step-completed":
      return { ...state, completed: { ...state.completed, [d.party === undefined ? d.step : `${d.step}:${d.party}`]: d.date } };
    case "regional-plan-recorded":
      return { ...state, regionalPlan: { from: d.from, to: d.to, ...(d.title ? { title: d.title } : {}), ...(d.link ? { link: d.link } : {}) } };
    case "action-plan-recorded":
      return { ...state, actionPlan: { adoptedOn: d.date, ...(d.link ? { link: d.link } : {}) } };
    case "event-undone":
      // Handled by reduceCycle, which leaves the undone event out before folding.
      return state;
  }
}
