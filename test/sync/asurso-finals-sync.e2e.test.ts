// Journal sync asks every connector for `finals.read` where it declares it: over a whole quarter of the synthetic
// school, АСУ РСО's final marks (report queue, one report per pupil) land in the store — every one of them,
// none quarantined by the final-mark rules (R-18…R-21) — and a second run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { asursoInstance, gatewayYaml } from '../support/emulator-configs.js';

const school = generateSchool({ seed: 9, pupils: 24, weeks: 9 });
const dates = school.all('lesson').map((l) => l.date).sort();
const window = { from: dates[0], to: dates.at(-1)! };
let emu: AsursoEmulator;
let store: CanonicalStore;
let ctx: JobContext;

beforeAll(async () => {
  emu = await startAsursoEmulator({ dataset: school });
  const inst = asursoInstance('as', emu, 400);
  const config = parseConfigText(gatewayYaml({ instances: [inst], names: ['as'], schools: [{ id: 's1', sor: 'as', platforms: [{ instance: 'as', schoolId: inst.schoolId }] }] }), 't.yaml');
  store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  ctx = { config, store, logger: createLogger({ level: 'silent', pretty: false }), close: async () => {} };
}, 60_000);
afterAll(async () => {
  await store?.close();
  await emu?.close();
});

describe('journal sync from АСУ РСО stores its final marks', () => {
  it('roster then journal sync over a quarter: every final mark of the dataset is stored, nothing quarantined; a second run changes nothing', async () => {
    const [roster] = await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    expect(roster.quarantineReasons).toEqual({});
    const [journal] = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    expect(journal.quarantineReasons).toEqual({});
    const finals = school.all('final_mark');
    expect(finals.length).toBeGreaterThan(20);
    expect((await store.countsByEntity()).final_mark).toBe(finals.length);
    // Canonical ids are the store's own (roster sync minted them); the marks themselves are the dataset's.
    const stored: string[] = [];
    for await (const r of store.iterate('final_mark', { status: 'active' })) if (r.entity === 'final_mark') stored.push(`${r.kind}:${r.raw}:${r.computedAverage}`);
    expect(stored.sort()).toEqual(finals.map((f) => `${f.kind}:${f.raw}:${f.computedAverage}`).sort());
    const [again] = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    expect([again.created, again.updated]).toEqual([0, 0]);
  }, 180_000);
});
