import { GatewayHttpError } from '../../src/connectors/http/index.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { int64Of } from '../../src/emulators/dnevnik/int64.js';
import { compareRecords } from '../../src/model/compare.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { COMPARED, DNEVNIK_IGNORE_FIELDS, connectorFor, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startDnevnikEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 11, pupils: 33, weeks: 2 });

describe('Дневник.ру end to end with faults switched on', () => {
  it('5xx (incl. the HTML maintenance page), 429 with Retry-After, session expiry and latency: still zero differences; malformed records land in quarantine', async () => {
    s.emu.setFaults({ seed: 3, errorRate: 0.08, rateLimit: { every: 90, retryAfterS: 1 }, expireSessionAfter: 45, latencyMs: [0, 4], malformedRecordRate: 0.01 });
    const res = await readAndMap(s.emu, s.from, s.to);
    const stats = s.emu.stats();
    expect(stats.faults.serverErrors).toBeGreaterThan(0);
    expect(stats.faults.rateLimited).toBeGreaterThan(0);
    expect(stats.faults.sessionsExpired).toBeGreaterThan(0);
    expect(stats.byRoute['POST authorizations'] ?? 0).toBeGreaterThan(0); // refreshed with the refresh token

    const broken = s.emu.malformed();
    expect(broken.size).toBeGreaterThan(0);
    expect(res.quarantine.length).toBe(broken.size);
    // Leave out exactly the records the emulator corrupted on purpose.
    const corrupted = (r: { entity: string; id: string; studentId?: string; lessonId?: string }) =>
      (r.entity === 'mark' && broken.has(`mark:${int64Of(r.id)}`))
      || (r.entity === 'attendance_record' && broken.has(`log:${int64Of(r.lessonId!)}:${int64Of(r.studentId!)}`));
    // A corrupted mark also shifts its cell-mate (slot 2 becomes slot 1, a retake loses its link): leave out
    // every mark of a cell (pupil × lesson) that had a corrupted mark, on both sides; a record corrupted in
    // one response may also arrive intact in a retried one.
    const cell = (r: { studentId?: string; lessonId?: string }) => `${r.studentId}|${r.lessonId}`;
    const brokenCells = new Set(s.school.records.filter((r) => r.entity === 'mark' && corrupted(r as never)).map((r) => cell(r as never)));
    const keep = (r: CanonicalRecord) => !corrupted(r as never) && !(r.entity === 'mark' && brokenCells.has(cell(r as never)));
    const expected = expectedRecords(s.school.records, s.from, s.to).filter(keep);
    const actual = res.records.filter(keep);
    const report = compareRecords(expected, actual, { entities: COMPARED, ignoreFields: DNEVNIK_IGNORE_FIELDS });
    expect(report.differences.slice(0, 10)).toEqual([]);
    expect(report.compared.mark.equal).toBe(report.compared.mark.expected);
    for (const q of res.quarantine) expect(q.reason).toMatch(/schema mismatch/);
  });

  it('a school id the platform does not know is a configuration error, not retried (the job was retried five times)', async () => {
    s.emu.setFaults(undefined);
    const c = connectorFor(s.emu);
    await c.open();
    try {
      const it = c.readSchool({ schoolSourceId: '999999', from: s.from, to: s.to, capabilities: ['roster.read'] })[Symbol.asyncIterator]();
      const err = await it.next().then(() => undefined, (e: unknown) => e as GatewayHttpError);
      expect(err).toBeInstanceOf(GatewayHttpError);
      expect(err).toMatchObject({ status: 404, failureType: 'config', attempts: 1 });
      expect(err!.message).toMatch(/check the school's id on this platform: schools\[\]\.platforms\[\]\.schoolId/);
    } finally {
      await c.close();
    }
  });
});
