// The synthetic account, answers and helpers the ЭлЖур contract tests (nock) share: one school «school-test»
// with one class «5А», one pupil, one lesson (id with leading zeros), two marks, an absence and final marks.
import type { PlatformBatch } from '../../src/connectors/contract.js';
import { createEljurConnector, eljurConfig } from '../../src/connectors/eljur/index.js';

export const ORIGIN = 'http://eljur.test';
export const DEVKEY = '0123456789abcdef0123456789abcdef';
export const PASSWORD = 'synthetic-Pa55word';
export const VENDOR = 'school-test';
let n = 0;

export function connector(auth: Record<string, unknown> = { kind: 'credentials', login: 'admin1', password: PASSWORD }, format: 'json' | 'xml' = 'json') {
  return createEljurConnector(eljurConfig.parse({ baseUrl: ORIGIN, devkey: DEVKEY, vendor: VENDOR, auth, format, timeZone: 'Europe/Simferopol' }), {
    instance: `contract-${++n}`, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
}
export const ok = (result: unknown) => ({ response: { state: 200, error: null, result } });
export const failure = (state: number, error: string) => ({ response: { state, error, result: {} } });
export const authForm = { login: 'admin1', password: PASSWORD, devkey: DEVKEY, vendor: VENDOR, out_format: 'json' };
export const q = (token: string, extra: Record<string, string> = {}) => ({ devkey: DEVKEY, vendor: VENDOR, out_format: 'json', auth_token: token, ...extra });

export const RULES = {
  id: '30007', name: '30007', title: 'Админ', vendor: VENDOR, vendor_id: '0417', vuid: '0417#30007', roles: ['administrator'],
  relations: {
    groups: { '5А': { name: '5А', parallel: '5', hometeacher_id: '30014' } },
    schools: [{ title: 'Школа' }],
    students: { '30021': { name: '30021', title: 'Иванова Мария', firstname: 'Мария', lastname: 'Иванова', middlename: 'Петровна', gender: 'female', class: '5А', parallel: '5' } },
  },
};
export const PERIODS = { students: [{ name: '30007', periods: [
  { name: '1 четверть', fullname: '1 четверть', start: '20250901', end: '20251024', disabled: false, ambigious: false },
  { name: 'Год', fullname: '2025/2026 учебный год', start: '20250901', end: '20260531', disabled: '0', ambigious: 'no' },
] }] };

export async function collect(it: AsyncIterable<PlatformBatch>): Promise<PlatformBatch[]> {
  const out: PlatformBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

export const diary = ok({ students: { '30021': { name: '30021', title: 'Иванова Мария', days: { '20250901': { name: '20250901', title: 'Понедельник', items: {
  '1': { name: 'Английский язык', num: '1', lesson_id: '000000037', teacher: 'Петров Пётр', teacher_id: '30014', grp: '1 группа', topic: 'Present Simple', starttime: '08:30:00', endtime: '09:15:00', homework: { '0000000371': { id: '0000000371', value: 'упр. 5', individual: 'no' } } },
} } } } } });
export const marks = ok({ students: { '30021': { name: '30021', lessons: [{ name: 'Английский язык', lesson_id: '505', average: '4.50', averageConvert: 4.5, marks: [
  { value: '5-', weight: 60, weight_float: '60.0', date: '2025-09-01', lesson_id: '000000037', nm: '1', count: '__yes', countas: '5', convert: 5, comment: '', mtype: { id: '10', short: 'oral_answer', type: 'Ответ на уроке' } },
  { value: '4', weight: '60', date: '2025-09-01', lesson_id: '000000037', nm: 2, count: true, convert: 4, comment: 'исправлено', mtype: { id: 10, short: 'oral_answer', type: 'Ответ на уроке' } },
  { value: 'ОП', date: '2025-09-01', lesson_id: '000000037', nm: '1', count: false, convert: 0, countas: 0 },
] }] } } });
export const finals = ok({ students: { '30021': { items: [{ name: 'Английский язык', assessments: [{ period: '1 четверть', value: '5', comment: '' }, { period: 'Год', value: '' }] }] } } });
