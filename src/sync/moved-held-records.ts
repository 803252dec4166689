// A lesson moved on the system of record is re-keyed (moved-lessons.ts): its records are tombstoned and come back under
// the new lesson with the read mapped again. A mark or absence of it that the read could not map (a quarantine line
// holds its cell: held-cells.ts) does not come back — before, it stayed tombstoned, and the push deleted it from the
// targets although the platform still holds it, until it mapped again. Such a record moves with its lesson as last
// read, its work column with it where the read has none; the deletes leave it alone while its cell is held, and the
// read that maps it again writes over it (same natural key).
import type { MappedBatch } from '../connectors/mapping.js';
import { attendanceId, markId, workId } from '../model/ids.js';
import { buildRecord, businessFields, type Business, type CanonicalRecord, type LessonRecord, type WorkRecord } from '../model/index.js';
import type { HeldCells } from './held-cells.js';
import type { MovedLessons } from './moved-lessons.js';
import type { RunIdentity } from './reference-resolver.js';

export interface MovedHeldInput {
  run: RunIdentity;
  moved: MovedLessons;
  /** The records the re-key tombstoned, as they were before. */
  tombstoned: readonly CanonicalRecord[];
  /** The cells the re-read's lines hold; `'all'` when the re-read is partial (a line that names no cell). */
  held: HeldCells | 'all';
  /** The re-read, mapped: a record it has under the new key stands as read. */
  mapped: readonly MappedBatch[];
}

/** The records to store under the moved lessons: works first, then marks and absences. Pure. */
export function heldOnMovedLessons(input: MovedHeldInput): CanonicalRecord[] {
  const { run, moved, tombstoned, held, mapped } = input;
  const read = new Map<string, CanonicalRecord>();
  for (const m of mapped) for (const r of m.records) read.set(r.id, r);
  const old = new Map(tombstoned.map((r) => [r.id, r]));
  const newIds = new Set([...moved.values()].map((l) => l.id));
  const worksOn = new Map<string, WorkRecord[]>();
  for (const r of read.values()) if (r.entity === 'work' && newIds.has(r.lessonId)) (worksOn.get(r.lessonId) ?? worksOn.set(r.lessonId, []).get(r.lessonId)!).push(r);
  const works = new Map<string, CanonicalRecord>();
  const cells: CanonicalRecord[] = [];
  for (const r of tombstoned) {
    if (r.entity !== 'mark' && r.entity !== 'attendance_record') continue;
    const to = moved.get(r.lessonId);
    const from = old.get(r.lessonId) as LessonRecord | undefined;
    if (!to || !from) continue;
    const own = r.sourceRefs.find((x) => x.system === run.system && x.instance === run.instance)?.sourceId;
    const isHeld = held === 'all' || held.has({ studentId: r.studentId, lessonId: to.id }) || (own !== undefined && held.sourceIds.has(own));
    if (!isHeld) continue;
    if (r.entity === 'attendance_record') {
      const id = attendanceId(r.studentId, to.id);
      if (!read.has(id)) cells.push(moveTo(r, id, { lessonId: to.id }));
      continue;
    }
    const id = markId(r.studentId, to.id, r.slot);
    if (read.has(id)) continue;
    const work = workOnMoved(old.get(r.workId) as WorkRecord | undefined, from, to, read, worksOn.get(to.id) ?? []);
    // A column of the platform's own key the re-read has no column for: there is no telling its new id.
    if (!work) continue;
    if (!read.has(work.id) && !works.has(work.id)) works.set(work.id, work);
    const retake = r.retakeOfMarkId === markId(r.studentId, from.id, 1) ? markId(r.studentId, to.id, 1) : r.retakeOfMarkId;
    cells.push(moveTo(r, id, {
      lessonId: to.id, workId: work.id, markDate: r.markDate === from.date ? to.date : r.markDate,
      ...(retake ? { retakeOfMarkId: retake } : {}),
    }));
  }
  return [...works.values(), ...cells];
}

/**
 * The work a carried mark sits in on the moved lesson: the re-read's column of its key, or of its type where the
 * column's key is the platform's own; else the old work itself, moved (only for a key of the work-type table, whose
 * new id is known).
 */
function workOnMoved(
  work: WorkRecord | undefined, from: LessonRecord, to: LessonRecord, read: ReadonlyMap<string, CanonicalRecord>, readWorks: readonly WorkRecord[],
): CanonicalRecord | undefined {
  if (!work) return undefined;
  const renamed = work.id === workId(from.id, work.workTypeCode) ? workId(to.id, work.workTypeCode) : undefined;
  if (renamed && read.has(renamed)) return read.get(renamed);
  if (!renamed) return readWorks.find((r) => r.workTypeCode === work.workTypeCode);
  return moveTo(work, renamed, { lessonId: to.id, assignedDate: work.assignedDate === from.date ? to.date : work.assignedDate });
}

/** The record under a new id with some fields changed; its platform refs and provenance as they were. */
function moveTo<R extends CanonicalRecord>(r: R, id: string, changes: Partial<Business<R['entity']>>): CanonicalRecord {
  const fields = { ...businessFields(r as unknown as Record<string, unknown>), ...changes } as Business<R['entity']>;
  return buildRecord(r.entity, fields, { id, sourceRefs: r.sourceRefs, provenance: r.provenance, status: r.status, ...(r.ext ? { ext: r.ext } : {}) });
}
