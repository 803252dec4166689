// Tier 3 for teachers and parents (canonical-model.md §C.3: "teachers/parents: normalised phone or e-mail + name"):
// matched where one stored person of the same kind carries the contact and has the same normalised name; a shared
// contact, another name, another kind or a pupil is never merged (src/sync/contact-match.ts).
import { describe, expect, it } from 'vitest';
import { buildRecord, mintId, type PersonRecord } from '../../src/model/index.js';
import { matchPersons, type MatchContext } from '../../src/sync/identity-matcher.js';
import { PersonIndex } from '../../src/sync/person-index.js';

const prov = { system: 'dnevnik_ru' as const, instance: 'emu', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const SCHOOL = mintId();
const OTHER_SCHOOL = mintId();

type Fields = { familyName: string; givenName: string; middleName?: string; birthDate?: string; emails?: string[]; phones?: string[] };
function person(fields: Fields, id = mintId()): PersonRecord {
  return buildRecord('person', { emails: [], phones: [], ...fields, enabled: true, identifiers: [] },
    { id, sourceRefs: [{ system: 'dnevnik_ru', instance: 'emu', sourceId: id, kind: 'id' }], provenance: prov });
}

/** Stored persons with their roles (at this school unless `schoolOf` says otherwise); incoming persons with theirs. */
function ctx(stored: [PersonRecord, string][], incoming: [PersonRecord, string][], opts: { schoolOf?: (id: string) => string; crosswalk?: [string, string][]; present?: string[] } = {}): MatchContext {
  const linked = new Map<string, Set<string>>();
  for (const [sid, cid] of opts.crosswalk ?? []) linked.set(cid, new Set([...(linked.get(cid) ?? []), sid]));
  const roles = (list: [PersonRecord, string][]) => new Map(list.map(([p, r]) => [p.id, new Set([r])]));
  const storedRoles = roles(stored);
  const here = opts.schoolOf ? new Map([...storedRoles].filter(([id]) => opts.schoolOf!(id) === SCHOOL)) : storedRoles;
  return {
    crosswalk: new Map(opts.crosswalk ?? []), linkedSources: linked, presentSourceIds: new Set(opts.present ?? []),
    index: new PersonIndex(stored.map(([p]) => p), (id) => opts.schoolOf?.(id) ?? SCHOOL), schoolId: SCHOOL,
    knownRoles: here, storedRoles, incomingRoles: roles(incoming),
  };
}

const match = (incoming: PersonRecord, role: string, stored: [PersonRecord, string][], opts?: Parameters<typeof ctx>[2]) =>
  matchPersons([{ record: incoming, sourceId: 'src-1' }], ctx(stored, [[incoming, role]], opts))[0];

describe('tier 3 for teachers and parents: normalised e-mail or phone + name', () => {
  // A teacher the system of record lists with a birth date; the second platform lists her without one.
  const teacher = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', birthDate: '1980-05-06', emails: ['O.Smirnova@school8.example.ru'], phones: ['+7 912 345-67-89'] });

  it('a teacher without a birth date, the e-mail in other case: matched to the stored teacher, not a review item', () => {
    const incoming = person({ familyName: 'СМИРНОВА', givenName: 'ольга', middleName: 'Петровна', emails: [' o.smirnova@SCHOOL8.example.ru '] });
    expect(match(incoming, 'subject_teacher', [[teacher, 'subject_teacher']])).toMatchObject({ canonicalId: teacher.id, tier: 'contact' });
    expect(match(incoming, 'subject_teacher', [[teacher, 'subject_teacher']]).candidate).toBeUndefined();
  });

  it('a parent by phone in another spelling (8 … vs +7 …), ё/е in the name: matched', () => {
    const mother = person({ familyName: 'Алёшина', givenName: 'Мария', middleName: 'Ивановна', birthDate: '1985-01-02', phones: ['+7 (912) 111-22-33'] });
    const incoming = person({ familyName: 'Алешина', givenName: 'Мария', middleName: 'Ивановна', phones: ['89121112233'] });
    expect(match(incoming, 'parent', [[mother, 'parent']])).toMatchObject({ canonicalId: mother.id, tier: 'contact' });
  });

  it('staff of another kind on each platform (a subject teacher here, the class teacher there) is one kind; a teacher of another school is found too', () => {
    const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', phones: ['8 912 345 67 89'] });
    expect(match(incoming, 'class_teacher', [[teacher, 'subject_teacher']])).toMatchObject({ canonicalId: teacher.id, tier: 'contact' });
    expect(match(incoming, 'subject_teacher', [[teacher, 'subject_teacher']], { schoolOf: () => OTHER_SCHOOL })).toMatchObject({ canonicalId: teacher.id, tier: 'contact' });
  });

  describe('a father and the son named after him (found by a review)', () => {
    const HOME = '+7 843 555-12-34';
    const names = { familyName: 'Иванов', givenName: 'Иван', middleName: 'Иванович' };
    const father = person({ ...names, birthDate: '1960-02-03', phones: [HOME] });
    const storedSon = person({ ...names, birthDate: '1986-07-08', phones: ['+7 917 222-33-44'] });

    it('the son stored too (without the home phone), an undated namesake with the home phone arrives: proposed, never merged into the father', () => {
      const incoming = person({ ...names, phones: [HOME] });
      const m = match(incoming, 'parent', [[father, 'parent'], [storedSon, 'parent']]);
      expect(m.canonicalId).not.toBe(father.id);
      expect(m.canonicalId).not.toBe(storedSon.id);
      expect(m.candidate).toMatchObject({ otherId: father.id, rule: 'contact_namesake' });
    });

    it('with both birth dates equal the namesake does not stand in the way: matched', () => {
      const incoming = person({ ...names, birthDate: '1960-02-03', phones: [HOME] });
      expect(match(incoming, 'parent', [[father, 'parent'], [storedSon, 'parent']], { schoolOf: (id) => (id === father.id ? OTHER_SCHOOL : SCHOOL) })).toMatchObject({ canonicalId: father.id });
    });

    it('the son split off the father (review split): no tier takes him for the father again, nor proposes the father; he is new under the id the split chose', () => {
      const incoming = person({ ...names, phones: [HOME] });
      const splitAs = mintId();
      const decided = { ...ctx([[father, 'parent']], [[incoming, 'parent']]), notThesePersons: new Map([['src-1', new Set([father.id])]]), splitOffAs: new Map([['src-1', splitAs]]) };
      const [m] = matchPersons([{ record: incoming, sourceId: 'src-1' }], decided);
      expect(m).toMatchObject({ canonicalId: splitAs, tier: 'new' });
      expect(m.candidate).toBeUndefined();
      // Before the split it was the father, by the contact.
      expect(match(incoming, 'parent', [[father, 'parent']])).toMatchObject({ canonicalId: father.id, tier: 'contact' });
    });

    it('a genuine match is still found past the person the record is not: the son stored elsewhere with the home phone', () => {
      const incoming = person({ ...names, phones: [HOME] });
      const sonWithHome = person({ ...names, phones: [HOME] });
      // The father decided away, the home phone names one stored parent of the name: the son.
      const decided = { ...ctx([[father, 'parent'], [sonWithHome, 'parent']], [[incoming, 'parent']]), notThesePersons: new Map([['src-1', new Set([father.id])]]) };
      expect(matchPersons([{ record: incoming, sourceId: 'src-1' }], decided)[0]).toMatchObject({ canonicalId: sonWithHome.id, tier: 'contact' });
    });

    it('a namesake of another kind (a pupil, a teacher) is no reason to doubt a parent\'s contact', () => {
      const incoming = person({ ...names, phones: [HOME] });
      const teacher = person({ ...names, birthDate: '1990-01-01' });
      expect(match(incoming, 'parent', [[father, 'parent'], [teacher, 'subject_teacher']])).toMatchObject({ canonicalId: father.id, tier: 'contact' });
    });
  });

  describe('a shared family phone', () => {
    const phone = '+7 922 000-11-22';
    const mother = person({ familyName: 'Петрова', givenName: 'Анна', middleName: 'Викторовна', birthDate: '1986-03-04', phones: [phone] });
    const father = person({ familyName: 'Петров', givenName: 'Сергей', middleName: 'Иванович', birthDate: '1984-07-08', phones: [phone] });
    const incomingFather = person({ familyName: 'Петров', givenName: 'Сергей', middleName: 'Иванович', phones: ['89220001122'] });

    it('the father with the mother\'s phone is not merged into the mother (the names differ), and not proposed against her', () => {
      const m = match(incomingFather, 'parent', [[mother, 'parent']]);
      expect(m.canonicalId).toBe(incomingFather.id);
      expect(m.tier).toBe('new');
      expect(m.candidate?.otherId).not.toBe(mother.id);
    });

    it('both parents stored with the one phone: the phone names neither — the father is proposed against the father, merged into no one', () => {
      const m = match(incomingFather, 'parent', [[mother, 'parent'], [father, 'parent']]);
      expect(m).toMatchObject({ canonicalId: incomingFather.id, tier: 'new', candidate: { otherId: father.id, rule: 'contact_ambiguous', score: 1 } });
    });

    it('mother and father arriving in one snapshot with one phone and no birth dates: two people, neither merged into the other', () => {
      const incomingMother = person({ familyName: 'Петрова', givenName: 'Анна', middleName: 'Викторовна', phones: [phone] });
      const c = ctx([], [[incomingMother, 'parent'], [incomingFather, 'parent']]);
      const [a, b] = matchPersons([{ record: incomingMother, sourceId: 'm' }, { record: incomingFather, sourceId: 'f' }], c);
      expect([a.canonicalId, b.canonicalId]).toEqual([incomingMother.id, incomingFather.id]);
      expect([a.tier, b.tier]).toEqual(['new', 'new']);
    });
  });

  describe('the contact equal, the name not', () => {
    it('another name entirely: not matched, nothing proposed from the contact', () => {
      const other = person({ familyName: 'Кузнецов', givenName: 'Дмитрий', middleName: 'Олегович', emails: ['o.smirnova@school8.example.ru'] });
      const m = match(other, 'subject_teacher', [[teacher, 'subject_teacher']]);
      expect(m).toMatchObject({ canonicalId: other.id, tier: 'new' });
      expect(m.candidate).toBeUndefined();
    });

    it('a misspelt name: a review candidate, never merged', () => {
      const typo = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петрова', emails: ['o.smirnova@school8.example.ru'] });
      expect(match(typo, 'subject_teacher', [[teacher, 'subject_teacher']])).toMatchObject({ canonicalId: typo.id, tier: 'new', candidate: { otherId: teacher.id, rule: 'contact_name_differs' } });
    });

    it('a married name (same given name and patronymic): a review candidate, never merged', () => {
      const married = person({ familyName: 'Ковалевская', givenName: 'Ольга', middleName: 'Петровна', phones: ['+79123456789'] });
      const m = match(married, 'subject_teacher', [[teacher, 'subject_teacher']]);
      expect(m).toMatchObject({ canonicalId: married.id, tier: 'new', candidate: { otherId: teacher.id, rule: 'contact_name_differs' } });
      expect(m.candidate!.score).toBeLessThan(0.75);
    });
  });

  describe('the same contact on two stored people', () => {
    it('two stored teachers share the e-mail (a school mailbox): neither is taken; the one of this name is proposed', () => {
      const colleague = person({ familyName: 'Орлова', givenName: 'Нина', middleName: 'Павловна', emails: ['O.Smirnova@school8.example.ru'] });
      const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['o.smirnova@school8.example.ru'] });
      expect(match(incoming, 'subject_teacher', [[teacher, 'subject_teacher'], [colleague, 'subject_teacher']]))
        .toMatchObject({ canonicalId: incoming.id, tier: 'new', candidate: { otherId: teacher.id, rule: 'contact_ambiguous' } });
    });

    it('two stored people of this very name and contact (a duplicate already in the store): neither is taken, nothing proposed', () => {
      const copy = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['o.smirnova@school8.example.ru'] });
      const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['o.smirnova@school8.example.ru'] });
      const m = match(incoming, 'subject_teacher', [[teacher, 'subject_teacher'], [copy, 'subject_teacher']]);
      expect(m).toMatchObject({ canonicalId: incoming.id, tier: 'new' });
      expect([teacher.id, copy.id]).not.toContain(m.canonicalId);
    });

    it('the e-mail on one stored person and the phone on another: neither is taken', () => {
      const namesake = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', phones: ['+7 900 123-45-67'] });
      const withEmail = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['olga@example.ru'] });
      const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['olga@example.ru'], phones: ['+79001234567'] });
      expect(match(incoming, 'parent', [[namesake, 'parent'], [withEmail, 'parent']])).toMatchObject({ canonicalId: incoming.id, tier: 'new' });
    });
  });

  describe('what the tier never does', () => {
    it('pupils are not matched by contact (name and birth date are theirs)', () => {
      const pupil = person({ familyName: 'Смирнов', givenName: 'Кирилл', middleName: 'Олегович', birthDate: '2012-02-03', emails: ['kirill@example.ru'] });
      const incoming = person({ familyName: 'Смирнов', givenName: 'Кирилл', middleName: 'Олегович', emails: ['kirill@example.ru'] });
      expect(match(incoming, 'student', [[pupil, 'student']]).tier).toBe('new');
    });

    it('another kind: a parent is not matched onto a stored teacher of the same name and e-mail', () => {
      const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['o.smirnova@school8.example.ru'] });
      expect(match(incoming, 'parent', [[teacher, 'subject_teacher']]).tier).toBe('new');
    });

    it('roles unknown (the platform does not say what the person is): not matched', () => {
      const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['o.smirnova@school8.example.ru'] });
      const c = { ...ctx([[teacher, 'subject_teacher']], []), incomingRoles: new Map() };
      expect(matchPersons([{ record: incoming, sourceId: 'x' }], c)[0].tier).toBe('new');
    });

    it('other birth dates on both sides (a father and a son named after him, one phone): proposed, not merged', () => {
      const father = person({ familyName: 'Орлов', givenName: 'Иван', middleName: 'Иванович', birthDate: '1975-01-01', phones: ['+7 950 765-43-21'] });
      const son = person({ familyName: 'Орлов', givenName: 'Иван', middleName: 'Иванович', birthDate: '2001-01-01', phones: ['+7 950 765-43-21'] });
      expect(match(son, 'parent', [[father, 'parent']])).toMatchObject({ canonicalId: son.id, tier: 'new', candidate: { otherId: father.id, rule: 'contact_birthdate_differs' } });
    });

    it('a stored person another present record of this platform already stands for: proposed, not taken twice', () => {
      const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', emails: ['o.smirnova@school8.example.ru'] });
      const m = match(incoming, 'subject_teacher', [[teacher, 'subject_teacher']], { crosswalk: [['old', teacher.id]], present: ['old', 'src-1'] });
      expect(m).toMatchObject({ canonicalId: incoming.id, tier: 'new', candidate: { otherId: teacher.id, rule: 'contact_duplicate' } });
    });

    it('a placeholder phone names no one', () => {
      const a = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', phones: ['+7 000 000-00-00'] });
      const incoming = person({ familyName: 'Смирнова', givenName: 'Ольга', middleName: 'Петровна', phones: ['80000000000'] });
      expect(match(incoming, 'parent', [[a, 'parent']]).tier).toBe('new');
    });
  });
});
