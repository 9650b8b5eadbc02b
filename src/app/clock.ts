import { DateTime } from "luxon";

/** The app's notion of "now". Domain code never reads the clock; use cases get it from here. */
export type Clock = () => DateTime;

/**
 * The system clock, or — with `CLOCK_NOW` — a clock that starts at that instant and moves on in
 * real time, so that any day of the year can be tried (and tests can walk through a year).
 */
export function createClock(clockNow?: DateTime, realNow: () => number = Date.now): Clock {
  if (!clockNow) return () => DateTime.fromMillis(realNow());
  const offset = clockNow.toMillis() - realNow();
  return () => DateTime.fromMillis(realNow() + offset);
}
