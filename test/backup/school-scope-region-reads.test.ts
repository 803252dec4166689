// A regional store holds hundreds of schools. Picking one school's journal out of it — the nightly backup's scope, the
// yearly archive's class journals, a migration's records — read every lesson, mark and absence of the region to keep
// the school's: the fields were compared through a cast, or as parameters, which the expression indexes cannot serve,
// and lessons, marks and absences had no index by section or lesson at all. So a region's nightly run grew with the
// square of its schools. Measured here as the rows PostgreSQL itself reads (pg_stat_xact_user_tables), with another,
// far larger school of the region in the same store.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadClassJournal, loadSchoolYear } from '../../src/backup/documents/school-year.js';
import { soleSchool } from '../../src/backup/run-backup.js';
import { buildSchoolScope } from '../../src/backup/school-scope.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { schoolRecords } from '../../src/sync/school-records.js';
import { filledStore } from './fixtures.js';

let store: CanonicalStore;
let org: string;
let ownJournal = 0;
let otherJournal = 0;
const JOURNAL = new Set(['lesson', 'work', 'mark', 'attendance_record', 'final_mark']);

beforeAll(async () => {
  store = await filledStore({ weeks: 1 });
  org = await soleSchool(store);
  ownJournal = (await store.driver.query<{ n: number }>(`SELECT count(*)::int AS n FROM canonical_records WHERE entity IN ('lesson', 'work', 'mark', 'attendance_record', 'final_mark')`)).rows[0].n;
  const other = generateSchool({ seed: 31, pupils: 300, weeks: 2 });
  otherJournal = other.records.filter((r) => JOURNAL.has(r.entity)).length;
  await store.upsertMany(other.records, { runId: 'load-other' });
  await store.driver.query('ANALYZE canonical_records');
}, 180_000);
afterAll(async () => { await store?.close(); });

/** Rows of canonical_records PostgreSQL has read (scanned, or fetched by an index) in this session so far. */
async function readSoFar(): Promise<number> {
  await store.driver.query('SELECT pg_stat_force_next_flush()');
  await store.driver.query('SELECT pg_stat_clear_snapshot()');
  const r = await store.driver.query<{ n: string | number }>(
    `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n FROM pg_stat_user_tables WHERE relname = 'canonical_records'`,
  );
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Plans that read a whole entity, priced out for the measure: on a test-sized table the planner rightly prefers reading
 * it whole (a sequential scan, or the entity index into a hash or merge join), as it would not on a region's millions
 * of marks. The question asked is whether the store can serve one school without reading the region: whether an index
 * fits each predicate, so a nested loop looks each reference up.
 */
const PRICED_OUT = ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin'];

/** Rows of canonical_records PostgreSQL read while `work` ran, with {@link PRICED_OUT} plans off. */
async function rowsRead(work: () => Promise<unknown>): Promise<number> {
  for (const plan of PRICED_OUT) await store.driver.query(`SET ${plan} = off`);
  try {
    const before = await readSoFar();
    await work();
    return (await readSoFar()) - before;
  } finally {
    for (const plan of PRICED_OUT) await store.driver.query(`RESET ${plan}`);
  }
}

it('the region holds far more journal than the school', () => {
  expect(otherJournal).toBeGreaterThan(8 * ownJournal);
});

it('the nightly backup\'s scope of one school reads about its own records, not the region\'s journal', async () => {
  let scope = 0;
  const read = await rowsRead(() => store.driver.transaction(async (tx) => { scope = await buildSchoolScope(tx, org, []); }));
  // Each of its records is looked at a few times (found, joined back, followed to its people), never the region's.
  expect(scope).toBeGreaterThan(ownJournal);
  expect(read).toBeLessThan(5 * scope);
  expect(read).toBeLessThan(otherJournal);
});

it('the yearly archive\'s class journals read about the school\'s own journal, not the region\'s', async () => {
  const year = await loadSchoolYear(store, org, 2026);
  const read = await rowsRead(async () => {
    for (const sections of year.sectionsByClass.values()) await loadClassJournal(store, sections);
  });
  expect(read).toBeLessThan(otherJournal / 4);
});

/**
 * A school's records as found by reading the whole region and following references from its organization: each
 * entity kept when the field it names the school by points at anything kept before (what schoolRecords did before it
 * looked references up by index). The answer the indexed look-ups must give.
 */
async function followedOverTheRegion(): Promise<string[]> {
  const order: [string, string][] = [
    ['academic_session', 'organizationId'], ['homeroom_class', 'organizationId'], ['subject', 'organizationId'],
    ['section', 'homeroomClassId'], ['enrollment', 'sectionId'], ['lesson', 'sectionId'], ['work', 'lessonId'],
    ['mark', 'lessonId'], ['attendance_record', 'lessonId'], ['final_mark', 'sectionId'],
  ];
  const kept = new Set([org]);
  for (const [entity, field] of order) {
    for await (const r of store.iterate(entity as never, { status: 'active' })) {
      if (kept.has((r as unknown as Record<string, string>)[field])) kept.add(r.id);
    }
  }
  return [...kept].sort();
}

it('a migration\'s records of one school are those found by following references over the whole region', async () => {
  const journal = new Set(['academic_session', 'homeroom_class', 'subject', 'section', 'enrollment', 'lesson', 'work', 'mark', 'attendance_record', 'final_mark', 'organization']);
  const mine = (await schoolRecords(store, org)).filter((r) => journal.has(r.entity) && (r.entity !== 'subject' || (r as { organizationId?: string }).organizationId === org));
  const expected = await followedOverTheRegion();
  // Class lists are enrollments in the homeroom class itself: they are among them.
  expect(mine.filter((r) => r.entity === 'enrollment').length).toBeGreaterThan(0);
  expect(mine.map((r) => r.id).sort()).toEqual(expected);
});

it('a migration\'s records of one school read about its own, not the region\'s', async () => {
  let records = 0;
  const read = await rowsRead(async () => { records = (await schoolRecords(store, org)).length; });
  expect(records).toBeGreaterThan(ownJournal);
  expect(read).toBeLessThan(otherJournal / 4);
});
