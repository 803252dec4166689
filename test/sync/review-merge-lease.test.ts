// `review merge` waits for a sync of the person's school, as `review split` does (src/sync/school-sync-lease.ts). A
// roster sync of the merged-away record's platform maps that record with the crosswalk it read before the merge: its
// upsert brings the person the merge just tombstoned back to life, and its link then fails on the id the merge moved;
// a journal sync likewise writes the pupil's marks back under the tombstone the merge re-keyed them from.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run as review } from '../../src/cli/commands/review.js';
import { loadCheckedConfig } from '../../src/config/check-platforms.js';
import { openConfiguredStore } from '../../src/jobs/job-context.js';
import { buildRecord, mintId } from '../../src/model/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { personDecisionId } from '../../src/sync/person-decisions.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { withSchoolSync } from '../../src/sync/school-sync-lease.js';
import { sharedStore, type SharedStore } from '../support/shared-store.js';

const postgresUrl = inject('postgresUrl');

describe.skipIf(!postgresUrl)('review merge and the school\'s syncs', () => {
  let dir: string;
  let shared: SharedStore;
  let config: string;
  let store: CanonicalStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jg-merge-lease-'));
    shared = sharedStore(postgresUrl, dir, 'jg_merge_lease');
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, `region: { id: t, name: T, timeZone: Europe/Samara }
store:
${shared.yaml}
logging: { level: warn }
platforms:
  - { instance: dnevnik-a, platform: dnevnik, baseUrl: "http://127.0.0.1:1", auth: { kind: partner_oauth, clientId: a, clientSecret: b, refreshToken: c } }
  - { instance: eljur-a, platform: eljur, baseUrl: "http://127.0.0.1:1", auth: { kind: credentials, login: a, password: b }, options: { devkey: k, vendor: v } }
schools:
  - { id: s1, name: School 1, timeZone: Europe/Samara, systemOfRecord: dnevnik-a, platforms: [{ instance: dnevnik-a, schoolId: "2" }, { instance: eljur-a, schoolId: "v" }] }
`);
    store = await openConfiguredStore(loadCheckedConfig(config));
  });
  afterAll(async () => {
    await store?.close();
    await shared?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a merge asked for while a sync of the school runs is made after it, not in the middle of it', async () => {
    const school = schoolCanonicalId('s1');
    const prov = (system: 'dnevnik_ru' | 'eljur', instance: string) => ({ system, instance, fetchedAt: new Date().toISOString(), payloadHash: 'p', runId: 'r0', mapperVersion: 't' });
    // The same pupil as the system of record lists her (dated) and as ЭлЖур does (no birth date): two people, one proposal.
    const [right, left] = [mintId(), mintId()];
    const person = (id: string, system: 'dnevnik_ru' | 'eljur', instance: string, birthDate?: string) => buildRecord('person', {
      familyName: 'Тестова', givenName: 'Анна', middleName: 'Ильинична', ...(birthDate ? { birthDate } : {}), enabled: true, identifiers: [],
    }, { id, sourceRefs: [{ system, instance, sourceId: `${instance}-p`, kind: 'id' }], provenance: prov(system, instance) });
    const role = (personId: string, system: 'dnevnik_ru' | 'eljur', instance: string) => buildRecord('role_assignment', { personId, organizationId: school, role: 'student', isPrimary: true },
      { id: mintId(), sourceRefs: [], provenance: prov(system, instance) });
    const candidate = buildRecord('match_candidate', {
      candidateEntity: 'person', leftId: left, rightId: right, rule: 'name_exact_no_birthdate', score: 1, decision: 'pending', at: new Date().toISOString(), organizationId: school,
    }, { id: personDecisionId(left, right), sourceRefs: [{ system: 'eljur', instance: 'eljur-a', sourceId: 'eljur-a-p', kind: 'match' }], provenance: prov('eljur', 'eljur-a') });
    await store.upsertMany([person(right, 'dnevnik_ru', 'dnevnik-a', '2015-04-04'), person(left, 'eljur', 'eljur-a'), role(right, 'dnevnik_ru', 'dnevnik-a'), role(left, 'eljur', 'eljur-a'), candidate], { runId: 'r0' });
    await store.link([
      { entity: 'person', canonicalId: right, system: 'dnevnik_ru', instance: 'dnevnik-a', sourceId: 'dnevnik-a-p', sourceIdKind: 'id' },
      { entity: 'person', canonicalId: left, system: 'eljur', instance: 'eljur-a', sourceId: 'eljur-a-p', sourceIdKind: 'id' },
    ], { runId: 'r0' });

    let merge: Promise<number> | undefined;
    await withSchoolSync(store, 's1', 'a-roster-sync', async () => {
      merge = review('merge', candidate.id, { config });
      await new Promise((r) => setTimeout(r, 2_000));
      // The sync still runs: nothing of the merge is done yet.
      expect((await store.get(left))?.status).toBe('active');
      expect((await store.get(candidate.id) as { decision?: string } | null)?.decision).toBe('pending');
    });
    expect(await merge).toBe(0);
    expect((await store.get(left))?.status).toBe('deleted');
    expect((await store.resolve('eljur', 'eljur-a', 'person', ['eljur-a-p'])).get('eljur-a-p')).toBe(right);
  }, 60_000);
});
