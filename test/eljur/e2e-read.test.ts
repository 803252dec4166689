import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator, type EljurEmulator } from '../../src/emulators/eljur/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { parseRecord } from '../../src/model/records.js';
import { COMPARED, ELJUR_IGNORE_FIELDS, connectorFor, expectedRecords, readAndMap } from './harness.js';

let school: SyntheticSchool;
let emu: EljurEmulator;
let from: string;
let to: string;

beforeAll(async () => {
  school = generateSchool({ seed: 5, pupils: 44, weeks: 2 });
  emu = await startEljurEmulator({ dataset: school });
  const dates = school.all('lesson').map((l) => l.date).sort();
  [from, to] = [dates[0], dates.at(-1)!];
});
afterAll(() => emu?.close());

describe.each(['json', 'xml'] as const)('ЭлЖур end to end (out_format=%s): the whole synthetic school through the emulator', (format) => {
  it('reads every pupil, section, lesson, mark and absence with zero differences', async () => {
    const res = await readAndMap(emu, from, to, connectorFor(emu, { format }));
    expect([...res.payloadKinds]).toEqual([format === 'xml' ? 'text' : 'json']);
    const expected = expectedRecords(school.records, from, to);
    const report = compareRecords(expected, res.records, { entities: COMPARED, ignoreFields: ELJUR_IGNORE_FIELDS });
    expect(res.quarantine.slice(0, 5)).toEqual([]);
    expect(report.differences.slice(0, 10)).toEqual([]);
    for (const e of COMPARED) {
      const c = report.compared[e];
      if (e !== 'final_mark') expect(c?.expected, e).toBeGreaterThan(e === 'person' ? 40 : 100);
      expect(c?.equal ?? 0, e).toBe(c?.expected ?? 0);
    }
    // Second marks of one lesson and retakes come through `nm` and the work type.
    expect(res.records.filter((r) => r.entity === 'mark' && r.slot === 2).length).toBeGreaterThan(10);
    expect(res.records.some((r) => r.entity === 'mark' && r.retakeOfMarkId)).toBe(true);
    for (const r of res.records) parseRecord(r); // every mapped record is a valid canonical record
  });
});

describe.each(['json', 'xml'] as const)('ЭлЖур end to end (out_format=%s): a whole quarter with final marks', (format) => {
  it('reads the quarter final marks (subgroup sections included) with zero differences', async () => {
    const big = generateSchool({ seed: 9, pupils: 24, weeks: 9 });
    const e = await startEljurEmulator({ dataset: big });
    try {
      const dates = big.all('lesson').map((l) => l.date).sort();
      const res = await readAndMap(e, dates[0], dates.at(-1)!, connectorFor(e, { format }));
      const expected = expectedRecords(big.records, dates[0], dates.at(-1)!);
      const report = compareRecords(expected, res.records, { entities: COMPARED, ignoreFields: ELJUR_IGNORE_FIELDS });
      expect(res.quarantine.slice(0, 5)).toEqual([]);
      expect(report.differences.slice(0, 10)).toEqual([]);
      expect(report.compared.final_mark.expected).toBeGreaterThan(20);
      expect(report.compared.final_mark.equal).toBe(report.compared.final_mark.expected);
      expect(report.compared.mark.equal).toBe(report.compared.mark.expected);
    } finally {
      await e.close();
    }
  }, 120_000);
});
