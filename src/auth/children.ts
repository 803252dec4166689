// Links a parent's ESIA children to pupils (esia.md §4; canonical-model.md ). The child's
// SNILS is the key; name + birth date only proposes a MatchCandidate that an administrator confirms
// (`journal-gateway review`). The parent's ESIA oid is kept in the crosswalk (gateway/esia), and the
// link is a verified guardian_link. Nothing of the ESIA children list is stored beyond the link.
import {
  buildRecord, naturalId, normaliseName, normaliseSnils, type CanonicalRecord, type GuardianLinkRecord, type PersonRecord,
} from '../model/index.js';
import type { Store } from '../store/index.js';
import { UsageError } from '../infra/operator-errors.js';
import type { EsiaKid } from './esia/client.js';
import { mergedInto } from './merged-into.js';

export const ESIA_SYSTEM = 'gateway';
export const ESIA_INSTANCE = 'esia';
export const NAME_BIRTHDATE_RULE = 'esia_kid_name_birthdate';
/** A SNILS match to a pupil for whom the school has refused some parent: an administrator decides, not the login. */
export const SNILS_AFTER_REFUSAL_RULE = 'esia_kid_snils_after_refusal';

export interface ParentIdentity {
  /** ESIA oid, or the `sub` of a generic OpenID provider (then `instance` names that provider). */
  oid: string;
  /** Crosswalk instance of the login provider: `esia` (default) or e.g. `oidc`. */
  instance?: string;
  trusted: boolean;
  familyName?: string;
  givenName?: string;
  middleName?: string;
}

export interface LinkOutcome {
  guardianId: string;
  /** Pupils this parent may now see (SNILS match, or earlier confirmed candidates still in ESIA's list). */
  studentIds: string[];
  /** Kids matched only by name + birth date: pending review, no access yet. */
  candidates: number;
  /** Kids matching no pupil (another school, or not on the roster yet). */
  unmatched: number;
  /** Kids whose SNILS matched more than one pupil and none is confirmed yet: quarantined, no access. */
  ambiguous: number;
  /** Kids the school refused or an administrator rejected: no access, and not waiting for anyone. */
  declined: number;
}

const prov = (runId: string, at: string) => ({
  system: 'gateway' as const, instance: ESIA_INSTANCE, fetchedAt: at, payloadHash: 'esia-login', runId, mapperVersion: 'esia-link-1',
});

export const guardianLinkId = (studentId: string, guardianId: string) => naturalId('guardian_link', studentId, guardianId);

interface PupilIndex {
  bySnils: Map<string, string[]>;
  byNameBirth: Map<string, string[]>;
  /** Pupil id → the SNILS stored for them (a pupil may carry none). */
  snilsOf: Map<string, Set<string>>;
}

async function pupilIndex(store: Store): Promise<PupilIndex> {
  const students = new Set<string>();
  for await (const r of store.iterate('role_assignment', { status: 'active' })) {
    const ra = r as { role: string; personId: string };
    if (ra.role === 'student') students.add(ra.personId);
  }
  const bySnils = new Map<string, string[]>();
  const byNameBirth = new Map<string, string[]>();
  const snilsOf = new Map<string, Set<string>>();
  const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);
  for await (const r of store.iterate('person', { status: 'active' })) {
    const p = r as PersonRecord;
    if (!students.has(p.id)) continue;
    for (const id of p.identifiers) {
      const snils = id.kind === 'snils' ? normaliseSnils(id.value) : null;
      if (!snils) continue;
      push(bySnils, snils, p.id);
      snilsOf.set(p.id, (snilsOf.get(p.id) ?? new Set<string>()).add(snils));
    }
    if (p.birthDate) push(byNameBirth, nameBirthKey(p.familyName, p.givenName, p.birthDate), p.id);
  }
  return { bySnils, byNameBirth, snilsOf };
}

function nameBirthKey(family: string | undefined, given: string | undefined, birth: string): string {
  return `${normaliseName(family)}|${normaliseName(given)}|${birth}`;
}

/** The canonical person behind an ESIA oid; created (names only, from `fullname`) on first login. */
async function guardianFor(store: Store, parent: ParentIdentity, runId: string, at: string): Promise<string> {
  const instance = parent.instance ?? ESIA_INSTANCE;
  const known = await store.resolve(ESIA_SYSTEM, instance, 'person', [parent.oid]);
  const id = known.get(parent.oid);
  if (id) return id;
  const guardianId = naturalId('person', ESIA_SYSTEM, instance, parent.oid);
  const person = buildRecord('person', {
    familyName: parent.familyName || 'Родитель', givenName: parent.givenName || 'Госуслуги', ...(parent.middleName ? { middleName: parent.middleName } : {}),
    enabled: true, emails: [], phones: [],
    identifiers: instance === ESIA_INSTANCE ? [{ kind: 'esia_id', value: parent.oid, verified: parent.trusted }] : [{ kind: 'platform_user_id', value: parent.oid, assignedBy: instance, verified: parent.trusted }],
  }, { id: guardianId, sourceRefs: [{ system: 'gateway', instance, sourceId: parent.oid, kind: 'login_subject' }], provenance: prov(runId, at) });
  await store.upsert(person, { runId });
  await store.link([{ entity: 'person', canonicalId: guardianId, system: ESIA_SYSTEM, instance, sourceId: parent.oid, sourceIdKind: 'login_subject', matchRule: `${instance}_login` }], { runId });
  return guardianId;
}

/** `verifiedAt`: when the link was verified, where that is earlier than this write (a link a merge carries to its winner). */
export function verifiedGuardianLink(
  studentId: string, guardianId: string, at: string, runId: string, verifiedBy?: string, accessScope: 'full' | 'none' = 'full', instance = ESIA_INSTANCE, verifiedAt = at,
): GuardianLinkRecord {
  return buildRecord('guardian_link', {
    studentId, guardianId, relation: 'other', isLegalRepresentative: true, accessScope, digitalAccess: accessScope === 'full' ? 'enabled' : 'refused', verifiedAt,
    ...(verifiedBy ? { verifiedBy } : {}),
  }, {
    id: guardianLinkId(studentId, guardianId),
    sourceRefs: [{ system: 'gateway', instance, sourceId: `${guardianId}:${studentId}`, kind: 'esia_kid_link' }],
    provenance: prov(runId, at),
  });
}

/** Is this link one that grants a parent the pupil's diary? */
export function grantsAccess(link: GuardianLinkRecord | undefined | null, guardianId: string): boolean {
  return !!link && link.status === 'active' && link.guardianId === guardianId && link.accessScope === 'full' && !!link.verifiedAt;
}

/**
 * Where one (parent, pupil) pair stands before a login or a review touches it:
 * - `granted`: a verified full-scope link exists;
 * - `school`: a link exists that grants nothing (scope `none`, inactive or deleted) — the school's decision, which
 *   neither a login nor a review confirm overrides (only `review allow` by an operator does);
 * - `rejected`: an administrator rejected the pair's candidate;
 * - `pending`: a candidate waits for review;
 * - `open`: nothing decided yet.
 */
type PairState = 'granted' | 'school' | 'rejected' | 'pending' | 'open';

/**
 * Pupils for whom the school has refused some parent (`review refuse`: scope `none`, digital access refused; or a login
 * link it set inactive or deleted). One person is a separate guardian record per login provider (and per roster
 * platform), so a refused parent logging in through another provider arrives as a guardian the refusal does not name:
 * such a first link waits for review.
 */
async function pupilsWithRefusals(store: Store): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const r of store.iterate('guardian_link')) {
    const l = r as GuardianLinkRecord & { deleteReason?: string | null };
    if (l.status === 'active' && l.accessScope === 'none' && l.digitalAccess === 'refused') out.add(l.studentId);
    // A login link the school set inactive or deleted is its decision too (pairState `school`); a merge's tombstone is not.
    else if (l.status !== 'active' && l.deleteReason !== 'merged' && l.sourceRefs[0]?.system === 'gateway' && l.sourceRefs[0]?.kind === 'esia_kid_link') out.add(l.studentId);
  }
  return out;
}

async function pairState(store: Store, guardianId: string, studentId: string): Promise<PairState> {
  const link = (await store.get(guardianLinkId(studentId, guardianId))) as GuardianLinkRecord | null;
  if (grantsAccess(link, guardianId)) return 'granted';
  if (link) return 'school';
  const c = (await store.get(candidateId(guardianId, studentId))) as { decision?: string } | null;
  if (c?.decision === 'rejected') return 'rejected';
  if (c?.decision === 'pending') return 'pending';
  return 'open';
}

export async function linkChildren(store: Store, parent: ParentIdentity, kids: EsiaKid[], opts: { runId: string; at?: string }): Promise<LinkOutcome> {
  const at = opts.at ?? new Date().toISOString();
  const guardianId = await guardianFor(store, parent, opts.runId, at);
  const outcome: LinkOutcome = { guardianId, studentIds: [], candidates: 0, unmatched: 0, ambiguous: 0, declined: 0 };
  // esia.md §4 step 3: only a confirmed account carries verified SNILS and children.
  if (!parent.trusted) {
    outcome.unmatched = kids.length;
    return outcome;
  }
  const index = await pupilIndex(store);
  const instance = parent.instance ?? ESIA_INSTANCE;
  let refusals: Set<string> | undefined;
  const writes: CanonicalRecord[] = [];
  for (const kid of kids) {
    const snils = normaliseSnils(kid.snils);
    const bySnils = snils ? index.bySnils.get(snils) ?? [] : [];
    if (bySnils.length === 1) {
      // The SNILS names exactly one pupil: ESIA's verified family link is the proof, unless the school
      // has decided otherwise for this pair — a refusal, or an administrator's rejection (a SNILS entered on the
      // wrong pupil stays rejected once the right pupil is gone from the store).
      const studentId = bySnils[0];
      const state = await pairState(store, guardianId, studentId);
      if (state === 'school' || state === 'rejected') {
        outcome.declined++;
        continue;
      }
      // Read only when a pair is not yet linked (a parent's first login for this child): it scans the links.
      if (state !== 'granted' && (refusals ??= await pupilsWithRefusals(store)).has(studentId)) {
        if (state === 'open') writes.push(candidate(guardianId, studentId, SNILS_AFTER_REFUSAL_RULE, at, opts.runId));
        outcome.candidates++;
        continue;
      }
      if (state !== 'granted') writes.push(verifiedGuardianLink(studentId, guardianId, at, opts.runId, undefined, 'full', instance));
      // The SNILS link settles a candidate the pair still has (a name-only match from an earlier login, or one
      // raised by a refusal since lifted): left pending, a later reject would read as taking access it cannot take.
      if (state === 'pending') writes.push(await settledBySnils(store, guardianId, studentId, at, opts.runId));
      outcome.studentIds.push(studentId);
      continue;
    }
    if (bySnils.length > 1) {
      // one child, several pupils — never attach the guardian to a second pupil automatically. Each pupil
      // is a candidate once; an administrator's confirmation or rejection stands at every later login.
      let granted = false;
      let waiting = false;
      for (const studentId of bySnils) {
        const state = await pairState(store, guardianId, studentId);
        if (state === 'granted') {
          outcome.studentIds.push(studentId);
          granted = true;
        } else if (state === 'open') {
          writes.push(candidate(guardianId, studentId, 'esia_kid_snils_ambiguous', at, opts.runId));
          waiting = true;
        } else if (state === 'pending') {
          waiting = true;
        }
      }
      if (!granted) {
        if (waiting) outcome.ambiguous++;
        else outcome.declined++;
      }
      continue;
    }
    const byName = kid.birthDate ? index.byNameBirth.get(nameBirthKey(kid.lastName, kid.firstName, kid.birthDate)) ?? [] : [];
    // A pupil with the same name and birth date but another SNILS is another child: not even a candidate.
    const sameChild = byName.filter((id) => !snils || !index.snilsOf.get(id)?.size || index.snilsOf.get(id)!.has(snils));
    if (sameChild.length === 1) {
      const studentId = sameChild[0];
      const state = await pairState(store, guardianId, studentId);
      if (state === 'granted') outcome.studentIds.push(studentId); // confirmed earlier by an administrator, and still ESIA's child
      else if (state === 'open' || state === 'pending') {
        if (state === 'open') writes.push(candidate(guardianId, studentId, NAME_BIRTHDATE_RULE, at, opts.runId));
        outcome.candidates++;
      } else outcome.declined++;
      continue;
    }
    // Several pupils of this name and birth date (a namesake at another school, or the child's own duplicate record):
    // the one the school confirmed for this parent is still the child, as among several pupils of one SNILS above.
    // Before, any namesake hid a confirmed child. An unconfirmed namesake is never shown, nor proposed (as before).
    let confirmed = false;
    for (const studentId of sameChild.length > 1 ? sameChild : []) {
      if (await pairState(store, guardianId, studentId) !== 'granted') continue;
      outcome.studentIds.push(studentId);
      confirmed = true;
    }
    if (!confirmed) outcome.unmatched++;
  }
  if (writes.length) await store.upsertMany(writes, { runId: opts.runId });
  // A child ESIA lists twice (two entries of one SNILS) is one child on the parent's page.
  outcome.studentIds = [...new Set(outcome.studentIds)];
  return outcome;
}

export const candidateId = (guardianId: string, studentId: string) => naturalId('match_candidate', 'guardian_link', guardianId, studentId);

/** A pending child-link candidate of the pair; a merge moves one waiting on the merged person to the winner (src/sync/merge-parent-access.ts). */
export function candidate(guardianId: string, studentId: string, rule: string, at: string, runId: string): CanonicalRecord {
  return buildRecord('match_candidate', {
    candidateEntity: 'guardian_link', leftId: guardianId, rightId: studentId, rule, score: rule === NAME_BIRTHDATE_RULE ? 0.9 : 1,
    decision: 'pending', at,
  }, {
    id: candidateId(guardianId, studentId),
    sourceRefs: [{ system: 'gateway', instance: ESIA_INSTANCE, sourceId: `${guardianId}:${studentId}`, kind: 'esia_kid_candidate' }],
    provenance: prov(runId, at),
  });
}

export type CandidateRecord = CanonicalRecord & { entity: 'match_candidate' };

/** A rejected child-link candidate of the pair, carrying an earlier rejection over to a merge's winner (src/sync/review.ts). */
export function rejectedCandidate(guardianId: string, studentId: string, rule: string, at: string, runId: string, decidedBy?: string): CanonicalRecord {
  return decided(candidate(guardianId, studentId, rule, at, runId) as CandidateRecord, 'rejected', at, runId, { decidedBy });
}

/** The candidate with its decision taken (`merged`: the pair is linked; `rejected`: it never is). */
function decided(c: CandidateRecord, decision: 'merged' | 'rejected', at: string, runId: string, by: { decidedBy?: string | undefined; mergedInto?: string } = {}): CanonicalRecord {
  const { entity: _e, id, status, version: _v, updatedAt: _u, contentHash: _h, sourceRefs, provenance: _p, ...fields } = c;
  return buildRecord('match_candidate', {
    ...fields, decision, at, ...(by.decidedBy ? { decidedBy: by.decidedBy } : {}), ...(by.mergedInto ? { mergedInto: by.mergedInto } : {}),
  }, { id, status, sourceRefs, provenance: prov(runId, at) });
}

/** The pair's pending candidate, closed as merged into the SNILS-verified link just made (no administrator decided it). */
async function settledBySnils(store: Store, guardianId: string, studentId: string, at: string, runId: string): Promise<CanonicalRecord> {
  const c = (await store.get(candidateId(guardianId, studentId))) as CandidateRecord;
  return decided(c, 'merged', at, runId, { mergedInto: guardianLinkId(studentId, guardianId) });
}

export interface ReviewDecision {
  candidateId: string;
  decision: 'confirm' | 'reject';
  /** The administrator's canonical person id, when known. */
  decidedBy?: string;
  runId: string;
  at?: string;
}

/**
 * The candidate an administrator's id stands for. A `review merge` moves a waiting candidate to the person merged into
 * (src/sync/merge-parent-access.ts) and closes the old one; an id read from the queue before the merge still means
 * this parent and this child, so it decides the moved one. Before, it linked the parent to the tombstone.
 */
export async function candidateToDecide(store: Store, id: string): Promise<CandidateRecord> {
  const c = (await store.get(id)) as CandidateRecord | null;
  if (!c || c.entity !== 'match_candidate' || c.candidateEntity !== 'guardian_link') throw new UsageError(`no child-link candidate ${id}`); // an id from the command line: exit 64
  const [guardianId, studentId] = [await mergedInto(store, c.leftId) ?? c.leftId, await mergedInto(store, c.rightId) ?? c.rightId];
  if (guardianId === c.leftId && studentId === c.rightId) return c;
  const moved = (await store.get(candidateId(guardianId, studentId))) as CandidateRecord | null;
  return moved?.entity === 'match_candidate' && moved.status !== 'deleted' ? moved : c;
}

/** Confirms (verified guardian_link) or rejects a pending child-link candidate. */
export async function decideCandidate(store: Store, d: ReviewDecision): Promise<'linked' | 'rejected'> {
  const at = d.at ?? new Date().toISOString();
  const c = await candidateToDecide(store, d.candidateId);
  if (c.status === 'deleted') throw new Error(`candidate ${d.candidateId} was closed (${(c as { deleteReason?: string }).deleteReason ?? 'deleted'}): nothing decided — \`review links ${c.rightId}\` shows the pupil's links`);
  if (c.decision !== 'pending') throw new Error(`candidate ${d.candidateId} was already decided (${c.decision})`);
  // A pupil (or parent) deleted since the login proposed them — left the school, or merged with no candidate to move
  // to — is no one to link: a confirmation answered "linked" and gave the parent nothing. A rejection closes the item.
  for (const [role, id] of d.decision === 'confirm' ? [['pupil', c.rightId], ['parent', c.leftId]] as const : []) {
    const p = await store.get(id);
    if (!p || p.entity !== 'person' || p.status === 'deleted') {
      throw new UsageError(`candidate ${d.candidateId}: the ${role} ${id} is no longer in the store (${p ? 'deleted' : 'not found'}): nothing linked; reject the candidate to close it`);
    }
  }
  const state = await pairState(store, c.leftId, c.rightId);
  if (d.decision === 'reject' && state === 'granted') {
    // Left pending by an earlier version beside a SNILS link: rejecting would say "no access" and change nothing.
    throw new Error(`candidate ${d.candidateId}: this parent already has access to the pupil through a verified link (${guardianLinkId(c.rightId, c.leftId)}); `
      + `rejecting the candidate would not take it away. If the school refuses this parent, use \`review refuse ${c.rightId} --guardian ${c.leftId}\` `
      + '(it closes the candidate too); otherwise confirm the candidate');
  }
  if (d.decision === 'confirm' && state === 'school') {
    throw new Error(`candidate ${d.candidateId}: the school has set this parent's link to the pupil (${guardianLinkId(c.rightId, c.leftId)}) to grant no access; `
      + 'a review confirm does not override it. Reject the candidate, or use `review allow` if the school has decided otherwise');
  }
  const writes: CanonicalRecord[] = [decided(c, d.decision === 'confirm' ? 'merged' : 'rejected', at, d.runId, { decidedBy: d.decidedBy })];
  if (d.decision === 'confirm' && state !== 'granted') writes.push(verifiedGuardianLink(c.rightId, c.leftId, at, d.runId, d.decidedBy));
  await store.upsertMany(writes, { runId: d.runId });
  return d.decision === 'confirm' ? 'linked' : 'rejected';
}

/** Pending child-link candidates, for `journal-gateway review` (ids only: no names in the listing). */
export async function pendingCandidates(store: Store): Promise<{ id: string; guardianId: string; studentId: string; rule: string; at: string }[]> {
  const out = [];
  for await (const r of store.iterate('match_candidate', { status: 'active' })) {
    const c = r as CanonicalRecord & { entity: 'match_candidate' };
    if (c.candidateEntity === 'guardian_link' && c.decision === 'pending') out.push({ id: c.id, guardianId: c.leftId, studentId: c.rightId, rule: c.rule, at: c.at });
  }
  return out;
}

export interface AccessDecision {
  studentId: string;
  guardianId: string;
  /** `full`: the parent may read the pupil's diary; `none`: the school refuses it (a court order, a request). */
  access: 'full' | 'none';
  decidedBy?: string;
  runId: string;
  at?: string;
}

/**
 * The school's own decision on one parent and pupil (`journal-gateway review allow|refuse`): the only way a link
 * the school set to no access (or deleted) grants access again — neither a login nor a review confirm does. A
 * pending candidate of the pair is decided with it.
 */
export async function setLinkAccess(store: Store, d: AccessDecision): Promise<'allowed' | 'refused'> {
  const at = d.at ?? new Date().toISOString();
  for (const [role, id] of [['pupil', d.studentId], ['parent', d.guardianId]] as const) {
    const p = await store.get(id);
    if (!p || p.entity !== 'person' || p.status === 'deleted') throw new UsageError(`no ${role} with canonical person id ${id} in the store`);
  }
  const writes: CanonicalRecord[] = [verifiedGuardianLink(d.studentId, d.guardianId, at, d.runId, d.decidedBy, d.access)];
  const c = (await store.get(candidateId(d.guardianId, d.studentId))) as CandidateRecord | null;
  if (c?.entity === 'match_candidate' && c.decision === 'pending') {
    writes.push(decided(c, d.access === 'full' ? 'merged' : 'rejected', at, d.runId, { decidedBy: d.decidedBy }));
  }
  await store.upsertMany(writes, { runId: d.runId });
  return d.access === 'full' ? 'allowed' : 'refused';
}

/** Every guardian link of a pupil, for `journal-gateway review links` (ids and states only, no names). */
export async function linksOfPupil(store: Store, studentId: string): Promise<{ id: string; guardianId: string; access: string; status: string; verifiedAt?: string; source: string }[]> {
  const out = [];
  for await (const r of store.iterate('guardian_link')) {
    const l = r as GuardianLinkRecord;
    if (l.studentId !== studentId) continue;
    const src = l.sourceRefs[0];
    out.push({ id: l.id, guardianId: l.guardianId, access: l.accessScope, status: l.status, ...(l.verifiedAt ? { verifiedAt: l.verifiedAt } : {}), source: src ? `${src.system}/${src.instance}` : 'unknown' });
  }
  return out;
}
