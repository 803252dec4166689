// A migration re-run to repair a target that lost a record, killed (or its write failed) after it had pointed the
// crosswalk at what the target holds — the lost record unlinked, to be created anew — and before its push wrote it.
// The operator runs the same command again ("run the same command again to resume", docs/migration.md). Before, that
// run no longer saw the record as written before (it had no crosswalk link), so it was not written again; its
// original operation, confirmed in the ledger, was skipped as sent: the push wrote nothing, the reconciliation listed
// the record as missing, and every later run did the same — the record was never repaired. Дневник.ру → ЭПОС.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { useApiMove } from '../support/api-move.js';

type EposWorld = { attendances: Map<string, { id: number }> };

describe('a repair run interrupted between unlinking a lost record and writing it again', () => {
  const move = useApiMove({ from: 'dnevnik', to: 'epos', dataset: { seed: 7, pupils: 20 }, window: { since: '2025-09-01', until: '2025-09-12' } });
  const target = () => (move.target as unknown as { world: EposWorld }).world;

  it('the next run writes the lost record again and reconciles with nothing lost', async () => {
    expect((await move.migrate()).code).toBe(0);
    const held = target().attendances.size;
    expect(held).toBeGreaterThan(0);

    // An absence deleted in ЭПОС by hand, then a repair run killed right after it unlinked that absence (what
    // prepareRepair does for a record the target lost) and before its push wrote it again.
    const [key, lost] = [...target().attendances.entries()][0];
    target().attendances.delete(key);
    const store = await openStore({ databaseUrl: null, dataDir: path.join(path.dirname(move.reportsDir()), 'data', 'store') });
    try {
      const linked = await store.resolve('epos', 'epos-new', 'attendance_record', [String(lost.id)]);
      expect(linked.size, 'the lost absence was linked by the first run').toBe(1);
      await store.closeCrosswalk('epos', 'epos-new', 'attendance_record', String(lost.id), { at: new Date().toISOString() });
    } finally {
      await store.close();
    }

    const { code, printed } = await move.migrate();
    const r = move.report();
    expect(r.reconciliation?.differences, printed).toEqual([]);
    expect(r.ok).toBe(true);
    expect(code).toBe(0);
    expect(target().attendances.size).toBe(held);
    expect(r.steps.find((s) => s.kind === 'grade-push')?.pushed).toMatchObject({ applied: 1, failed: 0 });

    // And it stays repaired: a further run writes nothing.
    expect((await move.migrate()).code).toBe(0);
    expect(move.report().steps.find((s) => s.kind === 'grade-push')?.pushed?.applied).toBe(0);
  }, 300_000);
});
