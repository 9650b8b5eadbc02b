/**
 * The in-process scheduler: a nudge run at NUDGE_TIME (Europe/Oslo) on Norwegian working days.
 * croner turns the time into the next instant (daylight saving included); the working-day rule
 * (weekends, public holidays, optionally Christmas week and July) is the domain's, applied by
 * the run itself, so the on-demand trigger follows the same rule.
 *
 * Times are the app's clock, not the wall clock: with CLOCK_NOW=2027-03-17T08:59 the run comes a
 * minute later, as a person trying the bot would expect.
 */
import { Cron } from "croner";
import type { Clock } from "../app/clock.js";
import { DateTime } from "luxon";
import { isWorkingDay, osloDate, OSLO, type WorkingDayOptions } from "../domain/calendar.js";
import type { Logger } from "../logger.js";
import type { NudgeRunner } from "./run.js";

/** A daily pattern at HH:MM; croner's weekday field already skips Saturdays and Sundays. */
export function nudgePattern(nudgeTime: string): Cron {
  const [hour, minute] = nudgeTime.split(":").map(Number);
  return new Cron(`${minute} ${hour} * * 1-5`, { timezone: OSLO, paused: true });
}

/** The next run after `after` (an instant on the app's clock). */
export function nextNudgeRun(nudgeTime: string, after: Date): Date {
  const next = nudgePattern(nudgeTime).nextRun(after);
  if (!next) throw new Error(`no next run for NUDGE_TIME ${nudgeTime}`);
  return next;
}

export interface Scheduler {
  stop(): void;
}

/** Longest single wait: a timer is re-armed at least this often (Node's setTimeout tops out near 24.8 days). */
const MAX_WAIT_MS = 6 * 60 * 60 * 1000;

/**
 * Runs at NUDGE_TIME on weekdays. Two more runs keep "a crash loses nothing" true the same day:
 * at start, when today's time has passed (the process may have died in the middle of today's
 * run, or missed it); and when a run found the lease held by another run, once more after the
 * lease had time to run out (its holder may have died).
 */
export function startScheduler(deps: { runner: Pick<NudgeRunner, "run">; clock: Clock; nudgeTime: string; logger: Logger; workingDays: WorkingDayOptions; leaseMs: number }): Scheduler {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const later = (ms: number, then: () => void) => {
    timer = setTimeout(then, ms);
    timer.unref();
  };
  const runThen = (retryIfHeld: boolean) => {
    deps.runner.run().then(
      (summary) => {
        deps.logger.info({ summary }, "scheduled nudge run");
        if (retryIfHeld && summary.skipped === "another-run-holds-the-lease" && !stopped) return later(deps.leaseMs + 1_000, () => runThen(false));
        arm();
      },
      (error: unknown) => {
        deps.logger.error({ err: error }, "scheduled nudge run failed; the next run sends what is left");
        arm();
      },
    );
  };
  const arm = () => {
    if (stopped) return;
    const now = deps.clock().toJSDate();
    const wait = nextNudgeRun(deps.nudgeTime, now).getTime() - now.getTime();
    later(Math.min(wait, MAX_WAIT_MS), () => (wait > MAX_WAIT_MS ? arm() : runThen(true)));
  };
  const now = deps.clock();
  const todaysRun = DateTime.fromISO(`${osloDate(now)}T${deps.nudgeTime}`, { zone: OSLO });
  if (isWorkingDay(now, deps.workingDays) && now >= todaysRun) later(0, () => runThen(true));
  else arm();
  deps.logger.info({ next: nextNudgeRun(deps.nudgeTime, deps.clock().toJSDate()).toISOString(), nudgeTime: deps.nudgeTime }, "nudge scheduler started");
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
