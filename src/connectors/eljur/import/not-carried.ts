// What a school's records hold that the import package has no column for: counted per `entity.field` so a move
// into ЭлЖур names what it leaves behind, as the API path does (docs/migration.md "Fields the target cannot hold").
// The read-back cannot see these fields either (the declaration's `uncarried`; works are not compared at all), so
// without this count `--verify-import` said "nothing lost" while they were dropped.
import type { CanonicalRecord } from '../../../model/records.js';
import { packageScope } from './scope.js';

/**
 * Per entity, the fields of the school's content the package's files leave out (files.ts lists what they carry).
 * Bookkeeping — who wrote a record and when, when a family saw it — is the platform's own and not counted.
 */
export const PACKAGE_UNCARRIED = {
  /** lessons.csv: the scheduled teacher only; homework as text (or «Не задано»), without due date or files. */
  lesson: ['substituteTeacherId', 'homework.dueDate', 'homework.attachments'],
  /** marks.csv names each mark's work type: ЭлЖур has no work columns, so a work's own title and due date go. */
  work: ['title', 'dueDate'],
  /** attendance.csv: ЭлЖур's code (н, оп, б, уп, от) only. */
  attendance_record: ['minutesLate'],
} as const;

const valueAt = (r: CanonicalRecord, field: string): unknown =>
  field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), r);
const hasValue = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/**
 * Per `entity.field`, how many records of the package's scope (window, held lessons, their marks' works) hold a value
 * it leaves out. `sourceUncarried`: the source platform's own `uncarried` — a field it cannot carry holds the mapper's
 * default (an ЭПОС work's title is its control form's name), which is nothing the school would lose.
 */
export function packageNotCarried(
  records: Iterable<CanonicalRecord>, window?: { from: string; to: string }, sourceUncarried: Partial<Record<string, readonly string[]>> = {},
): Record<string, number> {
  const scope = packageScope(records, window);
  const out: Record<string, number> = {};
  const count = (entity: keyof typeof PACKAGE_UNCARRIED, list: readonly CanonicalRecord[]) => {
    const fields = PACKAGE_UNCARRIED[entity].filter((f) => !sourceUncarried[entity]?.includes(f));
    for (const r of list) {
      for (const f of fields) if (hasValue(valueAt(r, f))) out[`${entity}.${f}`] = (out[`${entity}.${f}`] ?? 0) + 1;
    }
  };
  count('lesson', scope.heldLessons);
  count('attendance_record', scope.attendance);
  const works = new Set(scope.marks.map((m) => m.workId));
  count('work', scope.all('work').filter((w) => works.has(w.id)));
  return out;
}
