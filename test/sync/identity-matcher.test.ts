import { describe, expect, it } from 'vitest';
import { buildRecord, mintId, type PersonRecord } from '../../src/model/index.js';
import { snilsCheckNumber } from '../../src/model/identity.js';
import { matchPersons, type MatchContext } from '../../src/sync/identity-matcher.js';
import { PersonIndex } from '../../src/sync/person-index.js';

const prov = { system: 'asu_rso' as const, instance: 'emu', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const SCHOOL = mintId();

function snils(body: string) {
  return `${body}${snilsCheckNumber(body)}`;
}

function person(fields: { familyName: string; givenName: string; middleName?: string; birthDate?: string; snils?: string }, id = mintId()): PersonRecord {
  const { snils: s, ...rest } = fields;
  return buildRecord('person', {
    ...rest, enabled: true, identifiers: s ? [{ kind: 'snils', value: s, verified: true }] : [],
  }, { id, sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: id, kind: 'id' }], provenance: prov });
}

function ctx(existing: PersonRecord[], crosswalk: [string, string][] = [], present: string[] = []): MatchContext {
  const linked = new Map<string, Set<string>>();
  for (const [sid, cid] of crosswalk) linked.set(cid, new Set([...(linked.get(cid) ?? []), sid]));
  return {
    crosswalk: new Map(crosswalk), linkedSources: linked, presentSourceIds: new Set(present),
    index: new PersonIndex(existing, () => SCHOOL), schoolId: SCHOOL,
  };
}

describe('identity matching in tiers (canonical-model.md §C.3)', () => {
  const known = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02', snils: snils('123456789') });

  it('tier 1: a crosswalk hit wins, whatever the name says', () => {
    const incoming = person({ familyName: 'Другая', givenName: 'Фамилия' });
    const [m] = matchPersons([{ record: incoming, sourceId: '77' }], ctx([known], [['77', known.id]], ['77']));
    expect(m).toMatchObject({ canonicalId: known.id, tier: 'crosswalk' });
  });

  it('a person the operator decided the record is not (review split, separate) is never its match: not by SNILS, nor by name and birth date', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02', snils: snils('123456789') });
    expect(matchPersons([{ record: incoming, sourceId: '78' }], ctx([known]))[0]).toMatchObject({ canonicalId: known.id, tier: 'snils' });
    const decided = { ...ctx([known]), notThesePersons: new Map([['78', new Set([known.id])]]) };
    const [m] = matchPersons([{ record: incoming, sourceId: '78' }], decided);
    expect(m).toMatchObject({ canonicalId: incoming.id, tier: 'new' });
    expect(m.candidate).toBeUndefined();
    // Another platform record of the same person is not concerned by that decision.
    expect(matchPersons([{ record: incoming, sourceId: '79' }], { ...ctx([known]), notThesePersons: decided.notThesePersons })[0]).toMatchObject({ canonicalId: known.id, tier: 'snils' });
  });

  it('tier 2: an equal SNILS links the record to the known person', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алена', snils: '123-456-789 ' + snilsCheckNumber('123456789') });
    const [m] = matchPersons([{ record: incoming, sourceId: '501' }], ctx([known]));
    expect(m).toMatchObject({ canonicalId: known.id, tier: 'snils' });
  });

  it('tier 3: exact normalised name + birth date + school links (ё/е, case, Latin look-alikes)', () => {
    const incoming = person({ familyName: 'COPOKИНА', givenName: 'алена', middleName: 'Игоревна', birthDate: '2014-03-02' });
    const [m] = matchPersons([{ record: incoming, sourceId: '502' }], ctx([known]));
    expect(m).toMatchObject({ canonicalId: known.id, tier: 'composite' });
  });

  it('a platform that sends no birth date (АСУ РСО, ЭлЖур): the one person of the school with that exact full name is proposed for review, never merged', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алена', middleName: 'Игоревна' });
    const [m] = matchPersons([{ record: incoming, sourceId: '503' }], ctx([known]));
    expect(m).toMatchObject({ tier: 'new', canonicalId: incoming.id, candidate: { otherId: known.id, rule: 'name_exact_no_birthdate', score: 1 } });
    // Two people of that name in the school: nothing to propose (the operator links by hand).
    const twin = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2015-01-01' });
    const [n] = matchPersons([{ record: person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна' }), sourceId: '504' }], ctx([known, twin]));
    expect(n.tier).toBe('new');
    expect(n.candidate).toBeUndefined();
  });

  it('no birth date, a son named after his father: the platform says it lists a pupil, so the pupil of that name is proposed, not the parent', () => {
    const pupil = person({ familyName: 'Иванов', givenName: 'Иван', middleName: 'Иванович', birthDate: '2012-04-01' });
    const father = person({ familyName: 'Иванов', givenName: 'Иван', middleName: 'Иванович', birthDate: '1985-02-03' });
    const incoming = person({ familyName: 'Иванов', givenName: 'Иван', middleName: 'Иванович' });
    const knownRoles = new Map([[pupil.id, new Set(['student'])], [father.id, new Set(['parent'])]]);
    const withRoles: MatchContext = { ...ctx([pupil, father]), knownRoles, incomingRoles: new Map([[incoming.id, new Set(['student'])]]) };
    expect(matchPersons([{ record: incoming, sourceId: '505' }], withRoles)[0].candidate).toEqual({ otherId: pupil.id, rule: 'name_exact_no_birthdate', score: 1 });
    // Roles the platform does not give, or two pupils of the name: nothing to propose, as before.
    expect(matchPersons([{ record: incoming, sourceId: '505' }], { ...withRoles, incomingRoles: new Map() })[0].candidate).toBeUndefined();
    const twin = person({ familyName: 'Иванов', givenName: 'Иван', middleName: 'Иванович', birthDate: '2013-06-07' });
    const twoPupils: MatchContext = { ...ctx([pupil, father, twin]), knownRoles: new Map([...knownRoles, [twin.id, new Set(['student'])]]), incomingRoles: withRoles.incomingRoles };
    expect(matchPersons([{ record: incoming, sourceId: '505' }], twoPupils)[0].candidate).toBeUndefined();
  });

  it('no birth date, two pupils of one name in the school: the one in the incoming pupil\'s class is proposed', () => {
    const a = person({ familyName: 'Комаров', givenName: 'Сергей', middleName: 'Максимович', birthDate: '2012-04-01' });
    const b = person({ familyName: 'Комаров', givenName: 'Сергей', middleName: 'Максимович', birthDate: '2014-09-09' });
    const incoming = person({ familyName: 'Комаров', givenName: 'Сергей', middleName: 'Максимович' });
    const sections: MatchContext = { ...ctx([a, b]), knownClasses: new Map([[a.id, new Set(['7|А'])], [b.id, new Set(['5|Б'])]]), incomingClasses: new Map([[incoming.id, new Set(['5|Б'])]]) };
    expect(matchPersons([{ record: incoming, sourceId: '506' }], sections)[0].candidate).toEqual({ otherId: b.id, rule: 'name_exact_no_birthdate', score: 1 });
    // Both in that class, or its sections unknown: nothing to propose.
    const both: MatchContext = { ...sections, knownClasses: new Map([[a.id, new Set(['5|Б'])], [b.id, new Set(['5|Б'])]]) };
    expect(matchPersons([{ record: incoming, sourceId: '506' }], both)[0].candidate).toBeUndefined();
    expect(matchPersons([{ record: incoming, sourceId: '506' }], { ...sections, incomingClasses: new Map() })[0].candidate).toBeUndefined();
  });

  it('a newcomer whose name is nobody\'s in the school is proposed against no one, however long the names', () => {
    // A new teacher from ЭПОС; the school (АСУ РСО, undated) has a teacher and a pupil of unrelated names. The bounded edit
    // distance rated both strangers 0.84, a tie the newcomer's role then broke: the other teacher was proposed.
    const teacher = person({ familyName: 'Кузнецова', givenName: 'Мария', middleName: 'Петровна' });
    const pupil = person({ familyName: 'Ковалёв', givenName: 'Иван', middleName: 'Ильич' });
    const incoming = person({ familyName: 'Константинопольская', givenName: 'Александра', middleName: 'Вячеславовна', birthDate: '1985-04-12' });
    const roles: MatchContext = {
      ...ctx([teacher, pupil]), knownRoles: new Map([[teacher.id, new Set(['subject_teacher'])], [pupil.id, new Set(['student'])]]),
      incomingRoles: new Map([[incoming.id, new Set(['subject_teacher'])]]),
    };
    expect(matchPersons([{ record: incoming, sourceId: '508' }], roles)[0]).toEqual({ sourceId: '508', incomingId: incoming.id, canonicalId: incoming.id, tier: 'new' });
  });

  it('a birth date, two undated namesakes in the school (АСУ РСО as the system of record): the one in the newcomer\'s class is proposed', () => {
    // АСУ РСО's teacher routes carry no birth date, so the school's namesakes are stored undated; a pupil arriving from
    // ЭПОС with a birth date fits both equally. Before, that tie proposed nothing and the pupil's marks waited for an
    // operator to find the right one by hand.
    const a = person({ familyName: 'Комаров', givenName: 'Сергей', middleName: 'Максимович' });
    const b = person({ familyName: 'Комаров', givenName: 'Сергей', middleName: 'Максимович' });
    const incoming = person({ familyName: 'Комаров', givenName: 'Сергей', middleName: 'Максимович', birthDate: '2014-09-09' });
    const sections: MatchContext = { ...ctx([a, b]), knownClasses: new Map([[a.id, new Set(['7|А'])], [b.id, new Set(['5|Б'])]]), incomingClasses: new Map([[incoming.id, new Set(['5|Б'])]]) };
    expect(matchPersons([{ record: incoming, sourceId: '507' }], sections)[0]).toMatchObject({ tier: 'new', candidate: { otherId: b.id, rule: 'name_no_birthdate', score: 1 } });
    // Both in that class, or the newcomer's class unknown: nothing to propose, as before.
    const both: MatchContext = { ...sections, knownClasses: new Map([[a.id, new Set(['5|Б'])], [b.id, new Set(['5|Б'])]]) };
    expect(matchPersons([{ record: incoming, sourceId: '507' }], both)[0].candidate).toBeUndefined();
    expect(matchPersons([{ record: incoming, sourceId: '507' }], { ...sections, incomingClasses: new Map() })[0].candidate).toBeUndefined();
  });

  it('a duplicate pupil with Ё/Е spelling inside one source goes to review, never merged', () => {
    const a = person({ familyName: 'Петров', givenName: 'Пётр', birthDate: '2013-05-05' });
    const b = person({ familyName: 'Петров', givenName: 'Петр', birthDate: '2013-05-05' });
    const ms = matchPersons([{ record: a, sourceId: '1' }, { record: b, sourceId: '2' }], ctx([]));
    expect(ms[0]).toMatchObject({ tier: 'new', canonicalId: a.id });
    expect(ms[1]).toMatchObject({ tier: 'new', canonicalId: b.id, candidate: { otherId: a.id, rule: 'composite_duplicate' } });
  });

  it('a person already linked to another present record of the same platform is not taken twice', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02', snils: snils('123456789') });
    const [m] = matchPersons([{ record: incoming, sourceId: '900' }], ctx([known], [['77', known.id]], ['77', '900']));
    expect(m.tier).toBe('new');
    expect(m.candidate).toMatchObject({ otherId: known.id, rule: 'snils_duplicate' });
  });

  it('the same pupil under a new platform id is a key change, not a new person', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алёна', snils: snils('123456789') });
    const [m] = matchPersons([{ record: incoming, sourceId: '900' }], ctx([known], [['77', known.id]], ['900']));
    expect(m).toMatchObject({ canonicalId: known.id, tier: 'snils', keyChangeFrom: '77' });
  });

  it('tier 4: a similar name with the same birth date is only a review candidate', () => {
    const incoming = person({ familyName: 'Сорокена', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02' });
    const [m] = matchPersons([{ record: incoming, sourceId: '503' }], ctx([known]));
    expect(m.tier).toBe('new');
    expect(m.canonicalId).toBe(incoming.id);
    expect(m.candidate).toMatchObject({ otherId: known.id, rule: 'name_birthdate_similar' });
  });

  it('tier 4: the patronymic missing on one platform (optional in every schema) is a review candidate, below an equal name', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алёна', birthDate: '2014-03-02' });
    const [m] = matchPersons([{ record: incoming, sourceId: '520' }], ctx([known]));
    expect(m).toMatchObject({ tier: 'new', canonicalId: incoming.id, candidate: { otherId: known.id, rule: 'name_birthdate_similar', score: 0.9 } });
    // Undated as well (ЭлЖур): still proposed, not a silent duplicate.
    const undated = person({ familyName: 'Сорокина', givenName: 'Алёна' });
    expect(matchPersons([{ record: undated, sourceId: '521' }], ctx([known]))[0].candidate).toMatchObject({ otherId: known.id, rule: 'name_no_birthdate', score: 0.9 });
    // Another given name is someone else.
    expect(matchPersons([{ record: person({ familyName: 'Сорокина', givenName: 'Полина', birthDate: '2014-03-02' }), sourceId: '522' }], ctx([known]))[0].candidate).toBeUndefined();
  });

  it('tier 4: a double surname one platform writes in part is a review candidate, not a silent second pupil', () => {
    // «Сорокина-Водкина» on the system of record, «Сорокина» on another platform (its form has room for one surname):
    // eight letters apart, the name scored 0 and the pupil became two people with no review item.
    const double = person({ familyName: 'Сорокина-Водкина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02' });
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02' });
    expect(matchPersons([{ record: incoming, sourceId: '530' }], ctx([double]))[0]).toMatchObject({ tier: 'new', candidate: { otherId: double.id, rule: 'name_birthdate_similar', score: 0.9 } });
    const second = person({ familyName: 'Водкина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02' });
    expect(matchPersons([{ record: second, sourceId: '531' }], ctx([double]))[0].candidate).toMatchObject({ otherId: double.id, score: 0.9 });
    // A part of the surname with another given name and patronymic is someone else.
    expect(matchPersons([{ record: person({ familyName: 'Сорокина', givenName: 'Маргарита', middleName: 'Петровна', birthDate: '2014-03-02' }), sourceId: '532' }], ctx([double]))[0].candidate).toBeUndefined();
  });

  it('tier 4, name + class: the same full name with another birth date in the same class is a review candidate, never merged', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-03' });
    const classes: MatchContext = { ...ctx([known]), knownClasses: new Map([[known.id, new Set(['5|Б'])]]), incomingClasses: new Map([[incoming.id, new Set(['5|Б'])]]) };
    expect(matchPersons([{ record: incoming, sourceId: '523' }], classes)[0]).toMatchObject({ tier: 'new', canonicalId: incoming.id, candidate: { otherId: known.id, rule: 'name_class', score: 0.9 } });
    // Another class, or the class unknown: a namesake, nothing proposed.
    expect(matchPersons([{ record: incoming, sourceId: '523' }], { ...classes, incomingClasses: new Map([[incoming.id, new Set(['7|А'])]]) })[0].candidate).toBeUndefined();
    expect(matchPersons([{ record: incoming, sourceId: '523' }], ctx([known]))[0].candidate).toBeUndefined();
  });

  it('no birth date (АСУ РСО teacher routes, ЭлЖур): a pupil named like a known pupil of the school goes to review — neither merged nor silently new', () => {
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алена', middleName: 'Игоревна' });
    const [m] = matchPersons([{ record: incoming, sourceId: '601' }], ctx([known]));
    expect(m).toEqual({ sourceId: '601', incomingId: incoming.id, canonicalId: incoming.id, tier: 'new', candidate: { otherId: known.id, rule: 'name_exact_no_birthdate', score: 1 } });
  });

  it('no birth date on the known side: a dated newcomer with the same name is a review candidate too', () => {
    const undated = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна' });
    const incoming = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02' });
    const [m] = matchPersons([{ record: incoming, sourceId: '602' }], ctx([undated]));
    expect(m).toMatchObject({ canonicalId: incoming.id, tier: 'new', candidate: { otherId: undated.id, rule: 'name_no_birthdate' } });
  });

  it('no birth date: two namesakes inside one snapshot are two people with a review candidate between them', () => {
    const a = person({ familyName: 'Иванов', givenName: 'Иван', middleName: 'Петрович' });
    const b = person({ familyName: 'Иванов', givenName: 'Иван', middleName: 'Петрович' });
    const ms = matchPersons([{ record: a, sourceId: '701' }, { record: b, sourceId: '702' }], ctx([]));
    expect(ms.map((m) => m.canonicalId)).toEqual([a.id, b.id]);
    expect(ms[1].candidate).toMatchObject({ otherId: a.id, rule: 'name_no_birthdate' });
  });

  it('no birth date: a different name, or the same name in another school, is simply new', () => {
    const other = person({ familyName: 'Кузнецов', givenName: 'Олег' });
    expect(matchPersons([{ record: other, sourceId: '603' }], ctx([known]))[0].candidate).toBeUndefined();
    const elsewhere: MatchContext = { ...ctx([]), index: new PersonIndex([known], () => mintId()) };
    const namesake = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна' });
    expect(matchPersons([{ record: namesake, sourceId: '604' }], elsewhere)[0]).toEqual({ sourceId: '604', incomingId: namesake.id, canonicalId: namesake.id, tier: 'new' });
  });

  it('a different pupil with no resemblance is simply new', () => {
    const incoming = person({ familyName: 'Кузнецов', givenName: 'Олег', birthDate: '2012-01-01' });
    const [m] = matchPersons([{ record: incoming, sourceId: '504' }], ctx([known]));
    expect(m).toEqual({ sourceId: '504', incomingId: incoming.id, canonicalId: incoming.id, tier: 'new' });
  });

  it('a teacher working in two schools is found by name and birth date in each of them', () => {
    const other = mintId();
    const teacher = person({ familyName: 'Учителева', givenName: 'Вера', middleName: 'Павловна', birthDate: '1980-05-05' });
    // Role assignments in both schools; whichever the store lists last, each school's platform finds the teacher.
    for (const order of [[SCHOOL, other], [other, SCHOOL]]) {
      const index = new PersonIndex([teacher], () => order);
      for (const schoolId of [SCHOOL, other]) {
        const copy = person({ familyName: 'УЧИТЕЛЕВА', givenName: 'Вера', middleName: 'Павловна', birthDate: '1980-05-05' });
        const [m] = matchPersons([{ record: copy, sourceId: `t-${schoolId}` }], { ...ctx([]), index, schoolId });
        expect(m).toMatchObject({ canonicalId: teacher.id, tier: 'composite' });
      }
    }
  });

  describe('found by an audit of identity matching', () => {
    const roles = (m: [string, string][]) => new Map(m.map(([id, role]) => [id, new Set([role])]));
    it('namesakes of one name and birth date: the one of the incoming pupil\'s class is proposed, whatever the store order', () => {
      const p = { familyName: 'Комаров', givenName: 'Сергей', middleName: 'Максимович', birthDate: '2012-04-01' };
      const a = person(p);
      const b = person(p);
      const incoming = person(p);
      const cls = { knownClasses: new Map([[a.id, new Set(['7|А'])], [b.id, new Set(['5|Б'])]]), incomingClasses: new Map([[incoming.id, new Set(['5|Б'])]]) };
      const ab = matchPersons([{ record: incoming, sourceId: 'x' }], { ...ctx([a, b]), ...cls })[0];
      const ba = matchPersons([{ record: incoming, sourceId: 'x' }], { ...ctx([b, a]), ...cls })[0];
      expect([ab.candidate?.otherId, ba.candidate?.otherId]).toEqual([b.id, b.id]);
      // Nothing tells them apart: nothing is proposed (the first by id would invite merging two children).
      const [none] = matchPersons([{ record: incoming, sourceId: 'x' }], ctx([a, b]));
      expect(none.tier).toBe('new');
      expect(none.candidate).toBeUndefined();
    });

    it('tier 4 stays within the school: a stranger of another school with the birth date and a similar name is not proposed', () => {
      const elsewhere = person({ familyName: 'Смирнов', givenName: 'Александр', middleName: 'Андреевич', birthDate: '2013-05-05' });
      const incoming = person({ familyName: 'Смирнов', givenName: 'Александр', middleName: 'Сергеевич', birthDate: '2013-05-05' });
      const other = mintId();
      const inOther = { ...ctx([]), index: new PersonIndex([elsewhere], () => other) };
      expect(matchPersons([{ record: incoming, sourceId: 'x' }], inOther)[0].candidate).toBeUndefined();
      // The same pupil in this school is still proposed.
      expect(matchPersons([{ record: incoming, sourceId: 'x' }], ctx([elsewhere]))[0].candidate).toMatchObject({ otherId: elsewhere.id, rule: 'name_birthdate_similar' });
    });

    it('bidi and other format characters pasted into a name do not defeat the exact tier', () => {
      const known2 = person({ familyName: 'Сорокина', givenName: 'Алёна', middleName: 'Игоревна', birthDate: '2014-03-02' });
      for (const mark of ['\u2068', '\u202a', '\u061c', '\u2066']) {
        const incoming = person({ familyName: `${mark}Сорокина\u2069`, givenName: 'Алена', middleName: 'Игоревна', birthDate: '2014-03-02' });
        expect(matchPersons([{ record: incoming, sourceId: 'x' }], ctx([known2]))[0], mark).toMatchObject({ tier: 'composite', canonicalId: known2.id });
      }
    });

    it('a name-only teacher is not proposed as the school\'s one dated pupil of that name', () => {
      const pupil = person({ familyName: 'Иванова', givenName: 'Мария', middleName: 'Петровна', birthDate: '2012-04-01' });
      const teacher = person({ familyName: 'Иванова', givenName: 'Мария', middleName: 'Петровна' });
      const [m] = matchPersons([{ record: teacher, sourceId: 'x' }], { ...ctx([pupil]), knownRoles: roles([[pupil.id, 'student']]), incomingRoles: roles([[teacher.id, 'teacher']]) });
      expect(m.candidate).toBeUndefined();
      const [asPupil] = matchPersons([{ record: teacher, sourceId: 'x' }], { ...ctx([pupil]), knownRoles: roles([[pupil.id, 'student']]), incomingRoles: roles([[teacher.id, 'student']]) });
      expect(asPupil.candidate).toMatchObject({ otherId: pupil.id, rule: 'name_exact_no_birthdate' });
    });

    it('one SNILS on two stored people links to neither: the one of the same name and birth date is proposed', () => {
      const S = snils('112233445');
      const masha = person({ familyName: 'Петрова', givenName: 'Мария', middleName: 'Ивановна', birthDate: '2012-01-01', snils: S });
      const dasha = person({ familyName: 'Петрова', givenName: 'Дарья', middleName: 'Ивановна', birthDate: '2014-06-06', snils: S });
      const incoming = person({ familyName: 'Петрова', givenName: 'Мария', middleName: 'Ивановна', birthDate: '2012-01-01', snils: S });
      for (const order of [[masha, dasha], [dasha, masha]]) {
        const [m] = matchPersons([{ record: incoming, sourceId: 'x' }], ctx(order));
        expect(m).toMatchObject({ tier: 'new', candidate: { otherId: masha.id, rule: 'snils_ambiguous', score: 1 } });
      }
    });
  });
});
