// `review split` (docs/sync.md "Undoing a wrong link"): the identity matcher linked a platform record to a canonical
// person who is someone else (an undated son arriving with his father's home phone is taken for the father). The
// split takes that record off the person for good: its link is closed, the operator's decision that the two are
// different people is recorded (person-decisions.ts, read by every later roster sync), and what that platform
// reported of the record — its roles, enrollments and guardian links — is released, so the next read of the platform
// makes them anew under the person the record becomes. Ids only in messages: names and contacts are personal data.
import { buildRecord, businessFields, type CanonicalRecord, type EntityName } from '../model/index.js';
import { naturalId, sourceScopedId } from '../model/ids.js';
import type { SourceSystem } from '../model/enums.js';
import { sourceKeyOf, type CrosswalkEntry, type Store } from '../store/index.js';
import { UsageError } from '../infra/operator-errors.js';
import { ESIA_SYSTEM } from '../auth/children.js';
import { TEACHER_FIELDS } from './merged-teacher.js';
import { personDecisionId, splitOffId, SPLIT_RULE, type PlatformRecordKey } from './person-decisions.js';
import { dependentIdsOf, PERSON_DEPENDENTS, reviewProvenance } from './review.js';

/** The person's open links: one per platform record that stands for them, and a login's (ESIA, OpenID) if any. */
export async function personLinksOf(store: Store, personId: string): Promise<CrosswalkEntry[]> {
  return (await store.crosswalkFor(personId)).filter((r) => r.validTo === null && r.entity === 'person');
}

export interface SplitInput {
  personId: string;
  /** The platform record to take off the person (instance and platform id), as `review split <personId>` lists them. */
  link: { instance: string; sourceId: string };
  /** With `review --school`: the person must belong to this school (canonical id), as `school` names it. */
  school?: { organizationId: string; name: string };
  runId: string;
  decidedBy?: string;
}

/** Splits the platform record off the person; returns what was done (ids and counts only). */
export async function splitPersonLink(store: Store, input: SplitInput): Promise<string> {
  const { personId } = input;
  const row = await splitOffRow(store, input);
  const link: PlatformRecordKey = { system: row.system, instance: row.instance, sourceId: row.sourceId };
  await refuseJournal(store, personId);
  const at = new Date().toISOString();
  const newId = splitOffId(link, personId);
  // The decision first, the link closed last: a split interrupted half-way leaves the link open, so the same command
  // finds it and finishes (each step is done again harmlessly), and no sync in between links the record elsewhere.
  await store.upsertMany([buildRecord('match_candidate', {
    candidateEntity: 'person', leftId: newId, rightId: personId, rule: SPLIT_RULE, score: 1, decision: 'rejected', at,
    ...(input.decidedBy ? { decidedBy: input.decidedBy } : {}), ...(input.school ? { organizationId: input.school.organizationId } : {}),
  }, {
    id: personDecisionId(newId, personId),
    sourceRefs: [{ system: row.system as SourceSystem, instance: link.instance, sourceId: link.sourceId, kind: 'match' }],
    provenance: reviewProvenance(input.runId, at),
  })], { runId: input.runId });
  const released = await releaseWhatItReported(store, personId, link, `split ${link.instance} from ${personId}`, input.runId, at);
  await store.closeCrosswalkMany([sourceKeyOf(row)], { at });
  const handed = await stripWhatItWrote(store, personId, link, input.runId);
  return `${link.instance} record split off: the next roster sync of ${link.instance} makes it person ${newId} (or the person it genuinely matches), never ${personId}; `
    + `${released.closed} of its record(s) released (${released.retired} only it reported, now tombstoned), made again at that sync${handed}`;
}

/**
 * The person's own fields, where the split-off platform wrote them last (review finding): they are that record's —
 * its SNILS, e-mails and phones, which matched it to this person in the first place. Left as they were, the new person
 * and this one shared a SNILS (every later SNILS match ambiguous) and a contact kept drawing the split-off record's
 * namesakes here. So its identifiers and contacts are removed now; the name and birth date stay (a person has a name)
 * until a platform still linked to the person rewrites it whole at its next roster sync — roster-sync.ts lets it, as
 * the platform that wrote the person no longer stands for it (orphanedPersons). Returns the words the command adds.
 */
async function stripWhatItWrote(store: Store, personId: string, link: PlatformRecordKey, runId: string): Promise<string> {
  const person = (await store.get(personId))!;
  if (person.provenance.system !== link.system || person.provenance.instance !== link.instance) return '';
  const fromIt = (s: { system: string; instance: string }) => s.system === link.system && s.instance === link.instance;
  await store.upsertMany([buildRecord('person', { ...businessFields(person), identifiers: [], emails: [], phones: [] } as never, {
    id: person.id, status: person.status, sourceRefs: person.sourceRefs.filter((s) => !fromIt(s)), provenance: person.provenance,
    ...(person.ext ? { ext: person.ext } : {}),
  })], { runId });
  const heirs = (await personLinksOf(store, personId)).filter((r) => r.system !== ESIA_SYSTEM).map((r) => r.instance);
  return `; the person's identifiers and contacts were ${link.instance}'s: removed, and the person is rewritten by ${heirs.length ? heirs.join(' or ') : 'no platform (only a login is left)'} at its next roster sync`;
}

/**
 * `review --school` decides only that school's: a person with no role there is another school's (or none's).
 * `outcome` ends the message: what the refused command left undone.
 */
export async function refuseAnotherSchools(store: Store, personId: string, school: { organizationId: string; name: string }, outcome = 'nothing split'): Promise<void> {
  const roles = await store.referencing('role_assignment', 'personId', [personId]);
  if (!roles.some((r) => (r as { organizationId?: string }).organizationId === school.organizationId)) {
    throw new UsageError(`person ${personId} has no role at school ${school.name}: ${outcome}`);
  }
}

/** The person's open link to the platform record, after every check that the split makes sense. */
async function splitOffRow(store: Store, input: SplitInput): Promise<CrosswalkEntry> {
  const { personId, link } = input;
  const person = await store.get(personId);
  if (!person || person.entity !== 'person' || person.status !== 'active') throw new UsageError(`no active person with canonical id ${personId} in the store: nothing split`);
  if (input.school) await refuseAnotherSchools(store, personId, input.school);
  const links = await personLinksOf(store, personId);
  const row = links.find((r) => r.instance === link.instance && r.sourceId === link.sourceId);
  if (!row) throw new UsageError(`record ${link.sourceId} of ${link.instance} is not linked to person ${personId} (\`review split ${personId}\` lists the person's links): nothing split`);
  // A login (ESIA, OpenID) is the person who logs in, and the children it shows are the ones ESIA lists for them
  // (docs/login.md): it stays with the person; the platform record is what the matcher may have got wrong.
  if (row.system === ESIA_SYSTEM) throw new UsageError(`${link.instance} ${link.sourceId} is the person's login, not a platform record: it stays with person ${personId} — split off the platform record instead: nothing split`);
  if (links.length < 2) throw new UsageError(`record ${link.sourceId} of ${link.instance} is the only link of person ${personId}: nothing to split it from`);
  return row;
}

/**
 * A pupil's marks and absences, and a teacher's lessons, carry the person in fields a roster sync does not rewrite,
 * and their platform ids would have to follow the record to its new person (a journal re-key, as `review merge`
 * does the other way). Not handled yet: such a person is not split, rather than split half-way.
 */
async function refuseJournal(store: Store, personId: string): Promise<void> {
  const asPupil = (['mark', 'attendance_record', 'final_mark'] as const).map((e): [EntityName, readonly ('studentId')[]] => [e, ['studentId']]);
  for (const [entity, fields] of [...asPupil, ...TEACHER_FIELDS]) {
    for (const field of fields) {
      if ((await store.referencing(entity, field, [personId])).length) {
        throw new Error(`person ${personId} has journal records (${entity}): review split handles people without a journal (parents, staff without lessons) only — not handled yet; nothing split`);
      }
    }
  }
}

/**
 * The person's roles, enrollments and guardian links the split-off platform reported (an open link of that platform
 * instance: a person has one record per instance, so they came from the split-off record). Each such link is closed,
 * so the next read of that platform makes its record anew under the person the record becomes — a child of the
 * split-off record follows it. A record no other platform reports is tombstoned: only the system of record deletes
 * by absence, so left alive it kept the child attached to the wrong adult for good. A record another platform reports
 * too (the father's role at the school) stays with the person, that platform's.
 */
async function releaseWhatItReported(store: Store, personId: string, link: PlatformRecordKey, evidence: string, runId: string, at: string): Promise<{ closed: number; retired: number }> {
  let closed = 0;
  let retired = 0;
  const fromIt = (x: CrosswalkEntry) => x.system === link.system && x.instance === link.instance;
  for (const [entity, fields] of PERSON_DEPENDENTS) {
    const ids = await dependentIdsOf(store, entity, fields, personId);
    const closing: CrosswalkEntry[] = [];
    const retiring: string[] = [];
    const keptForOthers: CanonicalRecord[] = [];
    const others: CrosswalkEntry[] = [];
    const open = await store.openCrosswalkFor(ids);
    const records = await store.getMany([...open.keys()]);
    for (const [id, rows] of open) {
      const its = rows.filter(fromIt);
      if (its.length === 0) continue;
      closing.push(...its);
      // A decision on the pair is not the platform's to take away (review finding): a link a login confirmed, or one
      // the school allowed or refused. It has no crosswalk row of its own, so the split-off platform's row may be its
      // only one; tombstoned, the parent lost the diary of his own child for good (a login skips a pair the school
      // decided). Only that platform's row is closed: the pair stays as decided.
      if (entity === 'guardian_link' && decidedPair(records.get(id))) continue;
      if (its.length === rows.length) retiring.push(id);
      else if (its.some((x) => sourceScopedId(x.system, x.instance, entity, x.sourceId) === id) && records.get(id)) {
        // The split-off platform read it first, so the record bears that platform's id for it: its next read would
        // make its new record under this very id, over the one the other platforms report. Theirs moves to an id
        // of its own first (their links with it); this one is retired.
        const theirs = rows.filter((x) => !fromIt(x));
        keptForOthers.push(keptCopy(records.get(id)!, theirs));
        others.push(...theirs);
        retiring.push(id);
      }
    }
    if (closing.length === 0) continue;
    if (keptForOthers.length) await store.upsertMany(keptForOthers, { runId });
    await store.closeCrosswalkMany([...closing, ...others].map(sourceKeyOf), { at });
    if (others.length) {
      await store.link(others.map((x) => ({
        entity: x.entity, canonicalId: keptId(x.canonicalId), system: x.system, instance: x.instance, sourceId: x.sourceId, sourceIdKind: x.sourceIdKind, matchRule: x.matchRule,
      })), { runId });
    }
    // `merged`, as a review merge retires a person's dependents: each is made again under the person the record
    // becomes, so the year's archive and the school's decisions skip the tombstone as a duplicate, never history.
    if (retiring.length) retired += await store.deleteMany(entity, retiring, { reason: 'merged', evidence, runId });
    closed += new Set(closing.map((x) => x.canonicalId)).size;
  }
  return { closed, retired };
}

/**
 * A guardian link someone decided, not merely a platform's report: confirmed through a login or by an administrator
 * (`verifiedAt`, the gateway's own source ref), or one whose access the school set (`review allow|refuse`).
 */
function decidedPair(r: CanonicalRecord | undefined): boolean {
  if (!r || r.entity !== 'guardian_link') return false;
  const l = r as CanonicalRecord & { verifiedAt?: string; accessScope?: string; digitalAccess?: string };
  return !!l.verifiedAt || r.sourceRefs[0]?.system === 'gateway' || l.accessScope === 'none' || l.digitalAccess === 'refused';
}

/** The id a record the split-off platform named keeps for the other platforms that report it too. */
const keptId = (id: string) => naturalId('split_kept', id);

/**
 * The record as the other platforms report it, under its own id. Its source refs are their links: the record's own
 * may name only the split-off platform (another platform that is not the system of record links a record it did not
 * write, never rewriting it).
 */
function keptCopy(r: CanonicalRecord, theirs: readonly CrosswalkEntry[]): CanonicalRecord {
  return buildRecord(r.entity, businessFields(r) as never, {
    id: keptId(r.id), status: r.status, provenance: r.provenance, ...(r.ext ? { ext: r.ext } : {}),
    sourceRefs: theirs.map((x) => ({ system: x.system as SourceSystem, instance: x.instance, sourceId: x.sourceId, kind: x.sourceIdKind })),
  });
}
