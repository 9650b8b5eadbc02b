/**
 * The admin card (`admin` / `administrer`): grant and revoke roles with Teams' people picker,
 * bind the conversation it is posted in to a region (not in a personal chat), and who holds
 * which role now. The buttons are Action.Execute verbs handled in src/bot/admin-actions.ts.
 */
import { DateTime } from "luxon";
import type { Roster } from "../app/people.js";
import { formatDate, osloDate, type Lang } from "../domain/calendar.js";
import { AGENCIES, AGENCY_IDS, REGIONS, regionById, type AgencyId } from "../domain/regions.js";
import { ROLE_KINDS, type RoleKind } from "../domain/roles.js";
import { translator, type MessageKey } from "../i18n/index.js";
import type { ChannelBinding } from "../store/records.js";
import { personLabel, personText, roleName } from "./people-cards.js";
import { expandTemplate, noTemplate, userName, type AdaptiveCard } from "./templates.js";

/** Teams' people picker searches the whole organization; the value it sends is the person's Entra object id. */
export const PEOPLE_PICKER_DATASET = "graph.microsoft.com/users";

/** Roster lines on the card; the rest are counted, and `roller` lists them all. */
export const MAX_ADMIN_ROSTER_LINES = 60;

export interface AdminNotice {
  text: string;
  style: "good" | "attention" | "default";
  detail?: string;
}

/** What was chosen on the card that was clicked, shown again so that a refusal can be corrected. */
export interface AdminValues {
  person?: { id: string; name: string };
  kind?: string;
  region?: string;
  agency?: string;
  channelRegion?: string;
}

export interface AdminView {
  roster: Roster;
  /** In a channel or group chat: its binding section, with the current binding if any. Absent in a personal chat. */
  conversation?: { binding: ChannelBinding | undefined };
  notice?: AdminNotice;
  values?: AdminValues;
}

const NOTICE_COLOR = { good: "Good", attention: "Attention", default: "Default" } as const;

export function renderAdminCard(view: AdminView, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const values = view.values ?? {};
  const known = <T extends string>(value: string | undefined, allowed: readonly T[]): T | "" => (value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : "");
  const regionIds = REGIONS.map((r) => r.id);
  const binding = view.conversation?.binding;

  const sorted = [...view.roster.assignments].sort(
    (a, b) =>
      Number(b.role.kind === "admin") - Number(a.role.kind === "admin") ||
      personLabel(a.person, t).localeCompare(personLabel(b.person, t), "nb") ||
      roleName(a.role, t).localeCompare(roleName(b.role, t), "nb"),
  );
  const shown = sorted.slice(0, MAX_ADMIN_ROSTER_LINES);
  const left = sorted.length - shown.length;
  const notes = [
    view.roster.configuredAdmins.length > 0 ? t("roles.configuredAdmins", { count: view.roster.configuredAdmins.length }) : "",
    left > 0 ? t("roles.truncated", { count: left }) : "",
  ];

  return expandTemplate("admin", {
    title: t("admin.title"),
    intro: t("admin.intro"),
    notice: noTemplate(view.notice?.text ?? ""),
    noticeDetail: noTemplate(view.notice?.detail ?? ""),
    noticeStyle: view.notice?.style ?? "default",
    noticeColor: NOTICE_COLOR[view.notice?.style ?? "default"],

    rolesHeading: t("admin.rolesHeading"),
    personLabel: t("admin.field.person"),
    personPlaceholder: t("admin.personPlaceholder"),
    personValue: values.person?.id ?? "",
    // Pre-selecting a person in the picker takes a static choice with their id as the value (Teams docs, "Preselection").
    personChoices: values.person ? [{ title: noTemplate(personLabel(values.person, t)), value: values.person.id }] : [],
    kindLabel: t("admin.field.kind"),
    // No role is chosen in advance: granting is a deliberate choice.
    kindNone: t("admin.kindNone"),
    kindValue: known<RoleKind>(values.kind, ROLE_KINDS),
    kinds: ROLE_KINDS.map((kind) => ({ title: t(`admin.kind.${kind}` as MessageKey), value: kind })),
    regionLabel: t("admin.field.region"),
    regionNone: t("admin.regionNone"),
    regionValue: known(values.region, regionIds),
    regions: REGIONS.map((r) => ({ title: r.name, value: r.id })),
    agencyLabel: t("form.field.agency"),
    agencyNone: t("admin.agencyNone"),
    agencyValue: known<AgencyId>(values.agency, AGENCY_IDS),
    agencies: AGENCY_IDS.map((id) => ({ title: AGENCIES[id].name === id ? id : `${AGENCIES[id].name} (${id})`, value: id })),
    rolesHint: t("admin.rolesHint"),
    grantTitle: t("admin.grant"),
    revokeTitle: t("admin.revoke"),

    channel: view.conversation !== undefined,
    channelHeading: t("admin.channelHeading"),
    channelState: binding
      ? noTemplate(
          t("bind.current", {
            region: regionById(binding.regionId)?.name ?? binding.regionId,
            name: userName(binding.boundBy.name),
            date: formatDate(osloDate(DateTime.fromISO(binding.boundAt)), lang),
          }),
        )
      : t("admin.channelUnbound"),
    channelRegionValue: known(values.channelRegion, regionIds) || (binding && regionById(binding.regionId) ? binding.regionId : ""),
    bindTitle: t("admin.bind"),
    unbindTitle: t("admin.unbind"),

    rosterHeading: t("admin.rosterHeading"),
    rosterNone: view.roster.assignments.length === 0 ? t("admin.rosterNone") : "",
    roster: shown.map((a) => ({ name: personText(a.person, t), role: roleName(a.role, t) })),
    rosterNote: notes.filter(Boolean).join(" "),
  });
}
