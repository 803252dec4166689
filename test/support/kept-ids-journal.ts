// The journal side of the kept-ids rollover scenario (kept-ids-rollover.ts): the new year's journal read before the
// new year's first roster sync. A kept group or term id is still linked to last year's record then; the new year's
// lessons, works, marks and absences must not be attached to it (src/sync/journal-year-links.ts), and must come in
// under the new year's records once the roster sync has linked the id.
import { expect } from 'vitest';
import type { CanonicalRecord } from '../../src/model/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';

/** The first day of the 2026/2027 school year. */
const SEPTEMBER = '2026-09-01';

/** The new year's (from 1 September 2026) lessons, works and final marks and the groups and terms they name. */
async function newYearJournal(store: CanonicalStore): Promise<{ lessons: CanonicalRecord[]; refs: Map<string, string[]>; marks: number }> {
  const lessons: CanonicalRecord[] = [];
  const refs = new Map<string, string[]>();
  const add = (id: string, ref: string) => (refs.get(id) ?? refs.set(id, []).get(id)!).push(ref);
  const lessonIds = new Set<string>();
  for await (const r of store.iterate('lesson')) if (r.entity === 'lesson' && r.date >= SEPTEMBER) { lessons.push(r); lessonIds.add(r.id); add(r.id, r.sectionId); }
  for await (const r of store.iterate('work')) if (r.entity === 'work' && lessonIds.has(r.lessonId)) { add(r.id, r.sectionId); add(r.id, r.gradingPeriodId); }
  let marks = 0;
  for await (const r of store.iterate('mark')) if (r.entity === 'mark' && lessonIds.has(r.lessonId)) marks++;
  return { lessons, refs, marks };
}

/**
 * The new year's journal read before the new year's roster: nothing of it attached to a group or term of the old year
 * (`oldIds`). Returns the read's summary.
 */
export async function journalBeforeRoster(store: CanonicalStore, oldIds: ReadonlySet<string>, read: () => Promise<RunSummary>): Promise<RunSummary> {
  const early = await read();
  const { refs } = await newYearJournal(store);
  for (const [id, names] of refs) for (const ref of names) expect(oldIds.has(ref), `${id} names last year's ${ref}`).toBe(false);
  return early;
}

/** After the roster sync and a second journal read: the new year's lessons and marks stored, under the new year's records. */
export async function journalAfterRoster(store: CanonicalStore, newIds: ReadonlySet<string>): Promise<void> {
  const { lessons, refs, marks } = await newYearJournal(store);
  expect(lessons.length, 'new-year lessons').toBeGreaterThan(0);
  expect(marks, 'new-year marks').toBeGreaterThan(0);
  for (const [id, names] of refs) for (const ref of names) expect(newIds.has(ref), `${id} names ${ref}`).toBe(true);
}

/**
 * After the roster sync re-linked the kept ids: a read of the old year's days (a sweep slice reaching back, last year's
 * final marks in the autumn) maps them to the old year's records that held them, not the new year's. Nothing of the
 * old year names a new-year record, and nothing new is created (the records are those stored in the spring).
 */
export async function oldDaysAfterRoster(store: CanonicalStore, newIds: ReadonlySet<string>, oldRecords: ReadonlySet<string>, read: () => Promise<RunSummary>): Promise<RunSummary> {
  const s = await read();
  expect(s.created, 'records created by re-reading the old year').toBe(0);
  for await (const r of store.iterate('lesson')) if (r.entity === 'lesson' && r.date < SEPTEMBER) expect(newIds.has(r.sectionId), r.id).toBe(false);
  await oldFinalMarksUnderOldRecords(store, newIds, oldRecords);
  return s;
}

/**
 * After the roster sync re-linked the kept ids: the nightly's autumn re-read of last year's final marks (a platform
 * that reads that year, `pastYearFinals`) maps them to the old year's groups and terms that held the ids, not the new
 * year's: nothing of them changed or created (the platform changed none since the spring). Returns the read's summary.
 */
export async function lastYearFinalsAfterRoster(store: CanonicalStore, newIds: ReadonlySet<string>, oldRecords: ReadonlySet<string>, read: () => Promise<RunSummary>): Promise<RunSummary> {
  const s = await read();
  // Read (not "not read"), and none of last year's final marks moved under the new year's records.
  expect(s.lastYearFinals, 'last year\'s final marks read').toEqual({ from: '2025-09-01', to: '2026-08-31', changed: 0, quarantined: 0 });
  expect(await oldFinalMarksUnderOldRecords(store, newIds, oldRecords), 'last year\'s final marks').toBeGreaterThan(0);
  return s;
}

/**
 * Every final mark of the old year (its id among `oldRecords`, the records stored by the old year's read) names a group
 * and a term of that year, none of `newIds`; returns how many there are. The new year's own final marks name its own.
 */
async function oldFinalMarksUnderOldRecords(store: CanonicalStore, newIds: ReadonlySet<string>, oldRecords: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for await (const r of store.iterate('final_mark')) {
    if (r.entity !== 'final_mark' || !oldRecords.has(r.id)) continue;
    n++;
    expect(newIds.has(r.sectionId) || newIds.has(r.periodId), r.id).toBe(false);
  }
  return n;
}
