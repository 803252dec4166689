// The demo's reconciliation table: every platform read back and compared with what the system of record
// gave the store — per entity expected, present, missing, duplicated (a record the platform holds under a
// second canonical id, or twice) and different (present with other content). Counts only, no names.
import type { EntityName } from '../../model/enums.js';
import { foldOf } from '../../model/mark-spelling.js';
import { foldsOf } from '../../connectors/registry.js';
import { pupilClassIds } from '../../model/pupil-classes.js';
import { compareRecords, type CanonicalRecord, type RecordDifference } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { MigrationSide } from '../../sync/migrate.js';
import { readBack } from '../../sync/read-back.js';

export interface TallyRow {
  platform: string; entity: string; expected: number; present: number; missing: number; duplicated: number; different: number;
  /**
   * Marks held in the platform's own spelling (АСУ РСО, docs/platforms/asurso.md "Folded"): `5-`/`4+` as the
   * integer (its marks are integers), an owed mark («точка») with an empty value as `.`.
   */
  folded?: number;
}

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
  const persons = school.filter((r) => r.entity === 'person');
  const sorPersons = new Set((await store.sourceIdsFor(sor.system, sor.instance, 'person', persons.map((p) => p.id))).keys());
  const pupils = new Set(pupilClassIds(school).keys());
  const lessons = new Set(school.filter((r) => r.entity === 'lesson' && r.date >= window.from && r.date <= window.to).map((r) => r.id));
  const records = school.filter((r) => (r.entity === 'person' && pupils.has(r.id) && sorPersons.has(r.id))
    || ((r.entity === 'mark' || r.entity === 'attendance_record') && lessons.has(r.lessonId) && r.provenance.instance === sor.instance));
  return { records, sorPersons, sor };
}

export async function tallyPlatform(store: Store, side: Pick<MigrationSide, 'connector' | 'mapper' | 'run' | 'schoolSourceId'>, window: { from: string; to: string }, expected: Expected): Promise<TallyRow[]> {
  const wanted = new Set(expected.records.map((r) => r.id));
  const read = (await readBack(store, side, window, ['roster.read', 'journal.read'])).filter((r) => TALLIED.includes(r.entity));
  // Staff and parents the system of record knows are not pupils: left out. A person it does not know is a second copy.
  const others = read.filter((r) => r.entity === 'person' && !wanted.has(r.id)).map((r) => r.id);
  const known = new Set((await store.sourceIdsFor(expected.sor.system, expected.sor.instance, 'person', others)).keys());
  const actual = read.filter((r) => r.entity !== 'person' || wanted.has(r.id) || !known.has(r.id));
  // A page may list a record again (a pupil on every class page): a duplicate is a second platform id on one canonical id.
  const platformIds = new Map<string, Set<string>>();
  for (const r of actual) {
    const own = r.sourceRefs.find((s) => s.instance === side.run.instance)?.sourceId ?? r.id;
    (platformIds.get(r.id) ?? platformIds.set(r.id, new Set()).get(r.id)!).add(own);
  }
  const byId = new Map(actual.map((r) => [r.id, r]));
  const { uncarried = {}, unwritable = {} } = side.connector.declaration;
  const ignoreFields = Object.fromEntries(TALLIED.map((e) => [e, [...(uncarried[e] ?? []), ...(unwritable[e] ?? [])]]));
  const report = compareRecords(expected.records, byId.values(), { entities: TALLIED, ignoreFields });
  const expectedById = new Map(expected.records.map((r) => [r.id, r]));
  const folded = report.differences.filter((d) => d.kind === 'different' && foldOf(foldsOf(side.run.system), expectedById.get(d.id), byId.get(d.id), d.fields ?? []));
  const differences = report.differences.filter((d) => !folded.includes(d));
  return TALLIED.map((entity) => {
    const extra = [...platformIds].filter(([id]) => byId.get(id)?.entity === entity).reduce((n, [, ids]) => n + ids.size - 1, 0);
    return { ...rowOf(side.run.instance, entity, expected, differences, extra), folded: folded.filter((d) => d.entity === entity).length };
  });
}

/** A row from a comparison's differences (`unexpected` = held under a second canonical id). */
export function rowOf(platform: string, entity: EntityName, expected: Expected, differences: readonly RecordDifference[], extraCopies = 0): TallyRow {
  const n = (kind: string) => differences.filter((d) => d.entity === entity && d.kind === kind).length;
  const count = expected.records.filter((r) => r.entity === entity).length;
  // Persons are counted, not compared: each platform carries a different part of a person (no birth date on АСУ РСО, ЭлЖур).
  return { platform, entity, expected: count, present: count - n('missing'), missing: n('missing'), duplicated: n('unexpected') + extraCopies, different: entity === 'person' ? 0 : n('different') };
}
