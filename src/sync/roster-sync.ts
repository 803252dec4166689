// roster-sync (issue 7; canonical-model.md §C.2–C.3): read a school's roster from one platform instance,
// match identities in tiers, then apply key changes → upserts in dependency order → deletes in reverse
// order, and only then commit the snapshot cursor (Singer: state after records).
import type { Logger } from 'pino';
import type { Connector, PlatformBatch } from '../connectors/contract.js';
import type { Mapper } from '../connectors/mapping.js';
import { ENTITY_ORDER, ROSTER_ENTITIES, type EntityName } from '../model/enums.js';
import { naturalId, sourceScopedId } from '../model/ids.js';
import { buildRecord, type CanonicalRecord, type PersonRecord } from '../model/index.js';
import { compositePersonKey, contactKeys } from '../model/identity.js';
import type { HeldLease, Store } from '../store/index.js';
import { keepHeldPersonsPresent, readHeldKeyChanges, ripeKeyChanges, saveHeldKeyChanges, withoutHeld } from './held-key-changes.js';
import { matchPersons, type PersonMatch } from './identity-matcher.js';
import { classLetterKey, naturalKeyOf, subjectAliasesOf, type SubjectAliases } from './natural-keys.js';
import { PersonIndex } from './person-index.js';
import { addFormerPupils } from './former-pupils.js';
import { orphanedPersons } from './orphaned-persons.js';
import { personDecisionId, personDecisionsOf } from './person-decisions.js';
import { mapAll, mapResolvingCrosswalk, resolverFrom, type RunIdentity } from './reference-resolver.js';
import { instanceWins } from './authority.js';
import { addQuarantine, addSkipped, addUpsert, newSummary, type RunSummary } from './run-summary.js';
import { pastYearMissing, yearsOfRead } from './past-year-records.js';
import { closeOtherYearLinks, idsOfAnotherYear, type OtherYearId } from './other-year-ids.js';
import { planSnapshotDeletes, withoutRetired, type SnapshotState } from './snapshot-deletes.js';
import { keepUnlistedStaff } from './unlisted-staff.js';
import { missingWithTheirPupils } from './structure-with-pupils.js';
import { storeSetupCache } from './setup-cache.js';
import { notElsewhere } from './persons-elsewhere.js';

const ROSTER: ReadonlySet<string> = new Set<string>([...ROSTER_ENTITIES, 'work_type', 'mark_scale']);

export interface RosterSyncInput {
  store: Store;
  connector: Connector;
  mapper: Mapper;
  run: RunIdentity;
  /** Operator's school id (config) and the school's id on this platform instance. */
  school: { id: string; sourceId: string; timeZone: string };
  /**
   * The school's system of record, or a migration's source: only it may delete by absence (a pupil missing from a
   * target is not gone), and only its roster read is asked for the school's structure (`ReadScope.schoolStructure`).
   */
  authoritative: boolean;
  window: { from: string; to: string };
  deleteThreshold: number;
  /** Config `sync.secondMissAfterHours`: a second miss counts only this long after the first (default 0: any run). */
  secondMissAfterHours?: number;
  /** The operator accepts this many missing records above the threshold (`sync roster --accept-deletes N`). */
  acceptDeletes?: number;
  /** Config `sync.subjectAliases`: another platform's subject title → the system of record's. */
  subjectAliases?: Readonly<Record<string, string>>;
  /**
   * The school's sync lease the run holds (school-sync-lease.ts): checked before each write, as journal sync does, so a
   * run that outlasted its lease and was taken over stops instead of writing beside the new holder.
   */
  lease?: HeldLease;
  logger?: Logger;
  onProgress?: (stage: string, done: number, total?: number) => void;
}

/** The canonical id of a school is deterministic from the operator's config id: every platform agrees. */
export const schoolCanonicalId = (schoolConfigId: string) => naturalId('organization', 'school', schoolConfigId);

export async function rosterSync(input: RosterSyncInput): Promise<RunSummary> {
  const { store, connector, mapper, run, school } = input;
  const summary = newSummary('roster-sync', run.runId, run.instance, school.id);
  const batches: PlatformBatch[] = [];
  // The roster read takes every set-up answer from the platform and keeps it for the day's journal syncs.
  const setupCache = storeSetupCache(store, { system: run.system, instance: run.instance, schoolId: school.id, runId: run.runId }, { refresh: true });
  // The school's own structure is asked of the system of record and of a migration's source (both `authoritative`:
  // jobs/processors.ts, migrate.ts, migrate-by-package.ts), never of a target or a roster platform beside another
  // system of record (ЭлЖур reads a year of diary pages for it: connectors/contract.ts `schoolStructure`).
  const schoolStructure = input.authoritative;
  for await (const b of connector.readSchool({ schoolSourceId: school.sourceId, ...input.window, capabilities: ['roster.read'], setupCache, schoolStructure })) {
    batches.push(b);
    // Pages (one platform answer each), not records: records are known only after mapping, once every page is in.
    input.onProgress?.('pages read', batches.length);
  }
  // The read is the long part: another sync of the school may hold the lease by now.
  await input.lease?.assertHeld();

  // Pass 1: mapped with what the crosswalk already knows (each page once unless the crosswalk changes its answer).
  const { mapped: first, crosswalk } = await mapResolvingCrosswalk(
    store, mapper, batches, run, new Map([[`organization|${school.sourceId}`, schoolCanonicalId(school.id)]]),
  );
  const incoming = first.flatMap((m) => m.records).filter((r) => ROSTER.has(r.entity));
  for (const m of first) { for (const q of m.quarantine) addQuarantine(summary, q.reason); addSkipped(summary, m.skipped); }

  // Identity: persons by tiers, everything else by structural natural keys.
  const translation = new Map<string, string>();
  // The platform ids of persons seen at this school's last run, to recognise a pupil re-keyed since (per school: the
  // schools of one platform instance each have their own; an earlier gateway kept one list per instance).
  const personsKey = `roster-persons:${school.id}`;
  const earlierPersons = (await store.getCursor(run.system, run.instance, personsKey)) ?? (await store.getCursor(run.system, run.instance, 'roster-persons'));
  const heldEarlier = await readHeldKeyChanges(store, run, school.id);
  const ripe = ripeKeyChanges(heldEarlier, Date.now(), (input.secondMissAfterHours ?? 0) * 3_600_000);
  const { matches, present: presentPersons } = await matchRosterPersons(store, run, incoming, crosswalk, schoolCanonicalId(school.id), earlierPersons?.value ? JSON.parse(earlierPersons.value) as string[] : [], ripe, input.authoritative);
  const heldIds = new Set(matches.filter((m) => m.heldFor).map((m) => m.canonicalId));
  for (const m of matches) translation.set(m.incomingId, m.canonicalId);
  // A class, subject, group or term whose platform id last year's record holds is this year's record, not that one.
  const otherYear = await idsOfAnotherYear(store, run, incoming, crosswalk);
  await matchByNaturalKeys(store, incoming, translation, crosswalk, run, subjectAliasesOf(input.subjectAliases), otherYear);
  // A platform that is not the system of record naming a subject no stored one has: its lessons will have no
  // counterpart, and no mark of that subject can be placed there — said in the summary every run, with the titles
  // (not personal data).
  if (!input.authoritative) {
    const unmatched = await subjectsOfTheirOwn(store, incoming, translation, run);
    if (unmatched.length) summary.unmatchedSubjects = unmatched;
  }

  // Pass 2: map again with every platform id resolved to its (matched) canonical id.
  const resolved = new Map(crosswalk);
  for (const r of incoming) {
    const ref = ownRef(r, run);
    if (ref) resolved.set(`${r.entity}|${ref.sourceId}`, translation.get(r.id) ?? r.id);
  }
  const records = withoutHeld(mapAll(mapper, batches, run, resolverFrom(resolved)).flatMap((m) => m.records).filter((r) => ROSTER.has(r.entity)), heldIds);

  // Matching read every stored person: checked again before the first write.
  await input.lease?.assertHeld();
  // 1. key changes (the same pupil under a new platform id keeps its canonical id)
  for (const m of matches) {
    if (!m.keyChangeFrom) continue;
    await store.changeKey({ system: run.system, instance: run.instance, entity: 'person', oldSourceId: m.keyChangeFrom, newSourceId: m.sourceId, runId: run.runId });
    summary.keyChanges++;
  }
  // ... and so is a platform id kept from an earlier school year: its link to that year's record is closed first.
  await closeOtherYearLinks(store, run, otherYear);
  if (otherYear.size) summary.otherYearIds = otherYear.size;
  // 2. upserts in dependency order, each entity linked in the crosswalk right after it is stored
  const byEntity = groupByEntity(records);
  const ruleOf = new Map(matches.map((m) => [m.canonicalId, m.tier]));
  for (const entity of ENTITY_ORDER) {
    const list = byEntity.get(entity);
    if (!list?.length) continue;
    // Authority matrix (authority.ts): a roster record the system of record already holds is linked, never rewritten
    // by another platform — one that sends no birth date, or no class teacher, would erase it.
    const writable = input.authoritative || instanceWins(entity, false) ? list : await ownOrNew(store, list, run);
    addUpsert(summary, await store.upsertMany(writable, { runId: run.runId }));
    summary.unchanged += list.length - writable.length;
    await store.link(list.flatMap((r) => {
      const ref = ownRef(r, run);
      return ref ? [{ entity, canonicalId: r.id, system: run.system, instance: run.instance, sourceId: ref.sourceId, sourceIdKind: ref.kind, matchRule: ruleOf.get(r.id) ?? 'natural_key' }] : [];
    }), { runId: run.runId });
    input.onProgress?.(`stored ${entity}`, list.length);
  }
  // Review queue: possible duplicates are recorded, never merged.
  const candidates = matches.filter((m) => m.candidate && m.candidate.otherId !== m.canonicalId).map((m) => matchCandidate(m, run, schoolCanonicalId(input.school.id)));
  const already = await store.getMany(candidates.map((c) => c.id));
  const fresh = candidates.filter((c) => !already.has(c.id)); // a pending review is not re-opened every night
  if (fresh.length) await store.upsertMany(fresh, { runId: run.runId });
  summary.forReview = candidates.filter((c) => (already.get(c.id) as { decision?: string } | undefined)?.decision !== 'rejected').length;

  // 3. deletes in reverse dependency order, from the full snapshot of this school only
  const cursorKey = `roster:${school.id}`;
  const previous = await store.getCursor(run.system, run.instance, cursorKey);
  const present = new Map<EntityName, Set<string>>();
  for (const r of records) {
    const ref = ownRef(r, run);
    if (ref) (present.get(r.entity) ?? present.set(r.entity, new Set()).get(r.entity)!).add(ref.sourceId);
  }
  await keepHeldPersonsPresent(store, run, matches, present); // whom a held newcomer may be is not missing
  const quarantined = first.reduce((n, m) => n + m.quarantine.length, 0);
  let before = previous?.value ? (JSON.parse(previous.value) as SnapshotState) : null;
  // A school year that is over leaves the snapshot without a delete (past-year-records.ts): a rollover is not a loss.
  const years = before ? await yearsOfRead(store, records) : undefined;
  if (before && years?.latest !== undefined) {
    const retired = await pastYearMissing(store, run, before, present, { latest: years.latest, present: years.present });
    const n = [...retired.values()].reduce((sum, ids) => sum + ids.size, 0);
    if (n) summary.pastYear = { year: years.latest, records: n };
    before = withoutRetired(before, retired);
  }
  // Staff of a platform that lists none are known from lessons only: absent from a read is not gone (unlisted-staff.ts).
  if (before && connector.declaration.staffNotListed) await keepUnlistedStaff(store, run, before, present);
  // Classes and sections shown only through pupils who are all missing go with them, at their second miss.
  const withPupils = before && connector.declaration.structureFromPupils ? await missingWithTheirPupils(store, run, before, present) : undefined;
  // Any quarantined record makes the read partial: it is missing from `present`, and a quarantine item does not say
  // which record or what hangs off it (an ЭлЖур term renamed to an unknown name). Skipped pages/records are not counted.
  const plan = planSnapshotDeletes(before, present, input.deleteThreshold, {
    ...(quarantined ? { partial: `${quarantined} page(s) or record(s) quarantined` } : {}),
    ...(input.acceptDeletes !== undefined ? { acceptMissing: input.acceptDeletes } : {}),
    secondMissAfterMs: (input.secondMissAfterHours ?? 0) * 3_600_000, ...(withPupils?.size ? { missingTwiceAlso: withPupils } : {}),
  });
  summary.missingOnce = plan.missingOnce;
  if (plan.refused) summary.deletesRefused = plan.refused;
  // Only the system of record deletes: elsewhere there is nothing to accept.
  if (plan.toAccept !== undefined && input.authoritative) summary.deletesToAccept = plan.toAccept;
  await input.lease?.assertHeld();
  if (input.authoritative) {
    // A missing platform id may stand for a record this very read has under another id: a pupil re-keyed (their
    // memberships' ids contain theirs) or a class the platform re-created — matched by natural key, present, kept.
    const presentIds = new Set(records.map((r) => r.id));
    for (const entity of [...ENTITY_ORDER].reverse()) {
      const sids = plan.deletes.get(entity);
      if (!sids?.length) continue;
      let ids = [...(await store.resolve(run.system, run.instance, entity, sids)).values()].filter((id) => !presentIds.has(id));
      if (entity === 'person') ids = await notElsewhere(store, ids, schoolCanonicalId(school.id));
      if (ids.length) summary.deleted += await store.deleteMany(entity, ids, { reason: 'snapshot_absent', evidence: run.runId, runId: run.runId });
    }
  }
  // 4. the cursors move only now, after everything they cover is stored (a retried run sees the same earlier ids) —
  // and not by a run that lost the school's lease meanwhile.
  await input.lease?.assertHeld();
  // A held key change's old id stays in the persons list: the next run must still know whose id it was.
  const held = await saveHeldKeyChanges(store, run, school.id, matches, heldEarlier, new Date().toISOString());
  if (held.length) summary.keyChangesHeld = held.length;
  await store.setCursor({ system: run.system, instance: run.instance, entity: personsKey, kind: 'snapshot_hash', value: JSON.stringify([...presentPersons, ...held.map((h) => h.from)]), runId: run.runId });
  await store.setCursor({
    system: run.system, instance: run.instance, entity: cursorKey, kind: 'snapshot_hash', value: JSON.stringify(plan.next),
    runId: run.runId, lastSuccessAt: new Date().toISOString(),
  });
  summary.finishedAt = new Date().toISOString();
  input.logger?.info({ summary: { ...summary } }, 'roster-sync finished');
  return summary;
}

/**
 * What a platform that is not the system of record may write: records not stored yet, records it wrote itself (a
 * parent only it lists, kept up to date), and persons whose writer no longer stands for them (orphaned-persons.ts).
 * What the system of record (or a third platform) holds is left as it is.
 */
async function ownOrNew(store: Store, list: CanonicalRecord[], run: RunIdentity): Promise<CanonicalRecord[]> {
  const have = await store.getMany(list.map((r) => r.id));
  const own = (old: CanonicalRecord) => old.provenance.system === run.system && old.provenance.instance === run.instance;
  const orphans = await orphanedPersons([...have.values()].filter((old) => !own(old)), store);
  return list.filter((r) => { const old = have.get(r.id); return !old || own(old) || orphans.has(old.id); });
}

function ownRef(r: CanonicalRecord, run: RunIdentity) {
  return r.sourceRefs.find((s) => s.system === run.system && s.instance === run.instance);
}

function groupByEntity(records: CanonicalRecord[]): Map<EntityName, CanonicalRecord[]> {
  const out = new Map<EntityName, CanonicalRecord[]>();
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.id)) continue; // a record repeated across batches (e.g. a teacher of many classes)
    seen.add(r.id);
    (out.get(r.entity) ?? out.set(r.entity, []).get(r.entity)!).push(r);
  }
  return out;
}

async function matchRosterPersons(
  store: Store, run: RunIdentity, incoming: CanonicalRecord[], crosswalk: Map<string, string>, schoolId: string, earlier: string[], ripeKeyChanges: ReadonlyMap<string, string>, authoritative: boolean,
): Promise<{ matches: PersonMatch[]; present: Set<string> }> {
  // Every school a person has a role in: a teacher of two schools is found by name and birth date in both.
  const schoolsOf = new Map<string, Set<string>>();
  const knownRoles = new Map<string, Set<string>>();
  // Roles at any school, for the contact half of tier 3 (a teacher of two schools, a parent with a child in each).
  const storedRoles = new Map<string, Set<string>>();
  for await (const ra of store.iterate('role_assignment', { status: 'active' })) {
    if (ra.entity !== 'role_assignment') continue;
    (schoolsOf.get(ra.personId) ?? schoolsOf.set(ra.personId, new Set()).get(ra.personId)!).add(ra.organizationId);
    (storedRoles.get(ra.personId) ?? storedRoles.set(ra.personId, new Set()).get(ra.personId)!).add(ra.role);
    if (ra.organizationId === schoolId) (knownRoles.get(ra.personId) ?? knownRoles.set(ra.personId, new Set()).get(ra.personId)!).add(ra.role);
  }
  const incomingRoles = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, v: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(v);
  for (const r of incoming) if (r.entity === 'role_assignment') add(incomingRoles, r.personId, r.role);
  const incomingClasses = classesOf(incoming.filter((r) => r.entity === 'enrollment'), new Map(incoming.map((r) => [r.id, r])));
  const existing: PersonRecord[] = [];
  for await (const p of store.iterate('person', { status: 'active' })) if (p.entity === 'person') existing.push(p);
  const index = new PersonIndex(existing, (id) => schoolsOf.get(id));
  if (authoritative) await addFormerPupils(store, index, schoolId); // a pupil back under a new id (former-pupils.ts)
  const persons = incoming.filter((r): r is PersonRecord => r.entity === 'person');
  // The classes of the namesakes a newcomer could be (enrollments looked up by person, indexed): what tells
  // two pupils of one name apart. Compared by grade and letter: the newcomer's sections are not matched yet. An undated
  // newcomer is proposed among the dated namesakes; a dated one ties between undated namesakes (АСУ РСО as the
  // system of record stores none with a birth date).
  // And for tier 4's "name + class": a dated newcomer's namesakes of another birth date (two platforms disagreeing on it).
  const namesakes = new Set(persons.flatMap((p) => {
    const same = p.birthDate ? index.sameNameUndated(p, schoolId) : index.sameName(p, schoolId);
    const ref = ownRef(p, run);
    const otherDate = p.birthDate && ref && !crosswalk.has(`person|${ref.sourceId}`)
      ? index.sameName(p, schoolId).filter((id) => index.persons.get(id)?.birthDate !== p.birthDate) : [];
    return [...(same.length > 1 ? same : []), ...otherDate];
  }));
  const enrollments = namesakes.size ? await store.referencing('enrollment', 'personId', [...namesakes]) : [];
  const sections = await store.getMany([...new Set(enrollments.map((e) => (e as { sectionId: string }).sectionId))]);
  const homerooms = await store.getMany([...new Set([...sections.values()].map((s) => (s as { homeroomClassId?: string }).homeroomClassId ?? ''))].filter(Boolean));
  const knownClasses = classesOf(enrollments, new Map([...sections, ...homerooms]));
  // A person listed twice (a pupil of a class and of its subgroup, a parent of two children) is one person:
  // matched once, or the second copy would look like a twin of the first.
  const bySource = new Map<string, { record: PersonRecord; sourceId: string }>();
  for (const p of persons) {
    const ref = ownRef(p, run);
    if (ref) bySource.set(ref.sourceId, { record: p, sourceId: ref.sourceId });
  }
  const withSource = [...bySource.values()];
  const personCrosswalk = new Map<string, string>();
  for (const [k, v] of crosswalk) if (k.startsWith('person|')) personCrosswalk.set(k.slice(7), v);
  const linked = new Map<string, Set<string>>();
  const allLinked = await store.resolve(run.system, run.instance, 'person', withSource.map((w) => w.sourceId));
  for (const [sid, cid] of allLinked) (linked.get(cid) ?? linked.set(cid, new Set()).get(cid)!).add(sid);
  // Persons linked earlier whose platform id is absent now may have been re-keyed: find their old ids.
  const present = new Set(withSource.map((w) => w.sourceId));
  const gone = earlier.filter((s) => !present.has(s));
  for (const [sid, cid] of await store.resolve(run.system, run.instance, 'person', gone)) {
    (linked.get(cid) ?? linked.set(cid, new Set()).get(cid)!).add(sid);
  }
  // The people a new record could be taken for (same SNILS, same name and birth date, same e-mail or phone): their open rows on this
  // instance count too, wherever their id went. `gone` holds only the last run's ids, so a pupil missing two nights
  // was unlinked in the matcher's eyes, and a twin enrolled then took her sister's record at once.
  const couldBe = new Set<string>();
  for (const { record, sourceId } of withSource) {
    if (personCrosswalk.has(sourceId)) continue;
    const key = compositePersonKey(record, schoolId);
    if (key) for (const id of index.composite(key)) couldBe.add(id);
    for (const idf of record.identifiers ?? []) for (const id of index.identified(idf)) couldBe.add(id);
    for (const k of contactKeys(record)) for (const id of index.withContact(k)) couldBe.add(id);
  }
  for (const [cid, sid] of await store.sourceIdsFor(run.system, run.instance, 'person', [...couldBe].filter((id) => !linked.has(id)))) {
    (linked.get(cid) ?? linked.set(cid, new Set()).get(cid)!).add(sid);
  }
  // The operator's decisions that a record of this platform is not some person (`review separate`, `review split`): read
  // only for a record with no open link (the crosswalk tier answers first), which most nights have none of.
  const { notThesePersons, splitOffAs } = withSource.some((w) => !personCrosswalk.has(w.sourceId))
    ? await personDecisionsOf(store, run.system, run.instance) : { notThesePersons: undefined, splitOffAs: undefined };
  return { matches: matchPersons(withSource, { crosswalk: personCrosswalk, linkedSources: linked, presentSourceIds: present, index, schoolId, ripeKeyChanges, incomingRoles, knownRoles, storedRoles, incomingClasses, knownClasses, notThesePersons, splitOffAs }), present };
}

/** Titles of this platform's subjects that are its own: new to the store, or stored by this instance (no other matched them). */
async function subjectsOfTheirOwn(store: Store, incoming: CanonicalRecord[], translation: ReadonlyMap<string, string>, run: RunIdentity): Promise<string[]> {
  const subjects = incoming.filter((r) => r.entity === 'subject');
  const stored = await store.getMany(subjects.map((r) => translation.get(r.id) ?? r.id));
  const own = subjects.filter((r) => {
    const s = stored.get(translation.get(r.id) ?? r.id);
    return !s || s.provenance.instance === run.instance;
  });
  return [...new Set(own.map((r) => (r as { title: string }).title))].sort();
}

/** Records another platform already brought in are recognised by structural keys; the rest keep their ids. */
async function matchByNaturalKeys(
  store: Store, incoming: CanonicalRecord[], translation: Map<string, string>, crosswalk: ReadonlyMap<string, string>, run: RunIdentity, aliases: SubjectAliases,
  otherYear: ReadonlyMap<string, OtherYearId>,
): Promise<void> {
  const t = (id: string | undefined | null) => (id ? translation.get(id) ?? id : '-');
  for (const entity of ENTITY_ORDER) {
    if (entity === 'person' || !ROSTER.has(entity)) continue;
    const mine = incoming.filter((r) => r.entity === entity);
    if (mine.length === 0) continue;
    const known = new Map<string, string>();
    for await (const r of store.iterate(entity, { status: 'active' })) {
      const k = naturalKeyOf(r, (id) => id ?? '-');
      if (k) known.set(k, r.id);
    }
    for (const r of mine) {
      if (translation.has(r.id)) continue;
      // Its id is another school year's record (other-year-ids.ts): this year's record of the same key, or a new one.
      const kept = otherYear.get(r.id);
      if (kept) {
        const k = naturalKeyOf(r, t, aliases);
        const same = k ? known.get(k) : undefined;
        translation.set(r.id, same && same !== kept.was ? same : kept.fresh);
        continue;
      }
      // Already linked to a record: it stays that record (re-pointing an open crosswalk row is refused, and an
      // alias set after the link must not stop the run).
      const ref = ownRef(r, run);
      if (ref && crosswalk.has(`${entity}|${ref.sourceId}`)) {
        translation.set(r.id, r.id);
        continue;
      }
      const k = naturalKeyOf(r, t, aliases);
      translation.set(r.id, (k && known.get(k)) || r.id);
    }
  }
}

function matchCandidate(m: PersonMatch, run: RunIdentity, organizationId: string): CanonicalRecord {
  const now = new Date().toISOString();
  return buildRecord('match_candidate', {
    candidateEntity: 'person', leftId: m.canonicalId, rightId: m.candidate!.otherId, rule: m.candidate!.rule,
    score: m.candidate!.score, decision: 'pending', at: now, organizationId,
  }, {
    id: personDecisionId(m.canonicalId, m.candidate!.otherId),
    sourceRefs: [{ system: run.system, instance: run.instance, sourceId: m.sourceId, kind: 'match' }],
    provenance: { system: run.system, instance: run.instance, fetchedAt: now, payloadHash: 'n/a', runId: run.runId, mapperVersion: run.mapperVersion },
  });
}

export { sourceScopedId };

/** Per person, the classes (`grade|letter`) of the sections they are enrolled in, as `records` (by id) describe them. */
function classesOf(enrollments: readonly CanonicalRecord[], records: ReadonlyMap<string, CanonicalRecord>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of enrollments) {
    if (e.entity !== 'enrollment') continue;
    const section = records.get(e.sectionId);
    const homeroom = section?.entity === 'section' ? records.get(section.homeroomClassId) : undefined;
    if (homeroom?.entity !== 'homeroom_class') continue;
    (out.get(e.personId) ?? out.set(e.personId, new Set()).get(e.personId)!).add(`${homeroom.gradeLevel}|${classLetterKey(homeroom.letter)}`);
  }
  return out;
}
