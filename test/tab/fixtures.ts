/**
 * API answers for developing the tab's page before the server's routes exist: Vestland's wheel
 * for 2026 on 10 April 2026, the overview, and `Me` with the catalogue's `tab.*` strings. Each is
 * parsed with the contract's schema (src/tab/api-schema.ts), so a fixture that drifts from the
 * contract fails here, not in the browser. Dates follow the seed's process (§1, §2.1, §3.1–3.3, §4.1–4.2).
 */
import { en } from "../../src/i18n/en.js";
import { nb } from "../../src/i18n/nb.js";
import { nn } from "../../src/i18n/nn.js";
import { MeSchema, OverviewSchema, ReportsSchema, WheelSchema, type Me, type Overview, type Reports, type TabLang, type TabStepState, type Wheel, type WheelStep } from "../../src/tab/api-schema.js";
import { STATE_LOOK } from "../../src/cards/look.js";

const CATALOGUES = { nb, nn, en } as const;
const STATE_WORD: Record<TabStepState, string> = {
  done: "Utført",
  overdue: "Forfalt",
  blocked: "Blokkert",
  "due-soon": "Frist snart",
  open: "Åpen",
  waiting: "Venter",
  "not-yet-open": "Ikke åpnet ennå",
  "not-tracked": "Følges ikke opp",
  "not-applicable": "Gjelder ikke",
};
const look = (state: TabStepState) => ({ state, icon: STATE_LOOK[state].icon, label: STATE_WORD[state] });

export const REGIONS = [
  ["03", "Oslo"], ["11", "Rogaland"], ["15", "Møre og Romsdal"], ["18", "Nordland"], ["31", "Østfold"], ["32", "Akershus"], ["33", "Buskerud"], ["34", "Innlandet"],
  ["39", "Vestfold"], ["40", "Telemark"], ["42", "Agder"], ["46", "Vestland"], ["50", "Trøndelag"], ["55", "Troms"], ["56", "Finnmark"],
].map(([id, name]) => ({ id: id!, name: name! }));

export function me(lang: TabLang = "nb", localMode = true): Me {
  const catalogue = CATALOGUES[lang] as Record<string, string>;
  const strings = Object.fromEntries(Object.entries(catalogue).filter(([k]) => k.startsWith("tab.")));
  return MeSchema.parse({
    localMode,
    lang,
    person: { id: "00000000-0000-0000-0000-0000000000020", name: "Alex Wilber", roles: ["region-coordinator:46"], mayAdminister: false },
    regions: REGIONS,
    defaultRegion: "46",
    strings,
    legend: (Object.keys(STATE_WORD) as TabStepState[]).map(look),
  });
}

type StepSeed = [stepId: string, title: string, track: "national" | "region", year: number, opensOn: string, deadline: string, state: TabStepState, extra?: Partial<WheelStep>];

const AGENCIES = ["Innovasjon Norge", "SIVA", "Forskningsrådet"];
const PARTIES = ["Vestland fylkeskommune", ...AGENCIES];

const SEEDS: StepSeed[] = [
  // The previous cycle's January tail (§2.1, §3.2, §3.3).
  ["political-treatment", "Politisk behandling av avtale 2026", "region", 2025, "2025-10-01", "2026-01-31", "done", { doneOn: "2025-12-10" }],
  ...AGENCIES.map((a): StepSeed => ["allocation-letter-received", `Tildelingsbrev 2026 – ${a}`, "national", 2025, "2025-12-01", "2026-01-31", "done", { doneOn: "2026-01-12" }]),
  ...PARTIES.map((p): StepSeed => ["agreement-signed", `Samarbeidsavtale 2026 signert – ${p}`, "region", 2025, "2026-01-01", "2026-01-31", "done", { doneOn: "2026-01-20" }]),
  ["commission-agreement-sent", "Oppdragsavtale 2026 sendt – Innovasjon Norge", "region", 2025, "2026-01-01", "2026-01-31", "done", { doneOn: "2026-01-28" }],
  // Cycle 2026, national track (§1, §4.1, §2.1).
  ["national-spring-meeting-convened", "Innkalling til nasjonalt vårmøte", "national", 2026, "2026-01-01", "2026-02-17", "done", { doneOn: "2026-02-02" }],
  ["national-spring-meeting-held", "Nasjonalt temamøte vår", "national", 2026, "2026-01-01", "2026-03-31", "done", { doneOn: "2026-03-30" }],
  ["national-autumn-meeting-convened", "Innkalling til nasjonalt høstmøte", "national", 2026, "2026-08-01", "2026-10-19", "not-yet-open"],
  ["national-autumn-meeting-held", "Nasjonalt temamøte høst", "national", 2026, "2026-10-01", "2026-11-30", "not-yet-open"],
  ["state-budget-adopted", "Statsbudsjett 2027 vedtatt", "national", 2026, "2026-10-01", "2026-12-31", "not-yet-open", { target: "2026-12-15", recordedBy: "registreres av RUK AU" }],
  ...AGENCIES.map((a): StepSeed => ["allocation-letter-received", `Tildelingsbrev 2027 – ${a}`, "national", 2026, "2026-12-01", "2027-01-31", "not-yet-open"]),
  // Cycle 2026, the region (§3.1, §3.2, §4.2).
  ["regional-spring-meeting-convened", "Innkalling til regionalt vårmøte", "region", 2026, "2026-02-01", "2026-04-08", "overdue"],
  ["follow-up-report-spring", "Oppfølgingsrapport (vår) – Innovasjon Norge", "region", 2026, "2026-03-01", "2026-04-22", "due-soon"],
  ["follow-up-report-spring", "Oppfølgingsrapport (vår) – SIVA", "region", 2026, "2026-03-01", "2026-04-22", "open"],
  ["follow-up-report-spring", "Oppfølgingsrapport (vår) – Forskningsrådet", "region", 2026, "2026-03-01", "2026-04-22", "done", { doneOn: "2026-04-02", recorded: { by: "Ola Nordmann", at: "2026-04-02T09:14:00Z" } }],
  ["regional-spring-meeting-held", "Regionalt dialogmøte vår", "region", 2026, "2026-02-01", "2026-06-30", "blocked", { target: "2026-04-30", waitsFor: ["Innkalling til regionalt vårmøte"] }],
  ["draft-agreement-ready", "Utkast til samarbeidsavtale 2027", "region", 2026, "2026-08-01", "2026-11-25", "not-yet-open"],
  ["regional-autumn-meeting-convened", "Innkalling til regionalt høstmøte", "region", 2026, "2026-09-01", "2026-11-04", "not-yet-open"],
  ...AGENCIES.map((a): StepSeed => ["follow-up-report-autumn", `Oppfølgingsrapport (høst) – ${a}`, "region", 2026, "2026-09-01", "2026-11-18", "not-yet-open"]),
  ["regional-autumn-meeting-held", "Regionalt dialogmøte høst", "region", 2026, "2026-10-01", "2026-12-31", "not-yet-open", { target: "2026-11-30" }],
  ["political-treatment", "Politisk behandling av avtale 2027", "region", 2026, "2026-10-01", "2027-01-31", "waiting", { waitsFor: ["Regionalt dialogmøte høst", "Utkast til samarbeidsavtale 2027"] }],
  ["regional-budget-adopted", "Fylkesbudsjett 2027 vedtatt", "region", 2026, "2026-11-01", "2026-12-31", "not-yet-open", { target: "2026-12-15" }],
  ...PARTIES.map((p): StepSeed => ["agreement-signed", `Samarbeidsavtale 2027 signert – ${p}`, "region", 2026, "2027-01-01", "2027-01-31", "not-yet-open"]),
  ["commission-agreement-sent", "Oppdragsavtale 2027 sendt – Innovasjon Norge", "region", 2026, "2027-01-01", "2027-01-31", "not-yet-open"],
];

const SECTIONS: Record<string, string> = {
  "national-spring-meeting-convened": "§ 4.1, § 1", "national-spring-meeting-held": "§ 1", "national-autumn-meeting-convened": "§ 4.1, § 1", "national-autumn-meeting-held": "§ 1",
  "regional-spring-meeting-convened": "§ 4.2, § 3.1", "follow-up-report-spring": "§ 3.1", "regional-spring-meeting-held": "§ 3.1", "draft-agreement-ready": "§ 3, § 3.2",
  "regional-autumn-meeting-convened": "§ 4.2, § 3.2", "follow-up-report-autumn": "§ 3.2", "regional-autumn-meeting-held": "§ 3.2", "political-treatment": "§ 3.2",
  "state-budget-adopted": "§ 2.1", "regional-budget-adopted": "§ 2.1, § 3.2", "allocation-letter-received": "§ 2.1", "agreement-signed": "§ 2.1, § 3.2", "commission-agreement-sent": "§ 3.3",
};

export function wheel(regionId = "46", year = 2026): Wheel {
  const region = REGIONS.find((r) => r.id === regionId) ?? REGIONS[11]!;
  const steps = SEEDS.map(([stepId, title, track, y, opensOn, deadline, state, extra], i): WheelStep => ({
    key: `${y}/${stepId}/${i}`,
    stepId,
    year: y + (year - 2026),
    track,
    title,
    sections: SECTIONS[stepId] ?? "",
    look: look(state),
    opensOn: shift(opensOn, year - 2026),
    deadline: shift(deadline, year - 2026),
    responsible: track === "national" ? "RUK AU" : `Regionkoordinator ${region.name}`,
    waitsFor: [],
    forms: state === "overdue" || state === "due-soon" || state === "open"
      ? [{ verb: stepId === "regional-spring-meeting-convened" ? "meeting.invited" : "report.submitted", params: { meeting: "regional-spring" }, title: stepId === "regional-spring-meeting-convened" ? "Innkalling sendt" : "Rapport levert", fields: [], minDate: "2026-02-01", maxDate: "2026-04-10" }]
      : [],
    ...extra,
  }));
  return WheelSchema.parse({ region, year, today: "2026-04-10", cycles: [year - 1, year], steps, counts: "1 forfalt · 1 blokkert · 2 neste 14 dager" });
}

const shift = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;

export function overview(): Overview {
  const columns = [
    ["regional-spring-meeting-convened", "Innkalling vårmøte"], ["follow-up-report-spring", "Rapporter vår"], ["regional-spring-meeting-held", "Dialogmøte vår"],
    ["draft-agreement-ready", "Utkast til avtale"], ["regional-autumn-meeting-held", "Dialogmøte høst"], ["political-treatment", "Politisk behandling"],
    ["regional-budget-adopted", "Fylkesbudsjett"], ["agreement-signed", "Avtale signert"],
  ].map(([stepId, title]) => ({ stepId: stepId!, title: title!, year: 2026 }));
  const pattern: TabStepState[][] = [
    ["overdue", "overdue", "blocked", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open"],
    ["overdue", "due-soon", "blocked", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open"],
    ["done", "due-soon", "open", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open"],
    ["done", "done", "done", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open", "not-yet-open"],
  ];
  const order = ["46", "18", "03", ...REGIONS.map((r) => r.id).filter((id) => !["46", "18", "03"].includes(id))];
  const rows = order.map((id, i) => {
    const region = REGIONS.find((r) => r.id === id)!;
    const states = pattern[Math.min(i, 3)]!;
    return {
      region,
      overdue: states.filter((s) => s === "overdue").length,
      blocked: states.filter((s) => s === "blocked").length,
      next: "Neste: Regionalt dialogmøte vår innen 30. april",
      cells: columns.map((c, j) => ({ stepId: c.stepId, look: look(states[j]!), deadline: "2026-04-30", text: `${c.title}: ${STATE_WORD[states[j]!].toLowerCase()}, frist 30. april` })),
    };
  });
  return OverviewSchema.parse({ today: "2026-04-10", years: [2026], columns, rows });
}

/** Vestland's spring round 2026: two reports in, one missing, with person-written text that must show as text. */
export function reports(year = 2026, round: "spring" | "autumn" = "spring"): Reports {
  const region = REGIONS[11]!;
  return ReportsSchema.parse({
    region,
    year,
    rounds: [
      { round: "spring", title: "Vår", selected: round === "spring" },
      { round: "autumn", title: "Høst", selected: round === "autumn" },
    ],
    ...(round === "autumn" ? { empty: `Vestland har ingen rapportrunde høst ${year}.` } : {}),
    ...(round === "spring"
      ? {
          summary: {
            round,
            title: `Vestland: oppfølgingsrapporter vår ${year}`,
            dates: `Møte 20. april ${year} · frist for rapportene 13. april ${year}`,
            phase: "Runden er åpen for svar.",
            agencies: [
              { agency: "IN", name: "Innovasjon Norge", state: "submitted", icon: "✅", text: "Innovasjon Norge: levert 10. april" },
              { agency: "SIVA", name: "SIVA", state: "late", icon: "🟠", text: "SIVA: levert for sent 15. april" },
              { agency: "NFR", name: "Forskningsrådet", state: "missing", icon: "🔴", text: "Forskningsrådet: mangler" },
            ],
            paper: {
              title: `Sakspapir: oppfølging vår ${year}`,
              made: `Laget 16. april ${year} kl. 09.00`,
              sections: [
                { level: 2, heading: "Oppgave 1: Grønn omstilling", items: [{ label: "Innovasjon Norge", value: "I rute", text: "<b>Ikke fet</b>\nTo linjer." }] },
                { level: 3, heading: "Hva er endret siden høsten", note: "Sammenlignet med høst " + (year - 1) + ".", items: [] },
              ],
            },
          },
        }
      : {}),
    exports: {
      title: "Last ned",
      minutes: 15,
      links: [
        { format: "docx", title: "Word", url: "/api/reports/download?token=abc" },
        { format: "md", title: "Markdown", url: "/api/reports/download?token=def" },
      ],
    },
  });
}
