// Календарный учебный график: a school year of four quarters on a five-day week, with the autumn,
// winter and spring holidays, the extra February week for grade 1 and the public holidays (a holiday
// on a weekend moves to the next Monday; 4 November on a Tuesday makes the Monday a bridge day).
// For 2025/2026 this gives 01.09–24.10, 05.11–26.12, 12.01–20.03, 30.03–26.05.
import { addDays, isoWeekday } from '../../model/dates.js';

export interface Period {
  title: string;
  startDate: string;
  endDate: string;
}

export interface StudyDay {
  date: string;
  /** 1 = Monday … 5 = Friday. */
  weekday: number;
  /** 0-based index of the study week (weeks with at least one study day). */
  week: number;
  /** 0..3 */
  quarter: number;
  /** 0..1 */
  half: number;
  /** True on the extra February holiday week of grade 1. */
  grade1Holiday: boolean;
}

export interface SchoolCalendar {
  /** Ending year (2026 for 2025/2026). */
  schoolYear: number;
  year: Period;
  halves: Period[];
  quarters: Period[];
  holidays: string[];
  grade1Holidays: Period;
  /** Every study day of the year (Mon–Fri, no holidays), in order. */
  days: StudyDay[];
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The date itself if it has the wanted weekday, else the nearest one after (dir=1) or before (dir=-1). */
function toWeekday(date: string, weekday: number, dir: 1 | -1): string {
  let d = date;
  while (isoWeekday(d) !== weekday) d = addDays(d, dir);
  return d;
}

function publicHolidays(startYear: number): string[] {
  const y2 = startYear + 1;
  const out: string[] = [];
  const add = (date: string) => {
    const wd = isoWeekday(date);
    out.push(wd === 6 ? addDays(date, 2) : wd === 7 ? addDays(date, 1) : date);
  };
  const nov4 = iso(startYear, 11, 4);
  add(nov4);
  if (isoWeekday(nov4) === 2) out.push(iso(startYear, 11, 3)); // bridge Monday
  add(iso(y2, 2, 23));
  add(iso(y2, 3, 8));
  add(iso(y2, 5, 1));
  add(iso(y2, 5, 9));
  return out.sort();
}

export function buildCalendar(schoolYear: number): SchoolCalendar {
  const y1 = schoolYear - 1;
  const start = toWeekday(iso(y1, 9, 1), 1, 1) === iso(y1, 9, 1) || isoWeekday(iso(y1, 9, 1)) <= 5
    ? iso(y1, 9, 1) : toWeekday(iso(y1, 9, 1), 1, 1);
  const q1End = toWeekday(iso(y1, 10, 26), 5, -1);
  const q2Start = toWeekday(addDays(q1End, 10), 1, 1);
  const q2End = toWeekday(iso(y1, 12, 28), 5, -1);
  const q3Start = toWeekday(iso(schoolYear, 1, 9), 1, 1);
  const q3End = toWeekday(iso(schoolYear, 3, 21), 5, -1);
  const q4Start = toWeekday(iso(schoolYear, 3, 30), 1, 1);
  let end = iso(schoolYear, 5, 26);
  if (isoWeekday(end) > 5) end = toWeekday(end, 5, -1);
  const g1Start = toWeekday(iso(schoolYear, 2, 16), 1, -1);
  const grade1Holidays = { title: 'Дополнительные каникулы 1 класса', startDate: g1Start, endDate: addDays(g1Start, 6) };

  const quarters: Period[] = [
    { title: '1 четверть', startDate: start, endDate: q1End },
    { title: '2 четверть', startDate: q2Start, endDate: q2End },
    { title: '3 четверть', startDate: q3Start, endDate: q3End },
    { title: '4 четверть', startDate: q4Start, endDate: end },
  ];
  const halves: Period[] = [
    { title: '1 полугодие', startDate: start, endDate: q2End },
    { title: '2 полугодие', startDate: q3Start, endDate: end },
  ];
  const holidays = publicHolidays(y1);
  const holidaySet = new Set(holidays);
  const days: StudyDay[] = [];
  let week = -1;
  let lastMonday = '';
  quarters.forEach((q, qi) => {
    for (let d = q.startDate; d <= q.endDate; d = addDays(d, 1)) {
      const wd = isoWeekday(d);
      if (wd > 5 || holidaySet.has(d)) continue;
      const monday = addDays(d, 1 - wd);
      if (monday !== lastMonday) {
        week++;
        lastMonday = monday;
      }
      days.push({
        date: d, weekday: wd, week, quarter: qi, half: qi < 2 ? 0 : 1,
        grade1Holiday: d >= grade1Holidays.startDate && d <= grade1Holidays.endDate,
      });
    }
  });
  return {
    schoolYear,
    year: { title: `${y1}/${schoolYear} учебный год`, startDate: start, endDate: iso(schoolYear, 5, 31) },
    halves, quarters, holidays, grade1Holidays, days,
  };
}

/** Bell schedule: lesson number → local start/end time (45-minute lessons). */
export const BELLS: Readonly<Record<number, { start: string; end: string }>> = {
  1: { start: '08:30', end: '09:15' },
  2: { start: '09:25', end: '10:10' },
  3: { start: '10:30', end: '11:15' },
  4: { start: '11:35', end: '12:20' },
  5: { start: '12:30', end: '13:15' },
  6: { start: '13:25', end: '14:10' },
  7: { start: '14:20', end: '15:05' },
  8: { start: '15:15', end: '16:00' },
};
