// A platform that sends people by name only (АСУ РСО's teacher routes; here ЭлЖур) beside a system of record
// that knows their birth dates (Дневник.ру): its pupils are proposed for review by exact full name, never
// merged by themselves; once the operator accepts, the next roster sync links them — and never rewrites the
// system of record's person (the birth date stays: the authority matrix).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { dnevnikInstance, eljurInstance, gatewayYaml } from '../support/emulator-configs.js';

describe('people from a platform without birth dates', () => {
  let school: SyntheticSchool;
  const emus: RunningEmulator[] = [];
  let ctx: JobContext;
  let dir: string;
  let window: { from: string; to: string };

  beforeAll(async () => {
    school = generateSchool({ seed: 17, pupils: 16, weeks: 1 });
    emus.push(await getPlatform('dnevnik').emulator.start({ dataset: school }), await getPlatform('eljur').emulator.start({ dataset: school, emptyJournal: true }));
    const [a, b] = [dnevnikInstance('dn', emus[0], 500), eljurInstance('ej', emus[1], 500)];
    dir = mkdtempSync(path.join(tmpdir(), 'jg-nameonly-'));
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, gatewayYaml({ instances: [a, b], names: [], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: a.schoolId }, { instance: 'ej', schoolId: b.schoolId }] }] }));
    ctx = await openJobContext(loadConfigFile(file), createLogger({ level: 'silent' }));
    window = school.lessonWindow();
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
    for (const e of emus) await e.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('are proposed by exact full name, merged only on the operator\'s word, and never erase the system of record\'s birth dates', async () => {
    await runJob('roster-sync', { schoolId: 's1', instance: 'dn', window }, ctx);
    const pupils = async () => {
      const out = [];
      for await (const p of ctx.store.iterate('person', { status: 'active' })) if (p.entity === 'person') out.push(p);
      return out;
    };
    const before = (await pupils()).length;
    const withBirthDate = async () => (await pupils()).filter((p) => p.entity === 'person' && p.birthDate).length;
    const birthDates = await withBirthDate();
    expect(birthDates).toBeGreaterThan(16);
    const [first] = await runJob('roster-sync', { schoolId: 's1', instance: 'ej', window }, ctx);
    // ЭлЖур beside another system of record: its roster read asks for no school structure, so it reads no diary page
    // and proposes no teacher (ReadScope.schoolStructure, docs/platforms/eljur.md).
    expect(Object.keys(emus[1].stats().byRoute).filter((r) => r.includes('getdiary'))).toEqual([]);
    expect(Object.keys(emus[1].stats().byRoute).some((r) => r.includes('getrules'))).toBe(true);
    expect(first.forReview).toBe(16);
    expect((await pupils()).length).toBe(before + 16); // two records each until the operator decides
    const proposals = (await pendingReview(ctx.store)).filter((r) => r.rule === 'name_exact_no_birthdate');
    expect(proposals).toHaveLength(16);
    for (const p of proposals) await decidePersonMatch(ctx.store, p.id, 'merge', 'operator');
    const [second] = await runJob('roster-sync', { schoolId: 's1', instance: 'ej', window }, ctx);
    expect(second.forReview).toBe(0);
    const now = await pupils();
    expect(now.length).toBe(before);
    // Every person the system of record brought still has its birth date.
    expect(await withBirthDate()).toBe(birthDates);
    expect(now.filter((p) => p.entity === 'person' && p.provenance.instance === 'ej')).toEqual([]);
  }, 180_000);
});
