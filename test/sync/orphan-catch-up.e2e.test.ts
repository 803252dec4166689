// A journal read meets a pupil the roster has not linked (enrolled after the last roster sync, or waiting in the
// review queue): their marks are quarantined as orphans. Before, a scheduled read took them in only when the recent
// window or a sweep slice came back to their days — for older days a whole sweep cycle later. Now the read
// remembers the days it left out, and the first scheduled read after the roster links the pupil reads them again.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { addDays } from '../../src/model/dates.js';
import { sweepCursorKey } from '../../src/sync/journal-nightly.js';
import { orphansCursorKey } from '../../src/sync/orphan-catch-up.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const START = '2025-09-01';
const WEEKS = 4;
const TODAY = addDays(START, WEEKS * 7 - 1);
const SYSTEM = 'dnevnik_ru';

describe('orphans caught up once the roster links their pupil', () => {
  let emu: DnevnikEmulator;
  let ctx: JobContext;
  let pupil: string;

  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 13, pupils: 10, weeks: WEEKS });
    const inst = dnevnikInstance('dn', emu);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-orphans-')), 'gateway.yaml');
    writeFileSync(file, gatewayYaml({
      // The sweep is not due on these runs: what is read beyond the recent window is the catch-up alone.
      instances: [inst], names: ['dn'], extra: `sync: { windowEndsOn: "${TODAY}", journalSweepIntervalHours: 168 }`,
      schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }], settings: 'journalWindowDays: 6, journalSweepDays: 14' }],
    }));
    ctx = await openJobContext(loadConfigFile(file), createLogger({ level: 'silent' }));
    await runJob('roster-sync', { schoolId: 's1', window: { from: START, to: TODAY } }, ctx);
    await ctx.store.setCursor({ system: SYSTEM, instance: 'dn', entity: sweepCursorKey('s1'), kind: 'date_last_modified', value: addDays(START, 13), lastSuccessAt: new Date().toISOString() });
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    await emu?.close();
  });

  const marksOf = (person: string) => [...emu.world.marks.values()].filter((m) => String(m.person) === person);
  const storedMarks = async (person: string) => {
    const ids = marksOf(person).map((m) => String(m.id));
    return (await ctx.store.resolve(SYSTEM, 'dn', 'mark', ids)).size;
  };
  const marksRequests = () => Object.entries(emu.stats().byRoute).filter(([r]) => r.includes('edu-groups/{g}/marks/')).reduce((n, [, k]) => n + k, 0);

  it('a pupil unknown at the full read has every mark of the window stored by the first nightly after the roster links them', async () => {
    // The pupil with marks in the first week, older than any recent window below.
    pupil = [...new Set([...emu.world.marks.values()].filter((m) => m.date < addDays(START, 7)).map((m) => String(m.person)))][0];
    expect(marksOf(pupil).length).toBeGreaterThan(10);
    // As if the roster had not linked them yet (a new pupil, or one waiting in the review queue).
    expect(await ctx.store.closeCrosswalk(SYSTEM, 'dn', 'person', pupil, {})).not.toBeNull();

    const [full] = await runJob('journal-sync', { schoolId: 's1', window: { from: START, to: TODAY } }, ctx);
    expect(full.quarantineReasons['orphan mark → person']).toBe(marksOf(pupil).length);
    expect(await storedMarks(pupil)).toBe(0);
    const memory = JSON.parse((await ctx.store.getCursor(SYSTEM, 'dn', orphansCursorKey('s1')))!.value!) as { entity: string; sourceId: string; from: string; to: string }[];
    expect(memory).toEqual([expect.objectContaining({ entity: 'person', sourceId: pupil, from: marksOf(pupil).map((m) => m.date.slice(0, 10)).sort()[0] })]);

    // A nightly while the pupil is still unknown: nothing to catch up, the memory stays.
    const [still] = await runJob('journal-sync', { schoolId: 's1' }, ctx);
    expect(still.caughtUp).toBeUndefined();
    expect((await ctx.store.getCursor(SYSTEM, 'dn', orphansCursorKey('s1')))!.value).toContain(pupil);

    // The roster links the pupil again (name and birth date); the next nightly reads their days at once.
    await runJob('roster-sync', { schoolId: 's1' }, ctx);
    expect((await ctx.store.resolve(SYSTEM, 'dn', 'person', [pupil])).size).toBe(1);
    const before = marksRequests();
    const [night] = await runJob('journal-sync', { schoolId: 's1' }, ctx);
    expect(night.sweep).toBeUndefined(); // not the sweep: the catch-up
    expect(night.caughtUp?.references).toBe(1);
    expect(night.caughtUp?.ranges[0].from).toBe(memory[0].from);
    expect(await storedMarks(pupil)).toBe(marksOf(pupil).length);
    // The days caught up, less those the recent window reads anyway: one more range, one more request per class.
    expect(marksRequests() - before).toBe(2 * emu.world.groups.size);
    expect((await ctx.store.getCursor(SYSTEM, 'dn', orphansCursorKey('s1')))!.value).toBe('');

    // Caught up once: the night after reads the recent window only.
    const after = marksRequests();
    const [next] = await runJob('journal-sync', { schoolId: 's1' }, ctx);
    expect(next.caughtUp).toBeUndefined();
    expect(marksRequests() - after).toBe(emu.world.groups.size);
  }, 120_000);
});
