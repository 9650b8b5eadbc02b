import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  OSLO,
  addDays,
  addWorkingDays,
  workingDayOnOrBefore,
  compareIsoDate,
  easterSunday,
  endOfDayOslo,
  formatDate,
  formatDateTime,
  isPublicHoliday,
  isWorkingDay,
  norwegianHolidays,
  osloDate,
  parseIsoDate,
  startOfDayOslo,
  workingDaysBetween,
  type IsoDate,
  type Lang,
} from "../../src/domain/calendar.js";

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: "utc" });

describe("Easter", () => {
  it.each([
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2028, "2028-04-16"],
    [2029, "2029-04-01"],
    [2030, "2030-04-21"],
    [2031, "2031-04-13"],
    [2032, "2032-03-28"],
    [2033, "2033-04-17"],
    [2034, "2034-04-09"],
    [2035, "2035-03-25"],
  ])("Easter is computed: %i → %s", (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it.each([
    [2000, "2000-04-23"],
    [2019, "2019-04-21"],
    [1818, "1818-03-22"], // earliest possible date
    [1943, "1943-04-25"], // latest possible date
    [2038, "2038-04-25"],
  ])("Easter is computed for historical and extreme years: %i → %s", (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it("Easter is always a Sunday between 22 March and 25 April", () => {
    for (let year = 1900; year <= 2200; year++) {
      const easter = DateTime.fromISO(easterSunday(year), { zone: "utc" });
      expect(easter.weekday, String(year)).toBe(7);
      const monthDay = easter.toFormat("MM-dd");
      expect(monthDay >= "03-22" && monthDay <= "04-25", `${year}: ${monthDay}`).toBe(true);
    }
  });

  it("Easter rejects years an IsoDate cannot express", () => {
    expect(() => easterSunday(2027.5)).toThrow(RangeError);
    expect(() => easterSunday(10000)).toThrow(RangeError);
  });
});

describe("public holidays", () => {
  it("the 12 holidays of 2027 are listed by date, with 17 May and Whit Monday sharing a day", () => {
    expect(norwegianHolidays(2027).map((h) => [h.date, h.name.nb])).toEqual([
      ["2027-01-01", "Nyttårsdag"],
      ["2027-03-25", "Skjærtorsdag"],
      ["2027-03-26", "Langfredag"],
      ["2027-03-28", "Første påskedag"],
      ["2027-03-29", "Andre påskedag"],
      ["2027-05-01", "Arbeidernes dag"],
      ["2027-05-06", "Kristi himmelfartsdag"],
      ["2027-05-16", "Første pinsedag"],
      ["2027-05-17", "Grunnlovsdagen"],
      ["2027-05-17", "Andre pinsedag"],
      ["2027-12-25", "Første juledag"],
      ["2027-12-26", "Andre juledag"],
    ]);
  });

  it("the holidays of 2028 follow Easter 16 April: Ascension 25 May, Whit Monday 5 June", () => {
    expect(norwegianHolidays(2028).map((h) => h.date)).toEqual([
      "2028-01-01",
      "2028-04-13",
      "2028-04-14",
      "2028-04-16",
      "2028-04-17",
      "2028-05-01",
      "2028-05-17",
      "2028-05-25",
      "2028-06-04",
      "2028-06-05",
      "2028-12-25",
      "2028-12-26",
    ]);
  });

  it("holidays are named in bokmål, nynorsk and English", () => {
    expect(norwegianHolidays(2026).map((h) => [h.date, h.name.nb, h.name.nn, h.name.en])).toEqual([
      ["2026-01-01", "Nyttårsdag", "Nyttårsdag", "New Year's Day"],
      ["2026-04-02", "Skjærtorsdag", "Skjærtorsdag", "Maundy Thursday"],
      ["2026-04-03", "Langfredag", "Langfredag", "Good Friday"],
      ["2026-04-05", "Første påskedag", "Første påskedag", "Easter Sunday"],
      ["2026-04-06", "Andre påskedag", "Andre påskedag", "Easter Monday"],
      ["2026-05-01", "Arbeidernes dag", "Arbeidarane sin dag", "Labour Day"],
      ["2026-05-14", "Kristi himmelfartsdag", "Kristi himmelfartsdag", "Ascension Day"],
      ["2026-05-17", "Grunnlovsdagen", "Grunnlovsdagen", "Constitution Day"],
      ["2026-05-24", "Første pinsedag", "Første pinsedag", "Whit Sunday"],
      ["2026-05-25", "Andre pinsedag", "Andre pinsedag", "Whit Monday"],
      ["2026-12-25", "Første juledag", "Første juledag", "Christmas Day"],
      ["2026-12-26", "Andre juledag", "Andre juledag", "Boxing Day"],
    ]);
  });

  it("every holiday of 2027 is a public holiday and not a working day", () => {
    const holidays = norwegianHolidays(2027);
    expect(holidays).toHaveLength(12);
    for (const h of holidays) {
      expect(isPublicHoliday(h.date), h.date).toBe(true);
      expect(isWorkingDay(h.date), h.date).toBe(false);
    }
  });

  it("around Easter 2027 only Wednesday 24 and Tuesday 30 March are working days", () => {
    const expected: Array<[IsoDate, boolean]> = [
      ["2027-03-24", true], // Wednesday
      ["2027-03-25", false], // Maundy Thursday
      ["2027-03-26", false], // Good Friday
      ["2027-03-27", false], // Saturday
      ["2027-03-28", false], // Easter Sunday
      ["2027-03-29", false], // Easter Monday
      ["2027-03-30", true], // Tuesday
    ];
    expect(expected.map(([d]) => [d, isWorkingDay(d)])).toEqual(expected);
  });

  it.each([
    ["2028-05-17", "17 May on a Wednesday"],
    ["2027-05-17", "17 May 2027, also Whit Monday"],
    ["2027-05-06", "Ascension 2027"],
    ["2028-06-05", "Whit Monday 2028"],
    ["2026-05-01", "1 May on a Friday"],
    ["2028-05-01", "1 May on a Monday"],
    ["2026-12-25", "Christmas Day on a Friday"],
    ["2027-01-01", "New Year's Day on a Friday"],
  ])("a public holiday on a weekday is not a working day: %s (%s)", (date) => {
    expect(DateTime.fromISO(date).weekday).toBeLessThanOrEqual(5);
    expect(isPublicHoliday(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each(["2027-05-07", "2027-05-18", "2027-05-05", "2027-12-24", "2027-12-31", "2028-05-16", "2027-07-12"])(
    "an ordinary weekday is not a public holiday: %s",
    (date) => {
      expect(isPublicHoliday(date)).toBe(false);
      expect(isWorkingDay(date)).toBe(true);
    },
  );

  it("norwegianHolidays returns a copy, so callers cannot corrupt the cache", () => {
    const first = norwegianHolidays(2029);
    first[0]!.date = "2029-06-01";
    first[0]!.name.nb = "Tull";
    first.pop();
    const again = norwegianHolidays(2029);
    expect(again).toHaveLength(12);
    expect(again[0]).toEqual({
      date: "2029-01-01",
      name: { nb: "Nyttårsdag", nn: "Nyttårsdag", en: "New Year's Day" },
    });
    expect(isPublicHoliday("2029-06-01")).toBe(false);
  });
});

describe("working days", () => {
  it.each([
    ["2027-04-03", "Saturday"],
    ["2027-04-04", "Sunday"],
    ["2027-06-12", "Saturday"],
    ["2027-06-13", "Sunday"],
  ])("weekends are not working days: %s (%s)", (date) => {
    expect(isPublicHoliday(date)).toBe(false);
    expect(isWorkingDay(date)).toBe(false);
    expect(isWorkingDay(date, { skipChristmasWeek: true, skipJulyHoliday: true })).toBe(false);
  });

  it("a week without holidays has exactly five working days, Monday to Friday", () => {
    const week = ["2027-06-07", "2027-06-08", "2027-06-09", "2027-06-10", "2027-06-11", "2027-06-12", "2027-06-13"];
    expect(week.map((d) => isWorkingDay(d))).toEqual([true, true, true, true, true, false, false]);
  });

  it("the Christmas week 24–31 December is skipped only when the option is set", () => {
    const days: IsoDate[] = [
      "2026-12-23", // Wed
      "2026-12-24", // Thu
      "2026-12-28", // Mon
      "2026-12-29",
      "2026-12-30",
      "2026-12-31", // Thu
      "2027-01-04", // Mon
    ];
    expect(days.map((d) => isWorkingDay(d))).toEqual([true, true, true, true, true, true, true]);
    expect(days.map((d) => isWorkingDay(d, { skipChristmasWeek: true }))).toEqual([
      true, false, false, false, false, false, true,
    ]);
    expect(days.map((d) => isWorkingDay(d, { skipJulyHoliday: true }))).toEqual([
      true, true, true, true, true, true, true,
    ]);
  });

  it("the July holiday is ISO weeks 28–30 (12 July – 1 August 2027) and is skipped only when the option is set", () => {
    const days: IsoDate[] = [
      "2027-07-09", // Fri, week 27
      "2027-07-12", // Mon, week 28
      "2027-07-21", // Wed, week 29
      "2027-07-30", // Fri, week 30
      "2027-08-02", // Mon, week 31
    ];
    expect(days.map((d) => isWorkingDay(d))).toEqual([true, true, true, true, true]);
    expect(days.map((d) => isWorkingDay(d, { skipJulyHoliday: true }))).toEqual([true, false, false, false, true]);
    expect(days.map((d) => isWorkingDay(d, { skipChristmasWeek: true }))).toEqual([true, true, true, true, true]);
  });

  it("the July holiday follows the ISO weeks of the year: 2026 is 6–24 July", () => {
    const opts = { skipJulyHoliday: true };
    expect(isWorkingDay("2026-07-03", opts)).toBe(true); // Fri, week 27
    expect(isWorkingDay("2026-07-06", opts)).toBe(false); // Mon, week 28
    expect(isWorkingDay("2026-07-24", opts)).toBe(false); // Fri, week 30
    expect(isWorkingDay("2026-07-27", opts)).toBe(true); // Mon, week 31
  });

  it("a DateTime is judged by its calendar date in Oslo, not in UTC or its own zone", () => {
    // 23:30 UTC on Wed 24 March 2027 is 00:30 on Maundy Thursday in Oslo.
    expect(isWorkingDay(utc("2027-03-24T23:30:00Z"))).toBe(false);
    expect(isPublicHoliday(utc("2027-03-24T23:30:00Z"))).toBe(true);
    expect(isWorkingDay(utc("2027-03-24T22:30:00Z"))).toBe(true);
    // 20:00 in New York on Tue 16 May 2028 is 02:00 on 17 May in Oslo.
    const ny = DateTime.fromISO("2028-05-16T20:00:00", { zone: "America/New_York" });
    expect(isPublicHoliday(ny)).toBe(true);
    expect(isWorkingDay(ny)).toBe(false);
  });

  it("malformed dates are rejected, not silently treated as non-working days", () => {
    expect(() => isWorkingDay("2027-02-30")).toThrow(RangeError);
    expect(() => isPublicHoliday("17.05.2027")).toThrow(RangeError);
    expect(() => addWorkingDays("2027-2-3", 1)).toThrow(RangeError);
    expect(() => addWorkingDays("2027-02-03", 1.5)).toThrow(RangeError);
    expect(() => workingDaysBetween("2027-01-01", "")).toThrow(RangeError);
    expect(() => isWorkingDay(DateTime.invalid("test"))).toThrow(RangeError);
  });
});

describe("adding and counting working days", () => {
  it.each<[IsoDate, number, IsoDate, string]>([
    ["2027-03-24", 1, "2027-03-30", "Easter 2027: Thu–Mon are off"],
    ["2027-03-24", 2, "2027-03-31", "Easter 2027, two days"],
    ["2027-03-30", -1, "2027-03-24", "backwards across Easter 2027"],
    ["2027-03-31", -3, "2027-03-23", "three days back across Easter"],
    ["2026-12-23", 1, "2026-12-24", "24 Dec is a working day by default"],
    ["2026-12-23", 2, "2026-12-28", "25 Dec (Fri) and the weekend are off"],
    ["2026-12-31", 1, "2027-01-04", "across year end: 1 Jan 2027 is a Friday"],
    ["2027-01-04", -1, "2026-12-31", "backwards across year end"],
    ["2027-06-11", 1, "2027-06-14", "Friday + 1 is Monday"],
    ["2027-06-12", 1, "2027-06-14", "from a Saturday"],
    ["2027-06-12", -1, "2027-06-11", "Saturday − 1 is Friday"],
    ["2027-05-05", 1, "2027-05-07", "Ascension Thursday is skipped"],
    ["2027-05-14", 1, "2027-05-18", "17 May / Whit Monday is skipped"],
    ["2027-06-07", 10, "2027-06-21", "two full weeks"],
  ])("addWorkingDays(%s, %i) = %s (%s)", (from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });

  it("addWorkingDays with n = 0 returns the date itself, even on a weekend or holiday", () => {
    expect(addWorkingDays("2027-03-24", 0)).toBe("2027-03-24");
    expect(addWorkingDays("2027-03-27", 0)).toBe("2027-03-27");
    expect(addWorkingDays("2027-05-17", 0)).toBe("2027-05-17");
  });

  it.each<[IsoDate, IsoDate, string]>([
    ["2027-03-24", "2027-03-24", "a Wednesday stays"],
    ["2027-01-31", "2027-01-29", "Sunday → Friday"],
    ["2027-03-29", "2027-03-24", "Easter Monday → over Easter Sunday, Saturday, Good Friday, Maundy Thursday → Wednesday"],
    ["2027-05-17", "2027-05-14", "Constitution Day and Whit Monday → Friday"],
    ["2027-12-31", "2027-12-23", "Christmas week → Thursday 23 December"],
    ["2027-12-24", "2027-12-23", "julaften → the day before"],
    ["2028-12-31", "2028-12-22", "2028: Sunday, and 23 December a Saturday → Friday 22 December"],
    ["2027-07-21", "2027-07-21", "the July holiday is not skipped unless asked"],
  ])("workingDayOnOrBefore(%s) with Christmas week off = %s (%s)", (date, expected) => {
    expect(workingDayOnOrBefore(date, { skipChristmasWeek: true })).toBe(expected);
  });

  it("workingDayOnOrBefore without options keeps 24–31 December's weekdays", () => {
    expect(workingDayOnOrBefore("2027-12-31")).toBe("2027-12-31");
    expect(workingDayOnOrBefore("2027-12-26")).toBe("2027-12-24");
  });

  it("addWorkingDays honours the Christmas week and July holiday options", () => {
    expect(addWorkingDays("2026-12-23", 1, { skipChristmasWeek: true })).toBe("2027-01-04");
    expect(addWorkingDays("2027-01-04", -1, { skipChristmasWeek: true })).toBe("2026-12-23");
    expect(addWorkingDays("2027-07-09", 1, { skipJulyHoliday: true })).toBe("2027-08-02");
    expect(addWorkingDays("2027-07-09", 1)).toBe("2027-07-12");
  });

  it.each<[IsoDate, IsoDate, number, string]>([
    ["2027-03-24", "2027-03-30", 1, "across Easter"],
    ["2027-03-30", "2027-03-24", -1, "across Easter, backwards"],
    ["2027-03-24", "2027-03-24", 0, "same day"],
    ["2027-06-11", "2027-06-13", 0, "Friday to Sunday"],
    ["2027-06-12", "2027-06-14", 1, "Saturday to Monday counts the Monday"],
    ["2027-06-11", "2027-06-12", 0, "the start day is never counted"],
    ["2027-01-01", "2027-12-31", 255, "working days of 2027 after New Year's Day"],
    ["2026-12-31", "2027-12-31", 255, "all working days of 2027"],
    ["2027-12-31", "2026-12-31", -255, "all working days of 2027, backwards"],
  ])("workingDaysBetween(%s, %s) = %i (%s)", (from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });

  it("workingDaysBetween honours the options: 2027 loses 6 Christmas-week and 15 July days", () => {
    expect(workingDaysBetween("2026-12-31", "2027-12-31", { skipChristmasWeek: true })).toBe(255 - 6);
    expect(workingDaysBetween("2026-12-31", "2027-12-31", { skipJulyHoliday: true })).toBe(255 - 15);
    expect(
      workingDaysBetween("2026-12-31", "2027-12-31", { skipChristmasWeek: true, skipJulyHoliday: true }),
    ).toBe(255 - 21);
  });

  it("workingDaysBetween is antisymmetric and inverts addWorkingDays from a working day", () => {
    const start = "2026-11-02";
    for (let i = 0; i < 500; i += 7) {
      const from = addDays(start, i);
      for (const n of [-12, -5, -1, 1, 3, 9, 40]) {
        const to = addWorkingDays(from, n);
        expect(isWorkingDay(to), `${from} ${n}`).toBe(true);
        if (isWorkingDay(from) || n > 0) expect(workingDaysBetween(from, to), `${from} ${n}`).toBe(n);
        expect(workingDaysBetween(to, from)).toBe(-workingDaysBetween(from, to));
      }
    }
  });
});

describe("Oslo days and DST", () => {
  it("startOfDayOslo/endOfDayOslo on 2027-03-28 (spring forward) span 23 h minus 1 ms", () => {
    const start = startOfDayOslo("2027-03-28");
    const end = endOfDayOslo("2027-03-28");
    expect(start.toUTC().toISO()).toBe("2027-03-27T23:00:00.000Z");
    expect(end.toUTC().toISO()).toBe("2027-03-28T21:59:59.999Z");
    expect(end.toMillis() - start.toMillis()).toBe(23 * 3600_000 - 1);
    expect(start.zoneName).toBe(OSLO);
  });

  it("startOfDayOslo/endOfDayOslo on 2027-10-31 (fall back) span 25 h minus 1 ms", () => {
    const start = startOfDayOslo("2027-10-31");
    const end = endOfDayOslo("2027-10-31");
    expect(start.toUTC().toISO()).toBe("2027-10-30T22:00:00.000Z");
    expect(end.toUTC().toISO()).toBe("2027-10-31T22:59:59.999Z");
    expect(end.toMillis() - start.toMillis()).toBe(25 * 3600_000 - 1);
  });

  it("an ordinary day spans 24 h minus 1 ms and the next day starts 1 ms after it ends", () => {
    expect(endOfDayOslo("2027-06-15").toMillis() - startOfDayOslo("2027-06-15").toMillis()).toBe(24 * 3600_000 - 1);
    expect(startOfDayOslo("2027-10-31").toMillis() - endOfDayOslo("2027-10-30").toMillis()).toBe(1);
    expect(startOfDayOslo("2027-03-29").toMillis() - endOfDayOslo("2027-03-28").toMillis()).toBe(1);
  });

  it.each([
    ["2027-03-27T23:30:00Z", "2027-03-28", "winter time, UTC+1"],
    ["2026-12-31T23:30:00Z", "2027-01-01", "New Year"],
    ["2027-07-14T22:30:00Z", "2027-07-15", "summer time, UTC+2"],
    ["2027-07-14T21:30:00Z", "2027-07-14", "summer time, before midnight"],
    ["2027-10-31T00:30:00Z", "2027-10-31", "during the repeated hour"],
  ])("osloDate(%s) = %s (%s)", (instant, expected) => {
    expect(osloDate(utc(instant))).toBe(expected);
  });

  it("osloDate ignores the zone the DateTime carries", () => {
    const tokyo = DateTime.fromISO("2027-03-28T08:00:00", { zone: "Asia/Tokyo" }); // = 23:00Z = 00:00 Oslo
    expect(osloDate(tokyo)).toBe("2027-03-28");
    expect(osloDate(tokyo.minus({ minutes: 1 }))).toBe("2027-03-27");
  });
});

describe("parsing", () => {
  it.each(["2027-02-30", "2027-2-3", "", "abc", "2027-13-01", "2027-00-10", "2027-04-31", "2027-02-29", "2100-02-29",
    " 2027-03-17", "2027-03-17T00:00", "20270317", "2027/03/17"])(
    "parseIsoDate rejects %j",
    (text) => {
      expect(parseIsoDate(text)).toBeUndefined();
    },
  );

  it.each(["2028-02-29", "2000-02-29", "2027-12-31", "2027-01-01", "2027-03-17"])("parseIsoDate accepts %s", (text) => {
    expect(parseIsoDate(text)).toBe(text);
  });
});

describe("formatting", () => {
  const months: Array<[IsoDate, string, string]> = [
    ["2027-01-01", "1. januar 2027", "1 January 2027"],
    ["2027-02-28", "28. februar 2027", "28 February 2027"],
    ["2027-03-17", "17. mars 2027", "17 March 2027"],
    ["2027-04-09", "9. april 2027", "9 April 2027"],
    ["2027-05-17", "17. mai 2027", "17 May 2027"],
    ["2027-06-30", "30. juni 2027", "30 June 2027"],
    ["2027-07-04", "4. juli 2027", "4 July 2027"],
    ["2027-08-15", "15. august 2027", "15 August 2027"],
    ["2027-09-01", "1. september 2027", "1 September 2027"],
    ["2027-10-31", "31. oktober 2027", "31 October 2027"],
    ["2027-11-11", "11. november 2027", "11 November 2027"],
    ["2027-12-24", "24. desember 2027", "24 December 2027"],
  ];

  it.each(months)("formatDate writes dates as Norwegians do: %s → nb/nn %j, en %j", (date, norwegian, english) => {
    expect(formatDate(date, "nb")).toBe(norwegian);
    expect(formatDate(date, "nn")).toBe(norwegian);
    expect(formatDate(date, "en")).toBe(english);
  });

  it.each<[string, Lang, string, string]>([
    ["2027-03-17T08:00:00Z", "nb", "17. mars 2027 kl. 09.00", "winter time, UTC+1"],
    ["2027-03-17T08:00:00Z", "nn", "17. mars 2027 kl. 09.00", "winter time, UTC+1"],
    ["2027-03-17T08:00:00Z", "en", "17 March 2027, 09:00", "winter time, UTC+1"],
    ["2027-07-01T07:05:00Z", "nb", "1. juli 2027 kl. 09.05", "summer time, UTC+2"],
    ["2027-07-01T07:05:00Z", "en", "1 July 2027, 09:05", "summer time, UTC+2"],
    ["2027-12-31T23:15:00Z", "nb", "1. januar 2028 kl. 00.15", "the Oslo date, not the UTC date"],
    ["2027-06-15T21:59:00Z", "en", "15 June 2027, 23:59", "the Oslo time, not UTC"],
  ])("formatDateTime(%s, %s) = %j (%s)", (instant, lang, expected) => {
    expect(formatDateTime(utc(instant), lang)).toBe(expected);
  });

  it("formatDateTime shows Oslo time whatever zone the instant carries", () => {
    const ny = DateTime.fromISO("2027-03-17T04:30:00", { zone: "America/New_York" }); // 08:30Z (US already on DST)
    expect(formatDateTime(ny, "nb")).toBe("17. mars 2027 kl. 09.30");
  });
});

describe("date arithmetic", () => {
  it.each<[IsoDate, number, IsoDate]>([
    ["2027-03-17", 0, "2027-03-17"],
    ["2027-03-17", 1, "2027-03-18"],
    ["2027-02-28", 1, "2027-03-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2027-12-31", 1, "2028-01-01"],
    ["2027-01-01", -1, "2026-12-31"],
    ["2027-03-27", 1, "2027-03-28"], // DST changes do not matter to calendar dates
    ["2027-03-17", 366, "2028-03-17"],
    ["2027-03-17", -365, "2026-03-17"],
  ])("addDays(%s, %i) = %s", (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it("compareIsoDate orders dates and returns exactly -1, 0 or 1", () => {
    expect(compareIsoDate("2027-03-17", "2027-03-18")).toBe(-1);
    expect(compareIsoDate("2027-03-18", "2027-03-17")).toBe(1);
    expect(compareIsoDate("2027-03-17", "2027-03-17")).toBe(0);
    expect(compareIsoDate("2026-12-31", "2027-01-01")).toBe(-1);
    expect(["2027-05-17", "2026-12-31", "2027-01-01", "2027-05-06"].sort(compareIsoDate)).toEqual([
      "2026-12-31",
      "2027-01-01",
      "2027-05-06",
      "2027-05-17",
    ]);
    expect(() => compareIsoDate("2027-03-17", "17.03.2027")).toThrow(RangeError);
  });
});

describe("purity", () => {
  it("calendar.ts never reads the clock and imports nothing but luxon", () => {
    const source = readFileSync(new URL("../../src/domain/calendar.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/DateTime\.(now|local)\s*\(/);
    expect(source).not.toMatch(/Date\.now\s*\(/);
    expect(source).not.toMatch(/new Date\s*\(\s*\)/);
    expect(source).not.toMatch(/Settings\./);
    const imports = [...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["luxon"]);
  });
});
