/**
 * The follow-up reports (issue 7/10): a region's rounds for a cycle year, the chosen round's
 * compiled summary in the words of the meeting papers (who delivered, each task, what changed),
 * and the download links. The server builds all of it (GET /api/tab/reports); the page lays it out.
 */
import { Field, Link, makeStyles, MessageBar, MessageBarBody, Select, Text, tokens } from "@fluentui/react-components";
import { useId, useState } from "react";
import { ReportsSchema, TAB_ROUNDS, type Reports } from "../api-schema";
import { API } from "./api";
import { Failure, Loading, RegionPicker, useLoad, useTab } from "./common";

type Round = (typeof TAB_ROUNDS)[number];

const useStyles = makeStyles({
  heading: { margin: `0 0 ${tokens.spacingVerticalS}` },
  bar: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM },
  block: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, marginBottom: tokens.spacingVerticalL, maxWidth: "60em", "& p": { margin: 0 } },
  sub: { margin: `${tokens.spacingVerticalM} 0 0` },
  muted: { color: tokens.colorNeutralForeground2 },
  agencies: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  items: { display: "grid", gridTemplateColumns: "minmax(8em, max-content) 1fr", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, margin: 0, "@media (max-width: 480px)": { gridTemplateColumns: "1fr" } },
  term: { fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0 },
  // Person-written text, shown as written: line breaks kept, long words wrapped (React escapes it).
  text: { gridColumn: "1 / -1", margin: `0 0 ${tokens.spacingVerticalS}`, whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
  links: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, margin: 0, padding: 0, listStyleType: "none" },
});

export function ReportsView({ region, onRegion }: { region: string; onRegion: (id: string) => void }) {
  const { api, t } = useTab();
  const styles = useStyles();
  const headingId = useId();
  const [year, setYear] = useState<number>();
  const [round, setRound] = useState<Round>();
  const [loaded, reload] = useLoad<Reports>(`${region}/${year ?? ""}/${round ?? ""}`, () => api.get(API.reports, { region, year, round }, ReportsSchema));
  const reports = loaded.state === "ready" ? loaded.value : undefined;
  // The years around the one the server chose first: the picker does not jump when a year is changed.
  const [baseYear, setBaseYear] = useState<number>();
  if (reports && baseYear === undefined) setBaseYear(reports.year);
  const shownYear = year ?? reports?.year;
  const years = baseYear === undefined ? [] : [baseYear + 1, baseYear, baseYear - 1, baseYear - 2];
  const selectedRound = round ?? reports?.rounds.find((r) => r.selected)?.round;

  return (
    <section aria-labelledby={headingId} data-reports="">
      <Text block as="h2" size={400} weight="semibold" id={headingId} className={styles.heading}>
        {t("tab.reports.heading")}
      </Text>
      <div className={styles.bar} data-print="hide">
        <RegionPicker value={region} onChange={onRegion} />
        <Field label={t("tab.picker.year")}>
          <Select value={shownYear === undefined ? "" : String(shownYear)} onChange={(_, d) => setYear(Number(d.value))} disabled={years.length === 0}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("tab.picker.round")}>
          <Select value={selectedRound ?? ""} onChange={(_, d) => setRound(d.value === "autumn" ? "autumn" : "spring")}>
            {TAB_ROUNDS.map((r) => (
              <option key={r} value={r}>
                {reports?.rounds.find((x) => x.round === r)?.title ?? t(`tab.round.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {loaded.state === "loading" ? <Loading label={t("tab.loading")} /> : null}
      {loaded.state === "failed" ? <Failure error={loaded.error} t={t} onRetry={reload} /> : null}
      {reports ? <ReportsBody reports={reports} styles={styles} /> : null}
    </section>
  );
}

function ReportsBody({ reports, styles }: { reports: Reports; styles: ReturnType<typeof useStyles> }) {
  const { summary, exports } = reports;
  return (
    <>
      {reports.empty ? (
        <MessageBar intent="info">
          <MessageBarBody>{reports.empty}</MessageBarBody>
        </MessageBar>
      ) : null}
      {summary ? (
        <div className={styles.block} data-summary={summary.round}>
          <Text block as="h3" size={400} weight="semibold" className={styles.sub}>
            {summary.title}
          </Text>
          <Text block as="p" className={styles.muted}>
            {summary.dates}
          </Text>
          <Text block as="p">
            {summary.phase}
          </Text>
          <ul className={styles.agencies}>
            {summary.agencies.map((a) => (
              <li key={a.agency} data-agency-state={a.state}>
                <span aria-hidden="true">{a.icon}</span> {a.text}
              </li>
            ))}
          </ul>
          {summary.omforent ? <Text block as="p">{summary.omforent}</Text> : null}
          <Text block as="h3" size={400} weight="semibold" className={styles.sub}>
            {summary.paper.title}
          </Text>
          <Text block as="p" size={200} className={styles.muted}>
            {summary.paper.made}
          </Text>
          {summary.paper.sections.map((section, i) => (
            <section key={`${i}-${section.heading}`} data-paper-section="">
              <Text block as={section.level === 2 ? "h4" : "h5"} size={section.level === 2 ? 300 : 200} weight="semibold" className={styles.sub}>
                {section.heading}
              </Text>
              {section.note ? (
                <Text block as="p" size={200} className={styles.muted}>
                  {section.note}
                </Text>
              ) : null}
              {section.items.length > 0 ? (
                <dl className={styles.items}>
                  {section.items.map((item, j) => (
                    <div key={`${j}-${item.label}`} style={{ display: "contents" }}>
                      <dt className={styles.term}>{item.label}</dt>
                      <dd className={styles.value}>{item.value}</dd>
                      {item.text ? <dd className={styles.text}>{item.text}</dd> : null}
                    </div>
                  ))}
                </dl>
              ) : null}
            </section>
          ))}
        </div>
      ) : null}
      <div className={styles.block} data-exports="" data-print="hide">
        <Text block as="h3" size={400} weight="semibold" className={styles.sub}>
          {exports.title}
        </Text>
        {exports.links.length > 0 ? (
          <ul className={styles.links}>
            {exports.links.map((link) => (
              <li key={link.format}>
                <Link href={link.url} download>
                  {link.title}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        {exports.note ? <Text block as="p" className={styles.muted}>{exports.note}</Text> : null}
      </div>
    </>
  );
}
