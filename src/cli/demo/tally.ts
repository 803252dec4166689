// The demo's reconciliation table: every platform read back and compared with what the system of record
// gave the store — per entity expected, present, missing, duplicated (a record the platform holds under a
// second canonical id, or twice) and different (present with other content). Counts only, no names.
import type { EntityName } from '../../model/enums.js';
import { compareRecords, type CanonicalRecord } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { MigrationSide } from '../../sync/migrate.js';
import { readBack } from '../../sync/read-back.js';

export interface TallyRow { platform: string; entity: string; expected: number; present: number; missing: number; duplicated: number; different: number }

/** Pupils, marks and absences: what a school must not lose when it moves or syncs. */
export const TALLIED: EntityName[] = ['person', 'mark', 'attendance_record'];

export interface Expected {
  /** The system of record's pupils, marks and absences in the window. */
  records: CanonicalRecord[];
  /** Every canonical person the system of record knows (pupils, staff, parents). */
  sorPersons: ReadonlySet<string>;
  sor: { system: string; instance: string };
}

/** The system of record's pupils and its journal of the window, from the store. */
export async function expectedOf(store: Store, school: readonly CanonicalRecord[], sor: Expected['sor'], window: { from: string; to: string }): Promise<Expected> {
  const classes = new Set(school.filter((r) => r.entity === 'homeroom_class').map((r) => r.id));
  const persons = school.filter((r) => r.entity === 'person');
  const sorPersons = new Set((await store.sourceIdsFor(sor.system, sor.instance, 'person', persons.map((p) => p.id))).keys());
  const pupils = new Set(school.filter((r) => r.entity === 'enrollment' && r.role === 'student' && classes.has(r.sectionId)).map((r) => (r as { personId: string }).personId));
  const lessons = new Set(school.filter((r) => r.entity === 'lesson' && r.date >= window.from && r.date <= window.to).map((r) => r.id));
  const records = school.filter((r) => (r.entity === 'person' && pupils.has(r.id) && sorPersons.has(r.id))
    || ((r.entity === 'mark' || r.entity === 'attendance_record') && lessons.has(r.lessonId) && r.provenance.instance === sor.instance));
  return { records, sorPersons, sor };
}

export async function tallyPlatform(store: Store, side: Pick<MigrationSide, 'connector' | 'mapper' | 'run' | 'schoolSourceId'>, window: { from: string; to: string }, expected: Expected): Promise<TallyRow[]> {
  const wanted = new Set(expected.records.map((r) => r.id));
  // Staff and parents the system of record knows are not pupils: left out. A person it does not know is a second copy.
  const actual = (await readBack(store, side, window, ['roster.read', 'journal.read']))
    .filter((r) => TALLIED.includes(r.entity) && (r.entity !== 'person' || wanted.has(r.id) || !expected.sorPersons.has(r.id)));
  const repeats = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of actual) {
    if (seen.has(r.id)) repeats.set(r.entity, (repeats.get(r.entity) ?? 0) + 1);
    seen.add(r.id);
  }
  const { uncarried = {}, unwritable = {} } = side.connector.declaration;
  // Persons are counted, not compared: each platform carries a different part of a person (no birth date on АСУ РСО, ЭлЖур).
  const ignoreFields = Object.fromEntries(TALLIED.map((e) => [e, [...(uncarried[e] ?? []), ...(unwritable[e] ?? [])]]));
  const report = compareRecords(expected.records, new Map(actual.map((r) => [r.id, r])).values(), { entities: TALLIED, ignoreFields });
  return TALLIED.map((entity) => {
    const diffs = report.differences.filter((d) => d.entity === entity);
    const n = (kind: string) => diffs.filter((d) => d.kind === kind).length;
    const expectedCount = expected.records.filter((r) => r.entity === entity).length;
    return {
      platform: side.run.instance, entity, expected: expectedCount, present: expectedCount - n('missing'), missing: n('missing'),
      duplicated: n('unexpected') + (repeats.get(entity) ?? 0), different: entity === 'person' ? 0 : n('different'),
    };
  });
}
