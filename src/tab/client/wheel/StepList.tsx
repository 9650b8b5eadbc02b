/**
 * The wheel's content as a list by date: title, state (icon and word), deadline, who is
 * responsible. Nobody needs the picture to get the facts; the titles select a step as the wheel does.
 */
import { Link, makeStyles, Text, tokens } from "@fluentui/react-components";
import type { Wheel, WheelStep } from "../../api-schema";
import { useTab } from "../common";
import { formatShortDay } from "../strings";
import { uid } from "./geometry";

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
});

export function StepList({ wheel, ordered, selected, onSelect }: { wheel: Wheel; ordered: WheelStep[]; selected?: string; onSelect: (key: string) => void }) {
  const { t, lang } = useTab();
  const styles = useStyles();
  return (
    <ol className={styles.list} data-step-list="">
      {ordered.map((step) => (
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
