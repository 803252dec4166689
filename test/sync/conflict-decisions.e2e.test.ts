// An operator's decision on a conflict stands across later syncs (review keep|take): Дневник.ру as the system of
// record, ЭПОС as a push target where a teacher corrects a mark the gateway wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EMark } from '../../src/emulators/epos/world.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { pendingReview, resolveConflict } from '../../src/sync/review.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('conflict decisions stick', () => {
  let src: { close(): Promise<void> };
  let tgt: { close(): Promise<void>; world: { marks: Map<number, EMark> } };
  let ctx: JobContext;
  beforeAll(async () => {
    const school = generateSchool({ seed: 61, pupils: 20, weeks: 1 });
    src = await getPlatform('dnevnik').emulator.start({ dataset: school }) as never;
    tgt = await getPlatform('epos').emulator.start({ dataset: school, emptyJournal: true }) as never;
    const a = dnevnikInstance('dn', src as never, 500);
    const b = eposInstance('ep', tgt as never, 500);
    ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'dn', targets: ['ep'], platforms: [{ instance: 'dn', schoolId: a.schoolId }, { instance: 'ep', schoolId: b.schoolId }] }],
    }), 't.yaml'), createLogger({ level: 'silent' }));
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    await runJob('grade-push', { schoolId: 's1', window }, ctx);
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    await src?.close();
    await tgt?.close();
  });

  const conflicts = async () => (await pendingReview(ctx.store)).filter((r) => r.kind === 'conflict');
  /** A teacher corrects the mark on ЭПОС (a different five-point value). */
  const correct = (m: EMark) => {
    const v = m.five === 2 ? 3 : 2;
    m.five = v;
    m.original = String(v);
    return v;
  };

  it('keep: the same disagreement is not opened again by the next read of the target', async () => {
    const marks = [...tgt.world.marks.values()];
    expect(marks.length).toBeGreaterThan(10);
    correct(marks[0]);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'ep' }, ctx);
    const open = await conflicts();
    expect(open.length).toBeGreaterThan(0);
    for (const c of open) await resolveConflict(ctx.store, c.id, 'keep', 'op-1');
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'ep' }, ctx);
    expect(await conflicts()).toHaveLength(0);
  }, 120_000);

  it('take: the whole value is taken, and it stays — in the store and on the target — through the next round', async () => {
    const m = [...tgt.world.marks.values()].find((x) => x.original.length > 1) ?? [...tgt.world.marks.values()][5];
    const v = correct(m);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'ep' }, ctx);
    const canonicalId = (await ctx.store.resolve('epos', 'ep', 'mark', [String(m.id)])).get(String(m.id))!;
    const mine = (await conflicts()).filter((x) => x.leftId === canonicalId);
    expect(mine.length).toBeGreaterThan(0);
    await resolveConflict(ctx.store, mine[0].id, 'take', 'op-2');
    expect((await conflicts()).filter((x) => x.leftId === canonicalId)).toHaveLength(0); // every field of it taken at once
    const taken = await ctx.store.get(canonicalId) as unknown as { raw: string; numeric: number; base: number };
    expect({ raw: taken.raw, base: taken.base, numeric: taken.numeric }).toEqual({ raw: String(v), base: v, numeric: v });
    // The next nightly round: the system of record (still holding the old value), then the push.
    await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect((await ctx.store.get(canonicalId) as unknown as { raw: string }).raw).toBe(String(v));
    expect(tgt.world.marks.get(m.id)!.five).toBe(v);
  }, 120_000);
});
