import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/model/records.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator } from '../../src/emulators/eljur/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { COMPARED, ELJUR_IGNORE_FIELDS, connectorFor, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startEljurEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 11, pupils: 33, weeks: 2 });

describe.each(['json', 'xml'] as const)('ЭлЖур end to end with faults switched on (out_format=%s)', (format) => {
  it('5xx pages, 429 with Retry-After, token expiry (state 401 inside a 200) and latency: still zero differences; malformed marks land in quarantine', async () => {
    s.emu.state.malformed.clear();
    s.emu.setFaults({ seed: format === 'xml' ? 4 : 3, errorRate: 0.08, rateLimit: { every: 30, retryAfterS: 1 }, expireSessionAfter: 40, latencyMs: [0, 4], malformedRecordRate: 0.01 });
    try {
      const res = await readAndMap(s.emu, s.from, s.to, connectorFor(s.emu, { format }));
      const stats = s.emu.stats();
      expect(stats.faults.serverErrors).toBeGreaterThan(0);
      expect(stats.faults.rateLimited).toBeGreaterThan(0);
      expect(stats.faults.sessionsExpired).toBeGreaterThan(0);
      expect(res.connector.http.stats.snapshot().authRefreshes).toBeGreaterThan(0); // re-login at /api/auth

      const broken = s.emu.malformed();
      expect(broken.size).toBeGreaterThan(0);
      expect(res.quarantine.length).toBe(broken.size);
      for (const q of res.quarantine) expect(q.reason).toMatch(/schema mismatch: date/);
      // Leave out exactly what the emulator corrupted on purpose: a corrupted mark also takes its cell-mate's
      // retake link with it, so every mark of a cell (pupil × lesson) with a corrupted entry is left out.
      const person = new Map(s.emu.crosswalk().filter((x) => x.entity === 'person').map((x) => [x.sourceId, x.canonicalId]));
      const cells = new Set([...broken].map((k) => { const [, pupil, lesson] = k.split(':'); return `${person.get(pupil)}|${s.emu.world.canonicalLesson.get(lesson)}`; }));
      const keep = (r: CanonicalRecord) => !((r.entity === 'mark' || r.entity === 'attendance_record') && cells.has(`${r.studentId}|${r.lessonId}`));
      const expected = expectedRecords(s.school.records, s.from, s.to).filter(keep);
      const report = compareRecords(expected, res.records.filter(keep), { entities: COMPARED, ignoreFields: ELJUR_IGNORE_FIELDS });
      expect(report.differences.slice(0, 10)).toEqual([]);
      expect(report.compared.mark.equal).toBe(report.compared.mark.expected);
      expect(report.compared.lesson.equal).toBe(report.compared.lesson.expected);
    } finally {
      s.emu.setFaults(undefined);
    }
  });
});
