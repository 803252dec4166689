import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import { ASURSO_IGNORE_FIELDS, COMPARED, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startAsursoEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 11, pupils: 33, weeks: 2 });

describe('АСУ РСО end to end with faults switched on', () => {
  it('5xx (incl. an HTML 503), 429 with Retry-After, session expiry (re-login) and latency: still zero differences; malformed records land in quarantine', async () => {
    s.emu.setFaults({ seed: 3, errorRate: 0.08, rateLimit: { every: 40, retryAfterS: 1 }, expireSessionAfter: 60, latencyMs: [0, 4], malformedRecordRate: 0.01 });
    const res = await readAndMap(s.emu, s.from, s.to);
    const stats = s.emu.stats();
    expect(stats.faults.serverErrors).toBeGreaterThan(0);
    expect(stats.faults.rateLimited).toBeGreaterThan(0);
    expect(stats.faults.sessionsExpired).toBeGreaterThan(0);
    expect(res.connector.auth.logins).toBeGreaterThan(1); // re-login after the server ended the session
    expect(s.emu.liveSessions()).toBe(0);

    const broken = s.emu.malformed();
    expect(broken.size).toBeGreaterThan(0);
    expect(res.quarantine.length).toBe(broken.size);
    for (const q of res.quarantine) expect(q.reason).toMatch(/schema mismatch/);
    // Leave out exactly the records the emulator corrupted on purpose (platform ids from its own store).
    const src = (id: string) => s.emu.world.sourceOf.get(id);
    const cols = new Map<string, number[]>();
    for (const m of s.emu.world.meetings.values()) for (const c of m.columns) for (const pupil of c.results.keys()) (cols.get(`${m.id}:${pupil}`) ?? cols.set(`${m.id}:${pupil}`, []).get(`${m.id}:${pupil}`)!).push(c.id);
    const corrupted = (r: CanonicalRecord) => {
      if (r.entity === 'attendance_record') return broken.has(`att:${src(r.lessonId)}:${src(r.studentId)}`);
      if (r.entity !== 'mark') return false;
      const col = cols.get(`${src(r.lessonId)}:${src(r.studentId)}`)?.[r.slot - 1];
      return broken.has(`result:${col}:${src(r.studentId)}`);
    };
    const expected = expectedRecords(s.school.records, s.from, s.to).filter((r) => !corrupted(r));
    const report = compareRecords(expected, res.records, { entities: COMPARED, ignoreFields: ASURSO_IGNORE_FIELDS });
    expect(report.differences.slice(0, 10)).toEqual([]);
    expect(report.compared.mark.equal).toBe(report.compared.mark.expected);
  });
});
