// One pupil on two platforms that disagree on a detail of the person: the system of record (Дневник.ру) has the
// patronymic and the right birth date, the push target (ЭПОС) leaves the patronymic out for one pupil and has
// another's birth date a day off. Before, each was two people with no review item; now each is a review candidate
// (never a merge), and an unchanged pupil is one person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';
import type { CanonicalRecord, PersonRecord } from '../../src/model/index.js';
import { pendingReview } from '../../src/sync/review.js';

const base = generateSchool({ seed: 5, pupils: 24, weeks: 1 });
const pupils = base.all('person').filter((p) => base.rolesOf(p.id).some((ra) => ra.role === 'student')) as PersonRecord[];
const [noPatronymic, otherDate] = [pupils[4], pupils[7]];
const onTarget: CanonicalRecord[] = base.records.map((r) => {
  if (r.id === noPatronymic.id) {
    const { middleName: _, ...rest } = r as PersonRecord;
    return rest as CanonicalRecord;
  }
  if (r.id === otherDate.id) {
    const d = (r as PersonRecord).birthDate!;
    return { ...r, birthDate: `${d.slice(0, 8)}${d.slice(8) === '01' ? '02' : '01'}` } as CanonicalRecord;
  }
  return r;
});

describe('one pupil on two platforms that disagree on the patronymic or the birth date', () => {
  let school: SorAndTarget<RunningEmulator, RunningEmulator>;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget({ sor: 'dnevnik', target: 'epos', school: base, targetSchool: new SyntheticSchool(base.input, base.plan, onTarget), window: { from: '2025-09-01', to: '2025-09-07' }, rosterOnly: true });
    ({ ctx } = school);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
  });
  const personsNamed = async (p: PersonRecord) => {
    const out: PersonRecord[] = [];
    for await (const r of ctx.store.iterate('person', { status: 'active' })) if (r.entity === 'person' && r.familyName === p.familyName && r.givenName === p.givenName) out.push(r);
    return out;
  };

  it('an unchanged pupil is one person', async () => {
    expect(await personsNamed(pupils[2])).toHaveLength(1);
  });
  for (const [what, p, rule] of [['the patronymic missing on the target', noPatronymic, 'name_birthdate_similar'], ['the birth date a day off on the target', otherDate, 'name_class']] as const) {
    it(`${what}: two records with a review candidate between them, never merged`, async () => {
      const ids = (await personsNamed(p)).map((f) => f.id);
      expect(ids).toHaveLength(2);
      const review = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && ids.includes(r.leftId) && ids.includes(r.rightId!));
      expect(review).toHaveLength(1);
      expect(review[0]).toMatchObject({ rule });
    });
  }
});
