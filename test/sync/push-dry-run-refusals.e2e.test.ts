// `push --dry-run` predicts the refusals a target declares up front (contract.ts `refusesWrites`). ЭПОС → Дневник.ру:
// a mark deleted at the system of record cannot be deleted there (no route). Before, the dry run counted "refused" only
// from what the ledger had seen: it said "would apply 1, would be refused 0" and the push right after was refused it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EMark } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { runJob } from '../../src/jobs/processors.js';
import { formatSummary } from '../../src/sync/run-summary.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-05' };
type Ep = RunningEmulator & { world: { marks: Map<number, EMark> } };
const REASON = 'mark: dnevnik: the partner API documents no mark deletion: a teacher deletes the mark on Дневник.ру by hand';

describe('push --dry-run into Дневник.ру: a mark deleted at the system of record', () => {
  let school: SorAndTarget<Ep, RunningEmulator>;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, RunningEmulator>({ sor: 'epos', target: 'dnevnik', school: generateSchool({ seed: 4, pupils: 10, weeks: 1 }), window });
    const [first] = await runJob('grade-push', { schoolId: 's1', window }, school.ctx);
    expect(first.pushed).toMatchObject({ failed: 0, refused: 0 });
    expect(first.pushed!.applied).toBeGreaterThan(0);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('is predicted as refused, with the reason the push then gives', async () => {
    // A mark alone in its pupil's cell (deleting a cell's first mark makes the second one the first).
    const marks = [...school.sor.world.marks.values()];
    const alone = marks.find((m) => marks.filter((x) => x.student === m.student && x.lesson === m.lesson).length === 1)!;
    school.sor.world.marks.delete(alone.id);
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, school.ctx);
    expect(reads.reduce((n, s) => n + s.deleted, 0)).toBe(1);

    const [dry] = await runJob('grade-push', { schoolId: 's1', window, dryRun: true }, school.ctx);
    expect(dry.pushed).toMatchObject({ applied: 0, refused: 1 });
    expect(dry.refusedReasons).toEqual({ [REASON]: 1 });
    expect(formatSummary(dry)).toContain(`would be refused 1`);

    const [real] = await runJob('grade-push', { schoolId: 's1', window }, school.ctx);
    expect(real.pushed).toMatchObject({ applied: dry.pushed!.applied, refused: dry.pushed!.refused, failed: 0 });
    expect(real.refusedReasons).toEqual(dry.refusedReasons);
  }, 180_000);
});
