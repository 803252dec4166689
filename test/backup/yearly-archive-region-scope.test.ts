// A region's store holds hundreds of schools. The yearly archive of one school read every school's terms, classes,
// subjects, sections and class lists to pick its own, so a region's archive run took time growing with the square of
// its schools. It reads its own school's roster only now (indexes on organization, class and section).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSchoolYear } from '../../src/backup/documents/school-year.js';
import { soleSchool } from '../../src/backup/run-backup.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore } from './fixtures.js';

const ROSTER = new Set(['organization', 'academic_session', 'person', 'homeroom_class', 'subject', 'section', 'enrollment', 'role_assignment', 'guardian_link']);
let store: CanonicalStore;
let org: string;
let otherRoster = 0;

beforeAll(async () => {
  store = await filledStore({ weeks: 1 });
  org = await soleSchool(store);
  // Another, larger school of the region: its roster only.
  const other = generateSchool({ seed: 31, pupils: 300, weeks: 1 });
  const roster = other.records.filter((r) => ROSTER.has(r.entity));
  otherRoster = roster.length;
  await store.upsertMany(roster, { runId: 'load-other' });
}, 120_000);
afterAll(async () => { await store?.close(); });

it('the yearly archive of one school reads its own roster, not every school\'s of the region', async () => {
  const own = await loadSchoolYear(store, org, 2026);
  let rowsRead = 0;
  const query = store.driver.query.bind(store.driver);
  store.driver.query = (async (...args: Parameters<typeof query>) => {
    const r = await query(...args);
    rowsRead += r.rows.length;
    return r;
  }) as typeof query;
  try {
    const again = await loadSchoolYear(store, org, 2026);
    expect(again.classes.map((c) => c.id)).toEqual(own.classes.map((c) => c.id));
    expect(again.classes.every((c) => c.organizationId === org)).toBe(true);
    const ownRows = 1 + again.sessions.size + again.classes.length + again.subjects.size + [...again.sectionsByClass.values()].flat().length
      + [...again.pupilsBySection.values()].reduce((n, s) => n + s.size, 0) + again.pupils.size;
    // Its own roster's rows, with room for its tombstones and teachers' enrollments — far below the other school's.
    expect(otherRoster).toBeGreaterThan(3 * ownRows);
    expect(rowsRead).toBeLessThan(2 * ownRows);
  } finally {
    store.driver.query = query;
  }
});
