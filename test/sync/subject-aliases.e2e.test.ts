// Subjects are recognised across platforms by title (docs/sync.md "Subjects named differently"). A push target that
// names a subject otherwise («Английский язык» for the system of record's «Иностранный язык (английский)») gets a
// subject, sections and lessons of its own, so no mark of that subject can be placed there. Roster sync names such
// subjects in its summary; `sync.subjectAliases` makes them one subject, and every mark goes through. The target also
// writes its classes «5 А»: classes are matched by grade and letter, so that alone loses nothing.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { formatSummary } from '../../src/sync/run-summary.js';
import { unlinkSubject } from '../../src/sync/unlink-subject.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
const collect = async <T>(it: AsyncIterable<T>) => { const out: T[] = []; for await (const x of it) out.push(x); return out; };
type Target = RunningEmulator & { world: { marks: Map<unknown, unknown>; subjects: Map<bigint, { name: string }> } };

describe('a push target that names a subject differently', () => {
  let school: SyntheticSchool;
  let renamed: string;
  let ctx: JobContext | undefined;
  const running: RunningEmulator[] = [];

  beforeAll(() => {
    school = generateSchool({ seed: 62, pupils: 20, weeks: 1 });
  });
  afterEach(async () => {
    await ctx?.close();
    ctx = undefined;
    for (const e of running.splice(0)) await e.close();
  });

  /** Starts both platforms, renames one subject on the target, and runs roster sync, journal sync and a push. */
  async function scenario(aliases: boolean) {
    const source = await getPlatform('dnevnik').emulator.start({ dataset: school });
    const target = await getPlatform('dnevnik').emulator.start({ dataset: school, emptyJournal: true }) as Target;
    running.push(source, target);
    const [id, subject] = [...target.world.subjects].find(([, s]) => s.name === 'Английский язык' || s.name.startsWith('Иностранный')) ?? [...target.world.subjects][0];
    renamed = subject.name;
    target.world.subjects.set(id, { ...subject, name: `${subject.name} (по расписанию)` });
    // And every class written «5 А» (with a space), as some platforms do: still the same classes (natural-keys.ts).
    for (const g of (target.world as unknown as { groups: Map<bigint, { type: string; name: string }> }).groups.values()) {
      if (g.type === 'Group') g.name = g.name.replace(/^(\d+)(\S)/, '$1 $2');
    }
    const a = dnevnikInstance('dn-sor', source, 500);
    const b = dnevnikInstance('dn-target', target, 500);
    ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'dn-sor', targets: ['dn-target'], platforms: [{ instance: 'dn-sor', schoolId: a.schoolId }, { instance: 'dn-target', schoolId: b.schoolId }] }],
      extra: aliases ? `sync:\n  subjectAliases:\n    "${renamed} (по расписанию)": "${renamed}"\n` : '',
    }), 't.yaml'), createLogger({ level: 'silent' }));
    const roster = await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    const lessons = new Set(school.all('lesson').filter((l) => l.date >= window.from && l.date <= window.to).map((l) => l.id));
    return { roster, push, target, marks: school.all('mark').filter((m) => lessons.has(m.lessonId)).length };
  }

  it('is named in the roster summary, and its marks wait unplaced', async () => {
    const { roster, push, target, marks } = await scenario(false);
    const onTarget = roster.find((s) => s.instance === 'dn-target')!;
    expect(onTarget.unmatchedSubjects).toEqual([`${renamed} (по расписанию)`]);
    expect(formatSummary(onTarget)).toContain(`subjects matching none of the system of record's: «${renamed} (по расписанию)»`);
    expect(roster.find((s) => s.instance === 'dn-sor')!.unmatchedSubjects).toBeUndefined();
    expect(push.pushed?.skipped).toBeGreaterThan(0);
    expect(target.world.marks.size).toBeLessThan(marks);
    // Every night says it again, not only the first.
    const again = await runJob('roster-sync', { schoolId: 's1', window, instance: 'dn-target' }, ctx!);
    expect(again[0].unmatchedSubjects).toEqual([`${renamed} (по расписанию)`]);
    // An alias set after the target was linked does not stop the run (the link stays; docs/sync.md says what to do).
    ctx!.config.sync.subjectAliases = { [`${renamed} (по расписанию)`]: renamed };
    const late = await runJob('roster-sync', { schoolId: 's1', window, instance: 'dn-target' }, ctx!);
    expect(late[0].unmatchedSubjects).toEqual([`${renamed} (по расписанию)`]);
    // `review unlink-subject` closes the target's links of its own subject and what hangs on it; the next syncs match
    // it onto the system of record's, and the push places the marks that waited.
    const sorSubjects = (await collect(ctx!.store.iterate('subject'))).filter((r) => r.provenance.instance === 'dn-sor' && r.status === 'active').length;
    const unlinked = await unlinkSubject({ store: ctx!.store, system: 'dnevnik_ru', instance: 'dn-target', title: `${renamed} (по расписанию)`, organizationId: schoolCanonicalId('s1'), runId: 'unlink' });
    expect(unlinked).toMatchObject({ subjects: 1, retired: { subject: 1 } });
    expect(unlinked.unlinked.section).toBeGreaterThan(0);
    const relinked = await runJob('roster-sync', { schoolId: 's1', window, instance: 'dn-target' }, ctx!);
    expect(relinked[0].unmatchedSubjects).toBeUndefined();
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'dn-target' }, ctx!);
    const [after] = await runJob('grade-push', { schoolId: 's1', window }, ctx!);
    expect(after.pushed).toMatchObject({ skipped: 0, failed: 0 });
    expect(target.world.marks.size).toBe(marks);
    // The system of record's subjects were not touched.
    expect((await collect(ctx!.store.iterate('subject'))).filter((r) => r.provenance.instance === 'dn-sor' && r.status === 'active').length).toBe(sorSubjects);
    // Only a subject the platform brought in on its own can be unlinked.
    await expect(unlinkSubject({ store: ctx!.store, system: 'dnevnik_ru', instance: 'dn-target', title: renamed, organizationId: schoolCanonicalId('s1'), runId: 'x' }))
      .rejects.toThrow(/no subject «.*» that dn-target brought in on its own/);
  }, 180_000);

  it('with sync.subjectAliases it is the same subject, and every mark is placed', async () => {
    const { roster, push, target, marks } = await scenario(true);
    expect(roster.find((s) => s.instance === 'dn-target')!.unmatchedSubjects).toBeUndefined();
    expect(push.pushed).toMatchObject({ skipped: 0, failed: 0 });
    expect(target.world.marks.size).toBe(marks);
  }, 120_000);
});
