// What a `review merge` of a pupil (or a parent) does to the parents' access: the school's decisions and the logins'
// links on the merged person are carried to the person kept (docs/login.md "A merge keeps these decisions"). The
// merged person's own links are retired afterwards with its other dependents (review.ts retireDependents).
import { candidate, candidateId, grantsAccess, guardianLinkId, rejectedCandidate, verifiedGuardianLink, type CandidateRecord } from '../auth/children.js';
import type { CanonicalRecord, GuardianLinkRecord } from '../model/index.js';
import type { Store } from '../store/index.js';

/**
 * The school's decisions on a parent and a pupil follow a merge to the winner. A refusal wins over access (either
 * record's); otherwise the winner's own decision for the same parent (a link of any kind, a decided candidate) stands.
 * - A parent's login link that grants nothing (`review refuse`, or one the school set inactive or deleted): no sync
 *   makes it again under the winner, and a login would make a full link there instead — the refused parent had the
 *   pupil back at their next login. A link the winner has for the same pair is refused with it.
 * - A link that grants access (a login's SNILS link, `review confirm`, `review allow`): carried with its verifiedAt and
 *   verifiedBy, where the winner has no decision for the pair. It was left to "the next login", but no roster platform
 *   carries a pupil's SNILS (docs/platforms/*), so that login only raised a new candidate: the parent lost a child the
 *   school had confirmed until someone confirmed it again.
 * - A rejected child-link candidate (R-28: a pupil carrying a child's SNILS by mistake is never linked by it): left on
 *   the tombstone, the winner carrying that SNILS was linked at the next login.
 * - A pending candidate moves to the winner, and the merged person's one is closed: confirmed, it linked the parent to
 *   the tombstone. An id read from the queue before the merge decides the moved one (children.ts candidateToDecide).
 */
export async function carrySchoolDecisions(store: Store, loserId: string, winnerId: string, runId: string, at: string): Promise<void> {
  const writes: CanonicalRecord[] = [];
  /** Pairs (guardian|pupil) given a link by this merge: a candidate of the same pair is not moved beside it. */
  const linked = new Set<string>();
  const links = (await Promise.all((['studentId', 'guardianId'] as const).map((f) => store.referencing('guardian_link', f, [loserId], { withDeleted: true })))).flat() as GuardianLinkRecord[];
  for (const l of new Map(links.map((x) => [x.id, x])).values()) {
    const src = l.sourceRefs[0];
    if (src?.system !== 'gateway' || src.kind !== 'esia_kid_link') continue; // a platform's link is made again by its sync
    if (l.status === 'deleted' && (l as { deleteReason?: string | null }).deleteReason === 'merged') continue;
    const studentId = l.studentId === loserId ? winnerId : l.studentId;
    const guardianId = l.guardianId === loserId ? winnerId : l.guardianId;
    if (studentId === guardianId) continue;
    const there = (await store.get(guardianLinkId(studentId, guardianId))) as (GuardianLinkRecord & { deleteReason?: string | null }) | null;
    if (grantsAccess(l, l.guardianId)) {
      // The winner's own link for the pair stands (granted already, or the school's decision), as does its rejection.
      if (there && !(there.status === 'deleted' && there.deleteReason === 'merged')) continue;
      if (await decidedFor(store, guardianId, studentId)) continue;
      writes.push(verifiedGuardianLink(studentId, guardianId, at, runId, l.verifiedBy, 'full', src.instance, l.verifiedAt ?? at));
      linked.add(`${guardianId}|${studentId}`);
      continue;
    }
    if (there && there.status !== 'deleted' && !grantsAccess(there, guardianId)) continue; // already grants nothing
    writes.push(verifiedGuardianLink(studentId, guardianId, at, runId, l.verifiedBy, 'none', src.instance));
    linked.add(`${guardianId}|${studentId}`);
  }
  const closing: string[] = [];
  const candidates = (await Promise.all((['leftId', 'rightId'] as const).map((f) => store.referencing('match_candidate', f, [loserId])))).flat() as CandidateRecord[];
  for (const c of new Map(candidates.map((x) => [x.id, x])).values()) {
    if (c.entity !== 'match_candidate' || c.candidateEntity !== 'guardian_link' || c.decision === 'merged') continue;
    const guardianId = c.leftId === loserId ? winnerId : c.leftId;
    const studentId = c.rightId === loserId ? winnerId : c.rightId;
    if (c.decision === 'pending') closing.push(c.id);
    if (studentId === guardianId || (c.decision === 'pending' && linked.has(`${guardianId}|${studentId}`))) continue;
    if (await decidedFor(store, guardianId, studentId, c.decision === 'pending')) continue; // decided for the winner already
    writes.push(c.decision === 'rejected' ? rejectedCandidate(guardianId, studentId, c.rule, at, runId, c.decidedBy) : candidate(guardianId, studentId, c.rule, c.at, runId));
  }
  if (writes.length) await store.upsertMany(writes, { runId });
  // Closed after the winner's are written: a merge interrupted in between leaves both waiting, never neither.
  if (closing.length) await store.deleteMany('match_candidate', closing, { reason: 'merged', evidence: `${loserId} → ${winnerId}`, runId });
}

/**
 * Has the winner's pair a decided candidate (`pending` too, with `orPending`)? For a pending one being moved, a link
 * of the winner's for the pair is a decision too (granted, or the school's): the login would not propose it either.
 */
async function decidedFor(store: Store, guardianId: string, studentId: string, orPending = false): Promise<boolean> {
  const there = (await store.get(candidateId(guardianId, studentId))) as CandidateRecord | null;
  if (there && there.status !== 'deleted' && (there.decision !== 'pending' || orPending)) return true;
  return orPending && (await store.get(guardianLinkId(studentId, guardianId))) !== null;
}
