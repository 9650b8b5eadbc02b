/**
 * The wheel's content as a list, led like the status card: «Forfalt» (overdue and blocked), «Neste
 * frister» (open now), then the rest of the year by deadline. Each line: title, state (icon and
 * word), deadline, who is responsible. Nobody needs the picture to get the facts; the titles
 * select a step as the wheel does, and the wheel's arrow keys follow this order.
 */
import { Link, makeStyles, Text, tokens } from "@fluentui/react-components";
import type { Wheel, WheelStep } from "../../api-schema";
import { useTab } from "../common";
import { formatShortDay } from "../strings";
import { uid, type ListGroup } from "./geometry";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  item: {
    display: "grid",
    gridTemplateColumns: "1.6em 1fr",
    columnGap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalXS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  // A bar at the start, not a background: the link and the grey line keep their contrast in every theme.
  selected: { boxShadow: `inset ${tokens.strokeWidthThicker} 0 0 0 ${tokens.colorBrandStroke1}`, paddingInlineStart: tokens.spacingHorizontalS },
  icon: { gridRow: "1 / span 2", fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  meta: { color: tokens.colorNeutralForeground2, gridColumn: "2" },
  other: { fontStyle: "italic" },
  title: { textAlign: "start" },
  group: { marginBottom: tokens.spacingVerticalM },
  groupHeading: { margin: `0 0 ${tokens.spacingVerticalXXS}`, paddingInline: tokens.spacingHorizontalXS, textTransform: "none" },
  // The late group's heading in the danger colour (its word says it too; colour is not the only cue).
  lateHeading: { color: tokens.colorPaletteRedForeground1 },
});

export function StepList({ wheel, groups, selected, onSelect }: { wheel: Wheel; groups: Array<{ group: ListGroup; steps: WheelStep[] }>; selected?: string; onSelect: (key: string) => void }) {
  const { t } = useTab();
  const styles = useStyles();
  // One group only (nothing late, nothing open): the section's own heading says it all.
  const headed = groups.length > 1 || groups[0]?.group !== "rest";
  return (
    <div data-step-list="">
      {groups.map(({ group, steps }) => (
        <div key={group} data-list-group={group} className={styles.group}>
          {headed ? (
            <Text block as="h4" size={200} weight="semibold" className={group === "overdue" ? `${styles.groupHeading} ${styles.lateHeading}` : styles.groupHeading}>
              {t(`tab.list.group.${group}`, { count: steps.length })}
            </Text>
          ) : null}
          <Steps wheel={wheel} steps={steps} selected={selected} onSelect={onSelect} styles={styles} />
        </div>
      ))}
    </div>
  );
}

function Steps({ wheel, steps, selected, onSelect, styles }: { wheel: Wheel; steps: WheelStep[]; selected?: string; onSelect: (key: string) => void; styles: ReturnType<typeof useStyles> }) {
  const { t, lang } = useTab();
  return (
    <ol className={styles.list}>
      {steps.map((step) => (
        <li key={uid(step)} className={`${styles.item} ${uid(step) === selected ? styles.selected : ""}`} data-step={uid(step)} data-state={step.look.state} aria-current={uid(step) === selected ? "true" : undefined}>
          <span className={styles.icon} aria-hidden="true">
            {step.look.icon}
          </span>
          <Link as="button" className={styles.title} onClick={() => onSelect(uid(step))}>
            {step.title}
            {step.year !== wheel.year ? <span className={styles.other}> {t("tab.list.otherCycle", { year: step.year })}</span> : null}
          </Link>
          <Text size={200} className={styles.meta}>
            {t("tab.list.meta", { state: step.look.label, deadline: formatShortDay(step.deadline, lang, wheel.year), responsible: step.recordedBy ?? step.responsible })}
          </Text>
        </li>
      ))}
    </ol>
  );
}
