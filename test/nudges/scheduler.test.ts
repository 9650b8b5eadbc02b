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

const summary = (extra: Partial<NudgeRunSummary> = {}): NudgeRunSummary => ({
  date: "",
  due: 0,
  recorded: 0,
  sent: { cards: 0, nudges: 0 },
  superseded: 0,
  unreachable: 0,
  waiting: 0,
  rejected: 0,
  deferred: 0,
  unconfirmed: 0,
  errors: 0,
  durationMs: 0,
  ...extra,
});

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

  /** A runner that notes when it ran (Oslo time) and answers from a script. */
  function fakeRunner(answers: Array<Partial<NudgeRunSummary>> = []) {
    const runs: string[] = [];
    return {
      runs,
      runner: {
        async run() {
          runs.push(oslo(new Date())!);
          return summary(answers.shift());
        },
        async drain() {},
      },
    };
  }
  const start = (runner: ReturnType<typeof fakeRunner>["runner"]) =>
    startScheduler({ runner, clock: () => DateTime.fromMillis(Date.now()), nudgeTime: "09:00", logger: createLogger("silent"), workingDays: {}, leaseMs: 60_000 });

  it("runs at the time on the app's clock, once, and again the next weekday", async () => {
    vi.useFakeTimers({ now: new Date("2027-03-26T07:58:00Z"), toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { runs, runner } = fakeRunner();
    const scheduler = start(runner);
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

describe("catching up the same day", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("started after today's time on a working day (a crash or a deploy at 09:00): runs at once; on a holiday it waits", async () => {
    vi.useFakeTimers({ now: new Date("2027-03-24T10:30:00Z"), toFake: ["setTimeout", "clearTimeout", "Date"] });
    const runs: string[] = [];
    const runner = { run: async () => (runs.push(oslo(new Date())!), summary()), drain: async () => {} };
    const options = { runner, clock: () => DateTime.fromMillis(Date.now()), nudgeTime: "09:00", logger: createLogger("silent"), workingDays: {}, leaseMs: 60_000 };
    const scheduler = startScheduler(options);
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toEqual(["2027-03-24T11:30:00+01:00"]);
    scheduler.stop();

    // Maundy Thursday (25 March 2027), after nine: a public holiday, so no catch-up run.
    vi.setSystemTime(new Date("2027-03-25T10:30:00Z"));
    const again = startScheduler(options);
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toHaveLength(1);
    again.stop();
  });

  it("a run that found the lease held by another tries once more after the lease had time to run out", async () => {
    vi.useFakeTimers({ now: new Date("2027-03-24T07:59:00Z"), toFake: ["setTimeout", "clearTimeout", "Date"] });
    const runs: string[] = [];
    const answers: Array<Partial<NudgeRunSummary>> = [{ skipped: "another-run-holds-the-lease" }, { skipped: "another-run-holds-the-lease" }];
    const runner = { run: async () => (runs.push(oslo(new Date())!), summary(answers.shift())), drain: async () => {} };
    const scheduler = startScheduler({ runner, clock: () => DateTime.fromMillis(Date.now()), nudgeTime: "09:00", logger: createLogger("silent"), workingDays: {}, leaseMs: 60_000 });
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(runs).toEqual(["2027-03-24T09:00:00+01:00"]);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(runs).toEqual(["2027-03-24T09:00:00+01:00", "2027-03-24T09:01:01+01:00"]);
    // Held again: no third try today; the next is tomorrow at nine.
    await vi.advanceTimersByTimeAsync(12 * 3600_000);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(12 * 3600_000);
    expect(runs.at(-1)).toBe("2027-03-25T09:00:00+01:00");
    scheduler.stop();
  });
});
