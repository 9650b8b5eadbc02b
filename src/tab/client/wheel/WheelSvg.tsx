/**
 * The annual wheel as SVG: twelve months on a ring, today marked, each step an arc from the day
 * it opens to its deadline (national track inside, the region's outside, the January overlap of
 * two cycles dashed on a thin outer ring), coloured by state and carrying the state's icon. Each
 * step is a button: Tab reaches it, Enter/Space/click selects it, the arrow keys move between
 * steps in date order (the order of the list beside).
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import { useRef, type KeyboardEvent } from "react";
import type { Wheel, WheelStep } from "../../api-schema";
import { useTab } from "../common";
import { STATE_COLOR, STATE_WEIGHT } from "../look";
import { formatShortDay, monthNames } from "../strings";
import { angleOf, arcPath, uid, BANDS, CENTER, laneRadius, MONTH_LABEL_RADIUS, place, point, SIZE, type PlacedStep } from "./geometry";

const useStyles = makeStyles({
  svg: { width: "100%", height: "auto", maxWidth: "560px", display: "block", overflow: "visible", fontFamily: tokens.fontFamilyBase },
  step: {
    cursor: "pointer",
    outlineStyle: "none",
    "& .halo": { stroke: "transparent" },
    ":hover .halo": { stroke: tokens.colorNeutralStroke1Hover },
    ":focus-visible .halo": { stroke: tokens.colorStrokeFocus2 },
  },
  selected: { "& .halo": { stroke: tokens.colorNeutralForeground1 }, ":focus-visible .halo": { stroke: tokens.colorStrokeFocus2 } },
  month: { fill: tokens.colorNeutralForeground2, fontSize: "13px" },
  spoke: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1 },
  band: { fill: "none", stroke: tokens.colorNeutralBackground2 },
  overlapBand: { fill: "none", stroke: tokens.colorNeutralStroke2, strokeDasharray: "3 3" },
  today: { stroke: tokens.colorNeutralForeground1, strokeWidth: 2 },
  centre: { fill: tokens.colorNeutralForeground1, fontSize: "18px", fontWeight: tokens.fontWeightSemibold },
  centreSmall: { fill: tokens.colorNeutralForeground2, fontSize: "11px" },
  icon: { fontSize: "8px", pointerEvents: "none" },
});

export function stepLabel(step: WheelStep, wheel: Wheel, t: ReturnType<typeof useTab>["t"], lang: ReturnType<typeof useTab>["lang"]): string {
  const args = { title: step.title, state: step.look.label, deadline: formatShortDay(step.deadline, lang, wheel.year), year: step.year };
  return step.year === wheel.year ? t("tab.step.aria", args) : t("tab.step.ariaOtherCycle", args);
}

export function WheelSvg({ wheel, ordered, selected, onSelect }: { wheel: Wheel; ordered: WheelStep[]; selected?: string; onSelect: (key: string) => void }) {
  const { t, lang } = useTab();
  const styles = useStyles();
  const refs = useRef(new Map<string, SVGGElement>());
  const placed = place(wheel);
  const months = monthNames(lang);
  const todayInYear = wheel.today.startsWith(`${wheel.year}-`);
  const todayAngle = angleOf(wheel.today, wheel.year);

  const onKey = (event: KeyboardEvent<SVGGElement>, key: string) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect(key);
      return;
    }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const at = ordered.findIndex((s) => uid(s) === key);
    const next = step === Infinity ? ordered.length - 1 : step === -Infinity ? 0 : (at + step + ordered.length) % ordered.length;
    const target = ordered[next];
    if (target) refs.current.get(uid(target))?.focus();
  };

  // Selected arcs last, so their halo is drawn over their neighbours.
  const drawOrder = [...placed].sort((a, b) => Number(uid(a.step) === selected) - Number(uid(b.step) === selected));
  return (
    <svg viewBox={`-18 -14 ${SIZE + 36} ${SIZE + 28}`} className={styles.svg} role="group" aria-label={t("tab.wheel.aria", { region: wheel.region.name, year: wheel.year })} data-wheel="">
      <g aria-hidden="true">
        {(["national", "region"] as const).map((ring) => {
          const [inner, outer] = BANDS[ring];
          return <circle key={ring} cx={CENTER} cy={CENTER} r={(inner + outer) / 2} className={styles.band} strokeWidth={outer - inner} />;
        })}
        {/* The overlap ring's January, outlined dashed: the arcs there belong to another cycle's January. */}
        <path d={arcPath(0, 360 / 12, BANDS.overlap[0] - 1.5)} className={styles.overlapBand} />
        <path d={arcPath(0, 360 / 12, BANDS.overlap[1] + 1.5)} className={styles.overlapBand} />
        {months.map((name, m) => {
          const a = angleOf(`${wheel.year}-${String(m + 1).padStart(2, "0")}-01`, wheel.year);
          const mid = angleOf(`${wheel.year}-${String(m + 1).padStart(2, "0")}-15`, wheel.year);
          const from = point(a, BANDS.national[0] - 4);
          const to = point(a, BANDS.overlap[1] + 4);
          const label = point(mid, MONTH_LABEL_RADIUS);
          return (
            <g key={m}>
              <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} className={styles.spoke} />
              <text x={label.x} y={label.y} textAnchor="middle" dominantBaseline="central" className={styles.month} data-month="">
                {name}
              </text>
            </g>
          );
        })}
        <text x={CENTER} y={CENTER - 8} textAnchor="middle" className={styles.centre}>
          {wheel.year}
        </text>
        <text x={CENTER} y={CENTER + 10} textAnchor="middle" className={styles.centreSmall}>
          {wheel.region.name}
        </text>
      </g>
      {drawOrder.map((p) => (
        <StepArc key={uid(p.step)} p={p} wheel={wheel} selected={uid(p.step) === selected} styles={styles} label={stepLabel(p.step, wheel, t, lang)} onSelect={onSelect} onKey={onKey} refs={refs.current} />
      ))}
      {todayInYear ? <TodayMarker angle={todayAngle} className={styles.today} /> : null}
    </svg>
  );
}

/** Today: a line across the rings, its dot inside (out of the way of the month names round the edge). */
function TodayMarker({ angle, className }: { angle: number; className: string }) {
  const from = point(angle, BANDS.national[0] - 8);
  const to = point(angle, BANDS.overlap[1] + 2);
  return (
    <g aria-hidden="true" data-today="" pointerEvents="none">
      <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} className={className} />
      <circle cx={from.x} cy={from.y} r={4} fill={tokens.colorNeutralForeground1} />
    </g>
  );
}

function StepArc(props: {
  p: PlacedStep;
  wheel: Wheel;
  selected: boolean;
  styles: ReturnType<typeof useStyles>;
  label: string;
  onSelect: (key: string) => void;
  onKey: (event: KeyboardEvent<SVGGElement>, key: string) => void;
  refs: Map<string, SVGGElement>;
}) {
  const { p, styles, selected, label, onSelect, onKey, refs } = props;
  const { radius, width } = laneRadius(p);
  const d = arcPath(p.start, p.end, radius);
  const colour = STATE_COLOR[p.step.look.state];
  const end = point(p.end - 0.5, radius);
  const dashed = p.ring === "overlap";
  // Steps not open yet (or not followed up) are a thin line: the year ahead stays visible, what needs doing now stands out.
  const weight = STATE_WEIGHT[p.step.look.state];
  const faint = weight === 0;
  const stroke = faint ? Math.min(width, 2) : Math.max(2.5, width * weight);
  return (
    <g
      ref={(el) => {
        if (el) refs.set(uid(p.step), el);
        else refs.delete(uid(p.step));
      }}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={selected}
      className={`${styles.step} ${selected ? styles.selected : ""}`}
      onClick={() => onSelect(uid(p.step))}
      onKeyDown={(event) => onKey(event, uid(p.step))}
      data-step={uid(p.step)}
      data-state={p.step.look.state}
    >
      <path className="halo" d={d} fill="none" strokeWidth={width + 5} strokeLinecap="round" />
      <path d={d} fill="none" stroke={colour} strokeWidth={stroke} strokeDasharray={dashed ? "4 2" : undefined} strokeLinecap="butt" />
      {p.short ? <circle cx={end.x} cy={end.y} r={Math.max(2.5, stroke / 2 + 1.5)} fill={colour} /> : null}
      <text x={end.x} y={end.y} textAnchor="middle" dominantBaseline="central" className={styles.icon} style={{ fontSize: `${Math.max(6, Math.min(width + 2, 10))}px` }} aria-hidden="true">
        {p.step.look.icon}
      </text>
    </g>
  );
}
