// A mark or absence the mapper could not map hides at most what its own cell (pupil × lesson) holds: its line names the
// cell, and the journal deletes — the system of record's, and a push target's "deleted here by hand" — leave that cell
// alone and judge the rest of the read. Before, one mark failing its check every night (an ЭПОС mark on a 10-point
// scale, an unknown control form) refused every journal delete of its school: each mark a teacher deleted stayed in
// the store and on the targets for as long as the bad mark stayed on the platform. A line about something else — a
// final mark, a roster record, a group the platform refused (Дневник.ру's last-year groups, every autumn night) — hides
// no mark or absence at all; a line naming no cell still refuses (read-completeness.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EposEmulator } from '../../src/emulators/epos/index.js';
import type { EMark } from '../../src/emulators/epos/world.js';
import { runJob } from '../../src/jobs/processors.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('journal deletes beside a line that could not be mapped', () => {
  let s: SorAndTarget<EposEmulator, EposEmulator>;
  beforeAll(async () => {
    s = await sorAndTarget({ sor: 'epos', target: 'epos', school: generateSchool({ seed: 5, pupils: 12, weeks: 9 }), window });
    expect((await runJob('grade-push', { schoolId: 's1', window }, s.ctx))[0].pushed?.failed).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  const inWindow = (m: EMark, on: EposEmulator) => { const d = on.world.schedule.get(m.lesson)?.date; return d !== undefined && d >= window.from && d <= window.to; };
  /** Marks of the read window alone in their cells (no retake renumbered when one goes), each in a cell of its own. */
  const lone = (on: EposEmulator, n: number) => {
    const marks = [...on.world.marks.values()];
    const out: EMark[] = [];
    for (const m of marks) {
      if (!inWindow(m, on) || marks.filter((x) => x.student === m.student && x.lesson === m.lesson).length !== 1) continue;
      if (out.some((x) => x.student === m.student || x.lesson === m.lesson)) continue;
      out.push(m);
      if (out.length === n) break;
    }
    expect(out).toHaveLength(n);
    return out;
  };
  const night = async () => {
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, s.ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, s.ctx);
    return { sor: reads.find((r) => r.instance === 'sor')!, target: reads.find((r) => r.instance === 't')!, push };
  };
  /** A night whose system-of-record read deletes `goneId` and keeps `heldId`, the record of the line it could not map. */
  const nightBeside = async (goneId: string, heldId: string) => {
    const r = await night();
    expect(r.sor.deletesRefused).toBeUndefined();
    expect((await s.ctx.store.get(goneId))?.status).toBe('deleted');
    expect((await s.ctx.store.get(heldId))?.status).toBe('active');
    return r;
  };
  const canonicalOf = async (instance: 'sor' | 't', m: EMark) => (await s.ctx.store.resolve('epos', instance, 'mark', [String(m.id)])).get(String(m.id))!;

  it('a final mark that fails its check does not keep a deleted mark: it is tombstoned and its delete pushed', async () => {
    const finals = [...s.sor.world.finals.values()].flat();
    expect(finals.length).toBeGreaterThan(0);
    finals[0].value = ''; // the platform's final mark no longer passes its schema: quarantined, night after night
    const [gone] = lone(s.sor, 1);
    const id = await canonicalOf('sor', gone);
    s.sor.world.marks.delete(gone.id);
    const { sor, push } = await night();
    expect(sor.quarantined).toBeGreaterThan(0);
    expect(sor.deletesRefused).toBeUndefined();
    expect(sor.deleted).toBe(1);
    expect((await s.ctx.store.get(id))?.status).toBe('deleted');
    expect(push.pushed?.failed).toBe(0);
    expect((await s.ctx.store.ledgerLastConfirmed('t', 'mark', [id])).get(id)?.op).toBe('delete');
  }, 180_000);

  it('a mark failing its check holds its own cell only: a mark deleted elsewhere is tombstoned and its delete pushed', async () => {
    const [gone, bad] = lone(s.sor, 2);
    const goneId = await canonicalOf('sor', gone);
    const badId = await canonicalOf('sor', bad);
    expect((await s.ctx.store.get(badId))?.status).toBe('active');
    s.sor.world.marks.delete(gone.id);
    bad.original = 'десять'; // not a mark of any scale: quarantined on the marks route, night after night
    bad.five = null;
    // The mark it could not read is not taken for deleted: the store keeps the value it last read.
    const { sor, push } = await nightBeside(goneId, badId);
    expect(sor.quarantined).toBeGreaterThan(0);
    expect(sor.deleted).toBe(1);
    expect(push.pushed?.failed).toBe(0);
    expect((await s.ctx.store.ledgerLastConfirmed('t', 'mark', [goneId])).get(goneId)?.op).toBe('delete');
    expect((await s.ctx.store.ledgerLastConfirmed('t', 'mark', [badId])).get(badId)?.op).not.toBe('delete');
  }, 180_000);

  it('a mark failing its schema holds the pupil and lesson its raw record names', async () => {
    const [gone, bad] = lone(s.sor, 2);
    const goneId = await canonicalOf('sor', gone);
    const badId = await canonicalOf('sor', bad);
    s.sor.world.marks.delete(gone.id);
    bad.weight = 500; // outside the schema's 0…100
    await nightBeside(goneId, badId);
  }, 180_000);

  it('a mark moved to another lesson that fails its check there is held by its own platform id: its stored copy in the old lesson stays', async () => {
    const [gone] = lone(s.sor, 1);
    const marks = [...s.sor.world.marks.values()];
    const lessons = [...s.sor.world.schedule.values()];
    // A mark alone in its cell and another lesson of its group in the window where its pupil has no mark: the line
    // names that cell, not the one the mark is stored in.
    const moves = marks.filter((m) => inWindow(m, s.sor) && m.student !== gone.student && m.lesson !== gone.lesson
      && marks.filter((x) => x.student === m.student && x.lesson === m.lesson).length === 1).flatMap((m) => {
      const to = lessons.find((l) => l.group === s.sor.world.schedule.get(m.lesson)!.group && l.id !== m.lesson && l.id !== gone.lesson
        && l.date >= window.from && l.date <= window.to && !marks.some((x) => x.student === m.student && x.lesson === l.id));
      return to ? [{ bad: m, to }] : [];
    });
    expect(moves.length).toBeGreaterThan(0);
    const { bad, to } = moves[0];
    const goneId = await canonicalOf('sor', gone);
    const badId = await canonicalOf('sor', bad);
    s.sor.world.marks.delete(gone.id);
    bad.lesson = to.id;
    bad.original = 'десять';
    bad.five = null;
    await nightBeside(goneId, badId);
  }, 180_000);

  it('on a push target, a mark failing its check there does not hide a mark deleted there by hand', async () => {
    const [byHand, bad] = lone(s.target, 2);
    const byHandId = await canonicalOf('t', byHand);
    s.target.world.marks.delete(byHand.id);
    bad.original = 'десять';
    bad.five = null;
    const { target } = await night();
    expect(target.deletesRefused).toBeUndefined();
    expect(target.deletedOnTarget?.count).toBe(1);
    expect(target.deletedOnTarget?.sample.map((x) => x.id)).toEqual([byHandId]);
  }, 180_000);
});
