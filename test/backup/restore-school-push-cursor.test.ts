// R-35 with the nightly job's school backup: a restored school carries on where its push left off. The push cursor
// (`push:<school>` on the target instance, kind change_version) holds the store's change-log version at the last push,
// which in a region's store counts every school's writes; the school backup holds only this school's change log. A
// restore must continue the version sequence past that cursor, or the changes written after it get versions the push
// has already passed and never reach the push target.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/backup/export.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { MarkRecord } from '../../src/model/index.js';
import { backends } from '../store/fixtures.js';
import { collect, restoreSetUp } from './fixtures.js';

describe.each(backends)('restore of a school backup on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

  it('a change written after the restore is after the restored push cursor, so the next push sends it', async () => {
    const { source, target, root, keys } = await restoreSetUp(backend, cleanups);
    const data = generateSchool({ seed: 9, schools: 2, pupils: 20, weeks: 1 });
    await source.upsertMany(data.records, { runId: 'load' });
    const [mine, other] = (await collect(source.iterate('organization'))).filter((o) => (o as { type?: string }).type === 'school').map((o) => o.id);
    // The other school's sync writes after this school's last change (a region's store: hundreds of schools).
    const marks = (await collect(source.iterate('mark', { status: 'active' }))) as MarkRecord[];
    // Each lesson's school, through its section's homeroom class.
    const classOrg = new Map((await collect(source.iterate('homeroom_class'))).map((c) => [c.id, (c as { organizationId: string }).organizationId]));
    const sectionOrg = new Map((await collect(source.iterate('section'))).map((s) => [s.id, classOrg.get((s as { homeroomClassId: string }).homeroomClassId)]));
    const lessonOrg = new Map((await collect(source.iterate('lesson'))).map((l) => [l.id, sectionOrg.get((l as { sectionId: string }).sectionId)]));
    const marksOf = (org: string) => marks.filter((m) => lessonOrg.get(m.lessonId) === org);
    const otherMarks = marksOf(other).slice(0, 5);
    expect(otherMarks).toHaveLength(5);
    await source.deleteMany('mark', otherMarks.map((m) => m.id), { reason: 'source_tombstone', runId: 'other-school-sync' });
    // This school's grade push ran then: its cursor is the store's version at that moment.
    const pushedUpTo = await source.currentVersion();
    await source.setCursor({ system: 'eljur', instance: 'el-a', entity: 'push:school-a', kind: 'change_version', value: String(pushedUpTo) });

    const dir = path.join(root, 'school');
    await exportStore(source, dir, { signer: keys.signer, backupId: 'school', runId: 'nightly', organizationId: mine, school: { instances: ['el-a'] } });
    await restoreBackup(dir, target, keys.verifier);

    const cursor = await target.getCursor('eljur', 'el-a', 'push:school-a');
    expect(cursor?.value).toBe(String(pushedUpTo));
    // A teacher deletes one of this school's marks; the next sync brings the tombstone into the restored store.
    const [mark] = marksOf(mine);
    await target.deleteRecord('mark', mark.id, { reason: 'source_tombstone', runId: 'sync-after-restore' });
    // What the push reads: the changes since its cursor.
    const toPush = (await collect(target.changesSince(Number(cursor!.value)))).map((c) => c.canonicalId);
    expect(toPush).toContain(mark.id);
  }, 120_000);
});
