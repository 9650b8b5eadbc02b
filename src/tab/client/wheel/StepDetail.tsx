/**
 * The selected step in full: §, who is responsible (or who records it), deadline and target, when
 * it opens, what it waits for, who recorded it and when, and a button per recording form the
 * person may use now.
 */
import { Button, makeStyles, Text, tokens, useRestoreFocusTarget } from "@fluentui/react-components";
import type { RecordForm, Wheel, WheelStep } from "../../api-schema";
import { useTab } from "../common";
import { formatDay, formatMoment } from "../strings";
import { uid } from "./geometry";

const useStyles = makeStyles({
  panel: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  heading: { margin: `0 0 ${tokens.spacingVerticalS}` },
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, margin: 0, "@media (max-width: 400px)": { gridTemplateColumns: "1fr" } },
  term: { color: tokens.colorNeutralForeground2, fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0 },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalM },
  waits: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
});

export function StepDetail({ step, wheel, onRecord, headingId }: { step: WheelStep; wheel: Wheel; onRecord: (form: RecordForm) => void; headingId: string }) {
  const { t, lang } = useTab();
  const styles = useStyles();
  // The recording form opens without a DialogTrigger: this marks its buttons as where the focus goes back when it closes (Escape, «Avbryt»).
  const restoreFocus = useRestoreFocusTarget();
  const facts: Array<[string, React.ReactNode]> = [
    [t("tab.detail.state"), `${step.look.icon} ${step.look.label}`],
    [t("tab.detail.sections"), step.sections],
    // An external event (the state budget, a ministry's letter) has no one responsible, only who records it: the term says which.
    step.recordedBy ? [t("tab.detail.recordedBy"), step.responsible] : [t("tab.detail.responsible"), step.responsible],
    [t("tab.detail.opens"), formatDay(step.opensOn, lang)],
    [t("tab.detail.deadline"), formatDay(step.deadline, lang)],
  ];
  if (step.target) facts.push([t("tab.detail.target"), formatDay(step.target, lang)]);
  if (step.doneOn) facts.push([t("tab.detail.doneOn"), formatDay(step.doneOn, lang)]);
  if (step.waitsFor.length > 0)
    facts.push([
      t("tab.detail.waitsFor"),
      <ul className={styles.waits}>
        {step.waitsFor.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>,
    ]);
  if (step.recorded) facts.push([t("tab.detail.recorded"), t("tab.detail.recordedValue", { name: step.recorded.by, at: formatMoment(step.recorded.at, lang) })]);
  if (step.year !== wheel.year) facts.push([t("tab.detail.cycle"), t("tab.detail.cycleValue", { year: step.year })]);
  return (
    <section className={styles.panel} aria-labelledby={headingId} data-step-detail={uid(step)}>
      <Text block as="h3" size={400} weight="semibold" className={styles.heading} id={headingId} tabIndex={-1}>
        {step.look.icon} {step.title}
      </Text>
      <dl className={styles.facts}>
        {facts.map(([term, value]) => (
          <div key={term} style={{ display: "contents" }}>
            <dt className={styles.term}>{term}</dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
      </dl>
      {step.forms.length > 0 ? (
        <div className={styles.actions} data-print="hide">
          {step.forms.map((form) => (
            <Button key={`${form.verb} ${JSON.stringify(form.params)}`} appearance="primary" onClick={() => onRecord(form)} {...restoreFocus}>
              {form.title}
            </Button>
          ))}
        </div>
      ) : null}
    </section>
  );
}
