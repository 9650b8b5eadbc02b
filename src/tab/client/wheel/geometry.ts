/**
 * The annual wheel's geometry: dates to angles (1 January at twelve o'clock, clockwise), steps to
 * rings and lanes (steps whose windows overlap get separate lanes, so no arc hides another), and
 * SVG arc paths. Pure functions, no React.
 */
import type { Wheel, WheelStep } from "../../api-schema";

export const SIZE = 400;
export const CENTER = SIZE / 2;
/** Steps shorter than this (in degrees) also get a dot at the deadline, so they can be seen and hit. */
export const SHORT_ARC = 8;

export type Ring = "national" | "region" | "overlap";

/** Radii of each ring's band (inner, outer), from the centre out: national, region, the January overlap. */
export const BANDS: Record<Ring, [number, number]> = {
  national: [56, 102],
  region: [108, 156],
  overlap: [161, 181],
};
export const MONTH_LABEL_RADIUS = 194;

const DAY_MS = 86_400_000;
const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Degrees from 1 January of `year` (0) clockwise; a date in the next year goes past 360. */
export function angleOf(iso: string, year: number): number {
  const start = Date.UTC(year, 0, 1);
  const days = (Date.UTC(year + 1, 0, 1) - start) / DAY_MS;
  return ((utc(iso) - start) / DAY_MS / days) * 360;
}

/**
 * The ring a step is drawn on: a step of the other cycle, or one of this cycle that falls in next
 * year's January (the signing), goes on the thin overlap ring, drawn dashed.
 */
export function ringOf(step: WheelStep, year: number): Ring {
  if (step.year !== year || Number(step.opensOn.slice(0, 4)) > year) return "overlap";
  return step.track;
}

export interface PlacedStep {
  step: WheelStep;
  ring: Ring;
  lane: number;
  lanes: number;
  /** Degrees, start < end; the deadline day is included. */
  start: number;
  end: number;
  short: boolean;
}

/**
 * Where each step goes. On the overlap ring, a step of the previous cycle starts no earlier than
 * 1 January. Instances of one step with one window (the follow-up report per agency, the
 * signing per party) share a lane, the window split into one segment each in title order, so
 * they stay side by side instead of stacking into hair-thin lanes.
 */
export function place(wheel: Wheel): PlacedStep[] {
  const spans = wheel.steps.map((step) => {
    const ring = ringOf(step, wheel.year);
    // The overlap ring shows January: the part of an earlier window before 1 January is last year's.
    const opens = ring === "overlap" && step.opensOn < `${wheel.year}-01-01` ? `${wheel.year}-01-01` : step.opensOn;
    // On the overlap ring, next year's January is drawn at January too.
    const base = ring === "overlap" && Number(opens.slice(0, 4)) > wheel.year ? wheel.year + 1 : wheel.year;
    let start = angleOf(opens, base);
    let end = angleOf(step.deadline, base) + 360 / 365;
    if (end < start) [start, end] = [end, start];
    return { step, ring, start, end };
  });
  const groups = new Map<string, typeof spans>();
  for (const s of spans) {
    const key = [s.ring, s.step.stepId, s.step.year, s.start, s.end].join("|");
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const placed: PlacedStep[] = [];
  for (const ring of ["national", "region", "overlap"] as const) {
    const inRing = [...groups.values()].filter((g) => g[0]!.ring === ring).sort((a, b) => a[0]!.start - b[0]!.start || a[0]!.end - b[0]!.end);
    // Greedy interval partitioning: the first lane whose last arc ends before this one starts.
    const laneEnds: number[] = [];
    const lanesOf = inRing.map((g) => {
      const { start, end } = g[0]!;
      let lane = laneEnds.findIndex((laneEnd) => laneEnd + 1 < start);
      if (lane < 0) lane = laneEnds.push(0) - 1;
      laneEnds[lane] = Math.max(end, start + SHORT_ARC);
      return lane;
    });
    inRing.forEach((group, i) => {
      const members = [...group].sort((a, b) => a.step.title.localeCompare(b.step.title));
      const { start, end } = members[0]!;
      const share = (end - start) / members.length;
      // A hair of space between the segments of one group, so each reads as its own.
      const gap = members.length > 1 ? Math.min(0.8, share / 5) : 0;
      members.forEach((m, j) => {
        const segStart = start + j * share;
        const segEnd = segStart + share - gap;
        placed.push({ step: m.step, ring, start: segStart, end: segEnd, short: segEnd - segStart < SHORT_ARC, lane: lanesOf[i]!, lanes: laneEnds.length });
      });
    });
  }
  return placed;
}

/** The lane's centre radius and stroke width within its ring's band. */
export function laneRadius(p: Pick<PlacedStep, "ring" | "lane" | "lanes">): { radius: number; width: number } {
  const [inner, outer] = BANDS[p.ring];
  const pitch = (outer - inner) / Math.max(1, p.lanes);
  return { radius: inner + pitch * (p.lane + 0.5), width: Math.max(2, Math.min(pitch - 1.5, 12)) };
}

export function point(angle: number, radius: number): { x: number; y: number } {
  const rad = ((angle - 90) * Math.PI) / 180;
  return { x: CENTER + radius * Math.cos(rad), y: CENTER + radius * Math.sin(rad) };
}

/** An SVG arc path from `start` to `end` degrees at `radius`. */
export function arcPath(start: number, end: number, radius: number): string {
  const span = Math.min(end - start, 359.9);
  const a = point(start, radius);
  const b = point(start + span, radius);
  const f = (n: number) => n.toFixed(2);
  return `M ${f(a.x)} ${f(a.y)} A ${radius} ${radius} 0 ${span > 180 ? 1 : 0} 1 ${f(b.x)} ${f(b.y)}`;
}

/**
 * A step's identity on the page: its key within its cycle, and the cycle year. The January overlap
 * puts two cycles on one wheel, and a step's key (e.g. `agreement-signed:IN`) repeats across them.
 */
export const uid = (step: WheelStep) => `${step.year}/${step.key}`;

export type ListGroup = "overdue" | "next" | "rest";

/**
 * The list beside the wheel, as the status card leads: what is late (overdue, or blocked past its
 * deadline), then what is open now by deadline (or, when nothing is, the next steps to open), then
 * the rest of the year by deadline. `steps` in date order ({@link byDate}); empty groups left out.
 */
export function listGroups(steps: readonly WheelStep[]): Array<{ group: ListGroup; steps: WheelStep[] }> {
  const late = steps.filter((s) => s.look.state === "overdue" || s.look.state === "blocked");
  let next = steps.filter((s) => s.look.state === "due-soon" || s.look.state === "open" || s.look.state === "waiting");
  if (next.length === 0) {
    const first = steps.find((s) => s.look.state === "not-yet-open");
    next = first ? steps.filter((s) => s.look.state === "not-yet-open" && s.deadline === first.deadline) : [];
  }
  const rest = steps.filter((s) => !late.includes(s) && !next.includes(s));
  return (
    [
      { group: "overdue", steps: late },
      { group: "next", steps: next },
      { group: "rest", steps: rest },
    ] as const
  ).filter((g) => g.steps.length > 0).map((g) => ({ group: g.group, steps: [...g.steps] }));
}

/** Steps in the order people read them: by deadline, then by when they open, then by title. */
export function byDate(a: WheelStep, b: WheelStep): number {
  return a.deadline.localeCompare(b.deadline) || a.opensOn.localeCompare(b.opensOn) || a.title.localeCompare(b.title);
}
