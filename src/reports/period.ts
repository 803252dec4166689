// `--period`: an academic_session of the school (by id or by title, e.g. «1 четверть»), a month `YYYY-MM`
// (monthly reports, seed 000 §8.1), or a day `YYYY-MM-DD` meaning the 7 days ending that day (the weekly
// printout, R-30). Each report says which forms it accepts.
import { addDays } from '../model/dates.js';
import type { AcademicSessionRecord } from '../model/records.js';
import { ReportInputError } from './school-data.js';
import type { ReportPeriod } from './types.js';

export type PeriodForm = ReportPeriod['kind'];

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

export function monthTitle(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Months `YYYY-MM` that intersect [from, to], in order. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number);
  const end = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > end) return out;
    out.push(key);
    if (++m > 12) { m = 1; y++; }
  }
}

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function sessionPeriod(s: AcademicSessionRecord): ReportPeriod {
  return { sessionId: s.id, kind: 'session', sessionKind: s.kind, title: s.title, from: s.startDate, to: s.endDate };
}

export function resolvePeriod(input: string, sessions: AcademicSessionRecord[], allowed: readonly PeriodForm[], kind: string): ReportPeriod {
  const text = input.trim();
  const refuse = (form: string) => {
    throw new ReportInputError(`report ${kind} does not take a ${form} period ("${text}"); it takes ${allowed.map(describe).join(' or ')}`);
  };
  if (/^\d{4}-\d{2}$/.test(text)) {
    if (!validDate(`${text}-01`)) throw new ReportInputError(`--period "${text}" is not a month YYYY-MM`);
    if (!allowed.includes('month')) refuse('month');
    return { kind: 'month', title: monthTitle(text), from: `${text}-01`, to: lastDayOfMonth(text) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!validDate(text)) throw new ReportInputError(`--period "${text}" is not a calendar date YYYY-MM-DD`);
    if (!allowed.includes('week')) refuse('week');
    const from = addDays(text, -6);
    return { kind: 'week', title: `неделя ${from} – ${text}`, from, to: text };
  }
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const found = sessions.filter((s) => s.id === text || norm(s.title) === norm(text));
  if (found.length === 0) {
    const known = sessions.map((s) => `«${s.title}» (${s.id})`).join(', ') || 'none';
    throw new ReportInputError(`--period "${text}" is neither YYYY-MM, YYYY-MM-DD nor an academic session of this school; sessions: ${known}`);
  }
  if (found.length > 1) {
    throw new ReportInputError(`--period "${text}" names ${found.length} sessions (${found.map((s) => `${s.id} ${s.startDate}`).join(', ')}); give the id`);
  }
  if (!allowed.includes('session')) refuse('session');
  return sessionPeriod(found[0]);
}

function describe(form: PeriodForm): string {
  return form === 'month' ? 'a month YYYY-MM' : form === 'week' ? 'a day YYYY-MM-DD (the 7 days ending that day)' : 'an academic session id or title';
}

export const inPeriod = (date: string, p: { from: string; to: string }) => date >= p.from && date <= p.to;
