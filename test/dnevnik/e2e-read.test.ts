import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { int64Of } from '../../src/emulators/dnevnik/int64.js';
import { useEmulatedSchool, withEmulatedSchool } from '../support/emulated-school.js';
import { expectSameSchool } from '../support/expect-same-school.js';
import { COMPARED, DNEVNIK_IGNORE_FIELDS, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startDnevnikEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 5, pupils: 44, weeks: 2 });

describe('Дневник.ру end to end: the whole synthetic school through the emulator', () => {
  it('reads every person, section, lesson, work, mark, attendance record and final mark with zero differences', async () => {
    const res = await readAndMap(s.emu, s.from, s.to);
    expectSameSchool(expectedRecords(s.school.records, s.from, s.to), res, { entities: COMPARED, ignoreFields: DNEVNIK_IGNORE_FIELDS });
  });

  it('homework comes in as the lesson\'s homework works: every text and due date, and no homework becomes a journal column', async () => {
    const res = await readAndMap(s.emu, s.from, s.to);
    type L = { id: string; date: string; homework?: { text?: string; dueDate?: string } };
    const read = new Map(res.records.filter((r) => r.entity === 'lesson').map((r) => [r.id, r as unknown as L]));
    const expected = (s.school.records.filter((r) => r.entity === 'lesson') as unknown as L[]).filter((l) => l.date >= s.from && l.date <= s.to && l.homework?.text);
    expect(expected.length).toBeGreaterThan(50);
    for (const l of expected) expect(read.get(l.id)?.homework, l.id).toEqual({ text: l.homework!.text, notAssigned: false, dueDate: l.homework!.dueDate, attachments: [] });
    // «Не задано» has no form on Дневник.ру: such a lesson reads back without homework.
    const notAssigned = (s.school.records.filter((r) => r.entity === 'lesson') as unknown as (L & { homework?: { notAssigned?: boolean } })[])
      .find((l) => l.date >= s.from && l.date <= s.to && l.homework?.notAssigned);
    if (notAssigned) expect(read.get(notAssigned.id)?.homework).toBeUndefined();
    expect(res.records.filter((r) => r.entity === 'work').length).toBe(expectedRecords(s.school.records, s.from, s.to).filter((r) => r.entity === 'work').length);
  });
});

describe('Дневник.ру end to end: final marks over a whole quarter', () => {
  it('reads the quarter final marks (hyphenated keys) with zero differences', async () => {
    await withEmulatedSchool(start, { seed: 9, pupils: 24, weeks: 9 }, async ({ school, emu, from, to }) => {
      const res = await readAndMap(emu, from, to);
      const report = expectSameSchool(expectedRecords(school.records, from, to), res, { entities: ['final_mark', 'mark'], ignoreFields: DNEVNIK_IGNORE_FIELDS });
      expect(report.compared.final_mark.expected).toBeGreaterThan(20);
    });
  }, 60_000);

  it('a client that trusts JSON.parse of the int64 `id` gets other ids (the emulator issues ids above 2^53)', async () => {
    const body = await (await fetch(`${s.emu.baseUrl}/v2/authorizations/bycredentials`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: s.emu.info.clientId, client_secret: s.emu.info.clientSecret, username: s.emu.info.accounts[0].login, password: s.emu.info.accounts[0].password }),
    })).json() as { accessToken: string };
    const groups = await (await fetch(`${s.emu.baseUrl}/v2/schools/${String(s.emu.info.schoolId)}/edu-groups`, { headers: { 'Access-Token': body.accessToken } })).json() as { id: number; id_str: string }[];
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      expect(BigInt(g.id_str) > 2n ** 53n).toBe(true);
      expect(String(g.id)).not.toBe(g.id_str); // lossy
    }
    // Mapping with the lossy ids instead of the twins finds nothing in the crosswalk.
    const known = new Set(s.emu.crosswalk().map((x) => x.sourceId));
    expect(groups.filter((g) => known.has(String(g.id)))).toEqual([]);
    expect(groups.filter((g) => known.has(g.id_str)).length).toBe(groups.filter((g) => (g as unknown as { type: string }).type === 'Group').length);
  });
});

describe('[U] Дневник.ру marks dated by the day they were set (docs/platforms/dnevnik.md "Mark dates")', () => {
  const setDay = (dataset: SyntheticSchool) => startDnevnikEmulator({ dataset, markDates: 'set-day' });
  type M = { id: string; markDate: string; recordedAt: string };
  /** The day a mark was set, in the school's zone (UTC+3 for the dataset's default school: compared by platform). */
  const setDayOf = (emu: { world: { marks: Map<bigint, { date: string }> } }, m: M) => emu.world.marks.get(int64Of(m.id))!.date.slice(0, 10);

  it('a whole read keeps each mark in its lesson\'s column, marks set in a later week too: zero differences', async () => {
    await withEmulatedSchool(setDay, { seed: 9, pupils: 24, weeks: 9 }, async ({ school, emu, from, to }) => {
      const marks = school.records.filter((r) => r.entity === 'mark') as unknown as M[];
      const late = marks.filter((m) => setDayOf(emu, m) > m.markDate);
      expect(late.length).toBeGreaterThan(5);
      // A read by set day cannot see a mark set after its last day (the next night's read does).
      const after = new Set(marks.filter((m) => setDayOf(emu, m) > to).map((m) => m.id));
      const res = await readAndMap(emu, from, to);
      expect(res.quarantine).toEqual([]);
      const report = expectSameSchool(expectedRecords(school.records, from, to).filter((r) => !after.has(r.id)), res, { entities: ['mark'], ignoreFields: DNEVNIK_IGNORE_FIELDS });
      expect(report.compared.mark.expected).toBe(marks.filter((m) => m.markDate >= from && m.markDate <= to).length - after.size);
    });
  }, 60_000);

  it('a read of one day alone (a nightly delta) reads the earlier lessons of its late marks by id, and dates those marks by their lesson', async () => {
    await withEmulatedSchool(setDay, { seed: 9, pupils: 24, weeks: 9 }, async ({ school, emu }) => {
      const marks = school.records.filter((r) => r.entity === 'mark') as unknown as M[];
      // The day the latest late mark was set: its lesson, and maybe others, lie before the read.
      const day = marks.map((m) => setDayOf(emu, m)).filter((d, i) => d > marks[i].markDate).sort().at(-1)!;
      const [from, to] = [day, day];
      const lateHere = marks.filter((m) => m.markDate < from && setDayOf(emu, m) === day);
      expect(lateHere.length).toBeGreaterThan(0);
      const res = await readAndMap(emu, from, to);
      expect(res.quarantine).toEqual([]);
      expect(emu.stats().byRoute['POST lessons/many'] ?? Object.entries(emu.stats().byRoute).find(([k]) => k.includes('lessons/many'))?.[1]).toBeGreaterThan(0);
      // The read's marks by platform id: every late one is in its lesson's column.
      const read = new Map(res.records.filter((r) => r.entity === 'mark').map((r) => [r.sourceRefs[0].sourceId, r as unknown as M]));
      for (const m of lateHere) expect(read.get(String(int64Of(m.id)))?.markDate, m.id).toBe(m.markDate);
    });
  }, 60_000);
});
