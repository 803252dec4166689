// Identity matching of a school read back from ЭлЖур after an import (src/sync/eljur-identities.ts): ЭлЖур gives
// names and a parallel only, so a pupil is matched by full name within the parallel — and never guessed.
import { describe, expect, it } from 'vitest';
import { buildRecord, mintId, type CanonicalRecord } from '../../src/model/index.js';
import { matchEljurSchool } from '../../src/sync/eljur-identities.js';

const prov = { system: 'dnevnik_ru' as const, instance: 'dn', fetchedAt: '2025-09-01T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const org = mintId();
const year = mintId();
const names = { familyName: 'Тестов', givenName: 'Пётр', middleName: 'Ильич' };

/** A canonical school of one class 5А with the given pupils (each enrolled in the class). */
function school(pupils: { familyName: string; givenName: string; middleName?: string }[]): { records: CanonicalRecord[]; ids: string[] } {
  const cls = buildRecord('homeroom_class', { gradeLevel: 5, letter: 'А', title: '5А', academicYearId: year, organizationId: org }, { id: mintId(), sourceRefs: [], provenance: prov });
  const records: CanonicalRecord[] = [cls];
  const ids: string[] = [];
  for (const p of pupils) {
    const person = buildRecord('person', { ...p, enabled: true, identifiers: [] }, { id: mintId(), sourceRefs: [], provenance: prov });
    ids.push(person.id);
    records.push(person, buildRecord('enrollment', { personId: person.id, sectionId: cls.id, role: 'student', isPrimary: true, beginDate: '2025-09-01' }, { id: mintId(), sourceRefs: [], provenance: prov }));
  }
  return { records, ids };
}
const eljurPupil = (sourceId: string, p: { familyName: string; givenName: string; middleName?: string }, gradeLevel = 5) => ({
  sourceId, record: buildRecord('person', { ...p, enabled: true, identifiers: [], gradeLevel }, { id: mintId(), sourceRefs: [], provenance: { ...prov, system: 'eljur' as const, instance: 'el' } }),
});

describe('ЭлЖур read-back identities', () => {
  it('the package pupil of that name and parallel is the ЭлЖур pupil (ё/е and case folded)', () => {
    const { records, ids } = school([names]);
    const m = matchEljurSchool(records, [eljurPupil('u1', { ...names, givenName: 'ПЕТР' })]);
    expect(m.resolve('person', 'u1')).toBe(ids[0]);
    expect(m.unmatched).toEqual([]);
  });

  it('two ЭлЖур pupils of one name and parallel are not both the one package pupil of that name: neither is guessed', () => {
    // The school enrolled a namesake in 5Б by hand in ЭлЖур after the package was built: ЭлЖур lists two «Тестов Пётр
    // Ильич» of the 5th grade, the package had one. Both matched that one pupil, and both ЭлЖур accounts were linked to
    // them — the namesake's marks, read by every later ЭлЖур sync, landed in the other child's diary.
    const { records } = school([names]);
    const m = matchEljurSchool(records, [eljurPupil('u1', names), eljurPupil('u2', names)]);
    expect(m.resolve('person', 'u1')).toBeUndefined();
    expect(m.resolve('person', 'u2')).toBeUndefined();
    expect(m.unmatched.sort()).toEqual(['u1', 'u2']);
    expect(m.matched).toBe(0);
  });
});
