// The canonical records of one school, following references from its organization (what an ЭлЖур import
// package is built from and what its read-back is compared with). Tombstones are left out: a package
// carries what the school has now. So are earlier school years: after a rollover the store keeps last year's terms,
// classes, groups and class lists active (docs/sync.md), and a package holding both years listed two «5А» and put a
// promoted pupil in last year's class.
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';
import type { ReferenceField, Store } from '../store/index.js';
import { sortedById } from '../model/sorted-by-id.js';
import { schoolYearOf } from './school-year-of.js';

const field = (r: CanonicalRecord, f: string) => (r as unknown as Record<string, unknown>)[f] as string | undefined;

/**
 * How each entity is found from what is kept already, in dependency order: by the school's organization, or by an
 * indexed reference to the records of `from` (store/migrations 002, 009). A regional store holds hundreds of schools;
 * reading an entity over the region to keep one school's made every migration (and a region's nightly runs) grow with
 * the region. A work is found by its section and kept by its lesson, as before.
 */
type Step = { entity: EntityName } & ({ byOrganization: true } | { from: EntityName[]; field: ReferenceField; keptBy?: { field: string; from: EntityName } });
/** What a `sectionId` may name: a group, or the homeroom class itself (a class list is enrollments in the class). */
const GROUPS: EntityName[] = ['homeroom_class', 'section'];
const STEPS: Step[] = [
  { entity: 'academic_session', byOrganization: true },
  { entity: 'homeroom_class', byOrganization: true },
  { entity: 'subject', byOrganization: true },
  { entity: 'section', from: ['homeroom_class'], field: 'homeroomClassId' },
  { entity: 'enrollment', from: GROUPS, field: 'sectionId' },
  { entity: 'lesson', from: GROUPS, field: 'sectionId' },
  { entity: 'work', from: GROUPS, field: 'sectionId', keptBy: { field: 'lessonId', from: 'lesson' } },
  { entity: 'mark', from: ['lesson'], field: 'lessonId' },
  { entity: 'attendance_record', from: ['lesson'], field: 'lessonId' },
  { entity: 'final_mark', from: GROUPS, field: 'sectionId' },
];

/** The fields of a kept record that name a person the school's records include. */
const PERSON_FIELDS = ['personId', 'studentId', 'scheduledTeacherId', 'classTeacherId'];

/** A migration's window: the school year it lies in is the one its records are of. */
type YearWindow = { to: string };

/**
 * Whether a record is of another school year than the window's — the latest year whose terms began by the window's end
 * (by any day, without a window): the year the school is in now, as a migration's window is refused before it
 * (migration-window.ts), and not a next year another platform of the school lists already. A record of no year is not.
 * `sessions`: the school's active terms and years (others are skipped); `get` looks up what a record names.
 */
export function otherYearThan(
  sessions: Iterable<CanonicalRecord>, organizationId: string, window: YearWindow | undefined, get: (id: string) => CanonicalRecord | undefined,
): (r: CanonicalRecord) => boolean {
  let current: number | undefined;
  for (const s of sessions) {
    if (s.entity !== 'academic_session' || s.organizationId !== organizationId || s.status !== 'active') continue;
    if ((!window || s.startDate <= window.to) && (current === undefined || s.schoolYear > current)) current = s.schoolYear;
  }
  return (r) => {
    const year = schoolYearOf(r, get);
    return current !== undefined && year !== undefined && year !== current;
  };
}

async function otherYear(store: Store, organizationId: string, window?: YearWindow): Promise<(r: CanonicalRecord) => boolean> {
  const sessions = new Map<string, CanonicalRecord>();
  for (const s of await store.ofOrganization(organizationId, ['academic_session'])) {
    if (s.entity === 'academic_session' && s.organizationId === organizationId) sessions.set(s.id, s);
  }
  return otherYearThan(sessions.values(), organizationId, window, (id) => sessions.get(id));
}

/**
 * The school's records of one school year, from a file's records (`eljur-package FILE`: an export holding last year and
 * the new one after a rollover): the window's year, or the latest without a window, as {@link schoolRecords} picks it.
 * Records of no year (people, lessons, marks) stay; lessons and marks of the other year's groups are left out by the
 * package's scope, which follows groups.
 */
export function recordsOfOneYear(records: CanonicalRecord[], window?: YearWindow): CanonicalRecord[] {
  const school = records.find((r) => r.entity === 'organization' && r.type === 'school' && r.status === 'active');
  if (!school) return records;
  const byId = new Map(records.map((r) => [r.id, r]));
  const other = otherYearThan(records, school.id, window, (id) => byId.get(id));
  return records.filter((r) => !other(r));
}

export async function schoolRecords(store: Store, organizationId: string, window?: YearWindow): Promise<CanonicalRecord[]> {
  const org = await store.get(organizationId);
  if (!org) throw new Error(`school organization ${organizationId} is not in the store: run roster sync from the source first`);
  const out: CanonicalRecord[] = [org];
  const people = new Set<string>();
  // Terms, classes and subjects of another year are left out; their groups, class lists, lessons and final marks follow.
  const other = await otherYear(store, organizationId, window);
  const kept = new Map<EntityName, Set<string>>();
  for (const step of STEPS) {
    const found = 'byOrganization' in step
      ? await store.ofOrganization(organizationId, [step.entity])
      : await store.referencing(step.entity, step.field, step.from.flatMap((e) => [...(kept.get(e) ?? [])]));
    const by = 'keptBy' in step ? step.keptBy : undefined;
    const mine = sortedById(found.filter((r) => r.entity === step.entity && (!by || kept.get(by.from)?.has(field(r, by.field) ?? '')) && !other(r)));
    kept.set(step.entity, new Set(mine.map((r) => r.id)));
    for (const r of mine) {
      out.push(r);
      for (const f of PERSON_FIELDS) {
        const person = field(r, f);
        if (person) people.add(person);
      }
    }
  }
  // Subjects shared by the region (no organization) that the school's sections use (an id of any other record is not
  // a subject, and is left out below).
  const own = kept.get('subject');
  const subjectIds = [...new Set(out.filter((r) => r.entity === 'section').map((r) => field(r, 'subjectId')!))].filter((id) => !own?.has(id));
  const shared = [...(await store.getMany(subjectIds)).values()].filter((s) => s.entity === 'subject' && s.status === 'active');
  out.push(...shared.sort((a, b) => (a.id < b.id ? -1 : 1)));
  for (const p of (await store.getMany([...people])).values()) if (p.status !== 'deleted') out.push(p);
  return out;
}

/**
 * Section ids of the school's homeroom classes: marks, attendance and final marks belong to a school through their
 * (lesson's) section. `active` leaves tombstoned classes and sections out; `yearOf` the classes of another school year
 * than the window's, which the store keeps after a rollover (a migration's final marks are its year's).
 */
export async function schoolSectionIds(store: Store, organizationId: string, opts: { active?: boolean; yearOf?: YearWindow } = {}): Promise<Set<string>> {
  const status = opts.active ? { status: 'active' as const } : {};
  const other = opts.yearOf ? await otherYear(store, organizationId, opts.yearOf) : () => false;
  const classes = new Set<string>();
  for await (const c of store.iterate('homeroom_class', { organizationId, ...status })) {
    if (c.entity === 'homeroom_class' && c.organizationId === organizationId && !other(c)) classes.add(c.id);
  }
  // By the class index, not over the region's sections: every grade push of every school asks this.
  const found = await store.referencing('section', 'homeroomClassId', [...classes], { withDeleted: !opts.active });
  return new Set(found.filter((s) => s.entity === 'section' && classes.has(s.homeroomClassId)).map((s) => s.id));
}

