// a nightly-backup job that finds damaged copies fails, and /status shows its message under «Ошибки». When the
// school also has copies not re-checked for over a year, that was only in the worker's log (overdue-checks.ts): the
// failure the operator reads on /status said nothing of them. The message now gives their count and the oldest last
// check — counts and dates only — early enough to survive the page's cut (MAX_REASON). Synthetic ids only.
import { describe, expect, it } from 'vitest';
import { ArchiveDamagedError, type NightlyBackupSummary } from '../../src/backup/nightly-job.js';
import { naturalId } from '../../src/model/ids.js';
import { MAX_REASON } from '../../src/ops/status.js';

const snap = (n: number) => naturalId('archive_snapshot', 'school-d', n);
/** A night that found five copies damaged (the most the message names) and left three copies over a year unchecked. */
const summary = (overdue: boolean): NightlyBackupSummary => ({
  runId: 'nightly-test', kind: 'nightly-backup', school: 'school-d', snapshotId: snap(0), records: 10, bytes: 100,
  copies: [], retainUntil: '2026-12-31', leftoversRemoved: [], startedAt: '2026-12-01T02:00:00.000Z', finishedAt: '2026-12-01T02:10:00.000Z',
  reverified: {
    checked: [1, 2, 3, 4, 5].map(snap),
    damaged: [1, 2, 3, 4, 5].map((n) => ({ snapshotId: snap(n), medium: 'disk-a', siteRoom: 'серверная 101', problems: 1, first: 'data/person.ndjson.gz: sha256 mismatch' })),
    stillDamaged: [{ snapshotId: snap(6), medium: 'nas', siteRoom: 'архив 204', lastFailedAt: '2026-11-30T02:05:00.000Z' }],
    ...(overdue ? { overdue: { snapshots: 2, copies: 3, since: '2025-10-01T02:05:00.000Z' } } : {}),
  },
});

describe('the nightly-backup failure for damaged copies, as /status shows it', () => {
  it('says how many copies are overdue for a re-check and since when', () => {
    const shown = new ArchiveDamagedError(summary(true)).message.slice(0, MAX_REASON);
    expect(shown).toContain('3 copy(ies) not re-verified for over a year (oldest last check 2025-10-01)');
  });

  it('still counts the damaged copies within what the page shows', () => {
    const shown = new ArchiveDamagedError(summary(true)).message.slice(0, MAX_REASON);
    expect(shown).toContain('5 damaged copy(ies)');
    expect(shown).toContain('1 copy(ies) found damaged earlier not restored yet');
  });

  it('says nothing of overdue copies when there are none', () => {
    expect(new ArchiveDamagedError(summary(false)).message).not.toContain('over a year');
  });
});
