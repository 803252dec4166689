// An operator's decision on a conflict stands across later syncs (review keep|take): Дневник.ру as the system of
// record, ЭПОС as a push target where a teacher corrects a mark the gateway wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EMark } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { notOpenInSchool, pendingReview, resolveConflict } from '../../src/sync/review.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: { marks: Map<number, EMark> } };

describe('conflict decisions stick', () => {
  let school: SorAndTarget<RunningEmulator, Ep>;
  let tgt: Ep;
  let ctx: JobContext;
  beforeAll(async () => {
    // A second ЭПОС as another push target: a value taken from `t` must reach it too.
    school = await sorAndTarget<RunningEmulator, Ep>({ sor: 'dnevnik', target: 'epos', secondTarget: 'epos', school: generateSchool({ seed: 61, pupils: 20, weeks: 1 }), window });
    ({ target: tgt, ctx } = school);
    await runJob('grade-push', { schoolId: 's1', window }, ctx);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
  });

  const conflicts = async () => (await pendingReview(ctx.store)).filter((r) => r.kind === 'conflict');
  /** A teacher corrects the mark on ЭПОС (a different five-point value). */
  const correct = (m: EMark) => {
    const v = m.five === 2 ? 3 : 2;
    m.five = v;
    m.original = String(v);
    return v;
  };

  it('keep: the same disagreement is not opened again by the next read of the target, and the next push gives the target the stored value again', async () => {
    const marks = [...tgt.world.marks.values()];
    expect(marks.length).toBeGreaterThan(10);
    const was = marks[0].five;
    correct(marks[0]);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    const open = await conflicts();
    expect(open.length).toBeGreaterThan(0);
    // `review keep|take --school`: only the school's own open items (before, --school was ignored for decisions).
    expect(await notOpenInSchool(ctx.store, schoolCanonicalId('s1'), open[0].id)).toBeUndefined();
    expect(await notOpenInSchool(ctx.store, schoolCanonicalId('s2'), open[0].id)).toBe('elsewhere');
    // One decision keeps every field of the mark (raw, base, numeric): before, each had to be kept on its own.
    expect(await resolveConflict(ctx.store, open[0].id, 'keep', 'op-1')).toMatch(/^kept the stored value \(.*raw.*\); the next push writes it to t again$/);
    expect(await conflicts()).toHaveLength(0);
    expect(await notOpenInSchool(ctx.store, schoolCanonicalId('s1'), open[0].id)).toBe('decided');
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect(await conflicts()).toHaveLength(0);
    // The system of record's value stands: the push writes it over the teacher's on the target (before, the target
    // kept the other value for good, and the decision hid it), once.
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.applied).toBeGreaterThanOrEqual(1);
    expect(tgt.world.marks.get(marks[0].id)!.five).toBe(was);
    const [again] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(again.pushed!.applied).toBe(0);
  }, 120_000);

  /** A value on the target other than the stored one and the first correction's: a new disagreement. */
  const setThird = (m: EMark, stored: number | null) => {
    const v = [2, 3, 4, 5].find((x) => x !== stored && x !== (stored === 2 ? 3 : 2))!;
    m.five = v;
    m.original = String(v);
  };

  it('keep again: the teacher puts a third value on the target, the conflict reopens under the same id, and a second keep is written too', async () => {
    // The conflict's id is the record's, the field's and the platform's: the same id comes back. Before, the second
    // keep asked for a write under the same tag as the first, which the ledger held as done: nothing was sent, the
    // operator was told the push would write it, and the target kept the teacher's value.
    const m = [...tgt.world.marks.values()][0];
    const was = m.five;
    setThird(m, was);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    const open = await conflicts();
    expect(open.length).toBeGreaterThan(0);
    expect(await resolveConflict(ctx.store, open[0].id, 'keep', 'op-1b')).toMatch(/the next push writes it to t again$/);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.applied).toBeGreaterThanOrEqual(1);
    expect(tgt.world.marks.get(m.id)!.five).toBe(was);
    const [again] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(again.pushed!.applied).toBe(0);
  }, 120_000);

  it('a keep carried out is closed when the target agrees; the teacher putting the same other value back opens it again', async () => {
    // Before, the decision stood for good: the same disagreement coming back after the push had carried it out was
    // taken as already decided, so neither a review item nor a write followed, and the target kept the teacher's value.
    const m = [...tgt.world.marks.values()][0];
    const canonicalId = (await ctx.store.resolve('epos', 't', 'mark', [String(m.id)])).get(String(m.id))!;
    const kept = async () => {
      const out: { id: string; resolution?: string }[] = [];
      for await (const r of ctx.store.iterate('conflict', { status: 'active' })) {
        const c = r as unknown as { id: string; canonicalId: string; resolution?: string };
        if (c.canonicalId === canonicalId) out.push(c);
      }
      return out;
    };
    const [read] = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect(read.conflictsSettled).toBeGreaterThan(0);
    expect(new Set((await kept()).map((c) => c.resolution))).toEqual(new Set(['values_agree']));
    // The very value the last keep was about.
    setThird(m, tgt.world.marks.get(m.id)!.five);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    const open = (await conflicts()).filter((c) => c.leftId === canonicalId);
    expect(open.length).toBeGreaterThan(0);
    expect(await resolveConflict(ctx.store, open[0].id, 'keep', 'op-1c')).toMatch(/the next push writes it to t again$/);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.applied).toBeGreaterThanOrEqual(1);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect(await conflicts()).toHaveLength(0);
  }, 120_000);

  it('a disagreement that is gone is closed (the teacher put the value back); the same drift again reopens it', async () => {
    const m = [...tgt.world.marks.values()][8];
    const before = { five: m.five, original: m.original };
    correct(m);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    const canonicalId = (await ctx.store.resolve('epos', 't', 'mark', [String(m.id)])).get(String(m.id))!;
    const mine = async () => (await conflicts()).filter((x) => x.leftId === canonicalId);
    const opened = await mine();
    expect(opened.length).toBeGreaterThan(0);
    Object.assign(m, before);
    const settled = async () => (await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx)).reduce((n, x) => n + (x.conflictsSettled ?? 0), 0);
    expect(await settled()).toBe(opened.length);
    expect(await mine()).toHaveLength(0);
    const closed = await ctx.store.get(opened[0].id) as unknown as { resolution: string; resolvedBy: string };
    expect({ resolution: closed.resolution, resolvedBy: closed.resolvedBy }).toEqual({ resolution: 'values_agree', resolvedBy: 'gateway' });
    // Nothing left to close: the next read closes nothing.
    expect(await settled()).toBe(0);
    correct(m);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect((await mine()).map((x) => x.id).sort()).toEqual(opened.map((x) => x.id).sort());
    Object.assign(m, before);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
  }, 120_000);

  it('a teacher deletes the first of a pupil\'s two marks on the target: no value conflict opens (ЭПОС reads the other back as the first), only the first\'s deletion', async () => {
    // Before: conflicts on every field of the first record, its work among them, and `take` stored one pupil's mark
    // for one work twice. The first is gone from the target: one review item, and the next push writes it there
    // again (test/sync/target-deletes.e2e.test.ts).
    const marks = [...tgt.world.marks.values()];
    const pair = marks.filter((m) => marks.some((x) => x !== m && x.student === m.student && x.lesson === m.lesson)).sort((a, b) => a.id - b.id);
    expect(pair.length).toBeGreaterThan(1);
    const first = pair[0];
    const second = pair.find((m) => m !== first && m.student === first.student && m.lesson === first.lesson)!;
    const ids = await ctx.store.resolve('epos', 't', 'mark', [String(first.id), String(second.id)]);
    tgt.world.marks.delete(first.id);
    const before = await conflicts();
    const [read] = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    const opened = (await conflicts()).filter((c) => !before.some((b) => b.id === c.id));
    const about = opened.filter((c) => c.leftId === ids.get(String(first.id)) || c.leftId === ids.get(String(second.id)));
    expect(about.map((c) => ({ leftId: c.leftId, field: c.field, rule: c.rule }))).toEqual([{ leftId: ids.get(String(first.id)), field: 'status', rule: 'deleted_on_target' }]);
    expect(read.quarantined).toBe(0);
    // The one left is still the second record, as it was.
    expect((await ctx.store.resolve('epos', 't', 'mark', [String(second.id)])).get(String(second.id))).toBe(ids.get(String(second.id)));
  }, 120_000);

  it('take: the whole value is taken, and it stays — in the store and on the target — through the next round', async () => {
    const m = [...tgt.world.marks.values()].find((x) => x.original.length > 1) ?? [...tgt.world.marks.values()][5];
    const v = correct(m);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    const canonicalId = (await ctx.store.resolve('epos', 't', 'mark', [String(m.id)])).get(String(m.id))!;
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
    // ...and on the other target, which held the old value: the push carries a decided record like the system of
    // record's (before, it left out anything not stamped by the system of record, and the stamp never came back).
    const t2 = school.target2 as Ep;
    const there = (await ctx.store.sourceIdsFor('epos', 't2', 'mark', [canonicalId])).get(canonicalId);
    expect(there).toBeDefined();
    expect(t2.world.marks.get(Number(there))!.five).toBe(v);
  }, 120_000);
});
