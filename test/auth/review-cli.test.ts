// `journal-gateway review links|allow|refuse`: the school's own decision on a parent's access to a pupil, through the
// CLI on an embedded store (docs/login.md "The school's decision stands").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantsAccess, guardianLinkId, linkChildren } from '../../src/auth/children.js';
import { run as review } from '../../src/cli/commands/review.js';
import type { GuardianLinkRecord } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { DEMO_IDS, demoSchoolRecords } from '../../src/web/demo-school.js';
import { captureStdout } from '../support/capture-stdout.js';

describe('review links / allow / refuse', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-review-cli-'));
  const config = path.join(dir, 'gateway.yaml');
  let guardianId = '';
  const withStore = async <T>(fn: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>) => {
    // A schema of its own, as a shared PostgreSQL would have: `review` must read and write that one.
    const store = await openStore({ databaseUrl: null, dataDir: path.join(dir, 'store'), schema: 'review_s' });
    try { return await fn(store); } finally { await store.close(); }
  };

  beforeAll(async () => {
    writeFileSync(config, `region: { id: r, name: R, timeZone: Europe/Samara }\nstore: { databaseUrl: "", dataDir: ${JSON.stringify(dir)}, schema: review_s }\n`);
    guardianId = await withStore(async (store) => {
      await store.upsertMany(demoSchoolRecords(), { runId: 'load' });
      const out = await linkChildren(store, { oid: '1000299654', trusted: true }, [{ id: '1', firstName: 'Иван', lastName: 'Синтетов', birthDate: '2012-03-05', snils: '123-456-789 64' }], { runId: 'login' });
      return out.guardianId;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists a pupil\'s guardian links by id and state, without names', async () => {
    const { code, printed } = await captureStdout(() => review('links', DEMO_IDS.ivan, { config }));
    expect(code).toBe(0);
    const rows = printed.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'guardian_link', guardianId, access: 'full', status: 'active', source: 'gateway/esia' }));
    expect(printed).not.toMatch(/Синтет|Иван/);
  });

  it('refuse needs --guardian, and names it', async () => {
    await expect(review('refuse', DEMO_IDS.ivan, { config })).rejects.toThrow(/--guardian <personId> is required/);
  });

  it('refuse ends the access; a login does not bring it back; allow does', async () => {
    expect((await captureStdout(() => review('refuse', DEMO_IDS.ivan, { config, guardian: guardianId }))).printed).toContain('refused');
    await withStore(async (store) => {
      expect(grantsAccess((await store.get(guardianLinkId(DEMO_IDS.ivan, guardianId))) as GuardianLinkRecord, guardianId)).toBe(false);
      const again = await linkChildren(store, { oid: '1000299654', trusted: true }, [{ id: '1', firstName: 'Иван', lastName: 'Синтетов', birthDate: '2012-03-05', snils: '123-456-789 64' }], { runId: 'login-2' });
      expect(again).toMatchObject({ studentIds: [], declined: 1 });
    });
    expect((await captureStdout(() => review('allow', DEMO_IDS.ivan, { config, guardian: guardianId }))).printed).toContain('allowed');
    await withStore(async (store) => {
      expect(grantsAccess((await store.get(guardianLinkId(DEMO_IDS.ivan, guardianId))) as GuardianLinkRecord, guardianId)).toBe(true);
    });
  });
});
