// The canonical records of one school, following references from its organization (what an ЭлЖур import
// package is built from and what its read-back is compared with). Tombstones are left out: a package
// carries what the school has now. So are earlier school years: after a rollover the store keeps last year's terms,
// classes, groups and class lists active (docs/sync.md), and a package holding both years listed two «5А» and put a
// promoted pupil in last year's class.
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import { schoolYearOf } from './school-year-of.js';

type Keep = (r: CanonicalRecord, ids: ReadonlySet<string>) => boolean;
const field = (r: CanonicalRecord, f: string) => (r as unknown as Record<string, unknown>)[f] as string | undefined;
const refersTo = (f: string): Keep => (r, ids) => ids.has(field(r, f) ?? '');

/** In dependency order: each entity is kept by a reference to something already kept. */
const ORDER: [EntityName, Keep][] = [
  ['academic_session', refersTo('organizationId')],
  ['homeroom_class', refersTo('organizationId')],
  ['subject', refersTo('organizationId')],
  ['section', refersTo('homeroomClassId')],
  ['enrollment', refersTo('sectionId')],
  ['lesson', refersTo('sectionId')],
  ['work', refersTo('lessonId')],
  ['mark', refersTo('lessonId')],
  ['attendance_record', refersTo('lessonId')],
  ['final_mark', refersTo('sectionId')],
];

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
  for await (const s of store.iterate('academic_session', { status: 'active' })) {
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
  const ids = new Set([organizationId]);
  const people = new Set<string>();
  // Terms, classes and subjects of another year are left out; their groups, class lists, lessons and final marks follow.
  const other = await otherYear(store, organizationId, window);
  for (const [entity, keep] of ORDER) {
    for await (const r of store.iterate(entity, { status: 'active' })) {
      if (!keep(r, ids) || other(r)) continue;
      out.push(r);
      ids.add(r.id);
      for (const f of ['personId', 'studentId', 'scheduledTeacherId', 'classTeacherId']) if (field(r, f)) people.add(field(r, f)!);
    }
  }
  // Subjects shared by the region (no organization) that the school's sections use.
  const subjectIds = new Set(out.filter((r) => r.entity === 'section').map((r) => field(r, 'subjectId')!));
  for await (const s of store.iterate('subject', { status: 'active' })) if (subjectIds.has(s.id) && !ids.has(s.id)) out.push(s);
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
  const sections = new Set<string>();
  for await (const s of store.iterate('section', status)) if (s.entity === 'section' && classes.has(s.homeroomClassId)) sections.add(s.id);
  return sections;
}

