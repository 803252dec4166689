// АСУ РСО reads final marks per period, only for periods ending near the days of the read (its report queue is one
// report per pupil). The nightly reads a period's final marks again when its sweep slice holds that period's end, and
// owes them to the next night, which reads the recent window only: the connector, judging by that window, found no
// period ending near it and read none — while the night's summary said final marks were read and the owed cursor was
// cleared. A final mark corrected after its term's end was never stored (docs/sync.md "Nightly delta").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { sweepCursorKey } from '../../src/sync/journal-nightly.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { asursoInstance, gatewayYaml } from '../support/emulator-configs.js';

const school = generateSchool({ seed: 9, pupils: 12, weeks: 9 });
const dates = school.all('lesson').map((l) => l.date).sort();
const full = { from: dates[0], to: dates.at(-1)! };
// Early December: the recent window (6 days) is far from the first quarter's end; 28-day slices from 1 September.
const TODAY = '2025-12-10';
let emu: AsursoEmulator;
let store: CanonicalStore;
let ctx: JobContext;

beforeAll(async () => {
  emu = await startAsursoEmulator({ dataset: school });
  const inst = asursoInstance('as', emu, 400);
  const config = parseConfigText(gatewayYaml({
    instances: [inst], names: ['as'], extra: `sync: { windowEndsOn: "${TODAY}" }`,
    schools: [{ id: 's1', sor: 'as', platforms: [{ instance: 'as', schoolId: inst.schoolId }], settings: 'journalWindowDays: 6, journalSweepDays: 28' }],
  }), 't.yaml');
  store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  ctx = { config, store, logger: createLogger({ level: 'silent', pretty: false }), close: async () => {} };
  await runJob('roster-sync', { schoolId: 's1', window: full }, ctx);
  await runJob('journal-sync', { schoolId: 's1', window: full }, ctx);
}, 180_000);
afterAll(async () => {
  await store?.close();
  await emu?.close();
});

const storedFinals = async () => {
  const out: string[] = [];
  for await (const r of store.iterate('final_mark', { status: 'active' })) if (r.entity === 'final_mark') out.push(`${r.kind}:${r.raw}:${r.computedAverage}`);
  return out.sort();
};

describe('АСУ РСО: final marks owed by a sweep night', () => {
  it('the next night reads the final marks of the period whose end the sweep slice held', async () => {
    const q1 = emu.world.terms.find((t) => t.kind === 'quarter' && t.number === 1)!;
    // The second 28-day slice (29 September … 26 October) holds the first quarter's end; the recent window does not.
    expect(q1.endDate.slice(0, 10) >= '2025-09-29' && q1.endDate.slice(0, 10) <= '2025-10-26').toBe(true);
    const before = await storedFinals();
    const [pid, list] = [...emu.world.finals].find(([, l]) => l.some((f) => f.period === q1.id && (f.raw === '4' || f.raw === '5')))!;
    const corrected = list.find((f) => f.period === q1.id && (f.raw === '4' || f.raw === '5'))!;
    expect(pid).toBeDefined();
    const was = `quarter:${corrected.raw}:${corrected.average}`;
    corrected.raw = corrected.raw === '4' ? '5' : '4';
    const now = `quarter:${corrected.raw}:${corrected.average}`;
    expect(before).toContain(was);

    await store.setCursor({ system: 'asu_rso', instance: 'as', entity: sweepCursorKey('s1'), kind: 'date_last_modified', value: '2025-09-28' });
    const [sweepNight] = await runJob('journal-sync', { schoolId: 's1' }, ctx);
    expect(sweepNight.sweep).toEqual({ from: '2025-09-29', to: '2025-10-26' });
    expect(sweepNight.finalsOwed).toBe(true);
    expect(await storedFinals()).toEqual(before);

    // The next night (the sweep waits its interval): the final marks owed are read.
    const [next] = await runJob('journal-sync', { schoolId: 's1' }, ctx);
    expect(next.sweep).toBeUndefined();
    expect(next.finals).toBe(true);
    const expected = [...before];
    expected.splice(expected.indexOf(was), 1, now);
    expect(await storedFinals()).toEqual(expected.sort());
  }, 240_000);
});
