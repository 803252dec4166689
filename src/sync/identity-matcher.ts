// Identity matching in tiers (canonical-model.md §C.3; DECISIONS.md §7): crosswalk → SNILS/ESIA id →
// exact normalised name + birth date + school, or for a teacher or parent an e-mail or phone + name → review queue. Never an automatic merge on a fuzzy match,
// and never onto a canonical person who already stands for another record of the same platform
// instance (a duplicate in the source goes to review, C.4 #1–#3).
import { compositePersonKey } from '../model/identity.js';
import { matchByContact } from './contact-match.js';
import type { PersonRecord } from '../model/index.js';
import type { PersonIndex } from './person-index.js';
import { nameScore } from './similarity.js';

export type MatchTier = 'crosswalk' | 'snils' | 'esia_id' | 'composite' | 'contact' | 'new' | 'held';

export interface PersonMatch {
  sourceId: string;
  /** The id the incoming record was mapped with (source-scoped until matched). */
  incomingId: string;
  canonicalId: string;
  tier: MatchTier;
  /** Set when the same person now arrives under a new platform id: close the old crosswalk row (key change). */
  keyChangeFrom?: string;
  /** A possible duplicate for a person to review; never merged automatically. */
  candidate?: { otherId: string; rule: string; score: number };
  /**
   * Tier `held`: the record matches, by name and birth date only, a person whose platform id is missing for the first
   * time. It may be that pupil re-keyed, or a twin enrolled the night the other was away: nothing of it is stored
   * until the old id is missing a second time (then the key change) or comes back (then two people).
   */
  heldFor?: { canonicalId: string; oldSourceId: string };
}

export interface MatchContext {
  /** Platform id → canonical id, from the crosswalk of this (system, instance). */
  crosswalk: ReadonlyMap<string, string>;
  /** Canonical id → platform ids already linked in this (system, instance) (open rows). */
  linkedSources: ReadonlyMap<string, ReadonlySet<string>>;
  /** Platform ids present in this snapshot (a linked source id absent now may be a key change). */
  presentSourceIds: ReadonlySet<string>;
  index: PersonIndex;
  /** The canonical school the incoming roster belongs to. */
  schoolId: string;
  /** Tier-4 threshold for proposing a review candidate. */
  candidateScore?: number;
  /**
   * New platform id → old platform id of key changes held at an earlier run whose old id is still missing, long
   * enough (the second miss): a name-and-birth-date match onto that old id's person is now taken as the key change.
   */
  ripeKeyChanges?: ReadonlyMap<string, string>;
  /**
   * Roles (role assignments) of the incoming persons, by the id they were mapped with, and of the known persons, by
   * canonical id: a name-only pupil is proposed as the school's dated pupil of that name, not as a parent of it.
   */
  incomingRoles?: ReadonlyMap<string, ReadonlySet<string>>;
  knownRoles?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Roles of the known persons at any school (`knownRoles` when absent): tier 3's contact half matches a teacher or a
   * parent onto a stored person of the same kind, wherever that person teaches or has a child.
   */
  storedRoles?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Classes (`grade|letter`, from enrollments) of the incoming and the known persons, likewise: of two namesakes of the
   * school, the one in the incoming pupil's class is proposed.
   */
  incomingClasses?: ReadonlyMap<string, ReadonlySet<string>>;
  knownClasses?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Platform id → the canonical persons an operator decided its record is not (`review split`, `review separate`:
   * person-decisions.ts). No tier links the record to them, nor proposes them for it.
   */
  notThesePersons?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Platform id → the canonical id a record split off a person gets when it is new again (`review split`): its own
   * platform-scoped id where that is free, another where the person it was split off holds that id.
   */
  splitOffAs?: ReadonlyMap<string, string>;
}

export function matchPerson(p: PersonRecord, sourceId: string, ctx: MatchContext, claimed: Set<string>, twinKeys: ReadonlySet<string> = new Set(), fresh: ReadonlySet<string> = new Set()): PersonMatch {
  const known = ctx.crosswalk.get(sourceId);
  if (known) return { sourceId, incomingId: p.id, canonicalId: known, tier: 'crosswalk' };
  // The people the operator said this record is not are invisible to every tier below; a record split off a person
  // is new under the id the split chose for it (the person may hold the record's own platform-scoped id).
  const notThem = ctx.notThesePersons?.get(sourceId);
  if (notThem?.size) ctx = { ...ctx, index: ctx.index.without(notThem) };
  const splitAs = ctx.splitOffAs?.get(sourceId);
  const m = matchByTiers(p, sourceId, ctx, claimed, twinKeys, fresh);
  return splitAs && m.tier === 'new' && m.canonicalId === p.id ? { ...m, canonicalId: splitAs } : m;
}

function matchByTiers(p: PersonRecord, sourceId: string, ctx: MatchContext, claimed: Set<string>, twinKeys: ReadonlySet<string>, fresh: ReadonlySet<string>): PersonMatch {
  const base = { sourceId, incomingId: p.id };

  const strong = strongMatch(p, ctx);
  if (strong && 'ambiguous' in strong) {
    // One SNILS (or ESIA id) on several stored people: none of them is this person for sure — the one of the same
    // name and birth date is proposed, else the first; never merged.
    const key = compositePersonKey(p, ctx.schoolId);
    const same = key ? strong.ambiguous.filter((id) => ctx.index.composite(key).includes(id)) : [];
    return { ...base, canonicalId: p.id, tier: 'new', candidate: { otherId: same.length === 1 ? same[0] : strong.ambiguous[0], rule: `${strong.tier}_ambiguous`, score: 1 } };
  }
  if (strong) {
    const free = freeFor(strong.id, ctx, claimed);
    if (free.ok) return { ...base, canonicalId: strong.id, tier: strong.tier, ...(free.keyChangeFrom ? { keyChangeFrom: free.keyChangeFrom } : {}) };
    return { ...base, canonicalId: p.id, tier: 'new', candidate: { otherId: strong.id, rule: `${strong.tier}_duplicate`, score: 1 } };
  }

  const key = compositePersonKey(p, ctx.schoolId);
  const exact = key ? ctx.index.composite(key) : [];
  if (exact.length === 0) {
    // Tier 3 for a teacher or a parent: an e-mail or phone only one stored person of that kind carries, and an equal
    // name (contact-match.ts). A person the same platform instance already holds under another id is reviewed.
    const byContact = matchByContact(p, { index: ctx.index, incomingRoles: ctx.incomingRoles, storedRoles: ctx.storedRoles ?? ctx.knownRoles, candidateScore: ctx.candidateScore });
    if (byContact && 'match' in byContact) {
      const free = freeFor(byContact.match, ctx, claimed);
      if (free.ok && !free.keyChangeFrom) return { ...base, canonicalId: byContact.match, tier: 'contact' };
      return { ...base, canonicalId: p.id, tier: 'new', candidate: { otherId: byContact.match, rule: 'contact_duplicate', score: 1 } };
    }
    if (byContact) return { ...base, canonicalId: p.id, tier: 'new', candidate: byContact.candidate };
  }
  if (exact.length === 1) {
    const free = freeFor(exact[0], ctx, claimed);
    // Two new records of this snapshot share the name and birth date of a pupil whose id is gone: which of them (if
    // either) is that pupil, only the operator can tell.
    if (free.ok && free.keyChangeFrom && twinKeys.has(key!)) return { ...base, canonicalId: p.id, tier: 'new', candidate: { otherId: exact[0], rule: 'composite_ambiguous', score: 1 } };
    // The same name, birth date and school, and the platform id it had is gone from this snapshot: the
    // platform re-registered the pupil (a key change) — or a twin came the night the other was away, so it is
    // taken only once the old id is missing a second time. Still present: a twin record, not the same pupil.
    if (free.ok && free.keyChangeFrom && ctx.ripeKeyChanges?.get(sourceId) !== free.keyChangeFrom) {
      return { ...base, canonicalId: p.id, tier: 'held', heldFor: { canonicalId: exact[0], oldSourceId: free.keyChangeFrom } };
    }
    if (free.ok) return { ...base, canonicalId: exact[0], tier: 'composite', ...(free.keyChangeFrom ? { keyChangeFrom: free.keyChangeFrom } : {}) };
    return { ...base, canonicalId: p.id, tier: 'new', candidate: { otherId: exact[0], rule: 'composite_duplicate', score: 1 } };
  }
  if (exact.length > 1) {
    // Namesakes of one birth date in the school: the one of this person's role and class is proposed; still several,
    // proposing the first (by id, unrelated to class) would invite merging two children — the operator links by hand.
    let narrowed = ofRoleAndClass(exact, p, ctx);
    // A namesake first seen in this very snapshot is another record of this platform: the stored one is the proposal.
    if (narrowed.length > 1 && narrowed.filter((id) => !fresh.has(id)).length === 1) narrowed = narrowed.filter((id) => !fresh.has(id));
    return { ...base, canonicalId: p.id, tier: 'new', ...(narrowed.length === 1 ? { candidate: { otherId: narrowed[0], rule: 'composite_ambiguous', score: 1 } } : {}) };
  }

  const candidate = fuzzyCandidate(p, ctx);
  return { ...base, canonicalId: p.id, tier: 'new', ...(candidate ? { candidate } : {}) };
}

function strongMatch(p: PersonRecord, ctx: MatchContext): { id: string; tier: 'snils' | 'esia_id' } | { ambiguous: string[]; tier: 'snils' | 'esia_id' } | null {
  for (const idf of p.identifiers ?? []) {
    if (idf.kind !== 'snils' && idf.kind !== 'esia_id') continue;
    const tier = idf.kind;
    const ids = ctx.index.identified(idf);
    if (ids.length === 1) return { id: ids[0], tier };
    if (ids.length > 1) return { ambiguous: ids, tier };
  }
  return null;
}

/**
 * A canonical person can take this platform record when no other record of the same instance stands
 * for them — or when the one that did is absent from this snapshot (then the platform re-keyed them).
 */
function freeFor(canonicalId: string, ctx: MatchContext, claimed: Set<string>): { ok: boolean; keyChangeFrom?: string } {
  if (claimed.has(canonicalId)) return { ok: false };
  const linked = [...(ctx.linkedSources.get(canonicalId) ?? [])];
  if (linked.length === 0) return { ok: true };
  const stillPresent = linked.filter((s) => ctx.presentSourceIds.has(s));
  if (stillPresent.length > 0) return { ok: false };
  return { ok: true, keyChangeFrom: linked[0] };
}

function fuzzyCandidate(p: PersonRecord, ctx: MatchContext): PersonMatch['candidate'] | undefined {
  if (!p.birthDate) {
    // АСУ РСО's teacher routes and ЭлЖур send names only: the one person of the school with exactly this full
    // name and a known birth date is proposed for review (never merged automatically, DECISIONS.md §7); two or
    // more propose nothing (picking one would hide the other; the operator links by hand); none: a similar name
    // below. Another platform's name-only copy does not count as a dated person. Where the platform says what the
    // person is (a pupil, a teacher), only persons of that role count: a son named after his father has his full
    // name, and the two of them proposed nothing, so such a pupil waited for the operator to link him by hand.
    // Two pupils of one name in the school (namesakes are common): the one in this pupil's class is proposed.
    const same = ofRoleAndClass(ctx.index.sameName(p, ctx.schoolId), p, ctx);
    if (same.length === 1) return { otherId: same[0], rule: 'name_exact_no_birthdate', score: 1 };
    if (same.length > 1) return undefined;
  }
  const threshold = ctx.candidateScore ?? 0.75;
  // With both birth dates: a similar name with the same date. Where a side has none (АСУ РСО's teacher routes and
  // ЭлЖур carry no birth date), a similar name in the same school — only ever a review candidate, never a merge,
  // so such a pupil is neither merged nor duplicated silently (docs/sync.md).
  const undated = ctx.index.sameSchoolInitial(ctx.schoolId, p.familyName).filter((o) => !p.birthDate || !o.birthDate);
  // Tier 4 is the school's (canonical-model.md §C.3: same school + same birth date + a similar name): a stranger of
  // another school sharing a birth date and a similar name was proposed, at up to score 1.
  const sameDate = p.birthDate ? ctx.index.sameBirthDate(p.birthDate).filter((o) => ctx.index.inSchool(o.id, ctx.schoolId)) : [];
  // Where both sides say what the person is, another role is someone else (a teacher is not the pupil of that name).
  const pool = sharing([...(p.birthDate ? sameDate : []), ...undated].map((o) => o.id), ctx.incomingRoles?.get(p.id), ctx.knownRoles, true)
    .map((id) => ctx.index.persons.get(id)!).filter(Boolean);
  let best: { otherId: string; score: number; dated: boolean } | undefined;
  let top: { otherId: string; dated: boolean }[] = [];
  for (const other of pool) {
    const score = nameScore(p, other);
    if (score < threshold || top.some((t) => t.otherId === other.id)) continue;
    const entry = { otherId: other.id, dated: Boolean(p.birthDate && other.birthDate) };
    if (best && score === best.score) top.push(entry);
    else if (!best || score > best.score) {
      best = { ...entry, score };
      top = [entry];
    }
  }
  if (!best) return sameNameSameClass(p, ctx);
  if (top.length > 1) {
    // Two people of the school fit equally well (namesakes, one of them perhaps this pupil): the one of this person's
    // role and class is proposed, as for an undated name above; still several, proposing one would hide the other and
    // invite merging two children, so the operator links by hand.
    const narrowed = ofRoleAndClass(top.map((t) => t.otherId), p, ctx);
    if (narrowed.length !== 1) return undefined;
    best = { ...top.find((t) => t.otherId === narrowed[0])!, score: best.score };
  }
  return { otherId: best.otherId, rule: best.dated ? 'name_birthdate_similar' : 'name_no_birthdate', score: Math.round(best.score * 100) / 100 };
}

/**
 * Tier 4's other half (canonical-model.md §C.3: "or name + class"): the one person of the school with exactly this
 * full name, another birth date, in this person's class and of their role — two platforms disagreeing on a pupil's
 * birth date (a typo on one of them) made two people of one pupil, silently. Proposed below score 1: the dates differ.
 */
function sameNameSameClass(p: PersonRecord, ctx: MatchContext): PersonMatch['candidate'] | undefined {
  const mine = ctx.incomingClasses?.get(p.id);
  if (!p.birthDate || !mine?.size || !ctx.knownClasses) return undefined;
  const named = sharing(ctx.index.sameName(p, ctx.schoolId).filter((id) => id !== p.id), ctx.incomingRoles?.get(p.id), ctx.knownRoles, true);
  const inClass = named.filter((id) => [...(ctx.knownClasses!.get(id) ?? [])].some((c) => mine.has(c)));
  return inClass.length === 1 ? { otherId: inClass[0], rule: 'name_class', score: NAME_CLASS_SCORE } : undefined;
}
const NAME_CLASS_SCORE = 0.9;

/** Matches a whole roster snapshot; each canonical person is claimed by at most one platform record. */
export function matchPersons(incoming: readonly { record: PersonRecord; sourceId: string }[], ctx: MatchContext): PersonMatch[] {
  const claimed = new Set<string>();
  const out: PersonMatch[] = [];
  // Crosswalk hits first, so a new record never claims a person an existing link already holds.
  const ordered = [...incoming].sort((a, b) => Number(ctx.crosswalk.has(b.sourceId)) - Number(ctx.crosswalk.has(a.sourceId)));
  // Name-and-birth-date keys more than one unlinked record of this snapshot carries (twins, or a twin and a re-key).
  const seen = new Set<string>();
  const twinKeys = new Set<string>();
  for (const { record, sourceId } of incoming) {
    const key = ctx.crosswalk.has(sourceId) ? null : compositePersonKey(record, ctx.schoolId);
    if (key && seen.has(key)) twinKeys.add(key);
    if (key) seen.add(key);
  }
  const fresh = new Set<string>();
  for (const { record, sourceId } of ordered) {
    const m = matchPerson(record, sourceId, ctx, claimed, twinKeys, fresh);
    claimed.add(m.heldFor?.canonicalId ?? m.canonicalId);
    // A person first seen in this snapshot is matchable by the next record: two spellings of one
    // pupil inside one source (Алёна/Алена) end in review, not in two silent records or a merge.
    if (m.tier === 'new') {
      ctx.index.add({ ...record, id: m.canonicalId }, ctx.schoolId);
      fresh.add(m.canonicalId);
    }
    out.push(m);
  }
  return out;
}

/** Of `ids`, those of the incoming person's role (strictly) and, where that tells them apart, of their class. */
function ofRoleAndClass(ids: string[], p: PersonRecord, ctx: MatchContext): string[] {
  return sharing(sharing(ids, ctx.incomingRoles?.get(p.id), ctx.knownRoles, true), ctx.incomingClasses?.get(p.id), ctx.knownClasses);
}

/**
 * `ids` that share a value (a role, a class) with `mine` — all of them where `mine` is unknown or none shares one.
 * `strict` (roles): a person whose known roles share none of `mine` is dropped whatever the count — a teacher is not
 * proposed as the school's pupil of the same name; a class may have changed, a role of a person does not.
 */
function sharing(ids: string[], mine: ReadonlySet<string> | undefined, known: ReadonlyMap<string, ReadonlySet<string>> | undefined, strict = false): string[] {
  if (!mine?.size || !known) return ids;
  if (strict) return ids.filter((id) => !known.get(id)?.size || [...known.get(id)!].some((v) => mine.has(v)));
  if (ids.length < 2) return ids;
  const shared = ids.filter((id) => [...(known.get(id) ?? [])].some((v) => mine.has(v)));
  return shared.length ? shared : ids;
}
