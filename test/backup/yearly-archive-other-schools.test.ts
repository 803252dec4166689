// The yearly archive of one school in a regional store (hundreds of schools, each keeping its class journals 5 years and
// its summary sheets 25, R-32): it must read that school's archive_snapshot records only. It collected every school's
// into memory to find its own — a list that grows with the region and the years, held through the whole run.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soleSchool } from '../../src/backup/run-backup.js';
import { snapshotRecord } from '../../src/backup/snapshot-record.js';
import { yearlyArchive, yearlyArchiveGaps } from '../../src/backup/yearly-archive.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, mediaReady, tempDir } from './fixtures.js';

/** The store, counting the archive_snapshot records of other organizations it hands out. */
function counting(store: CanonicalStore, own: () => string): { store: CanonicalStore; othersRead: () => number } {
  let others = 0;
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === 'iterate') {
        return async function* iterate(...args: Parameters<CanonicalStore['iterate']>) {
          for await (const r of target.iterate(...args)) {
            if (r.entity === 'archive_snapshot' && r.organizationId !== own()) others++;
            yield r;
          }
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store: wrapped, othersRead: () => others };
}

describe('the yearly archive of one school in a regional store', () => {
  let store: CanonicalStore;
  let root: string;
  let org = '';
  const keys = keyPair();
  const destinations = () => [
    { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'a') },
    { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'b') },
  ];
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
    await mediaReady(destinations());
    org = await soleSchool(store);
    // Other schools' snapshots of the same year: class journals and summary sheets.
    const others = Array.from({ length: 40 }, (_, i) => snapshotRecord({
      organizationId: randomUUID(), schoolYear: 2026, kind: i % 2 ? 'class_journal' : 'summary_sheet', createdAt: '2026-06-25T03:00:00.000Z',
      manifestSha256: 'a'.repeat(64), signature: 'c2ln', retainUntil: '2031-06-25',
      copies: [{ medium: 'disk-a', siteRoom: 'серверная 101', location: `/nowhere/${i}`, storedAt: '2026-06-25T03:00:00.000Z', verifiedAt: '2026-06-25T03:00:00.000Z' }],
    }, 'other-schools'));
    await store.upsertMany(others, { runId: 'other-schools' });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('reads no other school\'s snapshot records, and archives its own classes', async () => {
    const c = counting(store, () => org);
    const r = await yearlyArchive(c.store, {
      organizationId: org, schoolYear: 2026, runId: 'archive-one-school', signer: keys.signer, verifier: keys.verifier,
      destinations: destinations(), now: () => new Date('2026-06-25T10:00:00Z'),
    });
    expect(r.classJournals.length).toBeGreaterThan(0);
    expect(r.summarySheet).not.toBeNull();
    expect(c.othersRead()).toBe(0);
  });

  it('archive --check reads none either', async () => {
    const c = counting(store, () => org);
    expect(await yearlyArchiveGaps(c.store, org, 2026)).toMatchObject({ classesMissing: [], summarySheet: true });
    expect(c.othersRead()).toBe(0);
  });
});
