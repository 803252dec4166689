// The operator accepts АСУ РСО's review proposals after a journal sync has already read АСУ РСО (a nightly job ran
// first). АСУ РСО sends no birth date, so until then its pupils were new people and its marks were stored as theirs,
// each linked to its АСУ РСО id. After the merge those marks map onto the system of record's records, but their ids
// still stood for the old ones: every journal sync of АСУ РСО quarantined all of them as crosswalk conflicts, and the
// push into АСУ РСО failed on a link (exit 1, no summary) after confirming its writes in the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
const crosswalkConflicts = (summaries: { quarantineReasons: Record<string, number> }[]) =>
  summaries.flatMap((s) => Object.entries(s.quarantineReasons)).filter(([r]) => r.startsWith('crosswalk conflict')).reduce((n, [, k]) => n + k, 0);

describe('review merge after a journal sync of a platform without birth dates (Дневник.ру → АСУ РСО holding the journal)', () => {
  let school: SorAndTarget<RunningEmulator, RunningEmulator>;
  let ctx: JobContext;
  let asursoMarksBefore = 0;
  beforeAll(async () => {
    // sorAndTarget has run roster sync and journal sync of both: АСУ РСО's marks are stored, under its own pupils.
    school = await sorAndTarget({ sor: 'dnevnik', target: 'asurso', school: generateSchool({ seed: 64, pupils: 20, weeks: 1 }), window, targetHoldsJournal: true });
    ctx = school.ctx;
    for await (const r of ctx.store.iterate('mark', { status: 'active' })) if (r.provenance.instance === 't') asursoMarksBefore++;
    const proposals = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match');
    expect(proposals.length).toBeGreaterThan(20);
    for (const p of proposals) await decidePersonMatch(ctx.store, p.id, 'merge', 'test-review');
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('the next read of АСУ РСО links its marks to the system of record\'s records; the push goes through; nothing stays under a merged pupil', async () => {
    expect(asursoMarksBefore).toBeGreaterThan(50);
    const read = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect(crosswalkConflicts(read)).toBe(0);
    expect(read[0].quarantined).toBe(0);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.failed).toBe(0);
    expect(crosswalkConflicts([push])).toBe(0);
    // Every active mark and absence is of an active pupil, and АСУ РСО's own copies are gone: its ids stand for the
    // system of record's records now.
    const people = new Map<string, CanonicalRecord>();
    for await (const p of ctx.store.iterate('person')) people.set(p.id, p);
    let fromAsurso = 0;
    for (const entity of ['mark', 'attendance_record'] as const) {
      for await (const r of ctx.store.iterate(entity, { status: 'active' })) {
        expect(people.get((r as { studentId: string }).studentId)?.status).toBe('active');
        if (r.provenance.instance === 't') fromAsurso++;
      }
    }
    expect(fromAsurso).toBe(0);
    // A second night finds nothing wrong.
    const again = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect(crosswalkConflicts(again)).toBe(0);
    expect((await runJob('grade-push', { schoolId: 's1', window }, ctx))[0].pushed!.failed).toBe(0);
  }, 180_000);
});

describe('review merge, then a push before any read of АСУ РСО', () => {
  let school: SorAndTarget<RunningEmulator, RunningEmulator>;
  afterAll(async () => {
    await school?.close();
  });

  it('the push links what it wrote to the system of record\'s records instead of failing on АСУ РСО\'s old copies', async () => {
    school = await sorAndTarget({ sor: 'dnevnik', target: 'asurso', school: generateSchool({ seed: 65, pupils: 20, weeks: 1 }), window, targetHoldsJournal: true });
    const { ctx } = school;
    for (const p of (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match')) await decidePersonMatch(ctx.store, p.id, 'merge', 'test-review');
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.failed).toBe(0);
    expect(push.pushed!.applied).toBeGreaterThan(50);
    expect(crosswalkConflicts([push])).toBe(0);
    const read = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect(crosswalkConflicts(read)).toBe(0);
  }, 180_000);
});
