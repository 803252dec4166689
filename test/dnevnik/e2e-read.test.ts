import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { parseRecord } from '../../src/model/records.js';
import { COMPARED, DNEVNIK_IGNORE_FIELDS, expectedRecords, readAndMap } from './harness.js';

let school: SyntheticSchool;
let emu: DnevnikEmulator;
let from: string;
let to: string;

beforeAll(async () => {
  school = generateSchool({ seed: 5, pupils: 44, weeks: 2 });
  emu = await startDnevnikEmulator({ dataset: school });
  const dates = school.all('lesson').map((l) => l.date).sort();
  [from, to] = [dates[0], dates.at(-1)!];
});
afterAll(() => emu?.close());

describe('Дневник.ру end to end: the whole synthetic school through the emulator', () => {
  it('reads every person, section, lesson, work, mark, attendance record and final mark with zero differences', async () => {
    const res = await readAndMap(emu, from, to);
    const expected = expectedRecords(school.records, from, to);
    const report = compareRecords(expected, res.records, { entities: COMPARED, ignoreFields: DNEVNIK_IGNORE_FIELDS });
    expect(res.quarantine).toEqual([]);
    expect(report.differences.slice(0, 10)).toEqual([]);
    for (const e of COMPARED) {
      const c = report.compared[e];
      if (e !== 'final_mark') expect(c?.expected, e).toBeGreaterThan(0);
      expect(c?.equal ?? 0, e).toBe(c?.expected ?? 0);
    }
    for (const r of res.records) parseRecord(r); // every mapped record is a valid canonical record
  });
});

describe('Дневник.ру end to end: final marks over a whole quarter', () => {
  it('reads the quarter final marks (hyphenated keys) with zero differences', async () => {
    const big = generateSchool({ seed: 9, pupils: 24, weeks: 9 });
    const e = await startDnevnikEmulator({ dataset: big });
    try {
      const dates = big.all('lesson').map((l) => l.date).sort();
      const res = await readAndMap(e, dates[0], dates.at(-1)!, undefined);
      const expected = expectedRecords(big.records, dates[0], dates.at(-1)!);
      const report = compareRecords(expected, res.records, { entities: ['final_mark', 'mark'], ignoreFields: DNEVNIK_IGNORE_FIELDS });
      expect(report.differences.slice(0, 10)).toEqual([]);
      expect(report.compared.final_mark.expected).toBeGreaterThan(20);
      expect(report.compared.final_mark.equal).toBe(report.compared.final_mark.expected);
    } finally {
      await e.close();
    }
  }, 60_000);

  it('a client that trusts JSON.parse of the int64 `id` gets other ids (the emulator issues ids above 2^53)', async () => {
    const body = await (await fetch(`${emu.baseUrl}/v2/authorizations/bycredentials`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: emu.info.clientId, client_secret: emu.info.clientSecret, username: emu.info.accounts[0].login, password: emu.info.accounts[0].password }),
    })).json() as { accessToken: string };
    const groups = await (await fetch(`${emu.baseUrl}/v2/schools/${String(emu.info.schoolId)}/edu-groups`, { headers: { 'Access-Token': body.accessToken } })).json() as { id: number; id_str: string }[];
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      expect(BigInt(g.id_str) > 2n ** 53n).toBe(true);
      expect(String(g.id)).not.toBe(g.id_str); // lossy
    }
    // Mapping with the lossy ids instead of the twins finds nothing in the crosswalk.
    const known = new Set(emu.crosswalk().map((x) => x.sourceId));
    expect(groups.filter((g) => known.has(String(g.id)))).toEqual([]);
    expect(groups.filter((g) => known.has(g.id_str)).length).toBe(groups.filter((g) => (g as unknown as { type: string }).type === 'Group').length);
  });
});
