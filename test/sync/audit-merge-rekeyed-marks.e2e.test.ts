// Audit (person merges): a pupil the system of record lists is the merged-away person. Timeline: the school's АСУ РСО
// (push target t2, no birth dates) lists the pupils a night before Дневник.ру (system of record) and ЭПОС (push target
// t) do. Дневник.ру's dated pupils are newcomers proposed against АСУ РСО's undated ones (left = newcomer), ЭПОС's are
// matched to Дневник.ру's by name + birth date, and the first push writes the marks into ЭПОС. The operator accepts
// the proposals: the Дневник.ру/ЭПОС person is merged into the АСУ РСО one. Every mark id contains the pupil, so the
// next read of the system of record brings the marks in under new ids. ЭПОС must hold each mark once afterwards.
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
import { asursoInstance, dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: { marks: Map<unknown, { student?: unknown; person?: unknown; lesson: unknown }> } };
const INSTANCE = { dnevnik: dnevnikInstance, epos: eposInstance } as const;

describe.each([
  { sorKind: 'dnevnik' as const, tKind: 'epos' as const, sorOnly: false },
  { sorKind: 'dnevnik' as const, tKind: 'epos' as const, sorOnly: true },
  { sorKind: 'epos' as const, tKind: 'dnevnik' as const, sorOnly: false },
  { sorKind: 'epos' as const, tKind: 'dnevnik' as const, sorOnly: true },
])('audit: review merge of the system of record\'s pupil into a push target\'s (marks re-keyed), $sorKind → $tKind, push before the target is read: $sorOnly', ({ sorKind, tKind, sorOnly }) => {
  const dataset = generateSchool({ seed: 71, pupils: 12, weeks: 1 });
  let sor: RunningEmulator; let t: Ep; let t2: RunningEmulator;
  let ctx: JobContext;
  const eposCells = () => {
    const cells = new Map<string, number>();
    for (const m of t.world.marks.values()) { const k = `${String(m.student ?? m.person)}:${String(m.lesson)}`; cells.set(k, (cells.get(k) ?? 0) + 1); }
    return cells;
  };
  let marksBefore = 0;
  let cellsBefore = new Map<string, number>();
  let merged = 0;
  beforeAll(async () => {
    sor = await getPlatform(sorKind).emulator.start({ dataset });
    t = await getPlatform(tKind).emulator.start({ dataset, emptyJournal: true }) as Ep;
    t2 = await getPlatform('asurso').emulator.start({ dataset, emptyJournal: true });
    const a = INSTANCE[sorKind]('sor', sor as never, 500); const b = INSTANCE[tKind]('t', t as never, 500); const c = asursoInstance('t2', t2 as never, 500);
    ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b, c], names: [],
      schools: [{ id: 's1', sor: 'sor', targets: ['t', 't2'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 't', schoolId: b.schoolId }, { instance: 't2', schoolId: c.schoolId }] }],
    }), 't.yaml'), createLogger({ level: 'silent' }));
    // АСУ РСО's roster a night earlier.
    await runJob('roster-sync', { schoolId: 's1', window, instance: 't2' }, ctx);
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const pushes = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    for (const p of pushes) expect(p.pushed!.failed).toBe(0);
    marksBefore = t.world.marks.size;
    cellsBefore = eposCells();
    const proposals = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match');
    for (const p of proposals) {
      const left = await ctx.store.crosswalkFor(p.leftId);
      // The newcomer is the system of record's pupil (linked on Дневник.ру and ЭПОС), proposed against АСУ РСО's.
      if (!left.some((r) => r.instance === 'sor' && r.validTo === null)) continue;
      await decidePersonMatch(ctx.store, p.id, 'merge', 'test-review');
      merged++;
    }
  }, 240_000);
  afterAll(async () => {
    await ctx?.close(); await sor?.close(); await t?.close(); await t2?.close();
  });

  it('after the next night the target holds each of the pupil\'s marks once, and nothing stays under a merged pupil', async () => {
    expect(merged).toBeGreaterThan(0);
    expect(marksBefore).toBeGreaterThan(20);
    // A push between the merge and the next sync: deletes nothing on the target, doubles nothing.
    const early = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    for (const p of early) expect(p.pushed!.failed).toBe(0);
    expect(t.world.marks.size).toBe(marksBefore);
    expect(Object.fromEntries(eposCells())).toEqual(Object.fromEntries(cellsBefore));
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window, ...(sorOnly ? { instance: 'sor' } : {}) }, ctx);
    const ids0 = [...t.world.marks.keys()].map(String).sort();
    const pushes = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    for (const p of pushes) expect(p.pushed!.failed).toBe(0);
    const people = new Map<string, CanonicalRecord>();
    for await (const p of ctx.store.iterate('person')) people.set(p.id, p);
    let active = 0;
    for (const entity of ['mark', 'attendance_record'] as const) {
      for await (const r of ctx.store.iterate(entity, { status: 'active' })) {
        expect(people.get((r as { studentId: string }).studentId)?.status).toBe('active');
        if (entity === 'mark') active++;
      }
    }
    // The target: the same marks (its own ids), the same cells, each with as many marks as before.
    expect([...t.world.marks.keys()].map(String).sort()).toEqual(ids0);
    expect(t.world.marks.size).toBe(marksBefore);
    expect(Object.fromEntries(eposCells())).toEqual(Object.fromEntries(cellsBefore));
    // And АСУ РСО, now that the pupils are linked there, gets the marks too.
    expect(active).toBeGreaterThan(20);
  }, 240_000);
});
