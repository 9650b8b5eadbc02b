/**
 * The wheel view: a region picker and the cycle year (previous/next), the counts line, the SVG
 * wheel with its legend, the selected step's detail, and the same steps as a list by date.
 */
import { Button, makeStyles, MessageBar, MessageBarBody, Text, tokens } from "@fluentui/react-components";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { WheelSchema, type RecordForm, type Wheel } from "../../api-schema";
import { API } from "../api";
import { Failure, Loading, RegionPicker, useLoad, useTab } from "../common";
import { STATE_COLOR, STATE_WEIGHT } from "../look";
import { formatShortDay } from "../strings";
import { byDate, listGroups, uid } from "./geometry";
import { RecordDialog } from "./RecordDialog";
import { StepDetail } from "./StepDetail";
import { StepList } from "./StepList";
import { WheelSvg } from "./WheelSvg";

const useStyles = makeStyles({
  bar: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM },
  year: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  yearText: { minWidth: "3.5em", textAlign: "center" },
  heading: { margin: `0 0 ${tokens.spacingVerticalXS}` },
  counts: { display: "block", marginBottom: tokens.spacingVerticalM, color: tokens.colorNeutralForeground2 },
  layout: {
    display: "grid",
    gap: tokens.spacingHorizontalXL,
    gridTemplateColumns: "minmax(0, 1fr)",
    gridTemplateAreas: `"wheel" "detail" "list"`,
    "@media (min-width: 900px)": {
      gridTemplateColumns: "minmax(0, 560px) minmax(280px, 1fr)",
      // The list spans both rows; the second takes its extra height, so the detail sits right under the wheel.
      gridTemplateRows: "auto 1fr",
      gridTemplateAreas: `"wheel list" "detail list"`,
      alignItems: "start",
    },
  },
  figure: { gridArea: "wheel", margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  detail: { gridArea: "detail" },
  list: { gridArea: "list" },
  legend: { display: "flex", flexWrap: "wrap", gap: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalM}`, margin: 0, padding: 0, listStyleType: "none", fontSize: tokens.fontSizeBase200 },
  legendItem: { display: "inline-flex", alignItems: "center", gap: tokens.spacingHorizontalXXS },
  legendNote: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, margin: 0 },
  subheading: { margin: `0 0 ${tokens.spacingVerticalS}` },
});

export function WheelView({ region, onRegion }: { region: string; onRegion: (id: string) => void }) {
  const { api, me, t, lang } = useTab();
  const styles = useStyles();
  const [year, setYear] = useState<number | undefined>();
  const [loaded, reload, replace] = useLoad<Wheel>(`${region}/${year ?? ""}`, () => api.get(API.wheel, { region, year }, WheelSchema));
  const [selected, setSelected] = useState<string>();
  const [form, setForm] = useState<RecordForm>();
  const [notice, setNotice] = useState<string>();
  const detailId = useId();
  const detailRef = useRef<HTMLDivElement>(null);
  const wheel = loaded.state === "ready" ? loaded.value : undefined;
  // The list's groups (late, next, the rest by date); the wheel's arrow keys follow the same order.
  const groups = useMemo(() => listGroups(wheel ? [...wheel.steps].sort(byDate) : []), [wheel]);
  const ordered = useMemo(() => groups.flatMap((g) => g.steps), [groups]);
  const step = ordered.find((s) => uid(s) === selected);

  useEffect(() => setNotice(undefined), [region, year]);
  const select = (key: string, from: "wheel" | "list") => {
    setSelected(key);
    // From the list (far below the wheel on a phone) bring the detail into view.
    if (from === "list") requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" }));
  };

  return (
    <section aria-labelledby={`${detailId}-h`}>
      <Text block as="h2" size={400} weight="semibold" id={`${detailId}-h`} className={styles.heading}>
        {wheel ? t("tab.wheel.heading", { region: wheel.region.name, year: wheel.year }) : t("tab.nav.wheel")}
      </Text>
      <div className={styles.bar} data-print="hide">
        <RegionPicker value={region} onChange={onRegion} />
        <div className={styles.year} role="group" aria-label={t("tab.picker.year")}>
          <Button onClick={() => wheel && setYear(wheel.year - 1)} disabled={!wheel} aria-label={t("tab.year.previousAria", { year: (wheel?.year ?? 0) - 1 })}>
            {t("tab.year.previous")}
          </Button>
          <Text weight="semibold" className={styles.yearText} aria-live="polite">
            {wheel?.year ?? ""}
          </Text>
          <Button onClick={() => wheel && setYear(wheel.year + 1)} disabled={!wheel} aria-label={t("tab.year.nextAria", { year: (wheel?.year ?? 0) + 1 })}>
            {t("tab.year.next")}
          </Button>
        </div>
      </div>
      {notice ? (
        <MessageBar intent="success" role="status" data-notice="">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      {loaded.state === "loading" ? <Loading label={t("tab.loading")} /> : null}
      {loaded.state === "failed" ? <Failure error={loaded.error} t={t} onRetry={reload} /> : null}
      {wheel ? (
        <>
          <Text className={styles.counts} data-counts="">
            {wheel.counts}
          </Text>
          <div className={styles.layout} data-wheel-layout="">
            <figure className={styles.figure} data-wheel-figure="">
              <WheelSvg wheel={wheel} ordered={ordered} selected={selected} onSelect={(key) => select(key, "wheel")} />
              <figcaption>
                <ul className={styles.legend} aria-label={t("tab.legend.label")}>
                  {me.legend
                    .filter((l) => l.state !== "not-applicable")
                    .map((l) => (
                      <li key={l.state} className={styles.legendItem}>
                        {/* The arc as the wheel draws it: the state's colour and thickness beside its icon and word. */}
                        <svg width="18" height="10" aria-hidden="true">
                          <line x1="1" y1="5" x2="17" y2="5" stroke={STATE_COLOR[l.state]} strokeWidth={STATE_WEIGHT[l.state] === 0 ? 2 : Math.max(2.5, 9 * STATE_WEIGHT[l.state])} />
                        </svg>
                        <span aria-hidden="true">{l.icon}</span> {l.label}
                      </li>
                    ))}
                </ul>
                <p className={styles.legendNote}>{t("tab.legend.rings")}</p>
                <p className={styles.legendNote}>{t("tab.legend.overlap", { previous: wheel.year - 1, year: wheel.year, next: wheel.year + 1 })}</p>
                {wheel.today.startsWith(`${wheel.year}-`) ? <p className={styles.legendNote}>{t("tab.legend.today", { date: formatShortDay(wheel.today, lang) })}</p> : null}
              </figcaption>
            </figure>
            <div className={styles.detail} ref={detailRef} aria-live="polite">
              {step ? (
                <StepDetail step={step} wheel={wheel} onRecord={setForm} headingId={`${detailId}-step`} />
              ) : (
                <Text block as="p" className={styles.legendNote} data-print="hide">
                  {t("tab.detail.none")}
                </Text>
              )}
            </div>
            <section className={styles.list} aria-labelledby={`${detailId}-list`}>
              <Text block as="h3" size={300} weight="semibold" id={`${detailId}-list`} className={styles.subheading}>
                {t("tab.list.heading")}
              </Text>
              <StepList wheel={wheel} groups={groups} selected={selected} onSelect={(key) => select(key, "list")} />
            </section>
          </div>
          {form && step ? (
            <RecordDialog
              form={form}
              step={step}
              wheel={wheel}
              onClose={() => setForm(undefined)}
              onRecorded={(next, message) => {
                setForm(undefined);
                replace(next);
                setNotice(message);
                // The button that opened the form is gone once the step is done: the keyboard goes on from the step's heading, not from the top.
                requestAnimationFrame(() => document.getElementById(`${detailId}-step`)?.focus());
              }}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
