// A school backup (the nightly job's) holds the parents waiting for the school's decision. A parent whose child ESIA
// lists matches a pupil by name and birth date only (no roster platform carries a pupil's SNILS) gets a person record
// and a login link at the first login, and a child-link candidate in the review queue — but no guardian link yet, which
// is what brought guardians into a school's backup. The restored school had the candidate without the parent it names.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkChildren, pendingCandidates, ESIA_INSTANCE, ESIA_SYSTEM } from '../../src/auth/children.js';
import { exportStore } from '../../src/backup/export.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { PersonRecord } from '../../src/model/index.js';
import { backends } from '../store/fixtures.js';
import { collect, restoreSetUp } from './fixtures.js';

describe.each(backends)('school backup on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

  it('restores a parent awaiting the school\'s confirmation: the person and the login link the candidate names', async () => {
    const { source, target, root, keys } = await restoreSetUp(backend, cleanups);
    await source.upsertMany(generateSchool({ seed: 9, schools: 2, pupils: 20, weeks: 1 }).records, { runId: 'load' });
    const [school] = (await collect(source.iterate('organization'))).filter((o) => (o as { type?: string }).type === 'school').map((o) => o.id);
    const pupilIds = (await collect(source.iterate('role_assignment'))).map((r) => r as unknown as { role: string; personId: string; organizationId: string })
      .filter((r) => r.role === 'student' && r.organizationId === school).map((r) => r.personId);
    const pupils = [...(await source.getMany(pupilIds)).values()] as PersonRecord[];
    const child = pupils.find((p) => p.birthDate && pupils.filter((q) => q.familyName === p.familyName && q.givenName === p.givenName && q.birthDate === p.birthDate).length === 1)!;
    const login = await linkChildren(source, { oid: '1000123456', trusted: true, familyName: 'Родителева', givenName: 'Мария' }, [
      { id: 'kid-1', lastName: child.familyName, firstName: child.givenName, birthDate: child.birthDate },
    ], { runId: 'login-1' });
    expect(login.candidates).toBe(1);

    const dir = path.join(root, 'school');
    await exportStore(source, dir, { signer: keys.signer, backupId: 'school', runId: 'nightly', organizationId: school, school: { instances: [] } });
    await restoreBackup(dir, target, keys.verifier);

    expect((await pendingCandidates(target)).map((c) => [c.guardianId, c.studentId])).toEqual([[login.guardianId, child.id]]);
    const parent = await target.get(login.guardianId);
    expect(parent?.contentHash).toBe((await source.get(login.guardianId))!.contentHash);
    expect((await target.resolve(ESIA_SYSTEM, ESIA_INSTANCE, 'person', ['1000123456'])).get('1000123456')).toBe(login.guardianId);
  }, 120_000);
});
