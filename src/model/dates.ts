// Calendar dates carry no time zone and are never pushed through UTC (DECISIONS.md §4, C.4 #9).
import * as z from 'zod';

export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a calendar date YYYY-MM-DD' })
  .refine((s) => isRealDate(s), { error: 'not a real calendar date' });
export type LocalDate = z.infer<typeof LocalDate>;

/** UTC instant in ISO 8601 with a `Z` or an explicit offset. */
export const Instant = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof Instant>;

export const LocalTime = z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/, { error: 'expected a local time HH:MM' });
export const IanaZone = z.string().refine((tz) => isIanaZone(tz), { error: 'not an IANA time zone' });

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function isIanaZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Adds days to a calendar date with pure calendar arithmetic (no local clock involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Days from one local date `YYYY-MM-DD` to another (0 for the same day; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/**
 * Converts a wall-clock date-time in a school's zone (as NetSchool/Дневник.ру send it, without offset)
 * to a UTC instant. Uses Intl to find the zone offset at that moment.
 */
export function zonedToInstant(localDateTime: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(localDateTime);
  if (!m) throw new Error(`not a local date-time: ${localDateTime}`);
  const [, y, mo, d, h, mi, s] = m;
  const asUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +(s ?? 0));
  const offset = zoneOffsetMinutes(asUtc, timeZone);
  return new Date(asUtc - offset * 60_000).toISOString();
}

/** Calendar date of an instant as seen in the school's zone. */
export function instantToLocalDate(instant: string, timeZone: string): string {
  return formatterOf(dateFormatters, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }))
    .format(new Date(instant));
}

// Building an Intl.DateTimeFormat costs tens of microseconds (more than a thousand formats), and a region has a
// handful of zones: one formatter per zone and purpose, kept for the process.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const wallFormatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (f === undefined) {
    f = make(); // throws RangeError on an unknown zone, before anything is cached
    cache.set(timeZone, f);
  }
  return f;
}

function zoneOffsetMinutes(utcMs: number, timeZone: string): number {
  const f = formatterOf(wallFormatters, timeZone, () => new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }));
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((wall - utcMs) / 60_000);
}

/**
 * The school year (by its ending year: 2027 = 2026/2027) a local date `YYYY-MM-DD` falls in: from 1 September
 * (Федеральный закон № 273-ФЗ, ст. 28). The one rule for "which school year": every other helper here goes through it.
 */
export function schoolYearOfDate(date: string): number {
  const [y, m] = date.split('-').map(Number);
  return m >= 9 ? y + 1 : y;
}

/**
 * The school year a span of days belongs to (a reporting period, `YYYY-MM-DD` to `YYYY-MM-DD`): that of its middle
 * day. Not of its first day: a Year period or a first term some schools open on the last days of August (a Friday's
 * staff day, 30 August) belongs to the year it is nearly all of, which its first day would put it a year before.
 */
export function schoolYearOfSpan(start: string, end: string): number {
  return schoolYearOfDate(addDays(start, Math.floor(Math.max(daysBetween(start, end), 0) / 2)));
}

/**
 * A platform's date or date-time as {@link localDayOf} reads it: a date, a wall time, or a time with `Z` or a UTC offset
 * (`T` and `Z` upper-case, as ISO 8601 writes them: a lower-case `t` would be read as a wall time). For schemas that
 * accept what localDayOf can place.
 */
export const PLATFORM_STAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The calendar day a platform's date or date-time names, in the school's zone: a date, or a wall time without an
 * offset (as Дневник.ру and NetSchool send them), is its own day; one with `Z` or an offset is the day in `timeZone`
 * at that instant — `2025-08-31T20:00:00Z` is 1 September in Samara, not the 31 August its first ten characters say.
 */
export function localDayOf(stamp: string, timeZone: string): string {
  return /(?:Z|[+-]\d{2}:?\d{2})$/i.test(stamp) && /T/.test(stamp) ? instantToLocalDate(stamp, timeZone) : stamp.slice(0, 10);
}

/** 1 September of the school year a local date `YYYY-MM-DD` falls in (September to August). */
export function schoolYearStart(date: string): string {
  return `${schoolYearOfDate(date) - 1}-09-01`;
}
