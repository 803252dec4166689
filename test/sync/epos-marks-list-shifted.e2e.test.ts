// ЭПОС pages its marks list (`page`/`per_page`) with no snapshot or cursor (docs/platforms/epos.md "Paging while the
// list changes"). A mark deleted on an earlier page while the read is between pages moves the first mark of the next
// page onto the page already read: that read never sees it. It is not deleted, so the run must not tombstone it, nor
// the push delete it from the target; the mark really deleted still ends tombstoned, and its delete pushed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { eposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import type { EMark } from '../../src/emulators/epos/world.js';
import { eposInstance } from '../../src/emulators/kit/gateway-yaml.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { markId } from '../../src/model/ids.js';
import { schoolContext } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
/** Small pages, so a window's marks come in several (the connector's least `perPage`). */
const PER_PAGE = 10;
const small = (e: { yaml: string; schoolId: string }) => ({ ...e, yaml: e.yaml.replace('options: { ', `options: { perPage: ${PER_PAGE}, `) });
/** A cell's marks (one pupil, one lesson) on an emulator. */
const cellOf = (e: EposEmulator, m: EMark) => [...e.world.marks.values()].filter((x) => x.student === m.student && x.lesson === m.lesson);

describe('ЭПОС system of record: a mark deleted between two page requests of one read', () => {
  let sor: EposEmulator;
  let target: EposEmulator;
  let ctx: JobContext;
  let victim: EMark;
  let unseen: EMark;
  /** ЭПОС mark id → canonical id, as linked before the night (a tombstone ends its record's link). */
  let canonical: Map<string, string>;
  const canonicalOf = async (m: EMark) => canonical.get(String(m.id))!;
  const night = async () => {
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    return { reads, push };
  };

  beforeAll(async () => {
    const school = generateSchool({ seed: 3, pupils: 20, weeks: 1 });
    sor = await eposEmulator.start({ dataset: school });
    target = await eposEmulator.start({ dataset: school, emptyJournal: true });
    ctx = await schoolContext({ sor: { instance: 'sor', entry: small(eposInstance('sor', sor, 500)) }, targets: [{ instance: 't', entry: eposInstance('t', target, 500) }] });
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    const first = await night();
    expect(first.push.pushed?.failed).toBe(0);
    canonical = await ctx.store.resolve('epos', 'sor', 'mark', [...sor.world.marks.keys()].map(String));
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    await sor?.close();
    await target?.close();
  });

  it('the mark pushed out of reach is not tombstoned and no delete of it is pushed', async () => {
    const alone = (m: EMark) => cellOf(sor, m).length === 1;
    // The first second-page request of the read: a lone mark of page 1 (no slot renumbering) goes just before it.
    sor.onMarksPage(({ page, perPage, marks }) => {
      if (page !== 2 || perPage !== PER_PAGE || victim) return;
      const v = marks.slice(0, PER_PAGE).find(alone);
      if (!v || !marks[PER_PAGE] || !alone(marks[PER_PAGE])) return;
      victim = v;
      unseen = marks[PER_PAGE];
      sor.world.marks.delete(v.id);
    });
    const { reads, push } = await night().finally(() => sor.onMarksPage(undefined));
    expect(victim).toBeDefined();
    expect(push.pushed?.failed).toBe(0);
    const id = await canonicalOf(unseen);
    expect((await ctx.store.get(id))?.status).toBe('active');
    expect((await ctx.store.ledgerLastConfirmed('t', 'mark', [id])).get(id)?.op).not.toBe('delete');
    // The system of record's read knew its list shifted, and deleted nothing.
    expect(reads[0].deletesRefused).toMatch(/partial read \(the list changed between two of its page requests\)/);
    // No read of this night restored it: it was never gone.
    expect(reads.reduce((k, s) => k + s.restored, 0)).toBe(0);
  }, 180_000);

  it('the mark really deleted is tombstoned and its delete pushed, at the latest at the next read', async () => {
    expect(victim).toBeDefined();
    await night();
    const id = await canonicalOf(victim);
    expect((await ctx.store.get(id))?.status).toBe('deleted');
    expect((await ctx.store.ledgerLastConfirmed('t', 'mark', [id])).get(id)?.op).toBe('delete');
    expect((await ctx.store.get(await canonicalOf(unseen)))?.status).toBe('active');
  }, 180_000);

  it('a mark listed again after one came before the boundary is one mark, not a retake of itself; the new mark comes at the next read', async () => {
    const all = () => [...sor.world.marks.values()];
    const alone = (m: EMark) => cellOf(sor, m).length === 1;
    let twice: EMark | undefined;
    let inserted: EMark | undefined;
    // The first second-page request: a new mark with the lowest id goes first (a host listing newest first), so the
    // last mark of page 1 is listed again at the top of page 2.
    sor.onMarksPage(({ page, perPage, marks, insert }) => {
      if (page !== 2 || perPage !== PER_PAGE || twice) return;
      const last = marks[PER_PAGE - 1];
      if (!last || !alone(last)) return;
      // A pupil of the listed lessons' groups with no mark yet in one of them: where the new mark is set.
      const free = marks.flatMap((x) => [...sor.world.groups.get(x.group)!.students].map((student) => ({ ...x, student })))
        .find((c) => !all().some((x) => x.student === c.student && x.lesson === c.lesson));
      if (!free) return;
      twice = last;
      inserted = { ...free, id: Math.min(...all().map((x) => x.id)) - 1 };
      insert(inserted);
    });
    const { reads, push } = await night().finally(() => sor.onMarksPage(undefined));
    expect(twice).toBeDefined();
    expect(push.pushed?.failed).toBe(0);
    expect(reads[0].deletesRefused).toMatch(/partial read \(the list changed between two of its page requests\)/);
    const [[, first]] = [...await ctx.store.resolve('epos', 'sor', 'mark', [String(twice!.id)])];
    const stored = await ctx.store.get(first) as unknown as { slot: number; studentId: string; lessonId: string; status: string };
    expect(stored).toMatchObject({ slot: 1, status: 'active' });
    // No second mark in its cell: not quarantined as a retake of itself for an operator to look into, not
    // stored, and none pushed to the target.
    expect(reads[0].quarantineReasons).toEqual({});
    expect(await ctx.store.get(markId(stored.studentId, stored.lessonId, 2))).toBeNull();
    expect([...target.world.marks.values()].filter((x) => x.student === twice!.student && x.lesson === twice!.lesson)).toHaveLength(1);
    // The mark that came in between is read, stored and pushed at the next read.
    await night();
    const [[, added]] = [...await ctx.store.resolve('epos', 'sor', 'mark', [String(inserted!.id)])];
    expect((await ctx.store.get(added))?.status).toBe('active');
    expect((await ctx.store.ledgerLastConfirmed('t', 'mark', [added])).get(added)?.op).toBe('create');
  }, 180_000);
});

// The same shift on a push target's read (target-deletes.ts): the mark pushed out of reach is not "deleted here by
// hand" — no deletion on the target is reported or put to an operator for it — and the target still holds it once.
describe('ЭПОС push target: a mark deleted by hand between two page requests of its read', () => {
  let sor: EposEmulator;
  let target: EposEmulator;
  let ctx: JobContext;
  const night = async () => {
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    return { target: reads.find((r) => r.instance === 't')!, push };
  };

  beforeAll(async () => {
    const school = generateSchool({ seed: 4, pupils: 20, weeks: 1 });
    sor = await eposEmulator.start({ dataset: school });
    target = await eposEmulator.start({ dataset: school, emptyJournal: true });
    ctx = await schoolContext({ sor: { instance: 'sor', entry: eposInstance('sor', sor, 500) }, targets: [{ instance: 't', entry: small(eposInstance('t', target, 500)) }] });
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    expect((await night()).push.pushed?.failed).toBe(0);
    expect(target.world.marks.size).toBeGreaterThan(PER_PAGE * 2);
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    await sor?.close();
    await target?.close();
  });

  it('the mark out of reach is not written again; the one really deleted is, at the next read', async () => {
    let victim: EMark | undefined;
    let unseen: EMark | undefined;
    const alone = (m: EMark) => cellOf(target, m).length === 1;
    target.onMarksPage(({ page, perPage, marks }) => {
      if (page !== 2 || perPage !== PER_PAGE || victim) return;
      const v = marks.slice(0, PER_PAGE).find(alone);
      if (!v || !marks[PER_PAGE] || !alone(marks[PER_PAGE])) return;
      victim = v;
      unseen = marks[PER_PAGE];
      target.world.marks.delete(v.id);
    });
    const first = await night().finally(() => target.onMarksPage(undefined));
    expect(victim).toBeDefined();
    expect(first.target.deletesRefused).toMatch(/partial read \(the list changed between two of its page requests\): no record is taken as deleted here by hand/);
    expect(first.target.deletedOnTarget).toBeUndefined();
    expect(cellOf(target, unseen!)).toHaveLength(1);
    // The next read sees the hand deletion whole: the system of record's mark is written there again, once.
    const next = await night();
    expect(next.target.deletedOnTarget?.count).toBe(1);
    await night();
    expect(cellOf(target, victim!)).toHaveLength(1);
    expect(cellOf(target, unseen!)).toHaveLength(1);
  }, 180_000);
});
