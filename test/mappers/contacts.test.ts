// Which platform routes carry a teacher's or a parent's e-mail and phone, mapped as written (identity matching
// normalises them): Дневник.ру's teachers (`Email`) and the `User` of a parent or administrator (`ids.contacts`, from
// POST users/many), ЭПОС's parents (`email`, `phone` [U]). Pupils' contacts are not read; a malformed value is no
// contact, never a reason to quarantine the person.
import { describe, expect, it } from 'vitest';
import type { MapContext } from '../../src/connectors/mapping.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import { eposMapper } from '../../src/mappers/epos/index.js';
import type { PersonRecord } from '../../src/model/index.js';

const base = { timeZone: 'Europe/Samara', fetchedAt: '2026-09-10T00:00:00Z', runId: 'u' };
const dn = (ids: Record<string, string> = {}): MapContext => ({ ...base, system: 'dnevnik_ru', instance: 'unit', mapperVersion: 'dnevnik-1', ids: { school: '1', ...ids } });
const ep = (ids: Record<string, string> = {}): MapContext => ({ ...base, system: 'epos', instance: 'unit', mapperVersion: 'epos-1', ids: { school: '1', yearBegin: '2026-09-01', ...ids } });
const persons = (records: readonly { entity: string }[]) => records.filter((r): r is PersonRecord => r.entity === 'person');

describe('Дневник.ру: contacts of teachers, parents and administrators', () => {
  it('a teacher\'s `Email` is the person\'s e-mail; a teacher without one has none', () => {
    const r = dnevnikMapper('schools/{id}/teachers', [
      { IdStr: '42', FirstName: 'Анна', LastName: 'Учителева', Email: 'A.Uchiteleva@school.example.ru' },
      { IdStr: '43', FirstName: 'Борис', LastName: 'Учителев', Email: null },
      { IdStr: '44', FirstName: 'Вера', LastName: 'Учителева', Email: 17 },
    ], dn());
    expect(r.quarantine).toEqual([]);
    expect(persons(r.records).map((p) => [p.emails, p.phones])).toEqual([[['A.Uchiteleva@school.example.ru'], []], [[], []], [[], []]]);
  });

  it('a parent\'s e-mail and phone come from its `User` (ids.contacts); a pupil\'s are not read', () => {
    const contacts = JSON.stringify({ 7: { email: 'mama@example.ru', phone: '+7 912 000-11-22' }, 1: { email: 'kid@example.ru' } });
    const relatives = dnevnikMapper('users/{id}/relatives', [{ relativeType: 'Mother', person: { id_str: '7', firstName: 'Мама', lastName: 'Тестова' } }], dn({ person: '1', contacts }));
    expect(persons(relatives.records)[0]).toMatchObject({ emails: ['mama@example.ru'], phones: ['+7 912 000-11-22'] });
    const pupils = dnevnikMapper('edu-groups/{id}/persons', [{ id_str: '1', firstName: 'Тест', lastName: 'Тестов' }], dn({ contacts }));
    expect(persons(pupils.records)[0]).toMatchObject({ emails: [], phones: [] });
    const admins = dnevnikMapper('schools/{id}/membership', [{ id_str: '7', firstName: 'Мама', lastName: 'Тестова' }], dn({ contacts }));
    expect(persons(admins.records)[0]).toMatchObject({ emails: ['mama@example.ru'], phones: ['+7 912 000-11-22'] });
  });
});

describe('ЭПОС: contacts of parents [U]', () => {
  const profile = (parent: Record<string, unknown>) => ({
    id: 1, last_name: 'Тестов', first_name: 'Тест', class_unit: { id: 2001, name: '5А', class_level_id: 5 },
    parents: [{ id: 3, last_name: 'Тестова', first_name: 'Мама', type: 'Мать', ...parent }],
  });
  it('a parent\'s `email` and `phone` are the person\'s; the pupil has none', () => {
    const r = eposMapper('core/api/student_profiles', [profile({ email: 'mama@example.ru', phone: '8 912 000 11 22' })], ep());
    const [pupil, parent] = persons(r.records);
    expect(parent).toMatchObject({ emails: ['mama@example.ru'], phones: ['8 912 000 11 22'] });
    expect(pupil).toMatchObject({ emails: [], phones: [] });
  });
  it('a malformed or missing contact is no contact, and the parent is not quarantined', () => {
    const r = eposMapper('core/api/student_profiles', [profile({ email: { value: 'x' }, phone: '' })], ep());
    expect(r.quarantine).toEqual([]);
    expect(persons(r.records)[1]).toMatchObject({ emails: [], phones: [] });
  });
});
