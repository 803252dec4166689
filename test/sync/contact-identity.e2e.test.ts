// Teachers' and parents' tier 3 end to end (canonical-model.md §C.3: "teachers/parents: normalised phone or e-mail +
// name"): the system of record (Дневник.ру) lists the parents with birth dates, e-mails and phones (`users/many`); the
// second platform (ЭПОС) lists them with their e-mail and phone but without a birth date, as platforms usually do for
// adults. Before, every such parent became a second person with a review item; now each is the stored parent. One
// family shares one phone between mother and father (and the father has no e-mail): the phone names neither, so the
// father is proposed for review, never merged into the mother.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { EposWorld } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';
import type { CanonicalRecord, PersonRecord } from '../../src/model/index.js';
import { pendingReview } from '../../src/sync/review.js';

const generated = generateSchool({ seed: 5, pupils: 24, weeks: 1 });
const links = generated.all('guardian_link') as { studentId: string; guardianId: string; relation: string }[];
const parentIds = [...new Set(links.map((l) => l.guardianId))];
// A family with both parents: the father takes the mother's phone and loses his e-mail, on both platforms.
const pupilOfTwo = links.find((l) => l.relation === 'mother' && links.some((k) => k.studentId === l.studentId && k.relation === 'father'))!.studentId;
const motherId = links.find((l) => l.studentId === pupilOfTwo && l.relation === 'mother')!.guardianId;
const fatherId = links.find((l) => l.studentId === pupilOfTwo && l.relation === 'father')!.guardianId;
const motherPhones = (generated.records.find((r) => r.id === motherId) as PersonRecord).phones;
const onSor: CanonicalRecord[] = generated.records.map((r) => (r.id === fatherId ? { ...r, phones: motherPhones, emails: [] } as CanonicalRecord : r));
const base = new SyntheticSchool(generated.input, generated.plan, onSor);
// The second platform: the same people, the adults without a birth date.
const onTarget: CanonicalRecord[] = onSor.map((r) => {
  if (r.entity !== 'person' || !parentIds.includes(r.id)) return r;
  const { birthDate: _, ...rest } = r as PersonRecord;
  return rest as CanonicalRecord;
});
const person = (id: string) => onSor.find((r) => r.id === id) as PersonRecord;
const otherParents = parentIds.filter((id) => id !== motherId && id !== fatherId);

describe('a parent on a second platform without a birth date is matched by e-mail or phone + name', () => {
  let school: SorAndTarget<RunningEmulator, RunningEmulator & { world: EposWorld }>;
  let ctx: JobContext;
  let target: RunningEmulator & { world: EposWorld };
  beforeAll(async () => {
    school = await sorAndTarget({ sor: 'dnevnik', target: 'epos', school: base, targetSchool: new SyntheticSchool(base.input, base.plan, onTarget), window: { from: '2025-09-01', to: '2025-09-07' }, rosterOnly: true });
    ({ ctx, target } = school);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
  });
  const personsNamed = async (p: PersonRecord) => {
    const out: PersonRecord[] = [];
    for await (const r of ctx.store.iterate('person', { status: 'active' })) if (r.entity === 'person' && r.familyName === p.familyName && r.givenName === p.givenName && r.middleName === p.middleName) out.push(r);
    return out;
  };
  /** The canonical person the second platform's record of a dataset person is linked to. */
  const onTargetAs = async (datasetId: string) => {
    const profile = String(target.world.profileOf.get(datasetId));
    const linked = (await ctx.store.resolve('epos', 't', 'person', [profile])).get(profile);
    return linked ? await ctx.store.get(linked) as PersonRecord : undefined;
  };

  it('the dataset has parents with contacts to match (the test can fail)', () => {
    expect(otherParents.length).toBeGreaterThan(3);
    expect(otherParents.every((id) => person(id).phones.length > 0)).toBe(true);
  });

  it('every other parent is one person, linked from both platforms, with no review item', async () => {
    const review = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match');
    for (const id of otherParents) {
      const same = await personsNamed(person(id));
      expect(same, `parent ${otherParents.indexOf(id)}`).toHaveLength(1);
      expect(same[0].birthDate).toBe(person(id).birthDate); // the system of record's person, not a copy
      expect((await onTargetAs(id))?.id).toBe(same[0].id);
      expect(review.filter((r) => r.leftId === same[0].id || r.rightId === same[0].id)).toEqual([]);
    }
    const link = await ctx.store.sourceIdsFor('epos', 't', 'person', [(await personsNamed(person(otherParents[0])))[0].id]);
    expect(link.size).toBe(1);
  });

  it('a mother and father sharing one phone: the father is never merged into the mother; he goes to review', async () => {
    const mother = person(motherId);
    const father = person(fatherId);
    const fatherOnTarget = await onTargetAs(fatherId);
    expect(fatherOnTarget?.givenName).toBe(father.givenName);
    expect(fatherOnTarget?.familyName).toBe(father.familyName);
    expect((await onTargetAs(motherId))?.givenName).toBe(mother.givenName);
    const fathers = await personsNamed(father);
    expect(fathers).toHaveLength(2);
    const review = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && fathers.some((f) => f.id === r.leftId) && fathers.some((f) => f.id === r.rightId));
    expect(review).toHaveLength(1);
    expect(review[0].rule).toBe('contact_ambiguous');
  });
});
