// every copy is re-hashed at least yearly. The nightly re-checks REVERIFY_PER_NIGHT snapshots of a school; when
// more had gone past a year unchecked (prune --expired never run, a worker down for weeks) it reported them and stayed
// behind, night after night, until an operator ran `backup verify --school`. A night with overdue copies now catches
// up by itself: it re-checks the overdue snapshots, oldest first, up to a bound (REVERIFY_CATCH_UP_PER_NIGHT, or the
// `catchUp` given), so one night — or a few, past the bound — brings the overdue count to zero. Synthetic data only.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVERIFY_PER_NIGHT, reverifyDue } from '../../src/backup/reverify.js';
import { runBackup, soleSchool } from '../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, twoMedia } from './fixtures.js';

const DAY = 86_400_000;
/** Two more snapshots than a night re-checks when none is overdue. */
const SNAPSHOTS = REVERIFY_PER_NIGHT + 2;

describe('the nightly re-verification catching up on copies over a year unchecked (R-34)', () => {
  let store: CanonicalStore;
  let root: string;
  let school: string;
  const keys = keyPair();
  const made: { id: string; verifiedAt: string }[] = [];
  beforeAll(async () => {
    store = await filledStore();
    school = await soleSchool(store);
    root = await tempDir();
    const destinations = await twoMedia(root);
    for (let day = 1; day <= SNAPSHOTS; day++) {
      const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: `b-${day}`, now: () => new Date(Date.UTC(2025, 9, day, 2)) });
      made.push({ id: r.snapshot.id, verifiedAt: r.copies.map((c) => c.verifiedAt!).sort()[0] });
    }
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  const firstNight = () => new Date(Date.parse(made.at(-1)!.verifiedAt) + 400 * DAY);

  it('one night re-checks every overdue snapshot, more than the usual count, oldest first, and none is left overdue', async () => {
    const r = await reverifyDue(store, school, keys.verifier, 'rv-1', { now: firstNight() });
    expect(r.checked).toEqual(made.map((m) => m.id));
    expect(r.damaged).toEqual([]);
    expect(r.overdue).toBeUndefined();
  }, 120_000);

  it('past the bound, the next night re-checks the rest and none is left overdue', async () => {
    // A year and more after the first night's checks, all are overdue again; this night's bound is one short.
    const night = new Date(firstNight().getTime() + 400 * DAY);
    const first = await reverifyDue(store, school, keys.verifier, 'rv-2', { now: night, catchUp: SNAPSHOTS - 1 });
    expect(first.checked).toEqual(made.slice(0, -1).map((m) => m.id));
    expect(first.overdue).toMatchObject({ snapshots: 1, copies: 2 });
    const next = await reverifyDue(store, school, keys.verifier, 'rv-3', { now: new Date(night.getTime() + DAY), catchUp: SNAPSHOTS - 1 });
    expect(next.checked).toEqual([made.at(-1)!.id]);
    expect(next.overdue).toBeUndefined();
  }, 120_000);
});
