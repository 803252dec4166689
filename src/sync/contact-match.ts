// Tier 3 for teachers and parents (canonical-model.md §C.3: "teachers/parents: normalised phone or e-mail + name"):
// adults rarely have a birth date on the platforms, so the composite key of pupils cannot name them. A stored person
// of the same kind (staff or parent) carrying one of the incoming person's contacts — and no one else carrying any of
// them — with an equal normalised full name is the person. Anything less is at most a review candidate: a shared
// family phone names no one, and a contact with another name is another person (a mother and a father of one phone).
// Nothing here is logged: contacts and names are personal data (152-ФЗ).
import { contactKeys, normaliseName, normalisedFullName } from '../model/identity.js';
import type { PersonRecord } from '../model/index.js';
import type { PersonIndex } from './person-index.js';
import { nameScore } from './similarity.js';

/** Roles of school staff: a teacher on one platform may be the deputy or the class teacher on another. */
const STAFF: ReadonlySet<string> = new Set(['director', 'deputy_academic', 'deputy_upbringing', 'administrator', 'secretary', 'class_teacher', 'subject_teacher']);

type Kind = 'staff' | 'parent';

/** What the roles say the person is; none for a pupil (pupils match by name and birth date) or unknown roles. */
export function adultKinds(roles: ReadonlySet<string> | undefined): ReadonlySet<Kind> {
  const out = new Set<Kind>();
  if (!roles?.size || roles.has('student')) return out;
  for (const r of roles) {
    if (STAFF.has(r)) out.add('staff');
    else if (r === 'parent') out.add('parent');
  }
  return out;
}

export interface ContactContext {
  index: PersonIndex;
  /** Roles of the incoming persons, by the id they were mapped with (also the id of a person new in this run). */
  incomingRoles?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Roles of the stored persons, at any school (a teacher of two schools is one person). */
  storedRoles?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Tier-4 threshold: a contact with a similar name is proposed from it. */
  candidateScore?: number;
}

export type ContactOutcome =
  | { match: string }
  | { candidate: { otherId: string; rule: string; score: number } }
  | undefined;

/**
 * `match`: the one stored person of the incoming person's kind who carries any of its contacts, with an equal
 * normalised full name (and no other birth date). `candidate`: a reason to review, never to merge. Undefined: the
 * contacts say nothing (none, no one of that kind carries them, or a stranger does) — the later tiers decide.
 */
export function matchByContact(p: PersonRecord, ctx: ContactContext): ContactOutcome {
  const mine = adultKinds(ctx.incomingRoles?.get(p.id));
  if (!mine.size) return undefined;
  const keys = contactKeys(p);
  if (!keys.length) return undefined;
  const ofKind = (id: string) => id !== p.id && [...adultKinds(ctx.storedRoles?.get(id) ?? ctx.incomingRoles?.get(id))].some((k) => mine.has(k));
  const holders = keys.map((k) => ctx.index.withContact(k).filter(ofKind));
  const everyone = [...new Set(holders.flat())];
  if (!everyone.length) return undefined;
  const name = normalisedFullName(p);
  const named = everyone.filter((id) => {
    const o = ctx.index.persons.get(id);
    return o !== undefined && normalisedFullName(o) === name;
  });
  // One of the contacts on two stored people (a family phone, a school's shared mailbox), or the e-mail on one and
  // the phone on another: the contacts name no one for sure.
  if (everyone.length > 1) return named.length === 1 ? { candidate: { otherId: named[0], rule: 'contact_ambiguous', score: 1 } } : undefined;
  const other = ctx.index.persons.get(everyone[0]);
  if (!other) return undefined;
  if (named.length === 1) {
    // Two adults of one full name and one phone, of other birth dates (a father and a son named after him): two people.
    if (p.birthDate && other.birthDate && p.birthDate !== other.birthDate) return { candidate: { otherId: other.id, rule: 'contact_birthdate_differs', score: 1 } };
    // Where a birth date is missing, another stored adult of the same kind and full name (the son, stored without the
    // family's home phone) may be the one: the contact no longer names a single person. Proposed, never merged.
    if (!(p.birthDate && other.birthDate) && ctx.index.withFullName(name).some((id) => id !== other.id && ofKind(id))) {
      return { candidate: { otherId: other.id, rule: 'contact_namesake', score: 1 } };
    }
    return { match: other.id };
  }
  // The contact with another name: a relative sharing it, or this person renamed (a married name) or misspelt —
  // proposed only for a similar name or the same given name and patronymic, never merged.
  const score = nameScore(p, other);
  const renamed = normaliseName(p.middleName) !== '' && normaliseName(p.givenName) === normaliseName(other.givenName) && normaliseName(p.middleName) === normaliseName(other.middleName);
  if (score >= (ctx.candidateScore ?? 0.75) || renamed) return { candidate: { otherId: other.id, rule: 'contact_name_differs', score: Math.round(score * 100) / 100 } };
  return undefined;
}
