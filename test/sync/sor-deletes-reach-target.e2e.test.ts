// Deletes at the system of record reach an АСУ РСО push target in the nightly order (the journal-sync job reads the
// system of record, then the targets; the push comes after). ЭПОС → АСУ РСО.
// - A deleted absence: the target's read, still finding it there, stored it again credited to the target — no push
//   deleted it on the target and no later read of the system of record could delete it again, for good.
// - The first of a pupil's two marks on different works deleted: the second is read back as the first (slot 1, its
//   work), the second tombstoned. АСУ РСО kept the deleted mark, lost the kept one, and the push failed on a link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EMark, EAttendance } from '../../src/emulators/epos/world.js';
import type { AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: { marks: Map<number, EMark>; attendances: Map<string, EAttendance>; sourceOf: Map<string, string> } };

describe('ЭПОС → АСУ РСО: deletes at the system of record, nightly order', () => {
  let school: SorAndTarget<Ep, AsursoEmulator>;
  let ctx: JobContext;
  /** The nightly round: the journal-sync job (system of record, then the target), then the push. */
  const night = async () => {
    const read = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    return { read, push };
  };
  /** ЭПОС id → АСУ РСО id of the same canonical record (both emulators serve one synthetic school). */
  const asursoIdOf = (eposId: number | string) => {
    const canonical = [...school.sor.world.sourceOf].find(([, s]) => s === String(eposId))?.[0];
    return canonical === undefined ? undefined : school.target.world.sourceOf.get(canonical);
  };
  beforeAll(async () => {
    school = await sorAndTarget<Ep, AsursoEmulator>({ sor: 'epos', target: 'asurso', school: generateSchool({ seed: 3, pupils: 20, weeks: 1 }), window });
    ctx = school.ctx;
    for (const p of (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && r.score === 1)) await decidePersonMatch(ctx.store, p.id, 'merge', 'test-review');
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    const first = await night();
    expect(first.push.pushed?.failed).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('an absence deleted at the system of record is deleted on the target and stays deleted in the store', async () => {
    const [key, absence] = [...school.sor.world.attendances].find(([, a]) => asursoIdOf(a.lesson) !== undefined)!;
    const meeting = school.target.world.meetings.get(asursoIdOf(absence.lesson)!)!;
    const pupil = asursoIdOf(absence.student)!;
    expect(meeting.attendance.has(pupil)).toBe(true);
    school.sor.world.attendances.delete(key);
    for (let n = 0; n < 2; n++) {
      const { read, push } = await night();
      expect(read.reduce((k, s) => k + s.restored, 0)).toBe(0);
      expect(push.pushed?.failed).toBe(0);
    }
    expect(meeting.attendance.has(pupil)).toBe(false);
  }, 180_000);

  it('the first of two marks on different works deleted: the target keeps only the second, the push does not fail, nothing waits for review', async () => {
    const cells = new Map<string, EMark[]>();
    for (const m of school.sor.world.marks.values()) { const k = `${m.student}:${m.lesson}`; (cells.get(k) ?? cells.set(k, []).get(k)!).push(m); }
    const pair = [...cells.values()].find((c) => c.length === 2 && c[0].controlForm !== c[1].controlForm && asursoIdOf(c[0].lesson) !== undefined)!;
    expect(pair).toBeDefined();
    const [gone, kept] = [...pair].sort((a, b) => a.id - b.id);
    const meeting = school.target.world.meetings.get(asursoIdOf(kept.lesson)!)!;
    const pupil = asursoIdOf(kept.student)!;
    const held = () => meeting.columns.filter((c) => c.results.has(pupil)).map((c) => c.results.get(pupil)!.mark);
    expect(held()).toHaveLength(2);
    school.sor.world.marks.delete(gone.id);
    for (let n = 0; n < 2; n++) {
      const { push } = await night();
      expect(push.pushed?.failed).toBe(0);
    }
    expect(held()).toEqual([kept.five]);
    expect((await pendingReview(ctx.store)).filter((r) => r.kind === 'conflict')).toEqual([]);
  }, 180_000);
});
