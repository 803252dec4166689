// Natural keys of roster entities, used to recognise a record another platform already brought in
// (the same class «5А» of the same school and year) — canonical-model.md §A.4 rule 1: never names of
// people, only structural keys; persons are matched by the identity tiers instead.
import { normaliseName } from '../model/identity.js';
import type { CanonicalRecord } from '../model/index.js';

type Translate = (id: string | undefined | null) => string;

/** Normalised subject title → the normalised title it stands for (config `sync.subjectAliases`). */
export type SubjectAliases = ReadonlyMap<string, string>;

export function subjectAliasesOf(config: Readonly<Record<string, string>> = {}): SubjectAliases {
  return new Map(Object.entries(config).map(([from, to]) => [normaliseName(from), normaliseName(to)]));
}

/** A class letter as a key: case, ё and look-alikes folded (normaliseName), quotes, dashes and spaces dropped. */
export function classLetterKey(letter: string): string {
  return normaliseName(letter).replace(/[\s«»"'„“”-]/g, '');
}

/** The natural key of a roster record with its references translated to canonical ids, or null. */
export function naturalKeyOf(r: CanonicalRecord, t: Translate, aliases: SubjectAliases = new Map()): string | null {
  switch (r.entity) {
    case 'academic_session': return `${t(r.organizationId)}|${r.kind}|${r.startDate}`;
    // By grade and letter, not the title: platforms write one class «5А», «5 А», «5-А» or «5 "А"».
    case 'homeroom_class': return `${t(r.organizationId)}|${t(r.academicYearId)}|${r.gradeLevel}|${classLetterKey(r.letter)}`;
    case 'subject': {
      const title = normaliseName(r.title);
      return `${t(r.organizationId)}|${r.schoolYear}|${aliases.get(title) ?? title}`;
    }
    case 'section': return `${t(r.homeroomClassId)}|${t(r.subjectId)}|${normaliseName(r.subgroup ?? '')}`;
    case 'enrollment': return `${t(r.personId)}|${t(r.sectionId)}|${r.role}`;
    case 'role_assignment': return `${t(r.personId)}|${t(r.organizationId)}|${r.role}`;
    case 'guardian_link': return `${t(r.studentId)}|${t(r.guardianId)}`;
    case 'work_type': return `${r.organizationId ? t(r.organizationId) : '-'}|${r.code}`;
    case 'mark_scale': return r.code;
    default: return null;
  }
}
