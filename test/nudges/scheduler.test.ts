/**
 * The scheduler: a run at NUDGE_TIME, Europe/Oslo, Monday to Friday (the run itself skips public
 * holidays and, by default, Christmas week and July: product.md, "Norwegian public holidays").
 */
import { DateTime } from "luxon";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/logger.js";
import { nextNudgeRun, startScheduler } from "../../src/nudges/scheduler.js";
import type { NudgeRunSummary } from "../../src/nudges/run.js";

const oslo = (d: Date) => DateTime.fromJSDate(d, { zone: "Europe/Oslo" }).toISO({ suppressMilliseconds: true });

describe("when the next run is", () => {
  it("at NUDGE_TIME Oslo time, summer and winter alike", () => {
    expect(oslo(nextNudgeRun("09:00", new Date("2027-01-12T06:00:00Z")))).toBe("2027-01-12T09:00:00+01:00");
    expect(oslo(nextNudgeRun("09:00", new Date("2027-06-15T06:00:00Z")))).toBe("2027-06-15T09:00:00+02:00");
    expect(oslo(nextNudgeRun("07:30", new Date("2027-06-15T06:00:00Z")))).toBe("2027-06-16T07:30:00+02:00");
  });

  it("over a weekend to Monday, across the switch to summer time (28 March 2027)", () => {
    expect(oslo(nextNudgeRun("09:00", new Date("2027-03-26T09:00:00Z")))).toBe("2027-03-29T09:00:00+02:00");
  });

  it("after a run, the next working-week day, never the same minute again", () => {
    expect(oslo(nextNudgeRun("09:00", new Date("2027-11-17T08:00:00Z")))).toBe("2027-11-18T09:00:00+01:00");
  });
});

describe("the scheduler", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs at the time on the app's clock, once, and again the next weekday", async () => {
    vi.useFakeTimers({ now: new Date("2027-03-26T07:58:00Z"), toFake: ["setTimeout", "clearTimeout", "Date"] });
    const runs: string[] = [];
    const runner = {
      async run(): Promise<NudgeRunSummary> {
        runs.push(oslo(new Date())!);
        return { date: "", due: 0, recorded: 0, sent: { cards: 0, nudges: 0 }, unreachable: 0, rejected: 0, deferred: 0, durationMs: 0 };
      },
    };
    const scheduler = startScheduler({ runner, clock: () => DateTime.fromMillis(Date.now()), nudgeTime: "09:00", logger: createLogger("silent") });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(runs).toEqual(["2027-03-26T09:00:00+01:00"]);
    await vi.advanceTimersByTimeAsync(3 * 24 * 3600_000);
    expect(runs).toEqual(["2027-03-26T09:00:00+01:00", "2027-03-29T09:00:00+02:00"]);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(3 * 24 * 3600_000);
    expect(runs).toHaveLength(2);
  });
});
