// "A sweep slice every other night" must hold when a night runs late. The interval was judged from the moment the last
// sweep finished: a slice stored at 03:10 after a slow night left tonight's 03:00 run 47 h 50 min later — under a
// 48-hour interval, "not yet due" — and the school swept every third night; under the default 44 hours a night that
// ran until 10:30 did the same. The interval is counted in the school's nights too (docs/sync.md "Nightly delta").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { nightlyPlanFor, sweepCursorKey } from '../../src/sync/journal-nightly.js';

const ZONE = 'Europe/Samara'; // UTC+4
const run = { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'night', mapperVersion: 't' };
const school = { id: 's1', sourceId: '1', timeZone: ZONE };

describe('the sweep interval, counted in the school\'s nights', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  /** The last slice was stored at `storedAt`; is a slice read by the run at `now` (both UTC instants)? */
  const sweepsAt = async (storedAt: string, now: string, sweepIntervalHours: number, today: string) => {
    await store.setCursor({ system: 'dnevnik_ru', instance: 'dn', entity: sweepCursorKey('s1'), kind: 'date_last_modified', value: '2025-09-28', runId: 'earlier', lastSuccessAt: storedAt });
    const plan = await nightlyPlanFor(store, { run, school, today, windowDays: 14, sweepDays: 28, sweepIntervalHours, clock: () => new Date(now) });
    return plan.sweep !== undefined;
  };

  it('every other night (48 h): a slice stored at 03:10 two nights ago is due at tonight\'s 03:00', async () => {
    // 03:10 on 8 December and 03:00 on 10 December, Samara time.
    expect(await sweepsAt('2025-12-07T23:10:00Z', '2025-12-09T23:00:00Z', 48, '2025-12-10')).toBe(true);
  });

  it('the default 44 h: a slice of a night that ran until 10:30 is due two nights later', async () => {
    expect(await sweepsAt('2025-12-08T06:30:00Z', '2025-12-09T23:00:00Z', 44, '2025-12-10')).toBe(true);
  });

  it('still not on the night in between, however early the last slice was stored', async () => {
    // 00:20 on 9 December; tonight is 03:00 on 10 December, one night later.
    expect(await sweepsAt('2025-12-08T20:20:00Z', '2025-12-09T23:00:00Z', 44, '2025-12-10')).toBe(false);
  });

  it('every night (20 h): a slice of a night that ran until 08:00 is due the next night at 03:00', async () => {
    expect(await sweepsAt('2025-12-09T04:00:00Z', '2025-12-09T23:00:00Z', 20, '2025-12-10')).toBe(true);
  });

  it('every night (20 h): a school synced every half hour sweeps once that night, not again on its next run', async () => {
    expect(await sweepsAt('2025-12-09T23:00:00Z', '2025-12-09T23:30:00Z', 20, '2025-12-10')).toBe(false);
  });
});
