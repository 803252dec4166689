// Audit (person merges): the merged-away person is the one the system of record's records are keyed by. The pupil was
// listed by the push target (АСУ РСО, no birth dates) a night before the system of record (Дневник.ру): the system of
// record's dated pupil is the newcomer, proposed against АСУ РСО's undated one, and `review merge` merges it into
// that one. Every journal record's id contains the pupil, so the system of record's marks, absences and final marks
// follow the merge only where a read brings them in again — a nightly reads the recent days and one sweep slice, final
// marks only around a period's end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { asursoInstance, dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const whole = { from: '2025-09-01', to: '2025-11-07' };
const recent = { from: '2025-11-03', to: '2025-11-07' };
const JOURNAL = ['mark', 'attendance_record', 'final_mark'] as const;

describe.each([{ targetJournal: false }, { targetJournal: true }])('audit: review merge of the system of record\'s pupil into the target\'s, then a nightly-sized read (the target holds the journal too: $targetJournal)', ({ targetJournal }) => {
  const dataset = generateSchool({ seed: 72, pupils: 8, weeks: 10 });
  let sor: RunningEmulator; let t: RunningEmulator;
  let ctx: JobContext;
  const people = async () => {
    const m = new Map<string, CanonicalRecord>();
    for await (const p of ctx.store.iterate('person')) m.set(p.id, p);
    return m;
  };
  const journal = async () => {
    const persons = await people();
    const out: Record<string, { active: number; underTombstone: number }> = {};
    for (const entity of JOURNAL) {
      const e = (out[entity] = { active: 0, underTombstone: 0 });
      for await (const r of ctx.store.iterate(entity, { status: 'active' })) {
        e.active++;
        if (persons.get((r as { studentId: string }).studentId)?.status !== 'active') e.underTombstone++;
      }
    }
    return out;
  };
  beforeAll(async () => {
    sor = await getPlatform('dnevnik').emulator.start({ dataset });
    t = await getPlatform('asurso').emulator.start({ dataset, emptyJournal: !targetJournal });
    const a = dnevnikInstance('sor', sor as never, 500); const b = asursoInstance('t', t as never, 500);
    ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'sor', targets: ['t'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 't', schoolId: b.schoolId }] }],
    }), 't.yaml'), createLogger({ level: 'silent' }));
    await runJob('roster-sync', { schoolId: 's1', window: whole, instance: 't' }, ctx);
    await runJob('roster-sync', { schoolId: 's1', window: whole }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window: whole }, ctx);
  }, 240_000);
  afterAll(async () => {
    await ctx?.close(); await sor?.close(); await t?.close();
  });

  it('after the merge and the next night, nothing of the pupils\' journal is left under the merged-away records', async () => {
    const before = await journal();
    expect(before.mark.active).toBeGreaterThan(100);
    expect(before.final_mark.active).toBeGreaterThan(0);
    let merged = 0;
    for (const p of (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match')) {
      if (!(await ctx.store.crosswalkFor(p.leftId)).some((r) => r.instance === 'sor' && r.validTo === null)) continue;
      await decidePersonMatch(ctx.store, p.id, 'merge', 'test-review', undefined, 'sor');
      merged++;
    }
    expect(merged).toBeGreaterThan(0);
    await runJob('roster-sync', { schoolId: 's1', window: recent }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window: recent }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window: recent }, ctx);
    const after = await journal();
    // Enrollments and guardian links: made again under the winner by the roster sync, none left under a tombstone.
    const persons = await people();
    for (const [entity, fields] of [['enrollment', ['personId']], ['guardian_link', ['studentId', 'guardianId']], ['role_assignment', ['personId']]] as const) {
      for await (const r of ctx.store.iterate(entity, { status: 'active' })) for (const f of fields) expect(persons.get((r as unknown as Record<string, string>)[f])?.status, entity).toBe('active');
    }
    for (const entity of JOURNAL) expect(after[entity].underTombstone, entity).toBe(0);
    expect(push.pushed!.failed).toBe(0);
    if (targetJournal) return;
    // The push places every one of them on АСУ РСО, where the pupils are linked now; nothing waits.
    expect(push.pushed!.failed).toBe(0);
    expect(push.pushed!.skipped).toBe(0);
    expect(push.pushed!.applied).toBe(before.mark.active + before.attendance_record.active);
    for (const entity of JOURNAL) {
      expect(after[entity].underTombstone, entity).toBe(0);
      expect(after[entity].active, entity).toBe(before[entity].active);
    }
  }, 240_000);
});
