// The nightly journal plan (docs/sync.md "Nightly delta"): the recent window every night, one older slice per
// night rotating over the school year, and a signpost that makes a run after an outage reach back far enough.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/model/dates.js';
import { daysBetween, nightlyFinalsDue, nightlyReads, planNightly, schoolYearStart, type NightlyReads } from '../../src/sync/nightly-plan.js';

describe('nightly journal plan', () => {
  it('the school year starts on 1 September, also for a date in spring', () => {
    expect(schoolYearStart('2025-10-20')).toBe('2025-09-01');
    expect(schoolYearStart('2026-03-02')).toBe('2025-09-01');
    expect(schoolYearStart('2026-09-01')).toBe('2026-09-01');
  });

  it('first night: the recent window, and the sweep starts at 1 September', () => {
    const p = planNightly({ today: '2025-10-26', windowDays: 6, sweepDays: 7 });
    expect(p.recent).toEqual({ from: '2025-10-20', to: '2025-10-26' });
    expect(p.sweep).toEqual({ from: '2025-09-01', to: '2025-09-07' });
    // 1 Sep … 19 Oct is 49 days: seven slices of seven days.
    expect(p.sweepCycleNights).toBe(7);
  });

  it('the sweep continues after its signpost and wraps round to 1 September after the last older day', () => {
    expect(planNightly({ today: '2025-10-26', windowDays: 6, sweepDays: 7, sweepSignpost: '2025-09-07' }).sweep).toEqual({ from: '2025-09-08', to: '2025-09-14' });
    expect(planNightly({ today: '2025-10-26', windowDays: 6, sweepDays: 10, sweepSignpost: '2025-10-10' }).sweep).toEqual({ from: '2025-10-11', to: '2025-10-19' });
    expect(planNightly({ today: '2025-10-26', windowDays: 6, sweepDays: 7, sweepSignpost: '2025-10-19' }).sweep).toEqual({ from: '2025-09-01', to: '2025-09-07' });
    // A signpost of last school year starts the new year's sweep from its beginning.
    expect(planNightly({ today: '2025-10-26', windowDays: 6, sweepDays: 7, sweepSignpost: '2025-05-20' }).sweep?.from).toBe('2025-09-01');
  });

  it('every older day is swept once per cycle', () => {
    const seen = new Set<string>();
    let sweepSignpost: string | undefined;
    const first = planNightly({ today: '2026-03-15', windowDays: 14, sweepDays: 14 });
    for (let night = 0; night < first.sweepCycleNights; night++) {
      const p = planNightly({ today: '2026-03-15', windowDays: 14, sweepDays: 14, sweepSignpost });
      for (let d = new Date(`${p.sweep!.from}T00:00:00Z`); d <= new Date(`${p.sweep!.to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) seen.add(d.toISOString().slice(0, 10));
      sweepSignpost = p.sweep!.to;
    }
    // 1 Sep 2025 … 28 Feb 2026: every day, nothing from the recent window.
    expect(seen.size).toBe(181);
    expect([...seen].sort()[0]).toBe('2025-09-01');
    expect([...seen].sort().at(-1)).toBe('2026-02-28');
  });

  it('with the days going by, the sweep comes round to 1 September again and again: every day read within a cycle and a night of the read before', () => {
    // Before, a cycle's last slice ended at that night's sweep end, which moved on every night: the next slice began
    // the day after it, so the sweep crept along the edge a day at a time and never came back to September.
    for (const [windowDays, sweepDays, every] of [[14, 28, 1], [14, 28, 2], [6, 14, 1], [14, 14, 2]] as const) {
      let sweepSignpost: string | undefined;
      const lastRead = new Map<string, string>(); // day → the last night the sweep or the recent window read it
      const yearStart = '2025-09-01';
      for (let night = 0, today = '2025-10-13'; today <= '2026-05-25'; night++, today = addDays(today, 1)) {
        const p = planNightly({ today, windowDays, sweepDays, sweepSignpost });
        for (let d = p.recent.from; d <= p.recent.to; d = addDays(d, 1)) lastRead.set(d, today);
        if (p.sweep && night % every === 0) {
          for (let d = p.sweep.from; d <= p.sweep.to; d = addDays(d, 1)) lastRead.set(d, today);
          sweepSignpost = p.sweep.to;
        }
        // Once the first cycle is done: every day since 1 September was read within the last cycle (plus a night;
        // twice that with a slice every other night).
        const bound = (p.sweepCycleNights + 1) * every;
        if (night < 2 * bound) continue;
        for (let d = yearStart; d <= today; d = addDays(d, 1)) {
          const ago = daysBetween(lastRead.get(d) ?? yearStart, today);
          if (ago > bound) throw new Error(`${windowDays}/${sweepDays}/${every}: on ${today} the day ${d} was last read ${ago} nights ago (bound ${bound})`);
        }
      }
    }
  });

  it('after an outage the recent window reaches back to the last stored day, minus one day of overlap', () => {
    const p = planNightly({ today: '2025-10-26', windowDays: 6, sweepDays: 7, recentSignpost: '2025-10-10' });
    expect(p.recent).toEqual({ from: '2025-10-09', to: '2025-10-26' });
    // A recent signpost never reaches into last school year.
    expect(planNightly({ today: '2025-09-03', windowDays: 6, sweepDays: 7, recentSignpost: '2025-05-30' }).recent.from).toBe('2025-09-01');
  });

  it('early in the year there is nothing older to sweep; journalSweepDays 0 turns the sweep off', () => {
    expect(planNightly({ today: '2025-09-05', windowDays: 14, sweepDays: 7 }).sweep).toBeUndefined();
    const off = planNightly({ today: '2025-12-05', windowDays: 14, sweepDays: 0 });
    expect(off.sweep).toBeUndefined();
    expect(off.sweepCycleNights).toBe(0);
  });

  it('refuses a window shorter than a day, naming the setting', () => {
    expect(() => planNightly({ today: '2025-12-05', windowDays: 0, sweepDays: 7 })).toThrow(/journalWindowDays/);
  });

  describe('final marks', () => {
    // Quarter ends of 2025/26 (Friday before each holiday) and the year's end.
    const ends = ['2025-10-24', '2025-12-26', '2026-03-20', '2026-05-26', '2026-05-31'];
    const night = (today: string, sweepSignpost?: string) => planNightly({ today, windowDays: 14, sweepDays: 28, sweepSignpost });

    it('are read while a period end lies in the recent window or a week ahead of it, and not in mid-term', () => {
      expect(nightlyFinalsDue(ends, night('2025-10-18'))).toBe(true); // the quarter ends in 6 days: marks are being set
      expect(nightlyFinalsDue(ends, night('2025-11-07'))).toBe(true); // ended 14 days ago: late entries
      expect(nightlyFinalsDue(ends, night('2025-11-20', '2025-10-26'))).toBe(false); // mid-term, sweep 27 Oct … 5 Nov
    });

    it('are read again when the sweep slice holds a period end: a late correction is found within one cycle', () => {
      // The night whose slice (29 Sep … 26 Oct) holds 24 Oct reads them; a mid-term night with another slice does not.
      expect(nightlyFinalsDue(ends, night('2025-12-05', '2025-09-28'))).toBe(true);
      expect(nightlyFinalsDue(ends, night('2025-12-05', '2025-10-26'))).toBe(false);
      // Over one cycle in mid-term, exactly the nights whose slice holds a past end read them.
      let signpost: string | undefined;
      const reads: string[] = [];
      const first = night('2026-02-10');
      for (let n = 0; n < first.sweepCycleNights; n++) {
        const plan = night('2026-02-10', signpost);
        if (nightlyFinalsDue(ends, plan)) reads.push(plan.sweep!.from);
        signpost = plan.sweep!.to;
      }
      expect(reads.length).toBe(2); // the slices holding 24 Oct and 26 Dec
    });

    it('with no period known yet, every night reads them', () => {
      expect(nightlyFinalsDue([], night('2025-11-20'))).toBe(true);
    });
  });

  describe('one extra a night: the sweep slice or the final marks', () => {
    const ends = ['2025-10-24', '2025-12-26', '2026-03-20', '2026-05-26', '2026-05-31'];
    // Requests of a 1,000-pupil Дневник.ру school (bench/nightly-year.ts): set-up, 3 a group for each range, 1 a group for final marks.
    const cost = (r: NightlyReads) => 49 + 372 + (r.sweep ? 372 : 0) + (r.finals ? 124 : 0);

    it('a night never reads both; when both are due the slice goes first and the final marks the next night', () => {
      const plan = planNightly({ today: '2026-05-20', windowDays: 14, sweepDays: 28 });
      expect(nightlyReads(plan, true, false)).toEqual({ sweep: plan.sweep, finals: false, finalsOwed: true });
      expect(nightlyReads(plan, true, true)).toEqual({ finals: true, finalsOwed: false });
      expect(nightlyReads(plan, false, true)).toEqual({ finals: true, finalsOwed: false }); // owed, though no longer due
      expect(nightlyReads(plan, false, false)).toEqual({ sweep: plan.sweep, finals: false, finalsOwed: false });
      expect(nightlyReads({}, true, false)).toEqual({ finals: true, finalsOwed: false });
    });

    // Walks every night of a school year as journal-nightly.ts runs it; a slice is due every `every` nights.
    const walk = (every: number, finals = true) => {
      let [signpost, owed, sinceSweep] = [undefined as string | undefined, false, every];
      const nights: { day: string; reads: NightlyReads; finalsDue: boolean }[] = [];
      for (let day = '2025-09-02'; day <= '2026-05-31'; day = addDays(day, 1)) {
        const plan = planNightly({ today: day, windowDays: 14, sweepDays: sinceSweep >= every ? 28 : 0, sweepSignpost: signpost });
        const finalsDue = finals && nightlyFinalsDue(ends, plan);
        const reads = nightlyReads(plan, finalsDue, owed);
        nights.push({ day, reads, finalsDue });
        owed = reads.finalsOwed;
        sinceSweep = reads.sweep ? 1 : sinceSweep + 1;
        if (reads.sweep) signpost = reads.sweep.to;
      }
      return nights;
    };

    it('over a school year no night costs more than a sweep night, and no due final marks wait more than a night', () => {
      for (const every of [1, 2]) {
        const nights = walk(every);
        expect(Math.max(...nights.map((n) => cost(n.reads)))).toBe(49 + 372 + 372);
        nights.forEach((n, i) => { if (n.finalsDue && !n.reads.finals) expect(nights[i + 1]?.reads.finals ?? true).toBe(true); });
      }
    });

    it('with a slice every other night (the default) the sweep is never held back: final marks fall between slices', () => {
      const nights = walk(2);
      const sweptOn = (list: typeof nights) => list.filter((n) => n.reads.sweep).map((n) => `${n.day} ${n.reads.sweep!.from}`);
      expect(sweptOn(nights)).toEqual(sweptOn(walk(2, false))); // the same slices on the same nights as with no final marks at all
      expect(nights.filter((n) => n.finalsDue).every((n) => n.reads.finals || n.reads.finalsOwed)).toBe(true);
    });

    it('with a slice every night the sweep waits only on nights that read final marks', () => {
      const nights = walk(1);
      for (const n of nights) if (!n.reads.sweep) expect(n.reads.finals || planNightly({ today: n.day, windowDays: 14, sweepDays: 28 }).sweep === undefined).toBe(true);
    });
  });
});
