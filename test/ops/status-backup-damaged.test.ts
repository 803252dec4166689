// The status page's «Резервные копии» after a re-verification found a copy damaged. A copy keeps the
// `verifiedAt` of its last passing check when a later one fails (`lastCheckFailedAt`), and /status took that for the
// school's last verified copy: an operator saw a fresh date and no sign that the copy on a medium was found damaged.
// Synthetic records only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchoolConfig } from '../../src/config/schema.js';
import { buildRecord } from '../../src/model/index.js';
import { naturalId } from '../../src/model/ids.js';
import { statusPage } from '../../src/ops/status-page.js';
import { backupsOf } from '../../src/ops/status.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

describe('backups on /status after a copy was found damaged', () => {
  let store: CanonicalStore;
  const schools = [{ id: 'school-s' }] as unknown as SchoolConfig[];
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const prov = { system: 'gateway' as const, instance: 'backup', fetchedAt: '2026-12-01T03:00:00.000Z', payloadHash: 'x', runId: 'backup-test', mapperVersion: 'backup-1' };
    const snapshot = (name: string, createdAt: string, copies: unknown[]) => buildRecord('archive_snapshot', {
      organizationId: schoolCanonicalId('school-s'), schoolYear: 2026, kind: 'nightly_backup' as const, createdAt,
      contentHash: 'a'.repeat(64), hashAlgorithm: 'sha256', signature: 'sig', retainUntil: '2031-08-31', copies,
    } as never, { id: naturalId('archive_snapshot', 'school-s', name), sourceRefs: [], provenance: prov });
    await store.upsertMany([
      snapshot('older', '2026-11-27T21:00:00.000Z', [
        { medium: 'disk-a', siteRoom: '101', storedAt: '2026-11-27T21:30:00.000Z', verifiedAt: '2026-11-27T22:00:00.000Z' },
      ]),
      // The newest copy passed its check on 28.11 and failed the re-check on 1.12; its other copy was never verified.
      snapshot('newer', '2026-11-28T21:00:00.000Z', [
        { medium: 'disk-a', siteRoom: '101', storedAt: '2026-11-28T21:30:00.000Z', verifiedAt: '2026-11-28T22:00:00.000Z', checkedAt: '2026-12-01T03:00:00.000Z', lastCheckFailedAt: '2026-12-01T03:00:00.000Z' },
        { medium: 'nas', siteRoom: '205', storedAt: '2026-11-28T21:40:00.000Z' },
      ]),
    ], { runId: 'backup-test' });
  });
  afterAll(async () => { await store?.close(); });

  it('the last verified copy is one whose latest check passed, and the damaged copy is counted', async () => {
    const [b] = await backupsOf(store, schools);
    expect(b).toMatchObject({ schoolId: 'school-s', lastVerifiedAt: '2026-11-27T22:00:00.000Z', damagedCopies: 1 });
  });

  it('the page says a copy is damaged', async () => {
    const html = statusPage({ generatedAt: '2026-12-01T10:00:00.000Z', reviewQueue: 0, lastRuns: [], failures: [], backups: await backupsOf(store, schools) });
    expect(html).toMatch(/<tr><td>school-s<\/td><td>27\.11\.2026 22:00 UTC<\/td><td>ночная копия<\/td><td class="failed">1<\/td><td>нет<\/td><\/tr>/);
  });
});
