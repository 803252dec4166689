// Audit (person merges), the push after a teacher merge: the merge re-stamps every mark and absence the merged-away
// teacher recorded (a new version each, merged-teacher.ts), but who recorded a mark is not carried by the target, so
// what the target holds is what the last push wrote. Before, the next push sent each of them again to every target —
// the same value — and those of a closed period were held by R-22 and listed on every push. Set-up as in
// audit-merge-teacher-records.e2e.test.ts (Дневник.ру the system of record, АСУ РСО the push target listing its staff a
// night earlier), with the journal pushed before the merge and its first days closed afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { ledgerKey } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { acceptPupils, dnevnikToAsursoSchool, mergeTeachers } from '../support/dnevnik-asurso-school.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('audit: the push after a teacher merge writes nothing the target already holds', () => {
  const dataset = generateSchool({ seed: 73, pupils: 12, weeks: 1 });
  let sor: RunningEmulator; let t2: RunningEmulator;
  let ctx: JobContext;
  /** Marks and absences re-stamped by the merge (a new version, only who recorded them changed). */
  const restamped: CanonicalRecord[] = [];
  let firstPush: RunSummary;
  let afterMerge: RunSummary;
  let writesFirst = 0;
  let writesAfterMerge = 0;
  /** АСУ РСО's write route (marks and absences): requests so far. */
  const writes = () => Object.entries(t2.stats().byRoute).filter(([route]) => route.includes('grade/journal/quickedit')).reduce((n, [, k]) => n + k, 0);

  beforeAll(async () => {
    ({ sor, t2, ctx } = await dnevnikToAsursoSchool(dataset, window));
    // The pupils accepted first (АСУ РСО gives no birth dates: each is a proposal), so the journal can be placed there.
    const teachers = await acceptPupils(ctx.store);
    [firstPush] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    writesFirst = writes();
    // The first days of the week closed since: what a merge re-stamps there is in a closed period.
    const organizer = dataset.records.find((r) => r.entity === 'mark')!.provenance;
    await ctx.store.upsertMany([buildRecord('journal_lock', {
      organizationId: schoolCanonicalId('s1'), scope: 'school', lockedThrough: '2025-09-02', rule: 'biweekly', createdAt: '2025-09-03T00:00:00Z',
    }, { id: '0190a000-0000-7000-8000-000000000021', sourceRefs: [], provenance: { ...organizer, system: 'gateway', instance: 'ops' } })], { runId: 'lock' });
    const versionBefore = await ctx.store.currentVersion();
    await mergeTeachers(ctx.store, teachers);
    const updated = new Set<string>();
    for await (const ch of ctx.store.changesSince(versionBefore)) if (ch.op === 'update' && (ch.entity === 'mark' || ch.entity === 'attendance_record')) updated.add(ch.canonicalId);
    restamped.push(...(await ctx.store.getMany([...updated])).values());
    const before = writes();
    [afterMerge] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    writesAfterMerge = writes() - before;
  }, 300_000);
  afterAll(async () => {
    await ctx?.close(); await sor?.close(); await t2?.close();
  });

  it('the journal was on the target before the merge, and the merge re-stamped marks on both sides of the lock', async () => {
    expect(firstPush.pushed!.applied).toBeGreaterThan(10);
    expect(firstPush.pushed!.failed).toBe(0);
    expect(writesFirst).toBeGreaterThan(0);
    const marks = restamped.filter((r) => r.entity === 'mark') as (CanonicalRecord & { markDate: string })[];
    expect(marks.length).toBeGreaterThan(5);
    expect(marks.some((m) => m.markDate <= '2025-09-02')).toBe(true);
    expect(marks.some((m) => m.markDate > '2025-09-02')).toBe(true);
  });

  it('the next push sends no write to the target and lists nothing under R-22', () => {
    expect(writesAfterMerge).toBe(0);
    expect(afterMerge.refusedByLock).toBeUndefined();
    expect(afterMerge.pushed).toMatchObject({ applied: 0, refused: 0, failed: 0 });
    expect(afterMerge.sameAsPushed).toBe(restamped.length);
  });

  it('each re-stamped version is done in the ledger, so the push after finds nothing to do', async () => {
    const rows = await ctx.store.ledgerGetMany(restamped.map((r) => ledgerKey('t2', r.entity, r.id, r.version)));
    for (const r of restamped) expect(rows.get(ledgerKey('t2', r.entity, r.id, r.version))?.state, `${r.entity} ${r.id}`).toBe('confirmed');
    const before = writes();
    const [again] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(writes() - before).toBe(0);
    expect(again.pushed).toMatchObject({ applied: 0, refused: 0 });
    expect(again.refusedByLock).toBeUndefined();
  }, 120_000);
});
