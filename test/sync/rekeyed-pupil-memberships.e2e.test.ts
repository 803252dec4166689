// A pupil re-keyed by the platform (a new platform id for the same person, found by the identity tiers) keeps their
// memberships. The platform ids of a pupil's role assignment, enrollments and guardian links contain the pupil's own
// id, so after the re-key they come in under new ids that match the same canonical records by natural key. Before,
// the old ids' second miss tombstoned those records the very night the key change was made — present in that run —
// and the parents' links were gone until the next night restored them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { mintId, type CanonicalRecord, type PersonRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { ageHeldKeyChanges } from '../support/held-key-changes.js';

const base = generateSchool({ seed: 11, pupils: 24, weeks: 1 });
const logger = createLogger({ level: 'silent', pretty: false });
const renameId = (records: CanonicalRecord[], from: string, to: string) => records.map((r) => JSON.parse(JSON.stringify(r).split(from).join(to)) as CanonicalRecord);

describe('a re-keyed pupil keeps their role, enrollments and guardian links', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store.close();
  });
  async function syncWith(records: CanonicalRecord[]): Promise<RunSummary> {
    const emu = await startDnevnikEmulator({ dataset: new SyntheticSchool(base.input, base.plan, records) });
    try {
      const inst = dnevnikInstance('dn-a', emu);
      const config = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-a'], schools: [{ id: 's1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: inst.schoolId }] }] }), 't.yaml');
      const ctx: JobContext = { config, store, logger, close: async () => {} };
      return (await runJob('roster-sync', { schoolId: 's1', window: { from: '2025-09-01', to: '2025-09-07' } }, ctx))[0];
    } finally {
      await emu.close();
    }
  }
  /** Moves the first misses back in time, so the next run counts as a second miss (sync.secondMissAfterHours). */
  const ageFirstMiss = async (hours: number) => {
    const cursor = (await store.getCursor('dnevnik_ru', 'dn-a', 'roster:s1'))!;
    const state = JSON.parse(cursor.value!) as { missedAt?: Record<string, string> };
    for (const k of Object.keys(state.missedAt ?? {})) state.missedAt![k] = new Date(Date.parse(state.missedAt![k]) - hours * 3_600_000).toISOString();
    await store.setCursor({ ...cursor, value: JSON.stringify(state) });
  };

  it('the night the key change is made deletes nothing, and every membership stays active', async () => {
    const pupil = base.all('person').find((p) => base.rolesOf(p.id).some((ra) => ra.role === 'student')) as PersonRecord;
    await syncWith(base.records);
    const persons: CanonicalRecord[] = [];
    for await (const r of store.iterate('person')) if (r.entity === 'person' && r.familyName === pupil.familyName && r.givenName === pupil.givenName) persons.push(r);
    expect(persons).toHaveLength(1);
    const personId = persons[0].id;
    const memberships = async () => {
      const out: Record<string, number> = {};
      for (const e of ['role_assignment', 'enrollment'] as const) {
        for await (const r of store.iterate(e, {})) if ((r as { personId?: string }).personId === personId) out[`${e}:${r.status}`] = (out[`${e}:${r.status}`] ?? 0) + 1;
      }
      for await (const r of store.iterate('guardian_link', {})) if ((r as { studentId?: string }).studentId === personId) out[`guardian_link:${r.status}`] = (out[`guardian_link:${r.status}`] ?? 0) + 1;
      return out;
    };
    const before = await memberships();
    expect(before['guardian_link:active']).toBeGreaterThan(0);
    const records = renameId(base.records, pupil.id, mintId());
    await syncWith(records); // the old id missing once: the key change is held
    await ageFirstMiss(13);
    await ageHeldKeyChanges(store, 'dnevnik_ru', 'dn-a', 's1', 13);
    const night = await syncWith(records); // the key change is made
    expect(night.keyChanges).toBe(1);
    expect((await store.get(personId))?.status).toBe('active');
    expect(night.deleted).toBe(0);
    expect(await memberships()).toEqual(before);
    const after = await syncWith(records);
    expect(after.deleted + after.restored).toBe(0);
    expect(await memberships()).toEqual(before);
  }, 120_000);
});
