// Identity matching of a school read back from ЭлЖур after an import (docs/migration.md). ЭлЖур's API lists
// pupils with names, gender, class and parallel only — no birth date, SNILS or external id (platforms.md
// §4.3) — so the canonical tiers (crosswalk → SNILS → name + birth date) cannot run. The package told the
// support team which pupils to create, so each ЭлЖур pupil is matched to the package pupil with the same
// normalised full name in the same parallel; two such pupils (on either side) are ambiguous and stay unmatched
// (listed in the report, never guessed). Classes, subjects, sections and periods are known to ЭлЖур by name
// (docs/platforms/eljur.md "Ids"), so their keys are rebuilt from the canonical records.
import type { IdResolver } from '../connectors/mapping.js';
import { compactDate, periodKey, sectionKey } from '../mappers/eljur/codes.js';
import { normaliseName } from '../model/identity.js';
import { pupilClassIds } from '../model/pupil-classes.js';
import type { CanonicalRecord, RecordOf } from '../model/records.js';

export interface EljurIdentities {
  resolve: IdResolver;
  /** ЭлЖур pupils with no single package pupil of that name and parallel (ЭлЖур user ids only: no names). */
  unmatched: string[];
  matched: number;
}

const nameKey = (p: { familyName: string; givenName: string; middleName?: string }, grade: number | undefined) =>
  [normaliseName(p.familyName), normaliseName(p.givenName), normaliseName(p.middleName), grade ?? ''].join('|');

/**
 * `canonical`: the school's records (what the package was built from). `eljurPupils`: the persons of an
 * ЭлЖур roster read, mapped without a resolver, each with its ЭлЖур user id.
 */
export function matchEljurSchool(canonical: readonly CanonicalRecord[], eljurPupils: readonly { sourceId: string; record: RecordOf<'person'> }[]): EljurIdentities {
  const of = <E extends CanonicalRecord['entity']>(e: E) => canonical.filter((r) => r.entity === e && r.status !== 'deleted') as RecordOf<E>[];
  const classes = new Map(of('homeroom_class').map((c) => [c.id, c]));
  const subjects = new Map(of('subject').map((s) => [s.id, s]));
  const byKey = new Map<string, string>();
  for (const c of classes.values()) byKey.set(`homeroom_class:${c.title}`, c.id);
  for (const s of subjects.values()) byKey.set(`subject:${s.title}`, s.id);
  for (const s of of('section')) {
    const cls = classes.get(s.homeroomClassId);
    const subject = subjects.get(s.subjectId);
    if (cls && subject) byKey.set(`section:${sectionKey(cls.title, subject.title, s.subgroup ?? undefined)}`, s.id);
  }
  for (const s of of('academic_session')) byKey.set(`academic_session:${periodKey(compactDate(s.startDate), compactDate(s.endDate))}`, s.id);

  const persons = new Map(of('person').map((p) => [p.id, p]));
  const pupilsByName = new Map<string, string[]>();
  // Pupils with their class (a class enrollment, else the class of their groups: model/pupil-classes.ts).
  for (const [personId, classId] of pupilClassIds(canonical)) {
    const cls = classes.get(classId);
    const p = persons.get(personId);
    if (!cls || !p) continue;
    const key = nameKey(p, cls.gradeLevel);
    (pupilsByName.get(key) ?? pupilsByName.set(key, []).get(key)!).push(p.id);
  }
  // Ambiguous the other way too: ЭлЖур listing two pupils of a name and parallel the package has one of (a namesake
  // enrolled there by hand) — both were matched to that one pupil, and both accounts linked to them.
  // Counted by user id: a read may list one pupil twice (a class and a group).
  const eljurByName = new Map<string, Set<string>>();
  for (const { sourceId, record } of eljurPupils) {
    const key = nameKey(record, record.gradeLevel);
    (eljurByName.get(key) ?? eljurByName.set(key, new Set()).get(key)!).add(sourceId);
  }
  const unmatched: string[] = [];
  for (const { sourceId, record } of eljurPupils) {
    const key = nameKey(record, record.gradeLevel);
    const found = pupilsByName.get(key) ?? [];
    if (found.length === 1 && eljurByName.get(key)!.size === 1) byKey.set(`person:${sourceId}`, found[0]);
    else unmatched.push(sourceId);
  }
  return { resolve: (entity, sourceId) => byKey.get(`${entity}:${sourceId}`), unmatched, matched: eljurPupils.length - unmatched.length };
}
