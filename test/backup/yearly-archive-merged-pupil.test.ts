// a pupil merged by review into another record of the same child (a pupil who came from another school of the
// region, found in the review queue) keeps every mark and final mark of the year in the class journal and the summary
// sheet. The merge moves the journal to the record kept at once, and retires the merged record's enrollments as
// `merged`; the enrollment under the kept record comes only with the next roster read of the class — never, once the
// platform has closed the year (the August run). The archive read pupils from enrollments alone: the child's marks
// were in the store, under the kept record, and in neither document.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { soleSchool } from '../../src/backup/run-backup.js';
import { yearlyArchive } from '../../src/backup/yearly-archive.js';
import { buildRecord, businessFields, mintId, naturalId, type LessonRecord, type MarkRecord, type PersonRecord, type SectionRecord } from '../../src/model/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';
import { classJournalFile, collect, filledStore, keyPair, twoMedia, tempDir } from './fixtures.js';

const prov = { system: 'synthetic' as const, instance: 'other-school', fetchedAt: '2026-03-01T08:00:00Z', payloadHash: 'p', runId: 'other', mapperVersion: '1' };

describe('yearly archive: a pupil merged by review', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanup) await c(); });

  it('keeps the merged pupil\'s marks, under the record kept, in the class journal and the summary sheet', async () => {
    const store = await filledStore({ weeks: 4 });
    const root = await tempDir();
    cleanup.push(() => store.close(), () => rm(root, { recursive: true, force: true }));
    const keys = keyPair();
    const org = await soleSchool(store);
    const marks = (await collect(store.iterate('mark', { status: 'active' }))) as MarkRecord[];
    const pupil = (await store.get(marks[10].studentId)) as PersonRecord;
    const cls = ((await store.get(((await store.get(marks[10].lessonId)) as LessonRecord).sectionId)) as SectionRecord).homeroomClassId;
    const theirs = marks.filter((m) => m.studentId === pupil.id).length;
    expect(theirs).toBeGreaterThan(3);
    // The same child's record from the school they came from; the review queue pairs the two and the operator merges.
    const kept = buildRecord('person', businessFields(pupil) as never, { id: mintId(), sourceRefs: [{ system: 'synthetic', instance: 'other-school', sourceId: 'k-1', kind: 'user' }], provenance: prov });
    const candidateId = naturalId('match_candidate', pupil.id, kept.id);
    await store.upsertMany([kept, buildRecord('match_candidate', {
      candidateEntity: 'person', leftId: pupil.id, rightId: kept.id, rule: 'name_birthdate', score: 0.9, decision: 'pending', at: '2026-03-01T08:00:00Z',
    }, { id: candidateId, sourceRefs: [{ system: 'synthetic', instance: 'test', sourceId: pupil.id, kind: 'match' }], provenance: prov })], { runId: 'other' });
    await decidePersonMatch(store, candidateId, 'merge', 'review-1');
    const moved = ((await collect(store.iterate('mark', { status: 'active' }))) as MarkRecord[]).filter((m) => m.studentId === kept.id).length;
    expect(moved).toBe(theirs);

    const r = await yearlyArchive(store, {
      organizationId: org, schoolYear: 2026, runId: 'archive', signer: keys.signer, verifier: keys.verifier,
      destinations: await twoMedia(root), now: () => new Date('2026-06-25T10:00:00Z'),
    });
    const journal = r.classJournals.find((s) => s.homeroomClassId === cls)!.copies[0].location!;
    const csv = await readFile(await classJournalFile(journal, 'csv'), 'utf8');
    expect(csv.split('\r\n').filter((l) => l.includes(kept.id) && l.includes(',mark,'))).toHaveLength(theirs);
    const name = `${pupil.familyName} ${pupil.givenName}`;
    expect(await readFile(await classJournalFile(journal, 'html'), 'utf8')).toContain(name);
    expect(await readFile(path.join(r.summarySheet!.copies[0].location!, 'summary-sheet.html'), 'utf8')).toContain(name);
  }, 120_000);
});
