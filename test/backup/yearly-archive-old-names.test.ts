// class journals archived before the class's title was in their file names (`class-journal.csv`, `.html`)
// stay as they are — their manifests list those names, so every copy verifies — and an `--amend` run sees the new
// names as a change: it makes each class journal again as `class-journal-<class>.*`, naming the old snapshot it
// supersedes, which is kept. A run without `--amend` leaves them alone.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveSet } from '../../src/backup/archive-set.js';
import { soleSchool } from '../../src/backup/run-backup.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { yearlyArchive } from '../../src/backup/yearly-archive.js';
import { loadSchoolYear } from '../../src/backup/documents/school-year.js';
import type { CanonicalStore } from '../../src/store/index.js';
import type { ArchiveSnapshotRecord } from '../../src/backup/snapshot-record.js';
import { filledStore, keyPair, mediaReady, tempDir } from './fixtures.js';

describe('class journals archived under the old file names', () => {
  let store: CanonicalStore;
  let root: string;
  let org: string;
  let old: ArchiveSnapshotRecord;
  const keys = keyPair();
  const deps = () => ({
    destinations: [
      { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'a') },
      { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'b') },
    ],
    signer: keys.signer, verifier: keys.verifier,
  });
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
    await mediaReady(deps().destinations);
    org = await soleSchool(store);
    const y = await loadSchoolYear(store, org, 2026);
    // The first class's journal as an earlier version wrote it: the same kind of set, under the old names.
    const set = await ArchiveSet.open({ store, ...deps() }, {
      kind: 'class_journal', organizationId: org, schoolYear: 2026, homeroomClassId: y.classes[0].id, createdAt: '2026-06-20T03:00:00.000Z', runId: 'old-version',
    });
    await set.document('class-journal.csv', 'class_journal_csv').write('\uFEFFclass,subject,date,lesson,pupil_id,pupil,entry,value\r\n');
    await set.document('class-journal.html', 'class_journal_html').write('<!doctype html>\n');
    old = (await set.finish())!;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a run without --amend leaves the old snapshot alone; --amend makes it again under the new name and keeps the old one, which verifies', async () => {
    const at = (iso: string) => ({ organizationId: org, schoolYear: 2026, runId: `run-${iso}`, ...deps(), now: () => new Date(iso) });
    const plain = await yearlyArchive(store, at('2026-06-25T03:00:00Z'));
    expect(plain.classJournals.some((s) => s.homeroomClassId === old.homeroomClassId)).toBe(false);
    const amended = await yearlyArchive(store, { ...at('2026-06-26T03:00:00Z'), amend: true });
    const again = amended.classJournals.find((s) => s.homeroomClassId === old.homeroomClassId)!;
    expect(again.ext?.supersedes).toBe(old.id);
    expect(amended.amended).toBe(1);
    // The dataset's first class is «1А».
    for (const c of again.copies) expect((await readdir(c.location!)).filter((f) => f.startsWith('class-journal')).sort()).toEqual(['class-journal-1a.csv', 'class-journal-1a.html']);
    for (const c of old.copies) {
      expect((await readdir(c.location!)).filter((f) => f.startsWith('class-journal')).sort()).toEqual(['class-journal.csv', 'class-journal.html']);
      expect((await verifyBackup(c.location!, keys.verifier)).problems).toEqual([]);
    }
  }, 180_000);
});
