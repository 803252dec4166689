// What a push target holds of a record, in a form the gateway's write and the target's read can both be hashed to. A
// disagreement between the system of record and a target is judged only on fields both can carry, that the target
// holds a value in, and that the target does not stamp itself (who wrote it, when); the same fields make the hash.
// Grade push keeps the hash of what it wrote in the ledger (`pushed_hash`); a later read of the target that finds that
// very content, while a newer version of the system of record waits for the next push, is not a conflict
// (journal-sync.ts): the nightly order reads every platform before it pushes, so each correction at the system of
// record otherwise opened a conflict on every target for a night.
import { uncarriedFields, unwritableFields, writtenAttendanceCodeOf } from '../connectors/registry.js';
import { canonicalJson, sha256Hex } from '../model/hash.js';
import { homeworkAsWritten } from '../model/homework.js';
import { businessFields, type AttendanceRecordRecord, type CanonicalRecord, type LessonRecord } from '../model/index.js';

/** An empty value is data not yet entered on a platform (what grade push will fill), not a competing value. */
export const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Fields a system-of-record record and a target's copy are not compared on. */
export function notCompared(sourceSystem: string, targetSystem: string, entity: string): Set<string> {
  return new Set([...uncarriedFields(sourceSystem, entity), ...uncarriedFields(targetSystem, entity), ...unwritableFields(targetSystem, entity)]);
}

/** SHA-256 of the record's non-empty business fields outside `ignore`, as canonical JSON. */
export function heldContentHash(record: CanonicalRecord, ignore: ReadonlySet<string>): string {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(businessFields(record))) if (!ignore.has(k) && !isEmpty(v)) kept[k] = v;
  return sha256Hex(canonicalJson(kept));
}

/**
 * The hash grade push records as `pushed_hash` of a write of `record` to a platform of `targetSystem`, and the one a
 * later read of that platform is hashed with to be compared with it (journal-sync.ts). `record` as the target holds it
 * (`heldAs` its folds); `ignore`: {@link notCompared} of the source and the target; `written`: the record as the write
 * was given it, unfolded, for a code the write derives from it (grade push; a read is both).
 *
 * A mark or an absence: its compared business fields, as the write carries them — and on a platform whose absence write
 * carries a code of its own (АСУ РСО's letter, declaration `writtenAttendanceCode`), that code too: it keeps the
 * system of record's letter (ОТ, НП) while the raw code is left out of the comparison, so a change of the letter
 * alone looked like nothing to send and the target kept the old one. Where no such code is written the hash is the
 * fields' as before, so ledger rows already recorded stay comparable; where it is, it has another shape, so a row
 * recorded before (without the code) never equals it and the record is sent once more, never skipped.
 *
 * A lesson: its homework as written and nothing else, since that is all a lesson's write carries (no platform has a
 * route for a topic). Hashed over the lesson's fields instead, as before, it left out the homework on Дневник.ру
 * (uncarried there: its read cannot tell «не задано») and held its scheduled teacher, which a teacher merge changes
 * though the target receives nothing new — so it could prove neither that a lesson was unchanged nor that it was
 * changed (same-as-pushed.ts). Under its own key `writtenHomework`, a shape no hash of a record's fields has: a ledger
 * row written before (over the lesson's fields) never equals it, so such a lesson is sent once more — answered
 * `unchanged` by the writer — and never skipped.
 */
export function pushedHash(targetSystem: string, record: CanonicalRecord, ignore: ReadonlySet<string>, written: CanonicalRecord = record): string {
  if (record.entity === 'lesson') return sha256Hex(canonicalJson({ writtenHomework: homeworkAsWritten(record as LessonRecord) }));
  const fields = heldContentHash(record, ignore);
  const codeOf = record.entity === 'attendance_record' ? writtenAttendanceCodeOf(targetSystem) : undefined;
  return codeOf ? sha256Hex(canonicalJson({ fields, writtenCode: codeOf(written as AttendanceRecordRecord) })) : fields;
}
