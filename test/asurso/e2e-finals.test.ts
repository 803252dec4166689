// АСУ РСО final marks end to end (platforms.md §1.5): a whole quarter of the synthetic school, so the quarter's
// final marks exist, read through the report queue (queue → the queue hub → files/{id} HTML), on a server of each
// hub generation: the classic SignalR hub over long polling (< 5.29), the ASP.NET Core hub over a websocket at
// `queueHub` with `startTask` (5.29–5.31) and at `signalr/queueHub` with a queue key and `startTaskAsync` (5.44,
// asurso.ru in December 2025). The connector picks the hub by the version `logindata` states.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { parseRecord } from '../../src/model/records.js';
import { ASURSO_IGNORE_FIELDS, COMPARED, connectorFor, expectedRecords, readAndMap } from './harness.js';

const SERVERS = [
  { version: '5.28.3', hub: 'GET signalr/negotiate' },
  { version: '5.30.1', hub: 'GET /webapi/queueHub (websocket)' },
  { version: '5.44.7850', hub: 'GET /webapi/signalr/queueHub (websocket)' },
];
const HUB_ROUTES = SERVERS.map((s) => s.hub);

describe.each(SERVERS)('АСУ РСО end to end: final marks through the report queue of a $version server', ({ version, hub }) => {
  let school: SyntheticSchool;
  let emu: AsursoEmulator;
  let from: string;
  let to: string;

  beforeAll(async () => {
    school = generateSchool({ seed: 9, pupils: 24, weeks: 9 });
    emu = await startAsursoEmulator({ dataset: school, serverVersion: version });
    const dates = school.all('lesson').map((l) => l.date).sort();
    [from, to] = [dates[0], dates.at(-1)!];
  });
  afterAll(() => emu?.close());

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
    const byRoute = emu.stats().byRoute;
    expect(byRoute['POST v2/reports/studenttotal/queue']).toBe(pupils);
    // This server's hub, opened once for the whole read; no other hub asked.
    expect(byRoute[hub]).toBe(1);
    for (const other of HUB_ROUTES.filter((r) => r !== hub)) expect(byRoute[other], other).toBeUndefined();
    expect(emu.state.reports.connections.size).toBe(0);
    await vi.waitFor(() => expect(emu.state.reports.sockets.size).toBe(0));
    expect(emu.liveSessions()).toBe(0);
  }, 60_000);

  it('under a session imported from a browser (no password login): the version is read from logindata, and the same hub serves the finals', async () => {
    const connector = connectorFor(emu, { auth: { kind: 'imported_session', ...emu.importSession('administrator') } });
    const before = emu.stats().byRoute;
    const res = await readAndMap(emu, from, to, connector, { capabilities: ['roster.read', 'finals.read'] });
    const after = emu.stats().byRoute;
    const report = compareRecords(expectedRecords(school.records, from, to, ['final_mark']), res.records, { entities: ['final_mark'], ignoreFields: ASURSO_IGNORE_FIELDS });
    expect(report.differences.slice(0, 10)).toEqual([]);
    expect(report.compared.final_mark.equal).toBeGreaterThan(20);
    expect(report.compared.final_mark.equal).toBe(report.compared.final_mark.expected);
    expect((after['GET logindata'] ?? 0) - (before['GET logindata'] ?? 0)).toBe(1);
    expect((after[hub] ?? 0) - (before[hub] ?? 0)).toBe(1);
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
