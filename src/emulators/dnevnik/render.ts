// Native JSON shapes of Дневник.ру objects (platforms.md §3.3): camelCase with `_str` twins, PascalCase
// teachers, hyphenated final-mark keys. bigint fields are written as bare int64 by stringifyInt64.
import { pair } from './int64.js';
import { moodOf } from '../../mappers/dnevnik/codes.js';
import type { DnevnikWorld, NFinal, NGroup, NLesson, NLogEntry, NMark, NPeriod, NWork } from './world.js';

type P = DnevnikWorld['persons'] extends Map<string, infer V> ? V : never;
const sexOf = (s: string | undefined) => (s === 'male' ? 'Male' : s === 'female' ? 'Female' : null);

export const renderGroup = (g: NGroup, world: DnevnikWorld) => ({
  ...pair('id', g.id), parentIds: g.parentIds, parentIds_str: g.parentIds.map(String), type: g.type, name: g.name, fullName: g.fullName,
  parallel: g.parallel, timetable: null, status: 'Active', studyyear: g.studyyear, journalType: 'Default',
  subjects: g.subjects.map((s) => ({ ...pair('id', s), name: world.subjects.get(s)?.name ?? '' })),
});

export const renderPerson = (p: P) => ({
  ...pair('id', p.id), ...pair('userId', p.userId), firstName: p.rec.givenName, lastName: p.rec.familyName,
  middleName: p.rec.middleName ?? null, shortName: `${p.rec.familyName} ${p.rec.givenName.slice(0, 1)}.`, sex: sexOf(p.rec.sex),
});

/**
 * `users/{id}`, `POST users/many`: the account behind a person, with the birthday, e-mail and phone the roster routes
 * lack (platforms.md §3.3 [V]; the dataset's synthetic values).
 */
export const renderUser = (p: P) => ({
  ...pair('id', p.userId), ...pair('personId', p.id), name: `${p.rec.familyName} ${p.rec.givenName}`, fullName: [p.rec.familyName, p.rec.givenName, p.rec.middleName].filter(Boolean).join(' '),
  firstName: p.rec.givenName, lastName: p.rec.familyName, middleName: p.rec.middleName ?? null, shortName: `${p.rec.familyName} ${p.rec.givenName.slice(0, 1)}.`,
  sex: sexOf(p.rec.sex), birthday: p.rec.birthDate ? `${p.rec.birthDate}T00:00:00` : null, locale: 'ru-RU', timezone: null, roles: [],
  email: p.rec.emails[0] ?? null, phone: p.rec.phones[0] ?? null,
});

/** `schools/{id}/teachers` is PascalCase (platforms.md §3.5). */
export const renderTeacher = (p: P) => ({
  Id: p.id, IdStr: String(p.id), UserId: p.userId, FirstName: p.rec.givenName, LastName: p.rec.familyName,
  MiddleName: p.rec.middleName ?? null, ShortName: `${p.rec.familyName} ${p.rec.givenName.slice(0, 1)}.`, Sex: sexOf(p.rec.sex),
  DateBirth: p.rec.birthDate ? `${p.rec.birthDate}T00:00:00` : null, Email: p.rec.emails[0] ?? null, Subjects: [], HouseMaster: false,
});

export const renderPeriod = (p: NPeriod) => ({ ...pair('id', p.id), start: p.start, finish: p.finish, number: p.number, type: p.type, name: p.name, year: p.year });

export const renderWork = (w: NWork) => ({
  ...pair('id', w.id), type: w.type ?? 'LessonTestWork', workType: w.workType, markType: w.markType, markCount: 1, ...pair('lesson', w.lesson),
  displayInJournal: true, status: 'Sent', ...pair('eduGroup', w.eduGroup), tasks: [], text: w.text, periodNumber: w.periodNumber,
  periodType: w.periodType, ...pair('subjectId', w.subjectId), isImportant: false, targetDate: w.targetDate, sentDate: w.sentDate, createdBy: null,
});

export const renderLesson = (l: NLesson, world: DnevnikWorld, works: NWork[]) => ({
  ...pair('id', l.id), title: l.title ?? null, date: l.date, number: l.number,
  subject: { ...pair('id', l.subject), name: world.subjects.get(l.subject)?.name ?? '' },
  group: { ...pair('id', l.group), name: world.groups.get(l.group)?.name ?? '' },
  works: works.map(renderWork), teachers: l.teachers, teachersStr: l.teachers.map(String), status: l.status,
});

export const renderMarkObject = (m: NMark) => ({
  ...pair('id', m.id), type: m.type, value: m.value, textValue: m.textValue, ...pair('person', m.person), ...pair('work', m.work),
  ...pair('lesson', m.lesson), number: m.number, date: m.date, workType: m.workType,
  mood: moodOf(/^[1-5]$/.test(m.value) ? Number(m.value) : null), use_avg_calc: m.type === 'mark5',
});

export const renderLogEntry = (e: NLogEntry) => ({
  ...pair('person', e.person), ...pair('lesson', e.lesson), comment: e.comment, status: e.status, createdDate: e.createdDate,
});

/** One `edu-groups/{g}/final-marks` item per pupil × period, hyphenated keys. */
export function renderFinals(list: NFinal[]): unknown[] {
  const byKey = new Map<string, { head: NFinal; items: NFinal[] }>();
  for (const f of list) {
    const k = `${f.person}:${f.period}`;
    const e = byKey.get(k) ?? { head: f, items: [] };
    e.items.push(f);
    byKey.set(k, e);
  }
  return [...byKey.values()].map(({ head, items }) => ({
    ...pair('person', head.person), ...pair('group', head.group), ...pair('reportingPeriod', head.period),
    'per-subject-final-marks': items.map((f) => ({
      ...pair('subject', f.subject),
      'final-mark': { ...pair('id', f.mark.id), type: f.mark.type, value: f.mark.value, textValue: f.mark.textValue, date: f.mark.date, mood: moodOf(/^[1-5]$/.test(f.mark.value) ? Number(f.mark.value) : null) },
    })),
  }));
}
