// Identity and deletes across successive roster snapshots (issue 7), against the Дневник.ру emulator
// rendering edited copies of one synthetic school: a pupil re-registered under a new platform id (key
// change), a pupil who left (deleted only after two misses), a duplicate pupil spelled with Ё/Е (review
// queue, no merge), a pupil renamed in the source (same platform id: one record, new name), and a record that
// fails a rule (quarantined; the rest goes through). Дневник.ру carries birth dates (POST users/many), so the
// re-registered pupil is recognised by name + birth date + school.
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
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { ageHeldKeyChanges } from '../support/held-key-changes.js';

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
  const renamedTo = mintId(); // the platform's new id of the re-keyed pupil, the same in every later read
  let store: CanonicalStore;

  async function syncWith(records: CanonicalRecord[], kind: 'roster-sync' | 'journal-sync' = 'roster-sync'): Promise<RunSummary> {
    const emu = await startDnevnikEmulator({ dataset: new SyntheticSchool(base.input, base.plan, records) });
    try {
      const inst = dnevnikInstance('dn-a', emu);
      const config = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-a'], schools: [{ id: 's1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: inst.schoolId }] }] }), 't.yaml');
      const ctx: JobContext = { config, store, logger, close: async () => {} };
      const [summary] = await runJob(kind, { schoolId: 's1', window: WINDOW }, ctx);
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

  it('a pupil under a new platform id is held until the old id is missing twice (a twin could have come); a leaver is only missing once', async () => {
    let records = renameId(base.records, renamed.id, renamedTo);
    records = records.filter((r) => !references(r, leaving.id));
    const s = await syncWith(records);
    expect(s.keyChanges).toBe(0);
    expect(s.keyChangesHeld).toBe(1);
    expect(await canonicalOf(renamed)).toHaveLength(1);
    expect(s.missingOnce).toBeGreaterThanOrEqual(1);
    expect((await canonicalOf(leaving))[0]).toMatchObject({ status: 'active' });
  });

  // The leaver's first miss, as stored by the roster cursor: moved back to make "a night later".
  const ageFirstMiss = async (hours: number) => {
    const cursor = (await store.getCursor('dnevnik_ru', 'dn-a', 'roster:s1'))!;
    const state = JSON.parse(cursor.value!) as { missedAt?: Record<string, string> };
    for (const k of Object.keys(state.missedAt ?? {})) state.missedAt![k] = new Date(Date.parse(state.missedAt![k]) - hours * 3_600_000).toISOString();
    await store.setCursor({ ...cursor, value: JSON.stringify(state) });
  };

  it('a second read minutes after the first miss is the same observation: the leaver stays (sync.secondMissAfterHours)', async () => {
    const records = renameId(base.records, renamed.id, renamedTo).filter((r) => !references(r, leaving.id));
    const s = await syncWith(records);
    expect(s.deleted).toBe(0);
    expect(s.missingOnce).toBeGreaterThanOrEqual(1);
    expect((await canonicalOf(leaving))[0]).toMatchObject({ status: 'active' });
  });

  it('the leaver is deleted after the second miss; the held key change is made; the twin spelled with Ё/Е goes to review, not merged', async () => {
    await ageFirstMiss(13);
    await ageHeldKeyChanges(store, 'dnevnik_ru', 'dn-a', 's1', 13);
    let records = renameId(base.records, renamed.id, renamedTo);
    records = records.filter((r) => !references(r, leaving.id));
    const twinId = mintId();
    const spelled = { ...twin, id: twinId, givenName: twin.givenName.includes('е') ? twin.givenName.replace('е', 'ё') : `${twin.givenName}` } as PersonRecord;
    const twinRecords = base.records.filter((r) => r.entity !== 'person' && references(r, twin.id) && (r.entity === 'enrollment' || r.entity === 'role_assignment'))
      .map((r) => JSON.parse(JSON.stringify(r).split(twin.id).join(twinId).split(r.id).join(mintId())) as CanonicalRecord);
    records = [...records, spelled, ...twinRecords];
    const s = await syncWith(records);
    expect(s.keyChanges).toBe(1);
    expect(await canonicalOf(renamed)).toHaveLength(1);
    expect((await canonicalOf(leaving))[0]).toMatchObject({ status: 'deleted', deleteReason: 'snapshot_absent' });
    expect(s.forReview).toBeGreaterThanOrEqual(1);
    const review = await pendingReview(store);
    expect(review.some((r) => r.kind === 'person_match')).toBe(true);
    // Tied to the school whose sync raised it: that school's staff see it, another school's do not.
    expect(review.filter((r) => r.kind === 'person_match').every((r) => r.organizationId === schoolCanonicalId('s1'))).toBe(true);
    expect((await pendingReview(store, { organizationId: schoolCanonicalId('s1') })).length).toBe(review.length);
    expect(await pendingReview(store, { organizationId: schoolCanonicalId('s2') })).toEqual([]);
  });

  it('a pupil renamed in the source keeps one record under the new name', async () => {
    const other = pupils[5];
    const records = base.records.map((r) => (r.id === other.id ? { ...r, familyName: `${(r as PersonRecord).familyName}-Новикова` } : r));
    const s = await syncWith(records);
    expect(s.updated).toBeGreaterThanOrEqual(1);
    const before = await canonicalOf(other);
    expect(before).toHaveLength(0); // nobody is left under the old name…
    const now = await canonicalOf({ ...other, familyName: `${other.familyName}-Новикова` });
    expect(now).toHaveLength(1); // …and exactly one record carries the new one
    expect(now[0].status).toBe('active');
  });

  it('a mark that fails a rule is quarantined with its rule id; every other mark goes through', async () => {
    // A mark given to a pupil who is not in the lesson's section breaks R-17. (A mark dated a day after its lesson no
    // longer does on Дневник.ру: its column day is its lesson's, Mark.date may be the day it was set.)
    const bad = base.all('mark').find((m) => { const d = base.get('lesson', m.lessonId)?.date; return d !== undefined && d >= WINDOW.from && d <= WINDOW.to; })!;
    const section = base.get('lesson', bad.lessonId)!.sectionId;
    const inSection = new Set(base.all('enrollment').filter((e) => e.sectionId === section).map((e) => e.personId));
    const stranger = pupils.find((p) => !inSection.has(p.id) && ![renamed, leaving, twin].includes(p))!;
    const records = base.records.map((r) => (r.id === bad.id ? { ...r, studentId: stranger.id } : r));
    const s = await syncWith(records, 'journal-sync');
    expect(s.quarantineReasons).toEqual({ 'R-17 mark': 1 });
    const inWindow = base.all('mark').filter((m) => { const d = base.get('lesson', m.lessonId)?.date; return d !== undefined && d >= WINDOW.from && d <= WINDOW.to; });
    expect((await store.countsByEntity()).mark).toBe(inWindow.length - 1);
    expect(await store.get(bad.id)).toBeNull();
  });
});
