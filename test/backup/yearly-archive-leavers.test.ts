// the yearly class journal (kept 5 years) and summary sheet hold every mark of the year, including those of a
// pupil who left before the archive ran — whose enrollments, and person, roster sync has tombstoned by then.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { soleSchool } from '../../src/backup/run-backup.js';
import { yearlyArchive } from '../../src/backup/yearly-archive.js';
import type { LessonRecord, MarkRecord, PersonRecord, SectionRecord } from '../../src/model/index.js';
import { classJournalFile, collect, filledStore, keyPair, mediaReady, tempDir } from './fixtures.js';

describe('yearly archive: a pupil who left', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanup) await c(); });

  it('keeps the leaver\'s marks and name in the class journal', async () => {
    const store = await filledStore({ weeks: 4 });
    const root = await tempDir();
    const media = await mediaReady([{ name: 'a', medium: 'disk-a', room: 'r101', path: path.join(root, 'a') }, { name: 'b', medium: 'nas', room: 'r204', path: path.join(root, 'b') }]);
    cleanup.push(() => store.close(), () => rm(root, { recursive: true, force: true }));
    const keys = keyPair();
    const org = await soleSchool(store);
    const marks = (await collect(store.iterate('mark', { status: 'active' }))) as MarkRecord[];
    const leaver = marks[10].studentId;
    const person = (await store.get(leaver)) as PersonRecord;
    const lesson = (await store.get(marks[10].lessonId)) as LessonRecord;
    const cls = ((await store.get(lesson.sectionId)) as SectionRecord).homeroomClassId;
    const theirs = marks.filter((m) => m.studentId === leaver).length;
    expect(theirs).toBeGreaterThan(3);
    // Transferred out in spring: gone from the platform's roster twice, so roster sync tombstoned them.
    const enrollments = (await collect(store.iterate('enrollment', { status: 'active' }))).filter((e) => (e as { personId: string }).personId === leaver);
    await store.deleteMany('enrollment', enrollments.map((e) => e.id), { reason: 'snapshot_absent', evidence: 'left', runId: 'roster-9' });
    await store.deleteRecord('person', leaver, { reason: 'snapshot_absent', evidence: 'left', runId: 'roster-9' });

    const r = await yearlyArchive(store, {
      organizationId: org, schoolYear: 2026, runId: 'archive', signer: keys.signer, verifier: keys.verifier,
      destinations: media,
      now: () => new Date('2026-06-25T10:00:00Z'),
    });
    const snap = r.classJournals.find((s) => s.homeroomClassId === cls)!;
    const csv = await readFile(await classJournalFile(snap.copies[0].location!, 'csv'), 'utf8');
    const html = await readFile(await classJournalFile(snap.copies[0].location!, 'html'), 'utf8');
    const name = `${person.familyName} ${person.givenName}`;
    expect(csv.split('\r\n').filter((l) => l.includes(leaver) && l.includes(',mark,'))).toHaveLength(theirs);
    expect(csv).toContain(name);
    expect(html).toContain(name);
  }, 120_000);
});
