// АСУ РСО pupils carry no birth date (its teacher routes name people only — docs/platforms/asurso.md), so identity
// matching can never reach tier 3 (name + birth date + school) for them. A school synced from Дневник.ру (birth
// dates) that adds АСУ РСО as a second platform: every АСУ РСО pupil and teacher waits in the review queue — none
// is merged onto the Дневник.ру person automatically, none becomes a silent duplicate; a pair the operator
// rejected is not proposed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { PersonRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { asursoInstance, dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const school = generateSchool({ seed: 13, pupils: 20, weeks: 1 });
const WINDOW = { from: '2025-09-01', to: '2025-09-07' };
const emus: RunningEmulator[] = [];
let store: CanonicalStore;
let ctx: JobContext;

/** Persons АСУ РСО's teacher routes list: pupils and subject teachers. */
const listed = new Set(school.all('role_assignment').filter((r) => r.role === 'student' || r.role === 'subject_teacher').map((r) => r.personId));

async function activePersons(): Promise<PersonRecord[]> {
  const out: PersonRecord[] = [];
  for await (const r of store.iterate('person', { status: 'active' })) if (r.entity === 'person') out.push(r);
  return out;
}

beforeAll(async () => {
  const dn = await getPlatform('dnevnik').emulator.start({ dataset: school });
  const as = await getPlatform('asurso').emulator.start({ dataset: school });
  emus.push(dn, as);
  const [a, b] = [dnevnikInstance('dn', dn), asursoInstance('as', as)];
  const config = parseConfigText(gatewayYaml({
    instances: [a, b], names: [], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: a.schoolId }, { instance: 'as', schoolId: b.schoolId }] }],
  }), 't.yaml');
  store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  ctx = { config, store, logger: createLogger({ level: 'silent', pretty: false }), close: async () => {} };
}, 60_000);
afterAll(async () => {
  await store?.close();
  for (const e of emus) await e.close();
});

describe('АСУ РСО pupils without a birth date: review, never an automatic merge', () => {
  it('every АСУ РСО person goes to review against the Дневник.ру person of the same name; none is merged, none silently duplicated', async () => {
    const [fromDnevnik, fromAsurso] = await runJob('roster-sync', { schoolId: 's1', window: WINDOW }, ctx);
    expect(fromDnevnik.forReview).toBe(0); // Дневник.ру has birth dates: its own roster matches by id
    expect(fromAsurso.forReview).toBe(listed.size);
    const persons = await activePersons();
    // Not merged: the Дневник.ру people plus one new record per АСУ РСО person, each with a pending candidate.
    expect(persons).toHaveLength(school.all('person').length + listed.size);
    const dated = new Map(persons.filter((p) => p.birthDate).map((p) => [p.id, p]));
    const review = (await pendingReview(store)).filter((r) => r.kind === 'person_match');
    expect(review).toHaveLength(listed.size);
    for (const r of review) {
      expect(['name_exact_no_birthdate', 'name_no_birthdate']).toContain(r.rule);
      const [left, right] = [persons.find((p) => p.id === r.leftId)!, dated.get(r.rightId!)!];
      expect(left.birthDate).toBeUndefined(); // the АСУ РСО record…
      expect(right).toBeDefined(); // …proposed against the Дневник.ру one, by name
      expect([left.familyName, left.givenName]).toEqual([right.familyName, right.givenName]);
    }
  }, 120_000);

  it('the next night proposes nothing new and creates nobody; a pair the operator rejected stays two people and is not proposed again', async () => {
    const [, again] = await runJob('roster-sync', { schoolId: 's1', window: WINDOW }, ctx);
    expect(again.created).toBe(0);
    const review = (await pendingReview(store)).filter((r) => r.kind === 'person_match');
    expect(review).toHaveLength(listed.size);
    await decidePersonMatch(store, review[0].id, 'reject', 'review-test');
    await runJob('roster-sync', { schoolId: 's1', window: WINDOW }, ctx);
    expect(await activePersons()).toHaveLength(school.all('person').length + listed.size);
    expect((await pendingReview(store)).filter((r) => r.kind === 'person_match')).toHaveLength(listed.size - 1);
  }, 120_000);
});
