// The rules' context for one school's journal sync or push (src/sync/rule-context.ts): that school's roster and
// governance records, not the region's. In a store of two schools, school A's context holds none of school B's
// records, every one of A's, and judges A's journal exactly as the whole store's roster did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EntityName } from '../../src/model/enums.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { validateRecords } from '../../src/model/rules/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { loadRuleContext } from '../../src/sync/rule-context.js';
import { schoolRecords } from '../../src/sync/school-records.js';
import { backends } from '../store/fixtures.js';

// What the rules were given before: every active roster and governance record of the store.
const CONTEXT_ENTITIES: EntityName[] = [
  'organization', 'academic_session', 'person', 'role_assignment', 'homeroom_class', 'subject', 'section', 'enrollment',
  'work_type', 'mark_scale', 'journal_lock', 'unlock_order',
];
const JOURNAL: ReadonlySet<string> = new Set(['lesson', 'work', 'mark', 'attendance_record', 'final_mark']);
const f = (r: CanonicalRecord, k: string) => (r as unknown as Record<string, string | undefined>)[k];
const ids = (rs: CanonicalRecord[]) => new Set(rs.map((r) => r.id));
const violationKeys = (rs: Iterable<CanonicalRecord>) =>
  validateRecords(rs, { now: '2025-09-20T12:00:00.000Z', direction: 'inbound' }).map((v) => `${v.ruleId} ${v.id}`).sort();

describe.each(backends)('rule context of one school ($name)', (backend) => {
  let store: CanonicalStore;
  let cleanup: () => Promise<void>;
  let schools: string[];
  let whole: CanonicalRecord[];
  let ofSchool: CanonicalRecord[][];
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
    await store.upsertMany(generateSchool({ seed: 11, schools: 2, pupils: 60, weeks: 2 }).records, { runId: 'load' });
    whole = [];
    for (const entity of CONTEXT_ENTITIES) for await (const r of store.iterate(entity, { status: 'active' })) whole.push(r);
    schools = whole.filter((r) => r.entity === 'organization' && f(r, 'type') === 'school').map((r) => r.id);
    expect(schools).toHaveLength(2);
    ofSchool = await Promise.all(schools.map((s) => schoolRecords(store, s)));
  }, 120_000);
  afterAll(async () => cleanup?.());

  it("holds the school's own roster and none of the other school's", async () => {
    const [a, b] = schools;
    const context = await loadRuleContext(store, a);
    const inContext = ids(context);
    // Nothing outside what the whole store offered, nothing twice.
    expect(context.length).toBe(inContext.size);
    for (const r of context) expect(ids(whole).has(r.id)).toBe(true);
    // Every roster record of A (its classes, sections, enrollments, pupils and teachers, periods, subjects) is there.
    const mine = ofSchool[0].filter((r) => !JOURNAL.has(r.entity));
    expect(mine.length).toBeGreaterThan(100);
    for (const r of mine) expect(inContext.has(r.id), `${r.entity} of school A`).toBe(true);
    for (const r of whole.filter((x) => f(x, 'organizationId') === a)) expect(inContext.has(r.id), `${r.entity} of school A`).toBe(true);
    // The region's own (work types of no school, mark scales) are there too.
    const regionWide = whole.filter((x) => (x.entity === 'work_type' || x.entity === 'mark_scale') && f(x, 'organizationId') === undefined);
    expect(regionWide.some((r) => r.entity === 'work_type')).toBe(true);
    for (const r of regionWide) expect(inContext.has(r.id), `region-wide ${r.entity}`).toBe(true);
    // None of B's: its organization-owned records, sections, enrollments, and the people only B has.
    const onlyB = ofSchool[1].filter((r) => !JOURNAL.has(r.entity) && !ids(mine).has(r.id));
    expect(onlyB.filter((r) => r.entity === 'person').length).toBeGreaterThan(50);
    for (const r of onlyB) expect(inContext.has(r.id), `${r.entity} of school B`).toBe(false);
    for (const r of whole.filter((x) => f(x, 'organizationId') === b)) expect(inContext.has(r.id)).toBe(false);
  });

  it("judges the school's journal as the whole store's roster did", async () => {
    const [a] = schools;
    const journal = ofSchool[0].filter((r) => JOURNAL.has(r.entity));
    const mark = journal.find((r) => r.entity === 'mark')!;
    // A mark on a work of a first-grade section: R-10 needs the section, its homeroom class and the class's grade.
    const firstGrade = new Set(ofSchool[0].filter((r) => r.entity === 'homeroom_class' && Number(f(r, 'gradeLevel')) === 1).map((r) => r.id));
    const section = ofSchool[0].find((r) => r.entity === 'section' && firstGrade.has(f(r, 'homeroomClassId')!))!;
    const work = { ...journal.find((r) => r.id === f(mark, 'workId'))!, id: '00000000-0000-5000-8000-00000000000a', sectionId: section.id } as CanonicalRecord;
    const stray = { ...mark, id: '00000000-0000-5000-8000-00000000000b', workId: work.id } as CanonicalRecord;
    const context = await loadRuleContext(store, a);
    const scoped = violationKeys([...context, ...journal, work, stray]);
    expect(scoped).toContain(`R-10 ${stray.id}`);
    expect(scoped).toEqual(violationKeys([...whole, ...journal, work, stray]));
  });
});
