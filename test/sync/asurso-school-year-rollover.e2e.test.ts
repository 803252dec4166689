// 1 September with АСУ РСО as the system of record: the platform now lists the new school year — new terms, classes,
// subject groups and subjects under new ids, while the school and every person keep their ids (a promoted pupil and
// the teachers are the same NetSchool people a year later), and the 11th-graders are gone. АСУ РСО's teacher routes
// carry no birth date and no parents (docs/platforms/asurso.md), so a person is known only by their NetSchool id: a
// promoted pupil must be found by it, not proposed for review or created anew. The emulator keeps people's ids across
// two starts with `previousYear`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { AsursoWorld, startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { pendingReview } from '../../src/sync/review.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { asursoInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { aDayLater, attendanceRows, deletedPupils, OF_A_YEAR, pupilsBySourceId, runOnSor, yearRecords } from '../support/rollover-store.js';

const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2 });
// The old year as АСУ РСО numbered it: the new year's world keeps its school's and people's ids, numbers the rest above.
const oldWorld = new AsursoWorld(roll.old.records);

describe('a school-year rollover on АСУ РСО as the system of record', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> =>
    runOnSor(store, {
      name: 'as', instance: (name, emu) => asursoInstance(name, emu),
      start: () => startAsursoEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld } : {}) }),
    }, kind, data);
  const oldYear = () => yearRecords(store, 2026);
  const pupilsByPlatformId = () => pupilsBySourceId(store, 'asu_rso');
  const platformIdOf = (datasetId: string) => String(oldWorld.sourceOf.get(datasetId));

  it('keeps the old year as it was; promoted pupils stay the same people; only those who left are missing, and deleted at their second miss', async () => {
    const window = roll.old.lessonWindow();
    await run(roll.old, 'roster-sync', { window });
    await run(roll.old, 'journal-sync', { window });
    const before = await oldYear();
    for (const e of OF_A_YEAR) expect(before[`${e}:active`], e).toBeGreaterThan(0);
    const rowsBefore = await attendanceRows(store);
    expect(rowsBefore).toBeGreaterThan(0);
    const pupilsBefore = await pupilsByPlatformId();
    // Proposals the old year's own similar names left (Кириллова Жанна / Кириллова Оксана…): the rollover adds none.
    const proposals = async () => (await pendingReview(store)).filter((r) => r.kind === 'person_match').map((r) => r.id).sort();
    const proposalsBefore = await proposals();

    // 1 September: the old year's records are kept as an earlier year's; only the pupils who left are missing, each
    // with their pupil role. АСУ РСО lists no parents, so unlike on Дневник.ру and ЭПОС the leavers stay under the 10%
    // threshold here: nothing is refused, and they go at their second miss like any leaver.
    const leavers = roll.graduates.length + 2; // the 11th-graders, and the two 4th-graders replaced in 5th grade
    const first = await run(roll.next, 'roster-sync');
    const oldCount = OF_A_YEAR.reduce((n, e) => n + before[`${e}:active`], 0);
    expect(first.pastYear).toEqual({ year: 2027, records: oldCount });
    expect(formatSummary(first)).toContain(`kept as an earlier school year's (the platform now lists 2026/2027) ${oldCount}`);
    expect(first.deletesRefused).toBeUndefined();
    expect(first.deleted).toBe(0);
    expect(first.missingOnce).toBe(2 * leavers); // person and pupil role

    // A promoted pupil is the same person, found by their NetSchool id (no birth date to match on): same canonical
    // record, now a grade up, and no new proposal to review.
    const pupilsAfter = await pupilsByPlatformId();
    const promoted = [...roll.promoted.keys()];
    expect(promoted.length).toBeGreaterThan(0);
    for (const id of promoted) {
      const was = pupilsBefore.get(platformIdOf(id))!;
      expect(was, id).toBeDefined();
      expect(pupilsAfter.get(platformIdOf(id)), id).toEqual({ id: was.id, status: 'active', grade: Number(/^\d+/.exec(roll.promoted.get(id)!)![0]) });
    }
    expect(await proposals()).toEqual(proposalsBefore);

    await aDayLater(store, 'asu_rso', 'as');
    const next = await run(roll.next, 'roster-sync');
    expect(next.deletesRefused).toBeUndefined();
    expect(next.pastYear).toBeUndefined(); // out of the snapshot since the first night
    expect(next.deleted).toBe(2 * leavers);
    expect(await deletedPupils(store)).toBe(leavers);
    const pupilsLater = await pupilsByPlatformId();
    for (const id of roll.graduates) expect(pupilsLater.get(platformIdOf(id))?.status, id).toBe('deleted');
    for (const id of promoted) expect(pupilsLater.get(platformIdOf(id))?.status, id).toBe('active');

    // The old year is untouched: its terms, classes, groups, subjects and memberships, and its reports.
    expect(await oldYear()).toEqual(before);
    expect(await attendanceRows(store)).toBe(rowsBefore);
  }, 300_000);
});
