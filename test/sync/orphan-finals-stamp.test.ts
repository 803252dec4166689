// A pupil's final marks were left out (the roster had not brought them in); once linked, the next scheduled read
// catches them up (orphan-catch-up.ts). That read of one pupil's final marks stamped the school's final-marks cursor
// (`journal-finals|<school>`, when final marks were last read for the whole school): with a weekly
// `journalFinalsIntervalHours`, the school's own due read then waited up to a week more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ReadScope } from '../../src/connectors/contract.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { finalsReadCursorKey, nightlyJournalSync } from '../../src/sync/journal-nightly.js';
import { orphansCursorKey } from '../../src/sync/orphan-catch-up.js';

const run = { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'night', mapperVersion: 't' };
const NOW = new Date('2025-12-09T23:00:00Z'); // 03:00 on 10 December in Samara
const LAST_SCHOOL_READ = '2025-12-06T23:00:00.000Z'; // three nights ago, under the weekly interval

describe('a catch-up of one pupil\'s final marks', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('reads them, and leaves the school\'s final-marks stamp where it was', async () => {
    // The pupil the last read left out is linked now; the school's final marks were last read three nights ago.
    await store.link([{ entity: 'person', canonicalId: '0b6e4a52-9a53-4c1e-8f0e-2f6f3d1c7a11', system: 'dnevnik_ru', instance: 'dn', sourceId: '9001', sourceIdKind: 'id', matchRule: 'natural_key' }], { runId: 'roster' });
    await store.setCursor({ system: 'dnevnik_ru', instance: 'dn', entity: orphansCursorKey('s1'), kind: 'none', runId: 'earlier',
      value: JSON.stringify([{ entity: 'person', sourceId: '9001', finals: true, since: '2025-12-08T23:00:00.000Z' }]) });
    await store.setCursor({ system: 'dnevnik_ru', instance: 'dn', entity: finalsReadCursorKey('s1'), kind: 'none', value: '2025-12-07', runId: 'earlier', lastSuccessAt: LAST_SCHOOL_READ });

    const asked: ReadScope[] = [];
    const connector = {
      declaration: { platform: 'dnevnik', title: 'Дневник.ру', capabilities: ['journal.read', 'finals.read'] },
      readSchool: async function* (scope: ReadScope) { asked.push(scope); },
    } as unknown as Connector;
    const [summary] = await nightlyJournalSync({
      store, connector, mapper: dnevnikMapper, run, school: { id: 's1', sourceId: '1', timeZone: 'Europe/Samara' }, isSystemOfRecord: true,
      today: '2025-12-10', windowDays: 14, sweepDays: 0, sweepIntervalHours: 44, finalsIntervalHours: 168, clock: () => NOW,
    });

    expect(summary.caughtUp?.finals).toBe(true);
    expect(asked[0]?.capabilities).toContain('finals.read');
    const stamp = await store.getCursor('dnevnik_ru', 'dn', finalsReadCursorKey('s1'));
    expect(new Date(stamp!.lastSuccessAt!).toISOString()).toBe(LAST_SCHOOL_READ);
  }, 60_000);
});
