// The roster read's structure, mapped from pages alone (pure mappers, docs/platforms/eljur.md "It can be a migration
// source"): a diary page read for the roster gives subjects, sections, every pupil's own sections (subgroups exact)
// and the teachers the lessons name; `getperiods` gives the year and terms.
import { describe, expect, it } from 'vitest';
import { teacherNameParts } from '../../src/mappers/eljur/codes.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import { parseRecord } from '../../src/model/records.js';
import { eljurMapper } from '../../src/mappers/eljur/index.js';
import { ok } from './contract-fixtures.js';

const CTX = { system: 'eljur' as const, instance: 't', runId: 'r', mapperVersion: 'v' };
const map = (route: string, payload: unknown, ids: Record<string, string>) =>
  mapBatch(eljurMapper, { route, payload, context: { timeZone: 'Europe/Simferopol', ids, fetchedAt: '2025-09-10T00:00:00Z', format: 'json' } }, CTX);
const ROSTER_IDS = { school: 'school-test', year: '20250901-20260531', yearStart: '20250901', class: '5А', part: 'roster' };
const src = (r: CanonicalRecord) => r.sourceRefs[0].sourceId;

const lesson = (num: string, name: string, grp: string, teacher: string, teacherId: string) =>
  ({ name, num, lesson_id: `0000${num}${grp ? grp[0] : '0'}`, teacher, teacher_id: teacherId, grp, starttime: '08:30:00', endtime: '09:15:00' });
const page = ok({ students: {
  '301': { name: '301', days: { '20250901': { name: '20250901', items: {
    '1': lesson('1', 'Английский язык', '1 группа', 'Петрова Анна Ивановна', '901'),
    '2': lesson('2', 'Математика', '', 'Сидоров И. О.', '902'),
  } } } },
  '302': { name: '302', days: { '20250901': { name: '20250901', items: {
    '1': lesson('1', 'Английский язык', '2 группа', 'Петрова Анна Ивановна', '901'),
    '2': lesson('2', 'Математика', '', 'Сидоров И. О.', '902'),
  } } } },
} });

describe('ЭлЖур roster structure from diary pages and periods', () => {
  it('a diary page read for the roster: subjects, sections, each pupil in the sections their own diary shows, named teachers', () => {
    const m = map('getdiary', page, ROSTER_IDS);
    expect(m.quarantine).toEqual([]);
    for (const r of m.records) parseRecord(r);
    const of = (e: string) => m.records.filter((r) => r.entity === e);
    expect(of('lesson')).toEqual([]); // lessons are the journal read's
    expect(of('subject').map((r) => r.entity === 'subject' && [r.title, r.code, r.schoolYear])).toEqual([['Английский язык', 'английский язык', 2026], ['Математика', 'математика', 2026]]);
    expect(of('section').map(src).sort()).toEqual(['5А|Английский язык|1 группа', '5А|Английский язык|2 группа', '5А|Математика|']);
    expect(of('enrollment').map(src).sort()).toEqual([
      '5А|Английский язык|1 группа:301', '5А|Английский язык|2 группа:302', '5А|Математика|:301', '5А|Математика|:302',
    ]);
    expect(of('enrollment').every((r) => r.entity === 'enrollment' && r.beginDate === '2025-09-01' && !r.isPrimary)).toBe(true);
    // «Сидоров И. О.» gives no given name: no person is guessed for 902 (their lessons stay orphans, with the reason).
    expect(of('person')).toHaveLength(1);
    expect(of('person')[0]).toMatchObject({ familyName: 'Петрова', givenName: 'Анна', middleName: 'Ивановна' });
    expect(of('role_assignment').map(src)).toEqual(['901:subject_teacher']);
  });

  it('the same page read for the journal gives the same section records and the lessons', () => {
    const roster = map('getdiary', page, ROSTER_IDS).records.filter((r) => r.entity === 'section');
    const journal = map('getdiary', page, { year: ROSTER_IDS.year, class: '5А' }).records;
    expect(journal.filter((r) => r.entity === 'section').map((r) => [r.id, r.contentHash]).sort()).toEqual(roster.map((r) => [r.id, r.contentHash]).sort());
    expect(journal.some((r) => r.entity === 'lesson')).toBe(true);
  });

  it('getperiods: the year (named as the year, or the span of all), terms under it; a period of no known kind is quarantined', () => {
    const periods = (list: { name: string; start: string; end: string }[]) => ok({ students: [{ name: '301', periods: list }] });
    const named = map('getperiods', periods([{ name: '1 четверть', start: '20250901', end: '20251024' }, { name: '2025/2026', start: '20250901', end: '20260531' }, { name: 'Летняя практика', start: '20251025', end: '20251102' }]), ROSTER_IDS);
    for (const r of named.records) parseRecord(r);
    expect(named.records.map((r) => r.entity === 'academic_session' && [src(r), r.kind, r.schoolYear])).toEqual([
      ['20250901-20251024', 'quarter', 2026], ['20250901-20260531', 'school_year', 2026],
    ]);
    expect(named.quarantine).toEqual([expect.objectContaining({ sourceId: '20251025-20251102', rawValue: 'Летняя практика' })]); // holidays: period-names.test.ts
    const year = named.records.find((r) => r.entity === 'academic_session' && r.kind === 'school_year')!;
    expect(named.records.find((r) => r.entity === 'academic_session' && r.kind === 'quarter')).toMatchObject({ parentId: year.id, isGradingPeriod: true });
    // Terms only: the year is their span.
    const spanned = map('getperiods', periods([{ name: '1 полугодие', start: '20250901', end: '20251228' }, { name: '2 полугодие', start: '20260109', end: '20260531' }]), ROSTER_IDS);
    expect(spanned.records.map((r) => r.entity === 'academic_session' && [src(r), r.kind])).toEqual([
      ['20250901-20260531', 'school_year'], ['20250901-20251228', 'half_year'], ['20260109-20260531', 'half_year'],
    ]);
    // Without the school in the context (`map` of a saved page): validated only, as the route was before.
    expect(map('getperiods', periods([{ name: '1 четверть', start: '20250901', end: '20251024' }]), {}).records).toEqual([]);
  });

  it('getrules: a pupil of a class refused for its name is a person with a role, but no member of a class that is not there', () => {
    const rules = ok({ name: 'admin', relations: { groups: { '5А': { name: '5А' }, 'ГПД': { name: 'ГПД' } }, students: {
      '301': { name: '301', firstname: 'Анна', lastname: 'Петрова', class: '5А' },
      '303': { name: '303', firstname: 'Иван', lastname: 'Смирнов', class: 'ГПД' },
    } } });
    const m = map('getrules', rules, ROSTER_IDS);
    expect(m.quarantine).toEqual([expect.objectContaining({ sourceId: 'ГПД', field: 'relations.groups' })]);
    expect(m.records.filter((r) => r.entity === 'homeroom_class').map(src)).toEqual(['5А']);
    expect(m.records.filter((r) => r.entity === 'enrollment').map(src)).toEqual(['5А:301']);
    expect(m.records.filter((r) => r.entity === 'person').map(src).sort()).toEqual(['301', '303']);
  });

  it('a teacher written with initials, with or without a space between them, is no person', () => {
    expect(teacherNameParts('Сидоров И. О.')).toBeUndefined();
    expect(teacherNameParts('Иванова И.О.')).toBeUndefined();
    expect(teacherNameParts('Иванова')).toBeUndefined();
    expect(teacherNameParts('Петрова Анна Ивановна')).toEqual({ familyName: 'Петрова', givenName: 'Анна', middleName: 'Ивановна' });
  });
});
