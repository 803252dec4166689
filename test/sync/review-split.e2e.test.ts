// `review split` end to end (docs/sync.md "Undoing a wrong link"): what the contact tier cannot tell apart — an undated
// son arriving on the second platform (ЭПОС) with his father's home phone before he is stored anywhere — is taken for
// the father the system of record (Дневник.ру) lists, and the one person is then linked to the children of both. The
// operator splits the son's ЭПОС record off; the next roster sync gives the son a person of his own, each adult's
// children are exactly their own, and a further sync does not link the two again. Synthetic people only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { EposWorld } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { runJob } from '../../src/jobs/processors.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import type { CanonicalRecord, PersonRecord } from '../../src/model/index.js';
import { pendingReview } from '../../src/sync/review.js';
import { personLinksOf, splitPersonLink } from '../../src/sync/split-person.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const WINDOW = { from: '2025-09-01', to: '2025-09-07' };
const generated = generateSchool({ seed: 5, pupils: 24, weeks: 1 });
const links = generated.all('guardian_link') as { studentId: string; guardianId: string; relation: string }[];
const records = generated.records;
const datasetPerson = (id: string) => records.find((r) => r.id === id) as PersonRecord;
const kidsOf = (guardianId: string) => links.filter((l) => l.guardianId === guardianId).map((l) => l.studentId);
const phoneHolders = (phone: string) => records.filter((r) => r.entity === 'person' && (r as PersonRecord).phones.includes(phone));
// The father: a phone of his own. The son's record on ЭПОС takes the place of another family's father there.
const fatherId = links.find((l) => l.relation === 'father' && datasetPerson(l.guardianId).phones.length === 1 && phoneHolders(datasetPerson(l.guardianId).phones[0]).length === 1)!.guardianId;
const otherId = links.find((l) => l.relation === 'father' && l.guardianId !== fatherId && kidsOf(l.guardianId).every((k) => !kidsOf(fatherId).includes(k)))!.guardianId;
const father = datasetPerson(fatherId);
// ЭПОС: the father is not listed there; the other family's father is the son — the father's full name, no birth date,
// no SNILS, the father's home phone.
const onTarget: CanonicalRecord[] = records.flatMap((r) => {
  if (r.id === fatherId || (r.entity === 'role_assignment' && r.personId === fatherId) || (r.entity === 'guardian_link' && r.guardianId === fatherId)) return [];
  if (r.id !== otherId) return [r];
  const { birthDate: _, ...rest } = r as PersonRecord;
  return [{ ...rest, familyName: father.familyName, givenName: father.givenName, middleName: father.middleName, phones: father.phones, emails: [], identifiers: [] } as CanonicalRecord];
});
const base = new SyntheticSchool(generated.input, generated.plan, records);

describe('review split: a son taken for his father by the contact tier is split off, and stays apart', () => {
  let school: SorAndTarget<RunningEmulator, RunningEmulator & { world: EposWorld }>;
  let ctx: JobContext;
  let target: RunningEmulator & { world: EposWorld };
  let fatherCanon = '';
  beforeAll(async () => {
    school = await sorAndTarget({ sor: 'dnevnik', target: 'epos', school: base, targetSchool: new SyntheticSchool(base.input, base.plan, onTarget), window: WINDOW, rosterOnly: true });
    ({ ctx, target } = school);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
  });

  /** The canonical person a dataset person's ЭПОС record is linked to. */
  const onTargetAs = async (datasetId: string) => {
    const profile = String(target.world.profileOf.get(datasetId));
    return (await ctx.store.resolve('epos', 't', 'person', [profile])).get(profile);
  };
  const sonRecord = () => ({ instance: 't', sourceId: String(target.world.profileOf.get(otherId)) });
  /** The canonical pupils of dataset pupils (each linked from ЭПОС). */
  const pupils = async (datasetIds: string[]) => (await Promise.all(datasetIds.map(onTargetAs))).sort();
  /** The pupils an adult is an active guardian of. */
  const childrenOf = async (personId: string) => [...new Set((await ctx.store.referencing('guardian_link', 'guardianId', [personId])).map((l) => (l as { studentId: string }).studentId))].sort();
  const sorPersonOf = async (datasetId: string) => {
    const named = [];
    const p = datasetPerson(datasetId);
    for await (const r of ctx.store.iterate('person', { status: 'active' })) if (r.entity === 'person' && r.familyName === p.familyName && r.givenName === p.givenName && r.birthDate === p.birthDate) named.push(r.id);
    expect(named).toHaveLength(1);
    return named[0];
  };

  it('before: the son is taken for his father — one person, the children of both', async () => {
    fatherCanon = await sorPersonOf(fatherId);
    expect(await onTargetAs(otherId)).toBe(fatherCanon);
    expect(kidsOf(fatherId).length).toBeGreaterThan(0);
    expect(kidsOf(otherId).length).toBeGreaterThan(0);
    expect(await childrenOf(fatherCanon)).toEqual(await pupils([...kidsOf(fatherId), ...kidsOf(otherId)]));
  });

  it('the split closes the son\'s link and releases what ЭПОС reported of him; nothing else changes until the next sync', async () => {
    const message = await splitPersonLink(ctx.store, { personId: fatherCanon, link: sonRecord(), runId: 'review-split-test' });
    expect(message).not.toMatch(new RegExp(father.familyName));
    expect(await onTargetAs(otherId)).toBeUndefined();
    expect((await personLinksOf(ctx.store, fatherCanon)).map((l) => l.instance)).toEqual(['sor']);
    // The son's children are no longer the father's; the father's own stay.
    expect(await childrenOf(fatherCanon)).toEqual(await pupils(kidsOf(fatherId)));
  });

  it('the next roster sync gives the son a person of his own with his children; each adult has exactly their own', async () => {
    await runJob('roster-sync', { schoolId: 's1', window: WINDOW }, ctx);
    const sonCanon = await onTargetAs(otherId);
    expect(sonCanon).toBeDefined();
    expect(sonCanon).not.toBe(fatherCanon);
    const son = await ctx.store.get(sonCanon!) as PersonRecord;
    expect(son).toMatchObject({ status: 'active', familyName: father.familyName, givenName: father.givenName });
    expect(son.birthDate).toBeUndefined();
    expect(await childrenOf(sonCanon!)).toEqual(await pupils(kidsOf(otherId)));
    expect(await childrenOf(fatherCanon)).toEqual(await pupils(kidsOf(fatherId)));
    // The other family's father on the system of record keeps his children there.
    expect(await childrenOf(await sorPersonOf(otherId))).toEqual(await pupils(kidsOf(otherId)));
    // The pair is decided: not proposed to the operator again.
    const pairs = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && [r.leftId, r.rightId].includes(fatherCanon) && [r.leftId, r.rightId].includes(sonCanon!));
    expect(pairs).toEqual([]);
  }, 120_000);

  it('a further roster sync does not link them again', async () => {
    const sonCanon = await onTargetAs(otherId);
    await runJob('roster-sync', { schoolId: 's1', window: WINDOW }, ctx);
    expect(await onTargetAs(otherId)).toBe(sonCanon);
    expect((await personLinksOf(ctx.store, fatherCanon)).map((l) => l.instance)).toEqual(['sor']);
    expect(await childrenOf(fatherCanon)).toEqual(await pupils(kidsOf(fatherId)));
    expect(await childrenOf(sonCanon!)).toEqual(await pupils(kidsOf(otherId)));
  }, 120_000);
});
