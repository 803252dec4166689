// The final marks a migration cannot write (no platform publishes a route for them), as the school needs them to enter
// each one by hand in the target: class, subject, period, value and the pupil. Before, the report listed only
// `Итоговые отметки <uuid> missing` — nothing a school could act on.
import type { CanonicalRecord, FinalMarkRecord, HomeroomClassRecord, SectionRecord, AcademicSessionRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';

/**
 * One final mark to enter by hand. The pupil is given by their id on the target, not by name: the migration report
 * names no one (it goes into logs and mail; `MigrationPlan.unmatchedPupilIds` is the same rule).
 */
export interface FinalMarkByHand {
  /** Canonical id: what the reconciliation lists the mark by until it is there. */
  id: string;
  /** Homeroom class title («5А»). */
  class: string;
  /** The journal page's (section's) title: the subject, with a subgroup where there is one. */
  subject: string;
  /** The period's title («1 четверть», «Год»). */
  period: string;
  /** The mark as the source gave it. */
  value: string;
  /** The pupil's id on the target; absent when the target has no identity for them yet (`review`). */
  pupilTargetId?: string;
  /** The pupil's id on the source: where the target has none, the school finds the pupil by it in the old platform. */
  pupilSourceId?: string;
  /** The pupil's canonical id. */
  pupilId: string;
}

/** The records of `ids`, read in one go: a school has a few hundred sections, classes and periods at most. */
async function recordsOf<R extends CanonicalRecord>(store: Store, ids: Iterable<string>): Promise<Map<string, R>> {
  return (await store.getMany([...new Set(ids)])) as Map<string, R>;
}

/** The final marks of `finals` not in the target yet (`there`: those it already holds), each as a row to enter by hand. */
export async function finalsToEnterByHand(
  store: Store, source: RunIdentity, target: RunIdentity, finals: readonly CanonicalRecord[], there: ReadonlyMap<string, string>,
): Promise<FinalMarkByHand[]> {
  const todo = finals.filter((r): r is FinalMarkRecord => r.entity === 'final_mark' && !there.has(r.id));
  if (!todo.length) return [];
  const sections = await recordsOf<SectionRecord>(store, todo.map((f) => f.sectionId));
  const classes = await recordsOf<HomeroomClassRecord>(store, [...sections.values()].map((s) => s.homeroomClassId));
  const periods = await recordsOf<AcademicSessionRecord>(store, todo.map((f) => f.periodId));
  const pupilIds = todo.map((f) => f.studentId);
  const onTarget = await store.sourceIdsFor(target.system, target.instance, 'person', pupilIds);
  const onSource = await store.sourceIdsFor(source.system, source.instance, 'person', pupilIds);
  const rows = todo.map((f): FinalMarkByHand => {
    const section = sections.get(f.sectionId);
    const [targetId, sourceId] = [onTarget.get(f.studentId), onSource.get(f.studentId)];
    return {
      id: f.id, class: classes.get(section?.homeroomClassId ?? '')?.title ?? '?', subject: section?.title ?? '?',
      period: periods.get(f.periodId)?.title ?? '?', value: f.raw,
      ...(targetId ? { pupilTargetId: targetId } : {}), ...(sourceId ? { pupilSourceId: sourceId } : {}), pupilId: f.studentId,
    };
  });
  // In the order a school enters them: a class's page, period by period, pupil by pupil.
  const key = (r: FinalMarkByHand) => [r.class, r.subject, r.period, r.pupilTargetId ?? `~${r.pupilId}`];
  return rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i].localeCompare(y[i], 'ru');
    return a.id.localeCompare(b.id);
  });
}
