/**
 * Norwegian working-day calendar for the annual wheel.
 *
 * Every deadline in Samhandling is a day in Europe/Oslo, and nudges are only sent on Norwegian
 * working days. This module is pure: it never reads the clock and does no I/O, so callers pass
 * "now" in explicitly and tests are deterministic.
 *
 * Calendar-date arithmetic (weekday, adding days, ISO week) is done on integer day numbers rather
 * than through luxon, because `isWorkingDay` is called for many dates per nudge run; luxon is
 * used only where time zones matter (instants, start/end of day, DST).
 *
 * Functions taking an `IsoDate` throw a `RangeError` for a string that is not a real
 * "YYYY-MM-DD" date: a malformed deadline is a programming error and must not silently become
 * "not a working day". Use {@link parseIsoDate} to validate untrusted input first.
 */
import { DateTime } from "luxon";

/** IANA zone of every date and deadline in the collaboration model. */
export const OSLO = "Europe/Oslo";

/** An ISO calendar date "YYYY-MM-DD" (a day in Oslo, no time). */
export type IsoDate = string;

/** Bokmål, nynorsk, English. */
export type Lang = "nb" | "nn" | "en";

/** A Norwegian public holiday with its name in each supported language. */
export interface Holiday {
  date: IsoDate;
  name: Record<Lang, string>;
}

/**
 * Extra days to treat as non-working. Both are off by default because they are not public
 * holidays, but most of the public sector is away then, so a nudge or a deadline landing there
 * is usually pointless.
 */
export interface WorkingDayOptions {
  /** Also treat 24–31 December as non-working. */
  skipChristmasWeek?: boolean;
  /** Also treat the "fellesferie", ISO weeks 28–30, as non-working. */
  skipJulyHoliday?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Day numbers: days since 1970-01-01 in the proleptic Gregorian calendar (no time zone involved).
// ---------------------------------------------------------------------------------------------

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_DAY = daysFromCivil(0, 1, 1);
const MAX_DAY = daysFromCivil(9999, 12, 31);

/** H. Hinnant's days_from_civil. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** H. Hinnant's civil_from_days. */
function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day number of a strict "YYYY-MM-DD", or undefined. */
function tryDayNumber(text: string): number | undefined {
  const m = ISO_DATE_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

function toDayNumber(date: IsoDate): number {
  const n = typeof date === "string" ? tryDayNumber(date) : undefined;
  if (n === undefined) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return n;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function fromDayNumber(dayNumber: number): IsoDate {
  if (dayNumber < MIN_DAY || dayNumber > MAX_DAY) {
    throw new RangeError("Date outside the years 0000–9999 that an IsoDate can express");
  }
  const { year, month, day } = civilFromDays(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** ISO weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/** ISO 8601 week number (the week belongs to the year of its Thursday). */
function isoWeekNumber(dayNumber: number): number {
  const thursday = dayNumber - isoWeekday(dayNumber) + 4;
  const { year } = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
}

/** Day number of a date given as IsoDate or as an instant (taken in Oslo). */
function dayNumberOf(date: IsoDate | DateTime): number {
  return DateTime.isDateTime(date) ? toDayNumber(osloDate(date)) : toDayNumber(date);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 0 || year > 9999) {
    throw new RangeError(`Year must be an integer 0–9999, got ${year}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Holidays
// ---------------------------------------------------------------------------------------------

function easterDayNumber(year: number): number {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}

/**
 * Easter Sunday of a year, by the anonymous Gregorian computus (Meeus/Jones/Butcher).
 * Six of Norway's twelve public holidays hang off this date. The Gregorian calendar is applied
 * proleptically to every year 0–9999.
 */
export function easterSunday(year: number): IsoDate {
  checkYear(year);
  return fromDayNumber(easterDayNumber(year));
}

interface YearHolidays {
  readonly list: readonly Holiday[];
  readonly days: ReadonlySet<number>;
}

/** Per-year cache: holidays are needed for every isWorkingDay call, the computus only once. */
const holidayCache = new Map<number, YearHolidays>();

type HolidayDef = readonly [offset: "fixed" | number, monthOrNone: number, day: number, nb: string, nn: string, en: string];

// Order matters only for ties (17 May can coincide with Ascension or Whit Monday): then the
// fixed-date holiday comes first.
const HOLIDAY_DEFS: readonly HolidayDef[] = [
  ["fixed", 1, 1, "Nyttårsdag", "Nyttårsdag", "New Year's Day"],
  [-3, 0, 0, "Skjærtorsdag", "Skjærtorsdag", "Maundy Thursday"],
  [-2, 0, 0, "Langfredag", "Langfredag", "Good Friday"],
  [0, 0, 0, "Første påskedag", "Første påskedag", "Easter Sunday"],
  [1, 0, 0, "Andre påskedag", "Andre påskedag", "Easter Monday"],
  ["fixed", 5, 1, "Arbeidernes dag", "Arbeidarane sin dag", "Labour Day"],
  ["fixed", 5, 17, "Grunnlovsdagen", "Grunnlovsdagen", "Constitution Day"],
  [39, 0, 0, "Kristi himmelfartsdag", "Kristi himmelfartsdag", "Ascension Day"],
  [49, 0, 0, "Første pinsedag", "Første pinsedag", "Whit Sunday"],
  [50, 0, 0, "Andre pinsedag", "Andre pinsedag", "Whit Monday"],
  ["fixed", 12, 25, "Første juledag", "Første juledag", "Christmas Day"],
  ["fixed", 12, 26, "Andre juledag", "Andre juledag", "Boxing Day"],
];

function holidaysOf(year: number): YearHolidays {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  checkYear(year);
  const easter = easterDayNumber(year);
  const entries = HOLIDAY_DEFS.map(([offset, month, day, nb, nn, en]) => ({
    dayNumber: offset === "fixed" ? daysFromCivil(year, month, day) : easter + offset,
    name: { nb, nn, en },
  }));
  entries.sort((x, y) => x.dayNumber - y.dayNumber); // stable: ties keep definition order
  const list = entries.map((entry) =>
    Object.freeze({ date: fromDayNumber(entry.dayNumber), name: Object.freeze(entry.name) }),
  );
  const result: YearHolidays = {
    list: Object.freeze(list),
    days: new Set(entries.map((entry) => entry.dayNumber)),
  };
  holidayCache.set(year, result);
  return result;
}

/**
 * The 12 Norwegian public holidays of a year (the helligdager plus 1 May and 17 May), sorted
 * by date. Easter Sunday and Whit Sunday are included although they always fall on a Sunday,
 * so that calendars can name them. Two entries can share a date (17 May 2027 is also Whit
 * Monday); such ties are ordered fixed-date holiday first. Modern rules are applied to every
 * year. The result is a fresh copy: callers may mutate it without affecting the cache.
 */
export function norwegianHolidays(year: number): Holiday[] {
  return holidaysOf(year).list.map((h) => ({ date: h.date, name: { ...h.name } }));
}

function isHolidayDay(dayNumber: number): boolean {
  return holidaysOf(civilFromDays(dayNumber).year).days.has(dayNumber);
}

/** Whether the day is a public holiday. A DateTime is first converted to its Oslo calendar date. */
export function isPublicHoliday(date: IsoDate | DateTime): boolean {
  return isHolidayDay(dayNumberOf(date));
}

function isWorkingDayNumber(dayNumber: number, options: WorkingDayOptions | undefined): boolean {
  if (isoWeekday(dayNumber) > 5) return false;
  if (isHolidayDay(dayNumber)) return false;
  if (options?.skipChristmasWeek) {
    const { month, day } = civilFromDays(dayNumber);
    if (month === 12 && day >= 24) return false;
  }
  if (options?.skipJulyHoliday) {
    // Weeks 28–30 always lie in July/early August, so the ISO week-year equals the calendar year.
    const week = isoWeekNumber(dayNumber);
    if (week >= 28 && week <= 30) return false;
  }
  return true;
}

/**
 * Whether the day is a Norwegian working day: Monday–Friday and not a public holiday; with
 * `skipChristmasWeek` also not 24–31 December; with `skipJulyHoliday` also not in ISO weeks
 * 28–30 (the "fellesferie"). A DateTime is first converted to its Oslo calendar date.
 */
export function isWorkingDay(date: IsoDate | DateTime, options?: WorkingDayOptions): boolean {
  return isWorkingDayNumber(dayNumberOf(date), options);
}

/**
 * The date `n` working days after (`n` > 0) or before (`n` < 0) `date`. The start date itself is
 * never counted, so from a Friday, +1 is the next Monday (if that is a working day), and from a
 * Saturday, −1 is the Friday before. `n` = 0 returns `date` unchanged even when it is not a
 * working day: "0 working days later" is a no-op, not a roll-forward.
 */
export function addWorkingDays(date: IsoDate, n: number, options?: WorkingDayOptions): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  let day = toDayNumber(date);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  while (remaining > 0) {
    day += step;
    if (day < MIN_DAY || day > MAX_DAY) fromDayNumber(day); // throws RangeError
    if (isWorkingDayNumber(day, options)) remaining--;
  }
  return fromDayNumber(day);
}

/**
 * `date` itself if it is a working day, else the last working day before it: a deadline on a
 * Sunday, a holiday or (with `skipChristmasWeek`) julaften moves back, never forward, so that
 * what is due is due on a day people work.
 */
export function workingDayOnOrBefore(date: IsoDate, options?: WorkingDayOptions): IsoDate {
  return isWorkingDayNumber(toDayNumber(date), options) ? date : addWorkingDays(date, -1, options);
}

/**
 * Number of working days d with `from` < d ≤ `to` — i.e. how many working days one must wait
 * from `from` until `to` has passed. Antisymmetric: if `to` < `from` the result is
 * −workingDaysBetween(to, from). It inverts addWorkingDays:
 * workingDaysBetween(from, addWorkingDays(from, n)) = n for every n ≥ 0, and for n < 0 when
 * `from` is itself a working day (the end point, not the start, is counted).
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, options?: WorkingDayOptions): number {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  if (b < a) return -countWorkingDays(b, a, options);
  return countWorkingDays(a, b, options);
}

function countWorkingDays(fromExclusive: number, toInclusive: number, options: WorkingDayOptions | undefined): number {
  let count = 0;
  for (let day = fromExclusive + 1; day <= toInclusive; day++) {
    if (isWorkingDayNumber(day, options)) count++;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Instants and Oslo days
// ---------------------------------------------------------------------------------------------

function checkValid(instant: DateTime): void {
  if (!DateTime.isDateTime(instant) || !instant.isValid) {
    throw new RangeError(`Invalid DateTime${DateTime.isDateTime(instant) ? `: ${instant.invalidExplanation ?? ""}` : ""}`);
  }
}

/** The calendar date in Oslo of an instant, whatever zone the DateTime carries. */
export function osloDate(instant: DateTime): IsoDate {
  checkValid(instant);
  // Every turn asks for today several times, and a zone conversion costs tens of microseconds: the
  // last Oslo day is remembered with its bounds (a memo, so the function stays pure).
  const ms = instant.toMillis();
  if (lastDay !== undefined && ms >= lastDay.from && ms < lastDay.to) return lastDay.date;
  const oslo = instant.setZone(OSLO);
  const date = `${pad(oslo.year, 4)}-${pad(oslo.month, 2)}-${pad(oslo.day, 2)}`;
  const start = oslo.startOf("day");
  lastDay = { from: start.toMillis(), to: start.plus({ days: 1 }).toMillis(), date };
  return date;
}
let lastDay: { from: number; to: number; date: IsoDate } | undefined;

/**
 * 00:00 in Oslo on that date, as a DateTime in the Oslo zone. DST-correct: Norway switches at
 * 02:00/03:00, so midnight always exists, but the day is 23 h long in late March and 25 h in
 * late October; never compute it as "date + 24 h".
 */
export function startOfDayOslo(date: IsoDate): DateTime {
  const { year, month, day } = civilFromDays(toDayNumber(date));
  return DateTime.fromObject({ year, month, day }, { zone: OSLO }).startOf("day");
}

/**
 * The last millisecond of that day in Oslo (23:59:59.999), i.e. the moment a deadline "on
 * that date" expires. The next day starts exactly 1 ms later.
 */
export function endOfDayOslo(date: IsoDate): DateTime {
  return startOfDayOslo(date).endOf("day");
}

/**
 * A strict "YYYY-MM-DD" of a real calendar date, else undefined. No padding is optional and no
 * whitespace or time part is accepted, so that what is stored is exactly what was validated.
 */
export function parseIsoDate(text: string): IsoDate | undefined {
  if (typeof text !== "string") return undefined;
  return tryDayNumber(text) === undefined ? undefined : text;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

// Own month tables rather than Intl: output must not depend on the ICU build (small-ICU Node
// builds lack nb/nn, and CLDR has changed Norwegian formats before).
const MONTHS: Record<Lang, readonly string[]> = {
  nb: ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"],
  nn: ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};

function formatParts(year: number, month: number, day: number, lang: Lang): string {
  const monthName = MONTHS[lang][month - 1];
  if (monthName === undefined) throw new RangeError(`Unsupported language: ${String(lang)}`);
  return lang === "en" ? `${day} ${monthName} ${year}` : `${day}. ${monthName} ${year}`;
}

/**
 * A date as people write it: nb/nn "17. mars 2027", en "17 March 2027" (day without leading
 * zero, month spelled out, so it cannot be misread as day/month or month/day).
 */
export function formatDate(date: IsoDate, lang: Lang): string {
  const { year, month, day } = civilFromDays(toDayNumber(date));
  return formatParts(year, month, day, lang);
}

/**
 * An instant as Oslo wall-clock time: nb/nn "17. mars 2027 kl. 09.00" (Språkrådet's
 * recommended "kl." and full stop between hours and minutes), en "17 March 2027, 09:00".
 * The instant's own zone is ignored; it is always shown in Oslo time.
 */
export function formatDateTime(instant: DateTime, lang: Lang): string {
  checkValid(instant);
  const oslo = instant.setZone(OSLO);
  const date = formatParts(oslo.year, oslo.month, oslo.day, lang);
  const hh = pad(oslo.hour, 2);
  const mm = pad(oslo.minute, 2);
  return lang === "en" ? `${date}, ${hh}:${mm}` : `${date} kl. ${hh}.${mm}`;
}

// ---------------------------------------------------------------------------------------------
// Plain date arithmetic
// ---------------------------------------------------------------------------------------------

/** The date `n` calendar days later (negative `n`: earlier). No time zone is involved. */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** −1, 0 or 1 as `a` is before, equal to or after `b`; usable as an Array#sort comparator. */
export function compareIsoDate(a: IsoDate, b: IsoDate): number {
  const x = toDayNumber(a);
  const y = toDayNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
