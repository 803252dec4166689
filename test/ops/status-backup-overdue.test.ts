// The status page's «Резервные копии» when a school's copies went more than a year without a re-check (R-34: every
// copy at least yearly). The nightly re-checks a few snapshots a night; with more piling up than it gets through, a
// copy could stay unchecked for years while the page showed a fresh «last verified copy». Synthetic records only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchoolConfig } from '../../src/config/schema.js';
import { buildRecord } from '../../src/model/index.js';
import { naturalId } from '../../src/model/ids.js';
import { statusPage } from '../../src/ops/status-page.js';
import { backupsOf } from '../../src/ops/status.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

describe('backups on /status with copies overdue for a re-check', () => {
  let store: CanonicalStore;
  const schools = [{ id: 'school-o' }] as unknown as SchoolConfig[];
  const now = new Date('2026-12-01T10:00:00.000Z');
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const prov = { system: 'gateway' as const, instance: 'backup', fetchedAt: '2026-12-01T03:00:00.000Z', payloadHash: 'x', runId: 'backup-test', mapperVersion: 'backup-1' };
    const snapshot = (name: string, createdAt: string, copies: unknown[]) => buildRecord('archive_snapshot', {
      organizationId: schoolCanonicalId('school-o'), schoolYear: 2026, kind: 'nightly_backup' as const, createdAt,
      contentHash: 'a'.repeat(64), hashAlgorithm: 'sha256', signature: 'sig', retainUntil: '2031-08-31', copies,
    } as never, { id: naturalId('archive_snapshot', 'school-o', name), sourceRefs: [], provenance: prov });
    const copy = (medium: string, at: string) => ({ medium, siteRoom: '101', storedAt: at, verifiedAt: at });
    await store.upsertMany([
      // Last checked in 2024 and 2025: both copies of each over a year ago.
      snapshot('old-1', '2024-10-01T21:00:00.000Z', [copy('disk-a', '2024-10-01T22:00:00.000Z'), copy('nas', '2024-10-01T22:10:00.000Z')]),
      snapshot('old-2', '2025-06-01T21:00:00.000Z', [copy('disk-a', '2025-06-01T22:00:00.000Z'), copy('nas', '2025-06-01T22:10:00.000Z')]),
      // Last night's: fresh.
      snapshot('new', '2026-11-30T21:00:00.000Z', [copy('disk-a', '2026-11-30T22:00:00.000Z'), copy('nas', '2026-11-30T22:10:00.000Z')]),
    ], { runId: 'backup-test' });
  });
  afterAll(async () => { await store?.close(); });

  it('counts the copies not re-checked for over a year, with the oldest last check', async () => {
    const [b] = await backupsOf(store, schools, now);
    expect(b).toMatchObject({ schoolId: 'school-o', lastVerifiedAt: '2026-11-30T22:10:00.000Z', overdueCopies: 4, overdueSince: '2024-10-01T22:00:00.000Z' });
  });

  it('the page shows the overdue count and since when', async () => {
    const html = statusPage({ generatedAt: now.toISOString(), reviewQueue: 0, lastRuns: [], failures: [], backups: await backupsOf(store, schools, now) });
    expect(html).toContain('<th>Не проверялись больше года</th>');
    expect(html).toMatch(/<td class="failed">4 \(с 01\.10\.2024\)<\/td><\/tr>/);
  });
});
