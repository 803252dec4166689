// The teacher-merge audits' school, on Дневник.ру and АСУ РСО (no birth dates): one the system of record, the other the
// push target (`t2`) whose roster is read a night earlier, so every person of the system of record is a review proposal
// against the target's. Started, rosters and the week's journal read; the caller decides the proposals
// (`acceptPupils` first, the teachers' merges later).
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { Store } from '../../src/store/index.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { asursoInstance, dnevnikInstance, gatewayYaml } from './emulator-configs.js';

/** Дневник.ру the system of record, АСУ РСО the target (the default), or the other way round. */
export async function dnevnikAsursoSchool(
  dataset: SyntheticSchool, window: { from: string; to: string }, sorPlatform: 'dnevnik' | 'asurso' = 'dnevnik',
): Promise<{ sor: RunningEmulator; t2: RunningEmulator; ctx: JobContext }> {
  const targetPlatform = sorPlatform === 'dnevnik' ? 'asurso' : 'dnevnik';
  const sor = await getPlatform(sorPlatform).emulator.start({ dataset });
  const t2 = await getPlatform(targetPlatform).emulator.start({ dataset, emptyJournal: true });
  const instance = (p: 'dnevnik' | 'asurso', name: string, emu: RunningEmulator) => (p === 'dnevnik' ? dnevnikInstance(name, emu as never, 500) : asursoInstance(name, emu as never, 500));
  const a = instance(sorPlatform, 'sor', sor); const c = instance(targetPlatform, 't2', t2);
  const ctx = await openJobContext(parseConfigText(gatewayYaml({
    instances: [a, c], names: [],
    schools: [{ id: 's1', sor: 'sor', targets: ['t2'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 't2', schoolId: c.schoolId }] }],
  }), 't.yaml'), createLogger({ level: 'silent' }));
  // The target's roster a night earlier.
  await runJob('roster-sync', { schoolId: 's1', window, instance: 't2' }, ctx);
  await runJob('roster-sync', { schoolId: 's1', window }, ctx);
  await runJob('journal-sync', { schoolId: 's1', window }, ctx);
  return { sor, t2, ctx };
}

export const dnevnikToAsursoSchool = (dataset: SyntheticSchool, window: { from: string; to: string }) => dnevnikAsursoSchool(dataset, window);

/**
 * Accepts every person proposal but those of the system of record's teachers, so the journal can be placed on the
 * target; returns the teachers' proposals (review item id → the merged-away person), to be merged later.
 */
export async function acceptPupils(store: Store): Promise<Map<string, string>> {
  const teachers = new Map<string, string>();
  for (const p of (await pendingReview(store)).filter((r) => r.kind === 'person_match')) {
    const roles = await store.referencing('role_assignment', 'personId', [p.leftId]);
    const onSor = (await store.crosswalkFor(p.leftId)).some((r) => r.instance === 'sor' && r.validTo === null);
    const teacher = roles.some((r) => ['subject_teacher', 'class_teacher'].includes((r as { role?: string }).role ?? ''));
    if (onSor && teacher) teachers.set(p.id, p.leftId);
    else await decidePersonMatch(store, p.id, 'merge', 'test-review', undefined, 'sor');
  }
  return teachers;
}

/** Merges each teacher proposal `acceptPupils` left (the system of record's teacher into the target's). */
export async function mergeTeachers(store: Store, teachers: ReadonlyMap<string, string>): Promise<void> {
  for (const id of teachers.keys()) await decidePersonMatch(store, id, 'merge', 'test-review', undefined, 'sor');
}
