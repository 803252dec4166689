// ЭлЖур as a school's system of record, its `getperiods` listing holidays («Осенние каникулы», «Каникулы») and a
// «1 модуль» beside the quarters. Before, each such name was quarantined on every roster read: every read was partial,
// and the deletes by absence were refused for as long as the platform listed them — a pupil who left stayed active.
// Now holidays are left out on purpose (counted in the summary), a module is a `module` session, the read is whole,
// and a pupil who left is deleted at the second miss, as on any system of record (docs/platforms/eljur.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator, type EljurEmulator } from '../../src/emulators/eljur/index.js';
import { eljurMapper } from '../../src/mappers/eljur/index.js';
import { HOLIDAY_SKIPPED } from '../../src/mappers/eljur/periods.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { rosterSync, schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { formatSummary } from '../../src/sync/run-summary.js';
import { connectorFor } from '../eljur/harness.js';
import { lessonSpan } from '../support/emulated-school.js';

const dayAfter = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('ЭлЖур as system of record, its periods listing holidays and a module', () => {
  let school: SyntheticSchool;
  let emu: EljurEmulator;
  let store: CanonicalStore;
  let n = 0;
  beforeAll(async () => {
    school = generateSchool({ seed: 71, pupils: 12, weeks: 1 });
    const q = school.all('academic_session').filter((s) => s.kind === 'quarter').sort((a, b) => a.startDate.localeCompare(b.startDate));
    emu = await startEljurEmulator({ dataset: school, listedPeriods: [
      { name: 'Осенние каникулы', startDate: dayAfter(q[0].endDate, 1), endDate: dayAfter(q[1].startDate, -1) },
      { name: 'Каникулы', startDate: dayAfter(q[1].endDate, 1), endDate: dayAfter(q[2].startDate, -1) },
      { name: '1 модуль', startDate: q[0].startDate, endDate: dayAfter(q[0].startDate, 27) },
    ] });
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await emu?.close();
  });

  const sync = () => {
    const [from, to] = lessonSpan(school);
    return rosterSync({
      store, connector: connectorFor(emu), mapper: eljurMapper, run: { system: 'eljur', instance: 'ej', runId: `run-${++n}`, mapperVersion: 't' },
      school: { id: 's1', sourceId: emu.world.vendor, timeZone: emu.world.timeZone }, authoritative: true, window: { from, to }, deleteThreshold: 0.3,
    });
  };
  const statusOf = async (entity: 'person' | 'role_assignment', sourceId: string) => {
    const id = (await store.resolve('eljur', 'ej', entity, [sourceId])).get(sourceId);
    return id ? (await store.get(id))?.status : undefined;
  };

  it('the roster read is whole: holidays counted as left out, the module a session, nothing quarantined', async () => {
    const s = await sync();
    expect(s.quarantineReasons).toEqual({});
    expect(s.quarantined).toBe(0);
    expect(s.deletesRefused).toBeUndefined();
    expect(s.skipped).toEqual({ [HOLIDAY_SKIPPED]: 2 });
    expect(formatSummary(s)).toContain(`left out on purpose, not quarantined: ${HOLIDAY_SKIPPED} (2)`);
    expect(s.created).toBeGreaterThan(12);
    const sessions = await store.ofOrganization(schoolCanonicalId('s1'), ['academic_session']);
    expect(sessions.filter((r) => r.entity === 'academic_session' && r.kind === 'module').map((r) => r.entity === 'academic_session' && r.title)).toEqual(['1 модуль']);
    expect(sessions.some((r) => r.entity === 'academic_session' && /каникул/i.test(r.title))).toBe(false);
  }, 120_000);

  it('a pupil who left is missing once at the next read, and deleted at the second miss', async () => {
    const [personId, pupil] = [...emu.world.pupils.entries()][0];
    emu.world.pupils.delete(personId);
    const cls = emu.world.classes.get(pupil.cls)!;
    cls.pupils.splice(cls.pupils.indexOf(pupil.id), 1);
    expect(await statusOf('person', pupil.id)).toBe('active');

    const first = await sync();
    expect(first.deletesRefused).toBeUndefined();
    expect(first.missingOnce).toBeGreaterThan(0);
    expect(first.deleted).toBe(0);
    expect(await statusOf('person', pupil.id)).toBe('active');

    const second = await sync();
    expect(second.quarantined).toBe(0);
    expect(second.deletesRefused).toBeUndefined();
    expect(second.deleted).toBeGreaterThanOrEqual(2); // the person and their role at least (and their class places)
    expect(await statusOf('person', pupil.id)).toBe('deleted');
  }, 240_000);
});
