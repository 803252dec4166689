// An answer that lost one entity of the journal — the attendance route answering an empty list while the marks come
// as ever — is not a teacher deleting every absence of the window. The delete threshold is per entity (canonical-model.md
// §C.2: a scope is school × year × entity), as the roster's is: absences are few beside marks, so a share of the two
// together let an empty attendance answer through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EposWorld } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { runJob } from '../../src/jobs/processors.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: EposWorld };

describe('journal deletes: one entity lost from the answer', () => {
  let school: SorAndTarget<Ep, Ep>;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, Ep>({ sor: 'epos', target: 'epos', school: generateSchool({ seed: 71, pupils: 40, weeks: 1 }), window });
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('every absence of the window missing while the marks are all there: nothing deleted', async () => {
    const { sor, ctx } = school;
    const absences = sor.world.attendances.size;
    const marks = sor.world.marks.size;
    // The case this is about: the absences alone are within the threshold of marks and absences together.
    expect(absences).toBeGreaterThanOrEqual(5);
    expect(absences / (absences + marks)).toBeLessThanOrEqual(0.1);
    const saved = new Map(sor.world.attendances);
    sor.world.attendances.clear();
    try {
      const [read] = await runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
      expect(read.deleted).toBe(0);
      expect(read.deletesRefused).toMatch(/attendance_record/);
      const live = [];
      for await (const r of ctx.store.iterate('attendance_record', { status: 'active' })) live.push(r.id);
      expect(live).toHaveLength(absences);
    } finally {
      for (const [k, v] of saved) sor.world.attendances.set(k, v);
    }
  }, 120_000);
});
