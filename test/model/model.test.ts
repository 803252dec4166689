import { describe, expect, it } from 'vitest';
import {
  attendanceId, buildRecord, contentHashOf, lessonId, markId, mintId, naturalId, parseRecord, parseRu5, RecordValidationError,
  recomputeHash, weightedAverage, WORK_TYPES, workTypeByName, weightFor, numericOf, ENTITY_SCHEMAS, zonedToInstant,
  instantToLocalDate, addDays, isoWeekday, schoolYearOfDate, schoolYearStart, schoolYearOfSpan, localDayOf, sha256Hex, type CanonicalRecord,
} from '../../src/model/index.js';
import { Comparison, compareRecords, projectedJson } from '../../src/model/compare.js';
import { DuplicateTally, duplicateDifferences } from '../../src/model/duplicates.js';
import { businessFields } from '../../src/model/records.js';

const prov = {
  system: 'synthetic' as const, instance: 'test', fetchedAt: '2026-09-01T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't',
};
const ref = (id: string) => [{ system: 'synthetic' as const, instance: 'test', sourceId: id, kind: 'id' }];

describe('canonical ids (canonical-model.md §A.4)', () => {
  it('event records get the same UUIDv5 from the same natural key, so re-ingesting changes nothing', () => {
    const section = mintId();
    expect(lessonId(section, '2025-09-02', 3)).toBe(lessonId(section, '2025-09-02', 3));
    expect(lessonId(section, '2025-09-02', 3)).not.toBe(lessonId(section, '2025-09-02', 4));
    expect(lessonId(section, '2025-09-02', 3)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/);
  });

  it('free-text key parts are case-folded so case variants collapse', () => {
    expect(naturalId('x', 'Группа 1')).toBe(naturalId('x', ' группа 1 '));
  });

  it('persons, organisations and sections get UUIDv7; a seeded mint is reproducible', () => {
    expect(mintId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const seeded = { msecs: 1_700_000_000_000, random: new Uint8Array(16).fill(7) };
    expect(mintId(seeded)).toBe(mintId(seeded));
  });

  it('mark and attendance keys differ for the same student and lesson', () => {
    expect(markId('a', 'b', 1)).not.toBe(attendanceId('a', 'b'));
    expect(markId('a', 'b', 1)).not.toBe(markId('a', 'b', 2));
  });
});

describe('content hash (§A.1)', () => {
  it('is independent of key order and ignores the envelope', () => {
    expect(contentHashOf({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(contentHashOf({ b: [1, { d: 3, c: 2 }], a: 1 }));
    const p1 = buildRecord('person', { familyName: 'Тестов', givenName: 'Тест', enabled: true }, { id: mintId(), sourceRefs: ref('1'), provenance: prov });
    const p2 = buildRecord('person', { familyName: 'Тестов', givenName: 'Тест', enabled: true }, {
      id: mintId(), sourceRefs: ref('2'), provenance: { ...prov, fetchedAt: '2026-10-01T00:00:00Z', runId: 'other' },
    });
    expect(p1.contentHash).toBe(p2.contentHash);
    expect(recomputeHash(p1)).toBe(p1.contentHash);
  });

  it('changes when a business field changes', () => {
    const a = buildRecord('person', { familyName: 'Тестов', givenName: 'Тест', enabled: true }, { id: mintId(), sourceRefs: ref('1'), provenance: prov });
    const b = buildRecord('person', { familyName: 'Тестова', givenName: 'Тест', enabled: true }, { id: a.id, sourceRefs: ref('1'), provenance: prov });
    expect(a.contentHash).not.toBe(b.contentHash);
  });
});

describe('schemas', () => {
  it('cover every entity of §A.2 and the governance records of §A.2.17', () => {
    expect(Object.keys(ENTITY_SCHEMAS).sort()).toEqual([
      'academic_session', 'archive_snapshot', 'attendance_record', 'conflict', 'enrollment', 'final_mark', 'guardian_link',
      'homeroom_class', 'journal_lock', 'lesson', 'mark', 'mark_scale', 'match_candidate', 'organization', 'outbound_operation',
      'person', 'role_assignment', 'section', 'subject', 'sync_cursor', 'unlock_order', 'work', 'work_type',
    ]);
  });

  it('a bad record names entity, id and every wrong field', () => {
    const id = mintId();
    try {
      parseRecord({ entity: 'attendance_record', id, kind: 'present' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RecordValidationError);
      const err = e as RecordValidationError;
      expect(err.entity).toBe('attendance_record');
      expect(err.recordId).toBe(id);
      expect(err.issues.map((i) => i.path)).toContain('kind');
      expect(err.message).toContain(id);
    }
  });

  it('an unknown entity is refused by name', () => {
    expect(() => parseRecord({ entity: 'grade', id: 'x' })).toThrow(/unknown entity "grade"/);
  });

  it('a tombstone needs deletedAt and deleteReason', () => {
    expect(() => buildRecord('person', { familyName: 'Т', givenName: 'Т', enabled: true }, {
      id: mintId(), sourceRefs: ref('1'), provenance: prov, status: 'deleted',
    })).toThrow(/tombstone/);
  });

  it('a school needs an IANA time zone; dates must be real calendar dates', () => {
    expect(() => buildRecord('organization', { name: 'Школа', type: 'school' }, { id: mintId(), sourceRefs: ref('1'), provenance: prov }))
      .toThrow(/timeZone/);
    expect(() => buildRecord('academic_session', {
      title: 'I четверть', kind: 'quarter', startDate: '2025-02-30', endDate: '2025-10-26', schoolYear: 2026,
      organizationId: mintId(), isGradingPeriod: true,
    }, { id: mintId(), sourceRefs: ref('1'), provenance: prov })).toThrow(/startDate: not a real calendar date/);
  });
});

describe('work types (seed 000 §3.7)', () => {
  it('has all 25 rows with their default weights', () => {
    expect(WORK_TYPES).toHaveLength(25);
    expect(new Set(WORK_TYPES.map((w) => w.code)).size).toBe(25);
    expect(workTypeByName('ЗТУ Административная контрольная работа')?.weight).toBe(90);
    expect(workTypeByName('домашнее  задание')?.weight).toBe(40);
    expect(workTypeByName('Зачет')?.code).toBe('credit_test');
  });

  it('a school override wins over the regional default (R-12)', () => {
    expect(weightFor('homework', { homework: 30 })).toBe(30);
    expect(weightFor('homework')).toBe(40);
    expect(weightFor('unknown')).toBeUndefined();
  });
});

describe('ru5 scale and weighted average', () => {
  it('R-08 parses marks exactly as teachers write them', () => {
    expect(parseRu5('5-')).toEqual({ raw: '5-', base: 5, modifier: 'minus' });
    expect(parseRu5('4+')).toEqual({ raw: '4+', base: 4, modifier: 'plus' });
    expect(parseRu5('3')).toEqual({ raw: '3', base: 3, modifier: 'none' });
    for (const bad of ['6', '0', '5--', 'н', '', '4.5']) expect(parseRu5(bad)).toBeNull();
  });

  it('R-13 weights marks and leaves out owed and exempt marks', () => {
    const avg = weightedAverage([
      { numeric: 5, weightApplied: 80, state: 'graded' },
      { numeric: 3, weightApplied: 40, state: 'graded' },
      { numeric: null, weightApplied: 60, state: 'owed' },
      { numeric: 2, weightApplied: 60, state: 'exempt' },
      { numeric: 2, weightApplied: 60, state: 'graded', status: 'deleted' },
    ]);
    expect(avg).toBeCloseTo((5 * 80 + 3 * 40) / 120, 2);
    expect(weightedAverage([])).toBeNull();
  });

  it('the modifier policy is configurable', () => {
    expect(numericOf(5, 'minus')).toBe(4.75);
    expect(numericOf(5, 'minus', { plus: 0, minus: 0 })).toBe(5);
    expect(numericOf(5, 'plus')).toBe(5);
  });
});

describe('dates never go through UTC (C.4 #9)', () => {
  it('a wall-clock time in Perm (UTC+5) at 00:30 is the previous day in UTC but the same school day', () => {
    const instant = zonedToInstant('2025-10-01T00:30:00', 'Asia/Yekaterinburg');
    expect(instant).toBe('2025-09-30T19:30:00.000Z');
    expect(instantToLocalDate(instant, 'Asia/Yekaterinburg')).toBe('2025-10-01');
  });

  it('calendar arithmetic works across months and years', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(isoWeekday('2025-09-01')).toBe(1);
    expect(isoWeekday('2025-09-07')).toBe(7);
  });

  it('a school year is September to August, a period\'s is its middle day\'s, and a stamp\'s day is the school\'s', () => {
    expect([schoolYearOfDate('2025-08-31'), schoolYearOfDate('2025-09-01'), schoolYearStart('2026-03-02'), schoolYearStart('2026-09-01')]).toEqual([2025, 2026, '2025-09-01', '2026-09-01']);
    // A Year period opened on Friday 29 August is of the year it is nearly all of; a term is of its own year.
    expect(schoolYearOfSpan('2025-08-29', '2026-05-31')).toBe(2026);
    expect(schoolYearOfSpan('2026-08-31', '2026-10-31')).toBe(2027);
    // 00:30 on 1 September in Perm is 31 August in UTC; a wall time without offset is its own day.
    expect(localDayOf('2025-08-31T19:30:00.000Z', 'Asia/Yekaterinburg')).toBe('2025-09-01');
    expect(localDayOf('2025-08-31T23:30:00+03:00', 'Asia/Yekaterinburg')).toBe('2025-09-01');
    expect(localDayOf('2025-08-31T23:30:00', 'Asia/Yekaterinburg')).toBe('2025-08-31');
    expect(localDayOf('2025-08-31', 'Asia/Yekaterinburg')).toBe('2025-08-31');
  });
});

describe('record comparison (reconciliation)', () => {
  const mk = (id: string, familyName: string, emails: string[] = []) =>
    buildRecord('person', { familyName, givenName: 'Тест', enabled: true, emails }, { id, sourceRefs: ref(id), provenance: prov });
  const [a, b, c] = [mintId(), mintId(), mintId()];

  it('reports missing, unexpected and different records with the differing fields', () => {
    const report = compareRecords([mk(a, 'Один'), mk(b, 'Два')], [mk(a, 'Один'), mk(b, 'Двa'), mk(c, 'Три')]);
    expect(report.differences).toEqual([
      { entity: 'person', id: b, kind: 'different', fields: ['familyName'] },
      { entity: 'person', id: c, kind: 'unexpected' },
    ]);
    expect(report.compared.person).toEqual({ expected: 2, actual: 3, equal: 1 });
    expect(compareRecords([mk(a, 'Один')], []).differences).toEqual([{ entity: 'person', id: a, kind: 'missing' }]);
  });

  it('compares one record at a time: a later copy of an id replaces the earlier verdict, in its place', async () => {
    const comparison = new Comparison([mk(a, 'Один'), mk(b, 'Два'), mk(c, 'Три')]);
    for (const r of [mk(a, 'Один'), mk(b, 'Два'), mk(a, 'Иной'), mk(b, 'Два')]) comparison.add(r);
    const report = comparison.report();
    expect(report.differences).toEqual([
      { entity: 'person', id: a, kind: 'different', fields: ['familyName'] },
      { entity: 'person', id: c, kind: 'missing' },
    ]);
    expect(report.compared.person).toEqual({ expected: 3, actual: 2, equal: 1 });
    // The same as the whole read compared at once, last copy by id.
    expect(compareRecords([mk(a, 'Один'), mk(b, 'Два'), mk(c, 'Три')], new Map([[a, mk(a, 'Иной')], [b, mk(b, 'Два')]]).values())).toEqual(report);
  });

  it('names a record a target holds twice: two in one response, or under two platform ids — not one read again', async () => {
    const as = (id: string, own: string) => ({ ...mk(id, 'Один'), sourceRefs: ref(own) });
    const pages = [[as(a, 'x'), as(a, 'x'), as(b, 'y'), as(c, 'w')], [as(a, 'x'), as(b, 'z'), as(c, 'w')]];
    expect(duplicateDifferences(pages)).toEqual([
      { entity: 'person', id: a, kind: 'unexpected', fields: ['duplicate in the target'] },
      { entity: 'person', id: b, kind: 'unexpected', fields: ['duplicate in the target'] },
    ]);
    // The same answer however the read comes: its pages one by one.
    const tally = new DuplicateTally();
    for (const page of pages) tally.add(page);
    expect(tally.differences()).toEqual(duplicateDifferences(pages));
  });

  it('leaves out fields a platform cannot carry', () => {
    const report = compareRecords([mk(a, 'Один', ['x@example.org'])], [mk(a, 'Один')], { ignoreFields: { person: ['emails'] } });
    expect(report.differences).toEqual([]);
  });

  it('projects a record as the business fields with the left-out ones removed, whatever fields a record holds', async () => {
    const projectedHash = (r: CanonicalRecord, ignore: string[]) => sha256Hex(projectedJson(r, ignore));
    const byCopy = (r: Record<string, unknown>, ignore: string[]) => {
      const f = businessFields(r);
      for (const k of ignore) delete f[k];
      return contentHashOf(f);
    };
    const full = buildRecord('person', { familyName: 'Один', givenName: 'Тест', middleName: 'Тестович', enabled: true, emails: ['x@example.org'], birthDate: '2012-01-02' }, { id: a, sourceRefs: ref(a), provenance: prov });
    const sparse = mk(b, 'Два');
    const odd = { ...mk(c, 'Три'), notInSchema: 'x' } as typeof sparse;
    for (const r of [full, sparse, odd]) {
      for (const ignore of [[], ['emails'], ['emails', 'birthDate'], ['notInSchema'], ['middleName', 'enabled']]) {
        expect(projectedHash(r, ignore), `${r.familyName} without ${ignore.join(',')}`).toBe(byCopy(r as unknown as Record<string, unknown>, ignore));
      }
    }
    // A field left out for one comparison is still compared by the next that keeps it (the orders are per list).
    const other = { ...full, birthDate: '2012-01-03' };
    expect(projectedHash(full, ['birthDate'])).toBe(projectedHash(other, ['birthDate']));
    expect(projectedHash(full, ['emails'])).not.toBe(projectedHash(other, ['emails']));
    expect(projectedHash({ ...full, status: 'deleted' }, [])).not.toBe(projectedHash(full, []));
  });

  it('compares projections by their canonical JSON, equal exactly where the projections\' hashes are', async () => {
    const full = buildRecord('person', { familyName: 'Один', givenName: 'Тест', middleName: 'Тестович', enabled: true, emails: ['x@example.org'], birthDate: '2012-01-02' }, { id: a, sourceRefs: ref(a), provenance: prov });
    // Equal texts exactly where the hashes are equal: a left-out field, a changed one, a tombstone.
    const other = { ...full, birthDate: '2012-01-03' };
    expect(projectedJson(full, ['birthDate'])).toBe(projectedJson(other, ['birthDate']));
    expect(projectedJson(full, ['emails'])).not.toBe(projectedJson(other, ['emails']));
    expect(projectedJson({ ...full, status: 'deleted' }, [])).not.toBe(projectedJson(full, []));
    expect(compareRecords([full], [other], { ignoreFields: { person: ['birthDate'] } }).differences).toEqual([]);
    expect(compareRecords([full], [other]).differences).toEqual([{ entity: 'person', id: full.id, kind: 'different', fields: ['birthDate'] }]);
  });
});
