// The teacher-merge audits' school: Дневник.ру the system of record, АСУ РСО (no birth dates) the push target whose
// roster is read a night earlier, so every Дневник.ру person is a review proposal against АСУ РСО's. Started, rosters
// and the week's journal read; the caller decides the proposals.
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { asursoInstance, dnevnikInstance, gatewayYaml } from './emulator-configs.js';

export async function dnevnikToAsursoSchool(dataset: SyntheticSchool, window: { from: string; to: string }): Promise<{ sor: RunningEmulator; t2: RunningEmulator; ctx: JobContext }> {
  const sor = await getPlatform('dnevnik').emulator.start({ dataset });
  const t2 = await getPlatform('asurso').emulator.start({ dataset, emptyJournal: true });
  const a = dnevnikInstance('sor', sor as never, 500); const c = asursoInstance('t2', t2 as never, 500);
  const ctx = await openJobContext(parseConfigText(gatewayYaml({
    instances: [a, c], names: [],
    schools: [{ id: 's1', sor: 'sor', targets: ['t2'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 't2', schoolId: c.schoolId }] }],
  }), 't.yaml'), createLogger({ level: 'silent' }));
  // АСУ РСО's roster a night earlier.
  await runJob('roster-sync', { schoolId: 's1', window, instance: 't2' }, ctx);
  await runJob('roster-sync', { schoolId: 's1', window }, ctx);
  await runJob('journal-sync', { schoolId: 's1', window }, ctx);
  return { sor, t2, ctx };
}
