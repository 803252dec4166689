// A review merge of two teachers: the records stamped with the merged-away teacher point at the winner at once.
// Lessons (scheduled teacher, substitute, who recorded them), marks, absences and final marks (who recorded them) and
// classes (class teacher) name a teacher in a field, not in their id. Before, a merge left them on the tombstone: a
// journal read re-stamps only what it reads again (a nightly: the recent days and a sweep slice), so the older journal
// kept naming a person no longer active — in the reports, and on the targets, whose push cannot place that teacher.
import { buildRecord, businessFields, type CanonicalRecord, type EntityName } from '../model/index.js';
import type { ReferenceField, Store } from '../store/index.js';

/** The fields naming a teacher, by entity (each indexed by store migration 007). */
export const TEACHER_FIELDS: readonly [entity: EntityName, fields: readonly ReferenceField[]][] = [
  ['lesson', ['scheduledTeacherId', 'substituteTeacherId', 'recordedBy']],
  ['mark', ['recordedBy']],
  ['attendance_record', ['recordedBy']],
  ['final_mark', ['recordedBy']],
  ['homeroom_class', ['classTeacherId']],
];

/**
 * Writes every active record naming `loserId` in a teacher field with `winnerId` there instead. Only that field
 * changes: the record keeps its id, status, platform ids and provenance, so the school's system of record's record
 * stays its (the push carries it, as it would carry the system of record's next read of it, which maps the teacher's
 * platform id to the winner now) and another platform's stays that platform's (never pushed as the school's). The
 * store recomputes the content hash, so the change gets a version and a change-log row like any other, and the push
 * compares and sends it as one. Returns the records written.
 */
export async function repointTeacherRecords(store: Store, loserId: string, winnerId: string, runId: string): Promise<number> {
  let written = 0;
  for (const [entity, fields] of TEACHER_FIELDS) {
    const found = (await Promise.all(fields.map((f) => store.referencing(entity, f, [loserId])))).flat();
    const writes: CanonicalRecord[] = [];
    for (const r of new Map(found.map((x) => [x.id, x])).values()) {
      const business: Record<string, unknown> = businessFields(r);
      for (const f of fields) if (business[f] === loserId) business[f] = winnerId;
      writes.push(buildRecord(entity, business as never, {
        id: r.id, status: r.status, sourceRefs: r.sourceRefs, provenance: r.provenance, ...(r.ext ? { ext: r.ext } : {}),
      }));
    }
    if (writes.length) written += (await store.upsertMany(writes, { runId })).updated;
  }
  return written;
}
