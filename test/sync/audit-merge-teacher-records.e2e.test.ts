// Audit (person merges): a teacher the system of record lists is the merged-away person. The school's АСУ РСО (push
// target, no birth dates) lists its staff a night before Дневник.ру (system of record) does, so Дневник.ру's teachers
// are newcomers proposed against АСУ РСО's (left = newcomer). The operator accepts: each Дневник.ру teacher is merged
// into the АСУ РСО one. Lessons, marks, absences and classes name their teacher in a field, not in their id: before,
// they kept naming the tombstone until a read brought them in again (the older journal for good).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { recomputeHash, type CanonicalRecord, type EntityName } from '../../src/model/index.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { dnevnikToAsursoSchool } from '../support/dnevnik-asurso-school.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
const FIELDS: [EntityName, string[]][] = [
  ['lesson', ['scheduledTeacherId', 'substituteTeacherId', 'recordedBy']], ['mark', ['recordedBy']], ['attendance_record', ['recordedBy']],
  ['final_mark', ['recordedBy']], ['homeroom_class', ['classTeacherId']],
];

describe('audit: review merge of the system of record\'s teacher into a push target\'s (records stamped with the teacher)', () => {
  const dataset = generateSchool({ seed: 73, pupils: 12, weeks: 1 });
  let sor: RunningEmulator; let t2: RunningEmulator;
  let ctx: JobContext;
  /** Merged-away teacher → the teacher merged into. */
  const merged = new Map<string, string>();
  /** Per record id: the teacher fields naming a merged-away teacher before the merge. */
  const stampedBefore = new Map<string, Record<string, string>>();
  let versionBefore = 0;

  async function active(): Promise<CanonicalRecord[]> {
    const out: CanonicalRecord[] = [];
    for (const [entity] of FIELDS) for await (const r of ctx.store.iterate(entity, { status: 'active' })) out.push(r);
    return out;
  }
  const teacherFields = (r: CanonicalRecord) => FIELDS.find(([e]) => e === r.entity)![1];

  beforeAll(async () => {
    ({ sor, t2, ctx } = await dnevnikToAsursoSchool(dataset, window));
    const candidates = new Map<string, { id: string; winner: string }>();
    for (const p of (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match')) {
      const roles = await ctx.store.referencing('role_assignment', 'personId', [p.leftId]);
      const onSor = (await ctx.store.crosswalkFor(p.leftId)).some((r) => r.instance === 'sor' && r.validTo === null);
      if (onSor && roles.some((r) => ['subject_teacher', 'class_teacher'].includes((r as { role?: string }).role ?? ''))) candidates.set(p.leftId, { id: p.id, winner: p.rightId! });
    }
    for (const r of await active()) {
      const named = Object.fromEntries(teacherFields(r).map((f) => [f, (r as unknown as Record<string, unknown>)[f]]).filter(([, v]) => typeof v === 'string' && candidates.has(v as string)));
      if (Object.keys(named).length) stampedBefore.set(r.id, named as Record<string, string>);
    }
    versionBefore = await ctx.store.currentVersion();
    for (const [loser, { id, winner }] of candidates) {
      await decidePersonMatch(ctx.store, id, 'merge', 'test-review', undefined, 'sor');
      merged.set(loser, winner);
    }
  }, 240_000);
  afterAll(async () => {
    await ctx?.close(); await sor?.close(); await t2?.close();
  });

  it('at once: lessons, marks, absences and classes name the teacher merged into, none the merged-away one', async () => {
    expect(merged.size).toBeGreaterThan(0);
    const byEntity = new Map<string, number>();
    for (const id of stampedBefore.keys()) {
      const e = (await ctx.store.get(id))!.entity;
      byEntity.set(e, (byEntity.get(e) ?? 0) + 1);
    }
    // The journal of the week was stamped with the system of record's teachers: the test looks at something.
    expect(byEntity.get('lesson')).toBeGreaterThan(5);
    expect(byEntity.get('mark')).toBeGreaterThan(5);
    for (const r of await active()) {
      const fields = r as unknown as Record<string, unknown>;
      for (const f of teacherFields(r)) expect(merged.has(fields[f] as string), `${r.entity} ${f}`).toBe(false);
      for (const [f, loser] of Object.entries(stampedBefore.get(r.id) ?? {})) expect(fields[f]).toBe(merged.get(loser));
    }
    for (const id of stampedBefore.keys()) expect((await ctx.store.get(id))!.status).toBe('active');
  });

  it('written like any other change: a new version and change-log update, the hash of the new content, the writer\'s provenance kept', async () => {
    expect(stampedBefore.size).toBeGreaterThan(10);
    const updated = new Set<string>();
    for await (const c of ctx.store.changesSince(versionBefore)) if (c.op === 'update') updated.add(c.canonicalId);
    for (const id of stampedBefore.keys()) {
      const r = (await ctx.store.get(id))!;
      expect(updated.has(id)).toBe(true);
      expect(r.version).toBeGreaterThan(versionBefore);
      expect(r.contentHash).toBe(recomputeHash(r as unknown as Record<string, unknown>));
      // The system of record's record stays its: the push carries it as the school's.
      if (r.entity === 'lesson' || r.entity === 'mark') expect(r.provenance.instance).toBe('sor');
    }
  });

  it('the next night changes none of them back, and the push goes through', async () => {
    const before = new Map((await active()).filter((r) => stampedBefore.has(r.id)).map((r) => [r.id, r.contentHash]));
    expect(before.size).toBe(stampedBefore.size);
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
    const after = new Map((await active()).filter((r) => before.has(r.id)).map((r) => [r.id, r.contentHash]));
    expect(after).toEqual(before);
    const pushes = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    for (const p of pushes) expect(p.pushed!.failed).toBe(0);
  }, 240_000);
});
