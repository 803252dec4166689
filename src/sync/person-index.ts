// Indexes of the canonical persons already known, for the strong-identifier and composite tiers of
// identity matching (canonical-model.md §C.3). Built once per run from the store.
import { compositePersonKey, contactKeys, normaliseName, normalisedFullName, normaliseSnils } from '../model/identity.js';
import type { PersonRecord } from '../model/index.js';

export class PersonIndex {
  /** A SNILS or ESIA id on several people (entered on the wrong pupil, say) names none of them for sure. */
  private readonly bySnils = new Map<string, string[]>();
  private readonly byEsia = new Map<string, string[]>();
  private readonly byComposite = new Map<string, string[]>();
  private readonly byBirthDate = new Map<string, PersonRecord[]>();
  private readonly byName = new Map<string, string[]>();
  private readonly byNameUndated = new Map<string, string[]>();
  private readonly bySchoolInitial = new Map<string, PersonRecord[]>();
  /** Normalised e-mail or E.164 phone (`contactKeys`) → every person carrying it, of any school. */
  private readonly byContact = new Map<string, string[]>();
  /** Normalised full name (`normalisedFullName`) → every person of that name, of any school (the contact tier's namesakes). */
  private readonly byFullName = new Map<string, string[]>();
  readonly persons = new Map<string, PersonRecord>();
  private readonly schoolsOfPerson = new Map<string, Set<string>>();

  /**
   * `schoolsOf` says which schools a person belongs to (from role assignments); composite keys need it. A teacher
   * working in two schools is indexed under both, so each school's platform finds them by name and birth date.
   */
  constructor(persons: Iterable<PersonRecord>, private readonly schoolsOf: (personId: string) => Iterable<string> | string | undefined) {
    for (const p of persons) this.add(p);
  }

  /** Adds a person; `schoolId` overrides `schoolsOf` for persons created in the current run. */
  add(p: PersonRecord, schoolId?: string): void {
    if (p.status === 'deleted') return;
    this.persons.set(p.id, p);
    for (const idf of p.identifiers ?? []) {
      if (idf.kind === 'snils') {
        const s = normaliseSnils(idf.value);
        if (s) addTo(this.bySnils, s, p.id);
      } else if (idf.kind === 'esia_id') addTo(this.byEsia, idf.value.trim(), p.id);
    }
    const given = schoolId ?? this.schoolsOf(p.id);
    const schools = given === undefined ? [] : typeof given === 'string' ? [given] : new Set(given);
    for (const school of schools) {
      (this.schoolsOfPerson.get(p.id) ?? this.schoolsOfPerson.set(p.id, new Set()).get(p.id)!).add(school);
      const key = compositePersonKey(p, school);
      if (key) this.byComposite.set(key, [...(this.byComposite.get(key) ?? []), p.id]);
      // Only persons with a birth date anchor a name-only proposal: a name-only copy from another platform is not one.
      const names = p.birthDate ? this.byName : this.byNameUndated;
      names.set(fullNameKey(p, school), [...(names.get(fullNameKey(p, school)) ?? []), p.id]);
      const k = schoolInitial(school, p.familyName);
      this.bySchoolInitial.set(k, [...(this.bySchoolInitial.get(k) ?? []), p]);
    }
    if (p.birthDate) this.byBirthDate.set(p.birthDate, [...(this.byBirthDate.get(p.birthDate) ?? []), p]);
    for (const k of contactKeys(p)) addTo(this.byContact, k, p.id);
    addTo(this.byFullName, normalisedFullName(p), p.id);
  }

  /**
   * A tombstoned pupil of the school (former-pupils.ts), under the composite key only: a pupil back under a new id is
   * recognised by name and birth date, and no other tier proposes a tombstone (a review merge into one is refused).
   */
  addFormer(p: PersonRecord, schoolId: string): void {
    const key = compositePersonKey(p, schoolId);
    if (key && !this.persons.has(p.id)) addTo(this.byComposite, key, p.id);
  }

  /** Every person carrying this SNILS (more than one: none of them is the person for sure). */
  snils(value: string): string[] {
    const s = normaliseSnils(value);
    return s ? this.bySnils.get(s) ?? [] : [];
  }

  esia(value: string): string[] {
    return this.byEsia.get(value.trim()) ?? [];
  }

  /** Everyone carrying this strong identifier (SNILS or ESIA id); none for another kind of identifier. */
  identified(idf: { kind: string; value: string }): string[] {
    return idf.kind === 'snils' ? this.snils(idf.value) : idf.kind === 'esia_id' ? this.esia(idf.value) : [];
  }

  /** Everyone carrying this contact key (`email:…` or `phone:+…`, from `contactKeys`), whatever their school or role. */
  withContact(key: string): string[] {
    return this.byContact.get(key) ?? [];
  }

  /** Everyone of exactly this normalised full name (`normalisedFullName`), whatever their school or role. */
  withFullName(name: string): string[] {
    return this.byFullName.get(name) ?? [];
  }

  composite(key: string): string[] {
    return this.byComposite.get(key) ?? [];
  }

  /** Persons of the school with a birth date and exactly this normalised full name (for platforms that send no birth date). */
  sameName(p: Pick<PersonRecord, 'familyName' | 'givenName' | 'middleName'>, schoolId: string): string[] {
    return this.byName.get(fullNameKey(p, schoolId)) ?? [];
  }

  /** Persons of the school without a birth date and exactly this normalised full name (as АСУ РСО and ЭлЖур store them). */
  sameNameUndated(p: Pick<PersonRecord, 'familyName' | 'givenName' | 'middleName'>, schoolId: string): string[] {
    return this.byNameUndated.get(fullNameKey(p, schoolId)) ?? [];
  }

  /** Whether the person has a role in the school (or was created in this run for it). */
  inSchool(personId: string, schoolId: string): boolean {
    return this.schoolsOfPerson.get(personId)?.has(schoolId) ?? false;
  }

  sameBirthDate(date: string): PersonRecord[] {
    return this.byBirthDate.get(date) ?? [];
  }

  /**
   * This index without `ids`: the people an operator decided a platform record is not (`review split`, `review
   * separate`). Every tier asks the index, so leaving them out here keeps each tier — SNILS, name and birth date,
   * contact, and the review proposals — from naming them, while another person who genuinely matches is still found.
   * A view over this index (nothing copied); persons added later to this index are seen through it too.
   */
  without(ids: ReadonlySet<string>): PersonIndex {
    if (ids.size === 0) return this;
    const keep = (list: string[]) => list.filter((id) => !ids.has(id));
    const keepRecords = (list: PersonRecord[]) => list.filter((p) => !ids.has(p.id));
    const view: PersonIndex = Object.create(this);
    return Object.assign(view, {
      snils: (v: string) => keep(this.snils(v)),
      esia: (v: string) => keep(this.esia(v)),
      identified: (idf: { kind: string; value: string }) => keep(this.identified(idf)),
      withContact: (k: string) => keep(this.withContact(k)),
      withFullName: (n: string) => keep(this.withFullName(n)),
      composite: (k: string) => keep(this.composite(k)),
      sameName: (p: Pick<PersonRecord, 'familyName' | 'givenName' | 'middleName'>, school: string) => keep(this.sameName(p, school)),
      sameNameUndated: (p: Pick<PersonRecord, 'familyName' | 'givenName' | 'middleName'>, school: string) => keep(this.sameNameUndated(p, school)),
      sameBirthDate: (d: string) => keepRecords(this.sameBirthDate(d)),
      sameSchoolInitial: (school: string, family: string) => keepRecords(this.sameSchoolInitial(school, family)),
    });
  }

  /**
   * Persons of a school whose normalised family name starts with the same letter: where one side has no birth
   * date (АСУ РСО's teacher routes, ЭлЖур), a similar name in the same school is the only hint of a duplicate.
   */
  sameSchoolInitial(schoolId: string, familyName: string): PersonRecord[] {
    return this.bySchoolInitial.get(schoolInitial(schoolId, familyName)) ?? [];
  }
}

function addTo(m: Map<string, string[]>, k: string, id: string): void {
  const list = m.get(k) ?? m.set(k, []).get(k)!;
  if (!list.includes(id)) list.push(id);
}

const fullNameKey = (p: Pick<PersonRecord, 'familyName' | 'givenName' | 'middleName'>, schoolId: string) =>
  [normaliseName(p.familyName), normaliseName(p.givenName), normaliseName(p.middleName), schoolId].join('|');
const schoolInitial = (schoolId: string, familyName: string) => `${schoolId}|${normaliseName(familyName).charAt(0)}`;
