import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
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
