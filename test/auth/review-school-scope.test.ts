// A review finding, fixed: `review --school` scoped merge, separate, keep, take and split to that school's items (a
// staff member scoped to one school must not decide another's), but `review allow|refuse|confirm|reject` ignored
// --school: an operator of school s1 gave a parent full access to a pupil of another school (or refused a parent there).
// Now the pupil must have a role at that school (refuseAnotherSchools, as split does). Synthetic data only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantsAccess, guardianLinkId, linkChildren, pendingCandidates } from '../../src/auth/children.js';
import { run as review } from '../../src/cli/commands/review.js';
import { buildRecord, naturalId, type GuardianLinkRecord } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { captureStdout } from '../support/capture-stdout.js';

const prov = { system: 'asu_rso' as const, instance: 't', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const PUPIL = naturalId('review-scope', 'pupil', 'of-s2');

describe('review --school scopes a parent-access decision too', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-review-scope-'));
  const config = path.join(dir, 'gateway.yaml');
  let guardianId = '';
  let otherGuardianId = '';
  const withStore = async <T>(fn: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>) => {
    const store = await openStore({ databaseUrl: null, dataDir: path.join(dir, 'store'), schema: 'scope_s' });
    try { return await fn(store); } finally { await store.close(); }
  };

  beforeAll(async () => {
    writeFileSync(config, `region: { id: r, name: R, timeZone: Europe/Samara }
store: { databaseUrl: "", dataDir: ${JSON.stringify(dir)}, schema: scope_s }
platforms:
  - { instance: t, platform: asurso, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: a, password: b }, options: { loginSchoolId: 1 } }
schools:
  - { id: s1, name: School 1, timeZone: Europe/Samara, systemOfRecord: t, platforms: [{ instance: t, schoolId: "1" }] }
  - { id: s2, name: School 2, timeZone: Europe/Samara, systemOfRecord: t, platforms: [{ instance: t, schoolId: "2" }] }
`);
    guardianId = await withStore(async (store) => {
      // A pupil of school s2 only.
      await store.upsertMany([
        buildRecord('person', { familyName: 'Школьникова', givenName: 'Анна', birthDate: '2014-02-02', enabled: true, gradeLevel: 6, emails: [], phones: [], identifiers: [] },
          { id: PUPIL, sourceRefs: [{ system: 'asu_rso', instance: 't', sourceId: 'p1', kind: 'id' }], provenance: prov }),
        buildRecord('role_assignment', { personId: PUPIL, organizationId: schoolCanonicalId('s2'), role: 'student', isPrimary: true },
          { id: naturalId('review-scope', 'role', PUPIL), sourceRefs: [{ system: 'asu_rso', instance: 't', sourceId: 'p1:student', kind: 'role' }], provenance: prov }),
      ], { runId: 'sync' });
      // A stranger's login proposes her by name and birth date: a pending candidate.
      const kid = { id: '1', firstName: 'Анна', lastName: 'Школьникова', birthDate: '2014-02-02' };
      otherGuardianId = (await linkChildren(store, { oid: '1000777004', trusted: true }, [kid], { runId: 'login-b' })).guardianId;
      return (await linkChildren(store, { oid: '1000777003', trusted: true }, [kid], { runId: 'login' })).guardianId;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('review allow --school s1 refuses a pupil of school s2 (as split and merge do), and grants nothing', async () => {
    const attempt = captureStdout(() => review('allow', PUPIL, { config, guardian: guardianId, school: 's1' }));
    await expect(attempt).rejects.toThrow(/school s1/);
    await withStore(async (store) => {
      expect(grantsAccess((await store.get(guardianLinkId(PUPIL, guardianId))) as GuardianLinkRecord | null, guardianId)).toBe(false);
    });
  });

  it('review confirm --school s1 refuses a child-link candidate for a pupil of school s2', async () => {
    const id = await withStore(async (store) => (await pendingCandidates(store)).find((c) => c.guardianId === otherGuardianId)?.id);
    expect(id).toBeTruthy();
    await expect(captureStdout(() => review('confirm', id, { config, school: 's1' }))).rejects.toThrow(/school s1/);
    await withStore(async (store) => {
      expect(grantsAccess((await store.get(guardianLinkId(PUPIL, otherGuardianId))) as GuardianLinkRecord | null, otherGuardianId)).toBe(false);
    });
  });
  it('review refuse --school s1 refuses a pupil of school s2 too, naming the ids only', async () => {
    const attempt = captureStdout(() => review('refuse', PUPIL, { config, guardian: guardianId, school: 's1' }));
    await expect(attempt).rejects.toThrow(new RegExp(`person ${PUPIL} has no role at school s1: nothing decided`));
  });

  it('the pupil\'s own school decides: review confirm and review allow --school s2 link the parent', async () => {
    const id = await withStore(async (store) => (await pendingCandidates(store)).find((c) => c.guardianId === otherGuardianId)?.id);
    expect(await captureStdout(() => review('confirm', id, { config, school: 's2' }))).toMatchObject({ code: 0 });
    expect(await captureStdout(() => review('allow', PUPIL, { config, guardian: guardianId, school: 's2' }))).toMatchObject({ code: 0 });
    await withStore(async (store) => {
      for (const g of [guardianId, otherGuardianId]) expect(grantsAccess((await store.get(guardianLinkId(PUPIL, g))) as GuardianLinkRecord | null, g)).toBe(true);
    });
  });
});
