import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRecord } from '../../src/model/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { daysNotCovered, ORPHAN_MEMORY_DAYS, orphanCatchUp, orphansCursorKey, rememberOrphans, settleOrphans, unionOfRanges } from '../../src/sync/orphan-catch-up.js';

const run = { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'r1', mapperVersion: 'x' };

describe('the memory of what journal reads left out', () => {
  let store: Store;
  beforeAll(async () => { store = await openStore({ dataDir: 'memory://', databaseUrl: null }); });
  afterAll(async () => { await store?.close(); });

  it('merges ranges that overlap or touch, in order', () => {
    expect(unionOfRanges([{ from: '2025-10-01', to: '2025-10-05' }, { from: '2025-09-01', to: '2025-09-10' }, { from: '2025-09-11', to: '2025-09-12' }, { from: '2025-10-03', to: '2025-10-04' }]))
      .toEqual([{ from: '2025-09-01', to: '2025-09-12' }, { from: '2025-10-01', to: '2025-10-05' }]);
  });

  it('leaves out of a catch-up the days tonight reads anyway', () => {
    const recent = { from: '2025-10-10', to: '2025-10-16' };
    const sweep = { from: '2025-09-15', to: '2025-09-28' };
    expect(daysNotCovered([{ from: '2025-09-10', to: '2025-10-12' }, { from: '2025-10-14', to: '2025-10-15' }], [sweep, recent]))
      .toEqual([{ from: '2025-09-10', to: '2025-09-14' }, { from: '2025-09-29', to: '2025-10-09' }]);
  });

  it('widens a reference\'s days across reads, forgets it after the memory days, and hands back only what the crosswalk knows now', async () => {
    const now = '2025-12-01T20:00:00.000Z';
    await rememberOrphans(store, run, 's1', [{ entity: 'person', sourceId: '7', from: '2025-11-10', to: '2025-11-12', since: now }], now);
    await rememberOrphans(store, run, 's1', [
      { entity: 'person', sourceId: '7', from: '2025-11-03', to: '2025-11-04', finals: true, since: now },
      { entity: 'person', sourceId: '8', from: '2025-11-20', to: '2025-11-20', since: now },
    ], now);
    expect(await orphanCatchUp(store, run, 's1', '2025-09-01')).toEqual({ ranges: [], finals: false, caught: [] }); // nobody linked yet

    await store.link([{ entity: 'person', canonicalId: '0193a0a0-0000-7000-8000-000000000007', system: run.system, instance: run.instance, sourceId: '7', sourceIdKind: 'person', matchRule: 'test' }], { runId: 'r1' });
    const up = await orphanCatchUp(store, run, 's1', '2025-09-01');
    expect(up).toEqual({ ranges: [{ from: '2025-11-03', to: '2025-11-12' }], finals: true, caught: ['person|7'] });
    // Days before the school year are not read again.
    expect((await orphanCatchUp(store, run, 's1', '2025-11-05')).ranges).toEqual([{ from: '2025-11-05', to: '2025-11-12' }]);

    await settleOrphans(store, run, 's1', up.caught);
    const left = JSON.parse((await store.getCursor(run.system, run.instance, orphansCursorKey('s1')))!.value!) as { sourceId: string }[];
    expect(left.map((e) => e.sourceId)).toEqual(['8']);

    // Still unknown after the memory's days: forgotten at the next read.
    const later = new Date(Date.parse(now) + (ORPHAN_MEMORY_DAYS + 1) * 86_400_000).toISOString();
    await rememberOrphans(store, run, 's1', [], later);
    expect((await store.getCursor(run.system, run.instance, orphansCursorKey('s1')))!.value).toBe('');
  });

  it('a record held for a kept term id linked to last year\'s term is caught up once the id names a term of its own year', async () => {
    const provenance = { system: run.system, instance: run.instance, fetchedAt: '2026-09-01T00:00:00Z', payloadHash: 'p', runId: 'r1', mapperVersion: 'x' };
    const term = (id: string, schoolYear: number) => buildRecord('academic_session', {
      title: 'I четверть', kind: 'quarter', startDate: `${schoolYear - 1}-09-01`, endDate: `${schoolYear - 1}-10-26`, schoolYear,
      organizationId: '0193a0a0-0000-7000-8000-0000000000aa', isGradingPeriod: true,
    }, { id, sourceRefs: [{ system: run.system, instance: run.instance, sourceId: 'q1', kind: 'period' }], provenance });
    const lastYear = '0193a0a0-0000-7000-8000-000000002026';
    const thisYear = '0193a0a0-0000-7000-8000-000000002027';
    await store.upsertMany([term(lastYear, 2026), term(thisYear, 2027)], { runId: 'r1' });
    const link = (canonicalId: string) => store.link([{ entity: 'academic_session', canonicalId, system: run.system, instance: run.instance, sourceId: 'q1', sourceIdKind: 'period', matchRule: 'test' }], { runId: 'r1' });
    await link(lastYear);
    const now = '2026-09-02T20:00:00.000Z';
    await rememberOrphans(store, run, 's2', [{ entity: 'academic_session', sourceId: 'q1', from: '2026-09-01', to: '2026-09-02', year: 2027, since: now }], now);
    // Known, but as last year's term: not caught up (the new year's roster has not linked it yet).
    expect(await orphanCatchUp(store, run, 's2', '2026-09-01')).toEqual({ ranges: [], finals: false, caught: [] });

    await store.closeCrosswalk(run.system, run.instance, 'academic_session', 'q1', {});
    await link(thisYear);
    const up = await orphanCatchUp(store, run, 's2', '2026-09-01');
    expect(up).toEqual({ ranges: [{ from: '2026-09-01', to: '2026-09-02' }], finals: false, caught: ['academic_session|q1'] });
    await settleOrphans(store, run, 's2', up.caught);
    expect((await store.getCursor(run.system, run.instance, orphansCursorKey('s2')))!.value).toBe('');
  });
});
