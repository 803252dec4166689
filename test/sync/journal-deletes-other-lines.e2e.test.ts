// A journal read of the system of record deletes nothing when a page or record of it could not be mapped: a mark or
// absence it lacks may be the one it could not map (partial-read.ts). A line about something else — a final mark, a
// roster record, a group the platform refused (Дневник.ру's last-year groups, every autumn night) — hides no mark or
// absence. Before, any such line refused the whole run's journal deletes, so one final mark that failed its check
// every night kept every mark a teacher deleted in the store and on the push targets for good. A mark's own line holds
// its cell only (journal-deletes-held-cells.e2e.test.ts); one naming no cell still refuses (read-completeness.test.ts).
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

  const inWindow = (m: EMark) => { const d = s.sor.world.schedule.get(m.lesson)!.date; return d >= window.from && d <= window.to; };
  /** A mark of the read window alone in its cell (no retake renumbered when it goes). */
  const lone = () => {
    const marks = [...s.sor.world.marks.values()];
    return marks.find((m) => inWindow(m) && marks.filter((x) => x.student === m.student && x.lesson === m.lesson).length === 1)!;
  };
  const night = async () => {
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, s.ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, s.ctx);
    return { sor: reads.find((r) => r.instance === 'sor')!, push };
  };
  const canonicalOf = async (m: EMark) => (await s.ctx.store.resolve('epos', 'sor', 'mark', [String(m.id)])).get(String(m.id))!;

  it('a final mark that fails its check does not keep a deleted mark: it is tombstoned and its delete pushed', async () => {
    const finals = [...s.sor.world.finals.values()].flat();
    expect(finals.length).toBeGreaterThan(0);
    finals[0].value = ''; // the platform's final mark no longer passes its schema: quarantined, night after night
    const gone = lone();
    const id = await canonicalOf(gone);
    s.sor.world.marks.delete(gone.id);
    const { sor, push } = await night();
    expect(sor.quarantined).toBeGreaterThan(0);
    expect(sor.deletesRefused).toBeUndefined();
    expect(sor.deleted).toBe(1);
    expect((await s.ctx.store.get(id))?.status).toBe('deleted');
    expect(push.pushed?.failed).toBe(0);
    expect((await s.ctx.store.ledgerLastConfirmed('t', 'mark', [id])).get(id)?.op).toBe('delete');
  }, 180_000);
});
