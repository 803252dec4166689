// АСУ РСО final marks end to end (platforms.md §1.5): a whole quarter of the synthetic school, so the quarter's
// final marks exist, read through the report queue (queue → classic SignalR long polling → files/{id} HTML).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { parseRecord } from '../../src/model/records.js';
import { ASURSO_IGNORE_FIELDS, COMPARED, expectedRecords, readAndMap } from './harness.js';

let school: SyntheticSchool;
let emu: AsursoEmulator;
let from: string;
let to: string;

beforeAll(async () => {
  school = generateSchool({ seed: 9, pupils: 24, weeks: 9 });
  emu = await startAsursoEmulator({ dataset: school });
  const dates = school.all('lesson').map((l) => l.date).sort();
  [from, to] = [dates[0], dates.at(-1)!];
});
afterAll(() => emu?.close());

describe('АСУ РСО end to end: final marks through the report queue', () => {
  it('reads every person, section, lesson, mark, attendance record and final mark of a quarter with zero differences', async () => {
    const res = await readAndMap(emu, from, to);
    const expected = expectedRecords(school.records, from, to);
    const report = compareRecords(expected, res.records, { entities: COMPARED, ignoreFields: ASURSO_IGNORE_FIELDS });
    expect(res.quarantine).toEqual([]);
    expect(report.differences.slice(0, 10)).toEqual([]);
    for (const e of COMPARED) expect(report.compared[e]?.expected, e).toBeGreaterThan(0);
    expect(report.compared.final_mark.expected).toBeGreaterThan(20);
    expect(report.compared.final_mark.equal).toBe(report.compared.final_mark.expected);
    for (const r of res.records) parseRecord(r);
    // One report per pupil of a class whose quarter ended in the window (senior classes grade by half-years: not
    // due yet, no report); every hub connection closed, every session logged out.
    const quarterly = new Set(school.all('homeroom_class').filter((c) => c.gradeLevel < 10).map((c) => c.id));
    const pupils = new Set(school.all('enrollment').filter((e) => e.role === 'student' && quarterly.has(e.sectionId)).map((e) => e.personId)).size;
    expect(pupils).toBeGreaterThan(0);
    expect(emu.stats().byRoute['POST v2/reports/studenttotal/queue']).toBe(pupils);
    expect(emu.state.reports.connections.size).toBe(0);
    expect(emu.liveSessions()).toBe(0);
  }, 60_000);

  it('with 5xx, 429, session expiry and latency on every route (the hub and the file too): still zero differences', async () => {
    emu.setFaults({ seed: 4, errorRate: 0.08, rateLimit: { every: 40, retryAfterS: 1 }, expireSessionAfter: 80, latencyMs: [0, 3] });
    try {
      const res = await readAndMap(emu, from, to, undefined, { capabilities: ['roster.read', 'finals.read'] });
      const stats = emu.stats();
      expect(stats.faults.serverErrors).toBeGreaterThan(0);
      expect(stats.faults.sessionsExpired).toBeGreaterThan(0);
      expect(res.connector.auth.logins).toBeGreaterThan(1);
      const report = compareRecords(expectedRecords(school.records, from, to, ['final_mark']), res.records, { entities: ['final_mark'], ignoreFields: ASURSO_IGNORE_FIELDS });
      expect(res.quarantine).toEqual([]);
      expect(report.differences.slice(0, 10)).toEqual([]);
      expect(report.compared.final_mark.equal).toBeGreaterThan(20);
      expect(report.compared.final_mark.equal).toBe(report.compared.final_mark.expected);
    } finally {
      emu.setFaults({});
    }
  }, 120_000);
});
