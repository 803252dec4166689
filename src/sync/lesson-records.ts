// The stored marks and absences a read of some lessons can be judged against: a platform answers a lesson's marks and
// absences with the lesson (ЭПОС, Дневник.ру and ЭлЖур by group or class over the same days, АСУ РСО a whole term per
// group), so what the store holds for a lesson the read returned and the read lacks is gone there. Shared by the
// system of record's deletes (journal-deletes.ts) and a push target's deletions by hand (target-deletes.ts).
import { attendanceId, markId } from '../model/ids.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';

/**
 * Memberships this platform's last roster read no longer listed, kept until their second miss (the two-miss rule,
 * snapshot-deletes.ts): a pupil moved to another class. A platform answers a group's records for its current pupils
 * only (Дневник.ру's lesson-log entries), so the moved pupil's records there are not deletions — before, each night
 * until the second miss tombstoned their absences, and the push deleted them from every target.
 */
async function leavingMemberships(store: Store, run: RunIdentity, schoolId: string | undefined): Promise<Set<string>> {
  if (!schoolId) return new Set();
  const cursor = await store.getCursor(run.system, run.instance, `roster:${schoolId}`);
  const misses = cursor?.value ? Object.keys((JSON.parse(cursor.value) as { misses?: Record<string, number> }).misses ?? {}) : [];
  const ids = misses.filter((k) => k.startsWith('enrollment|')).map((k) => k.slice('enrollment|'.length));
  return new Set(ids.length ? (await store.resolve(run.system, run.instance, 'enrollment', ids)).values() : []);
}

/**
 * Memberships this platform's own last roster read listed (its snapshot's, less those missing once). A push target's
 * groups are its own: a pupil the system of record has in a group and the target does not (moved there first, never
 * put in it) has no records in the target's answer, which is not a deletion there — taken for one, the absence was
 * written again every night (found by review). No roster read of the platform yet: none.
 */
async function listedMemberships(store: Store, run: RunIdentity, schoolId: string | undefined): Promise<Set<string>> {
  if (!schoolId) return new Set();
  const cursor = await store.getCursor(run.system, run.instance, `roster:${schoolId}`);
  const state = cursor?.value ? (JSON.parse(cursor.value) as { present?: { enrollment?: string[] }; misses?: Record<string, number> }) : {};
  const ids = (state.present?.enrollment ?? []).filter((sid) => !state.misses?.[`enrollment|${sid}`]);
  return new Set(ids.length ? (await store.resolve(run.system, run.instance, 'enrollment', ids)).values() : []);
}

/**
 * The stored marks and absences (any status) of the lessons, of the pupils this platform still lists in the lesson's
 * section or homeroom class: as the store has them, less those leaving this platform's roster (the system of record),
 * or — `listedOnly` (a push target) — only those its own roster lists. Their ids are natural keys (pupil, lesson,
 * slot): every one a lesson could hold is looked up by id, in batches.
 */
export async function storedRecordsOfLessons(
  store: Store, run: RunIdentity, schoolId: string | undefined, lessons: readonly LessonRecord[], opts: { listedOnly?: boolean } = {},
): Promise<CanonicalRecord[]> {
  if (lessons.length === 0) return [];
  const sectionIds = [...new Set(lessons.map((l) => l.sectionId))];
  const sections = await store.getMany(sectionIds);
  const classOf = new Map([...sections.values()].map((s) => [s.id, (s as unknown as { homeroomClassId?: string }).homeroomClassId]));
  const pupilsOf = new Map<string, Set<string>>();
  const owners = [...sectionIds, ...new Set([...classOf.values()].filter((x): x is string => !!x))];
  const listed = opts.listedOnly ? await listedMemberships(store, run, schoolId) : undefined;
  const leaving = listed ? new Set<string>() : await leavingMemberships(store, run, schoolId);
  for (const e of await store.referencing('enrollment', 'sectionId', owners)) {
    const f = e as unknown as { sectionId: string; personId: string; role: string };
    if (f.role !== 'student' || leaving.has(e.id) || (listed && !listed.has(e.id))) continue;
    (pupilsOf.get(f.sectionId) ?? pupilsOf.set(f.sectionId, new Set()).get(f.sectionId)!).add(f.personId);
  }
  const ids: string[] = [];
  for (const l of lessons) {
    const pupils = new Set([...(pupilsOf.get(l.sectionId) ?? []), ...(pupilsOf.get(classOf.get(l.sectionId) ?? '') ?? [])]);
    for (const p of pupils) ids.push(markId(p, l.id, 1), markId(p, l.id, 2), attendanceId(p, l.id));
  }
  const out: CanonicalRecord[] = [];
  for (let i = 0; i < ids.length; i += 5_000) out.push(...(await store.getMany(ids.slice(i, i + 5_000))).values());
  return out;
}

/**
 * Whether a read of these days holds the record. Platforms file a mark under its own date and answer marks by that
 * date (Дневник.ру, ЭПОС, ЭлЖур): a retake dated after the window is not in a read that still returns its lesson.
 */
export const inReadDays = (ranges: readonly { from: string; to: string }[]) => (r: CanonicalRecord): boolean =>
  r.entity !== 'mark' || ranges.some((x) => r.markDate >= x.from && r.markDate <= x.to);

/** At least this many missing before the share can refuse: one deleted mark in a small window is no alarm. */
const MIN_FOR_THRESHOLD = 5;

/**
 * `(18% > 10%)` when more than `threshold` of the `scope` records judged are missing (and at least 5): a read that lost
 * that much is taken for a broken answer, and none of them for deleted. Undefined when the share is fine.
 */
export function missingShareOver(missing: number, scope: number, threshold: number): string | undefined {
  if (missing < MIN_FOR_THRESHOLD || missing / scope <= threshold) return undefined;
  return `(${Math.round((missing / scope) * 100)}% > ${Math.round(threshold * 100)}%)`;
}

/**
 * Missing records counted over the scope and per entity. Absences are few beside marks: an attendance answer that came
 * back empty was 9% of the two together, within a 10% threshold, and every absence of the window was taken for
 * deleted. An entity of which every record is missing (at least 5) is refused as the roster's is (snapshot-deletes.ts):
 * an empty answer, not a teacher's corrections. Only all of it: a share of one entity would refuse a teacher clearing
 * a class marked absent by mistake, which has no other way into the store. Shared by the system of record's deletes
 * (journal-deletes.ts) and a push target's deletions by hand (target-deletes.ts).
 */
export class MissingTally {
  private readonly all = { scope: 0, missing: 0 };
  private readonly per = new Map<string, { scope: number; missing: number }>();

  count(entity: string, missing: boolean): void {
    const c = this.per.get(entity) ?? this.per.set(entity, { scope: 0, missing: 0 }).get(entity)!;
    for (const x of [this.all, c]) {
      x.scope++;
      if (missing) x.missing++;
    }
  }

  /** The records judged. */
  get scope(): number {
    return this.all.scope;
  }

  /** Where deletes are refused: over {@link missingShareOver} of the whole scope, else an entity missing whole (`entity`). */
  over(threshold: number): { missing: number; scope: number; share: string; entity?: string } | undefined {
    const whole = missingShareOver(this.all.missing, this.all.scope, threshold);
    if (whole) return { ...this.all, share: whole };
    for (const [entity, c] of this.per) {
      if (c.missing >= MIN_FOR_THRESHOLD && c.missing === c.scope) return { ...c, share: '(all of them)', entity };
    }
    return undefined;
  }
}

/**
 * Whether the store holds a live mark or absence of any of the lessons, whoever's: asked through the lesson indexes,
 * nothing read. With none before a system of record's read stores its records (a migration's source read, a school's
 * first night), every one it holds after is the read's own, so none can be missing from the read.
 */
export async function anyStoredRecordOfLessons(store: Store, lessons: readonly LessonRecord[]): Promise<boolean> {
  const ids = lessons.map((l) => l.id);
  return (await store.hasReferencing('mark', 'lessonId', ids)) || (await store.hasReferencing('attendance_record', 'lessonId', ids));
}
