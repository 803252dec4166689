// Two syncs of one school at once — the scheduled roster sync beside `sync roster --instance …`, a job handed to a
// second worker — raced on the store before they took the school's sync lease (src/sync/school-sync-lease.ts): a
// pupil new on two platforms became two people, and a pupil the platform re-keyed crashed one of the runs. Now the
// second run waits for the first and then finds its work done.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { mintId, type CanonicalRecord, type PersonRecord } from '../../src/model/index.js';
import { dropSchema, openStore, type CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { ageHeldKeyChanges } from '../support/held-key-changes.js';

const WINDOW = { from: '2025-09-01', to: '2025-09-07' };
const logger = createLogger({ level: 'silent', pretty: false });
const mentions = (r: CanonicalRecord, id: string) => JSON.stringify(r).includes(id);
const reKeyed = (records: CanonicalRecord[], from: string, to: string) => records.map((r) => JSON.parse(JSON.stringify(r).split(from).join(to)) as CanonicalRecord);

describe('one sync of a school at a time', () => {
  const school = generateSchool({ seed: 11, pupils: 24, weeks: 1 });
  const pupils = school.all('person').filter((p) => school.rolesOf(p.id).some((ra) => ra.role === 'student')) as PersonRecord[];
  const [newcomer, reKeyedPupil] = [pupils[1], pupils[2]];
  const pg = inject('postgresUrl');
  const schema = `jg_lease_${mintId().replace(/-/g, '').slice(-12)}`;
  let store: CanonicalStore;

  beforeAll(async () => { store = await openStore(pg ? { databaseUrl: pg, schema } : { databaseUrl: null, dataDir: 'memory://' }); });
  afterAll(async () => {
    await store?.close();
    if (pg) await dropSchema(pg, schema);
  });

  /** Two Дневник.ру instances (dn-a the system of record) serving `records`; `fn` runs jobs against them. */
  async function withPlatforms<T>(records: CanonicalRecord[], fn: (ctx: JobContext) => Promise<T>): Promise<T> {
    const emus = await Promise.all([0, 1].map(() => startDnevnikEmulator({ dataset: new SyntheticSchool(school.input, school.plan, records) })));
    try {
      const [a, b] = [dnevnikInstance('dn-a', emus[0]), dnevnikInstance('dn-b', emus[1])];
      const config = parseConfigText(gatewayYaml({
        instances: [a, b], names: ['dn-a', 'dn-b'],
        schools: [{ id: 's1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: a.schoolId }, { instance: 'dn-b', schoolId: b.schoolId }] }],
      }), 'test.yaml');
      return await fn({ config, store, logger, close: async () => {} });
    } finally {
      await Promise.all(emus.map((e) => e.close()));
    }
  }
  const roster = (ctx: JobContext, instance?: string) => runJob('roster-sync', { schoolId: 's1', window: WINDOW, ...(instance ? { instance } : {}) }, ctx) as Promise<RunSummary[]>;
  const activeNamed = async (p: PersonRecord) => {
    const ids: string[] = [];
    for await (const r of store.iterate('person', { status: 'active' })) if (r.entity === 'person' && r.familyName === p.familyName && r.givenName === p.givenName && r.birthDate === p.birthDate) ids.push(r.id);
    return ids;
  };

  it('a pupil new on both platforms, their roster syncs at once: one person, linked on both', async () => {
    await withPlatforms(school.records.filter((r) => !mentions(r, newcomer.id)), (ctx) => roster(ctx));
    const runs = await withPlatforms(school.records, (ctx) => Promise.allSettled([roster(ctx, 'dn-a'), roster(ctx, 'dn-b')]));
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const ids = await activeNamed(newcomer);
    expect(ids).toHaveLength(1);
    expect((await store.crosswalkFor(ids[0])).filter((x) => !x.validTo).map((x) => x.instance).sort()).toEqual(['dn-a', 'dn-b']);
  }, 240_000);

  it('a pupil re-keyed by the platform, two roster syncs at once: both runs end, the key changes once', async () => {
    const records = reKeyed(school.records, reKeyedPupil.id, mintId());
    // The first run holds the key change until the old id is missing a second time, half a day later.
    const [held] = await withPlatforms(records, (ctx) => roster(ctx, 'dn-a'));
    expect(held.keyChangesHeld).toBe(1);
    await ageHeldKeyChanges(store, 'dnevnik_ru', 'dn-a', 's1', 13);
    const runs = await withPlatforms(records, (ctx) => Promise.allSettled([roster(ctx, 'dn-a'), roster(ctx, 'dn-a')]));
    expect(runs.map((r) => (r.status === 'fulfilled' ? 'ok' : String((r as PromiseRejectedResult).reason)))).toEqual(['ok', 'ok']);
    const keyChanges = runs.flatMap((r) => (r as PromiseFulfilledResult<RunSummary[]>).value).reduce((n, s) => n + (s.keyChanges ?? 0), 0);
    expect(keyChanges).toBe(1);
    expect(await activeNamed(reKeyedPupil)).toHaveLength(1);
  }, 240_000);
});
