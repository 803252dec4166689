// PENDING (issue 7): not run by vitest (no .test.ts suffix). It fails today because the platform mappers
// do not carry birth dates or SNILS, so a pupil re-registered under a new platform id cannot be recognised
// (see the issue note). Rename to test/jobs/identity-scenarios.e2e.test.ts once the mappers emit them.
// Identity and deletes across successive roster snapshots (issue 7), against the Дневник.ру emulator
// rendering edited copies of one synthetic school: a pupil re-registered under a new platform id (key
// change), a pupil who left (deleted only after two misses), a duplicate pupil spelled with Ё/Е (review
// queue, no merge), and a record that fails a rule (quarantined; the rest goes through).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { mintId, type CanonicalRecord, type PersonRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { pendingReview } from '../../src/sync/review.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const OPTIONS = { seed: 11, pupils: 24, weeks: 1 };
const WINDOW = { from: '2025-09-01', to: '2025-09-07' };
const logger = createLogger({ level: 'silent', pretty: false });

/** Replaces an id everywhere it appears (the record itself and every reference to it). */
function renameId(records: CanonicalRecord[], from: string, to: string): CanonicalRecord[] {
  return records.map((r) => JSON.parse(JSON.stringify(r).split(from).join(to)) as CanonicalRecord);
}
const references = (r: CanonicalRecord, id: string) => JSON.stringify(r).includes(id);

describe('roster snapshots over time', () => {
  const base = generateSchool(OPTIONS);
  const pupils = base.all('person').filter((p) => base.rolesOf(p.id).some((ra) => ra.role === 'student')) as PersonRecord[];
  const [renamed, leaving, twin] = [pupils[1], pupils[2], pupils[3]];
  let store: CanonicalStore;

  async function syncWith(records: CanonicalRecord[]): Promise<RunSummary> {
    const emu = await startDnevnikEmulator({ dataset: new SyntheticSchool(base.input, base.plan, records) });
    try {
      const inst = dnevnikInstance('dn-a', emu);
      const config = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-a'], schools: [{ id: 's1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: inst.schoolId }] }] }), 't.yaml');
      const ctx: JobContext = { config, store, logger, close: async () => {} };
      const [summary] = await runJob('roster-sync', { schoolId: 's1', window: WINDOW }, ctx);
      return summary;
    } finally {
      await emu.close();
    }
  }
  const canonicalOf = async (p: PersonRecord) => {
    const all: CanonicalRecord[] = [];
    for await (const r of store.iterate('person')) all.push(r);
    return all.filter((r) => r.entity === 'person' && r.familyName === p.familyName && r.givenName === p.givenName);
  };

  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store.close();
  });

  it('the first snapshot creates the school', async () => {
    const s = await syncWith(base.records);
    expect(s.created).toBeGreaterThan(pupils.length);
    expect(s.deleted).toBe(0);
  });

  it('a pupil under a new platform id keeps one canonical record (key change); a leaver is only missing once', async () => {
    let records = renameId(base.records, renamed.id, mintId());
    records = records.filter((r) => !references(r, leaving.id));
    const s = await syncWith(records);
    expect(s.keyChanges).toBe(1);
    expect(await canonicalOf(renamed)).toHaveLength(1);
    expect(s.missingOnce).toBeGreaterThanOrEqual(1);
    expect((await canonicalOf(leaving))[0]).toMatchObject({ status: 'active' });
  });

  it('the leaver is deleted after the second miss; the twin spelled with Ё/Е goes to review, not merged', async () => {
    let records = renameId(base.records, renamed.id, mintId());
    records = records.filter((r) => !references(r, leaving.id));
    const twinId = mintId();
    const spelled = { ...twin, id: twinId, givenName: twin.givenName.includes('е') ? twin.givenName.replace('е', 'ё') : `${twin.givenName}` } as PersonRecord;
    const twinRecords = base.records.filter((r) => r.entity !== 'person' && references(r, twin.id) && (r.entity === 'enrollment' || r.entity === 'role_assignment'))
      .map((r) => JSON.parse(JSON.stringify(r).split(twin.id).join(twinId).split(r.id).join(mintId())) as CanonicalRecord);
    records = [...records, spelled, ...twinRecords];
    const s = await syncWith(records);
    expect((await canonicalOf(leaving))[0]).toMatchObject({ status: 'deleted', deleteReason: 'snapshot_absent' });
    expect(s.forReview).toBeGreaterThanOrEqual(1);
    const review = await pendingReview(store);
    expect(review.some((r) => r.kind === 'person_match')).toBe(true);
  });
});
