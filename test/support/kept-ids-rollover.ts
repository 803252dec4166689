// The scenario of the rollover tests on a platform that keeps ids across school years
// (test/sync/*kept-ids-rollover.e2e.test.ts): the old year's roster and journal are read, then the new year's, whose
// promoted classes and subjects (and whatever hangs on both ids) the platform lists under last year's ids. Every record
// of the old year must stay as it was (same ids, content hashes, statuses), the new year must have records of its own,
// as many as the platform lists, and the kept ids must stand for the new year's records.
import { expect } from 'vitest';
import type { CrosswalkRow } from '../../src/emulators/epos/index.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import type { Rollover } from './rollover.js';
import { journalAfterRoster, journalBeforeRoster, lastYearFinalsAfterRoster, oldDaysAfterRoster } from './kept-ids-journal.js';
import { aDayLater, attendanceRows, contentById, OF_A_YEAR, yearIds, yearRecords } from './rollover-store.js';

const JOURNAL = ['lesson', 'work', 'mark', 'attendance_record', 'final_mark'] as const;

/** Per entity of a year, the platform ids both years' emulators list (the ids the platform kept). */
export function keptIds(oldRows: readonly CrosswalkRow[], newRows: readonly CrosswalkRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of OF_A_YEAR) {
    const was = new Set(oldRows.filter((r) => r.entity === e).map((r) => r.sourceId));
    const ids = [...new Set(newRows.filter((r) => r.entity === e && was.has(r.sourceId)).map((r) => r.sourceId))];
    if (ids.length) out.set(e, ids);
  }
  return out;
}

export interface KeptIdsRollover {
  store: CanonicalStore;
  system: string;
  instance: string;
  roll: Rollover;
  run: (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data?: Record<string, unknown>) => Promise<RunSummary>;
  /** What the platform lists of each year, per entity (homeroom_class, subject, section). */
  platformCounts: { old: Record<string, number>; next: Record<string, number> };
  kept: Map<string, string[]>;
  /**
   * What a one-off journal read of the old year's days does once the new year's roster is in (past-year-window.ts):
   * `read` by the ids linked last year (Дневник.ру, `pastYearJournal`), `refused` before any request (ЭПОС).
   */
  oldWindowAfterRoster: 'read' | 'refused';
  /**
   * The nightly's autumn re-read of last year's final marks once the new year's roster is in (a platform declaring
   * `pastYearFinals`), where the old year has final marks: they must stay under the old year's groups and terms.
   */
  lastYearFinals?: () => Promise<RunSummary>;
}

export async function keptIdsRollover(t: KeptIdsRollover): Promise<void> {
  const { store, roll } = t;
  // The emulator really keeps them, or this test could not fail.
  expect(t.kept.get('homeroom_class')?.length, 'kept class ids').toBeGreaterThan(0);
  expect(t.kept.get('subject')?.length, 'kept subject ids').toBeGreaterThan(0);

  const window = roll.old.lessonWindow();
  await t.run(roll.old, 'roster-sync', { window });
  await t.run(roll.old, 'journal-sync', { window });
  const counts2026 = await yearRecords(store, 2026);
  for (const e of OF_A_YEAR) expect(counts2026[`${e}:active`], e).toBeGreaterThan(0);
  for (const [e, n] of Object.entries(t.platformCounts.old)) expect(counts2026[`${e}:active`], e).toBe(n);
  const oldIds = await yearIds(store, 2026);
  const before = await contentById(store, [...OF_A_YEAR, ...JOURNAL]);
  const oldRecords = new Set(before.keys());
  const rowsBefore = await attendanceRows(store);
  expect(rowsBefore).toBeGreaterThan(0);

  // 1 September, the journal read before the roster's: the kept ids still name last year's records, so the new year's
  // lessons and marks are held, not attached to them (and last year's records stay as they were: checked at the end).
  const early = await journalBeforeRoster(store, oldIds, () => t.run(roll.next, 'journal-sync', { window: roll.next.lessonWindow() }));
  expect(Object.keys(early.quarantineReasons).filter((r) => r.includes('crosswalk conflict'))).toEqual([]);
  // Where the platform kept the groups' ids too (Дневник.ру's journal pages), their lessons were held by the rule.
  if (t.kept.has('section')) expect(Object.keys(early.quarantineReasons)).toContain('held lesson — kept group id on 2025/2026, 2026/2027 roster not read');

  // Then the new year under the kept ids, its roster and its journal. No clash of links, nothing quarantined.
  const first = await t.run(roll.next, 'roster-sync');
  expect(first.quarantined).toBe(0);
  const keptCount = [...t.kept.values()].reduce((n, ids) => n + ids.length, 0);
  expect(first.otherYearIds).toBe(keptCount);
  expect(formatSummary(first)).toContain(`platform ids kept from an earlier school year, linked to this year's records ${keptCount}`);
  const journal = await t.run(roll.next, 'journal-sync', { window: roll.next.lessonWindow() });
  expect(Object.keys(journal.quarantineReasons).filter((r) => r.includes('crosswalk conflict'))).toEqual([]);

  // The new year has records of its own, as many as the platform lists.
  const counts2027 = await yearRecords(store, 2027);
  for (const [e, n] of Object.entries(t.platformCounts.next)) expect(counts2027[`${e}:active`], e).toBe(n);
  const newIds = await yearIds(store, 2027);
  for (const id of newIds) expect(oldIds.has(id), id).toBe(false);
  // Each kept id now stands for the new year's record; its link to last year's record is closed, not lost.
  for (const [entity, ids] of t.kept) {
    const now = await store.resolve(t.system, t.instance, entity, ids);
    expect(now.size, entity).toBe(ids.length);
    for (const cid of now.values()) expect(newIds.has(cid), entity).toBe(true);
    let closedRows = 0;
    for (const id of oldIds) for (const row of await store.crosswalkFor(id)) if (row.entity === entity && row.validTo !== null && ids.includes(row.sourceId)) closedRows++;
    expect(closedRows, entity).toBe(ids.length);
  }
  // The new year's groups name the new year's class and subject, and its memberships the new year's groups.
  for await (const r of store.iterate('section')) {
    if (!newIds.has(r.id) || r.entity !== 'section') continue;
    expect(newIds.has(r.homeroomClassId), r.id).toBe(true);
    expect(newIds.has(r.subjectId), r.id).toBe(true);
  }
  for await (const r of store.iterate('enrollment')) if (newIds.has(r.id) && r.entity === 'enrollment') expect(newIds.has(r.sectionId), r.id).toBe(true);
  // The new year's lessons, works and marks held on the first morning are in now, under the new year's groups and terms.
  await journalAfterRoster(store, newIds);
  // The old year's days asked for again now (a one-off window): read, the kept ids name the new year's records, but
  // the old year's lessons and final marks stay under the old year's (checked record by record at the end); refused,
  // nothing is read. Before past-year-window.ts, ЭПОС read them through the new year's groups.
  if (t.oldWindowAfterRoster === 'read') {
    const s = await oldDaysAfterRoster(store, newIds, oldRecords, () => t.run(roll.old, 'journal-sync', { window }));
    // The kept class ids are not asked for as the old year's, and the read says so by id (before: not a word).
    const notRead = Object.keys(s.quarantineReasons);
    for (const id of t.kept.get('homeroom_class')!) expect(notRead.some((r) => r.startsWith(`edu-group ${id} not read (id kept into a later school year)`)), `class ${id} said as not read`).toBe(true);
  }
  else await expect(t.run(roll.old, 'journal-sync', { window })).rejects.toThrow(/starts before 2026-09-01, the first day of the school year 2026\/2027/);
  if (t.lastYearFinals) await lastYearFinalsAfterRoster(store, newIds, oldRecords, t.lastYearFinals);

  // The operator accepts the leavers; a day later they go. Nothing of the old year goes with them.
  const accepted = await t.run(roll.next, 'roster-sync', { acceptDeletes: first.deletesToAccept });
  expect(accepted.deletesRefused).toBeUndefined();
  expect(accepted.otherYearIds).toBeUndefined(); // linked once
  await aDayLater(store, t.system, t.instance);
  const next = await t.run(roll.next, 'roster-sync');
  expect(next.deletesRefused).toBeUndefined();
  expect(next.deleted).toBe(first.deletesToAccept);

  // The old year, record by record: same ids, content and status; found by its canonical ids; its report the same.
  const after = await contentById(store, [...OF_A_YEAR, ...JOURNAL]);
  for (const [id, was] of before) expect(after.get(id), id).toBe(was);
  expect(await yearIds(store, 2026)).toEqual(oldIds);
  expect(await yearRecords(store, 2026)).toEqual(counts2026);
  expect(await attendanceRows(store)).toBe(rowsBefore);
}
