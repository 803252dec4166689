// `journal-gateway review`: child-link candidates that matched on name + birth date only (or a SNILS
// matching several pupils, R-28). Lists ids only — an administrator opens the records in the school's
// own system — and confirms or rejects one (confirm = a verified guardian_link, R-25). `links`, `allow` and
// `refuse` show and set the school's own decision on a parent's access to a pupil (docs/login.md). `split` takes a
// platform record the identity matcher linked to the wrong person off that person (docs/sync.md).
import { randomUUID } from 'node:crypto';
import { candidateToDecide, decideCandidate, ESIA_SYSTEM, linksOfPupil, pendingCandidates, setLinkAccess } from '../../auth/children.js';
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { openConfiguredStore } from '../../jobs/job-context.js';
import { decidePersonMatch, notOpenInSchool, pendingReview, resolveConflict } from '../../sync/review.js';
import { UsageError } from '../../infra/operator-errors.js';
import { instanceByName, schoolById } from '../../jobs/job-context.js';
import { getPlatform } from '../../connectors/registry.js';
import { schoolCanonicalId } from '../../sync/roster-sync.js';
import { unlinkSubject } from '../../sync/unlink-subject.js';
import { withSchoolSyncs } from '../../sync/school-sync-lease.js';
import { personLinksOf, refuseAnotherSchools, splitPersonLink } from '../../sync/split-person.js';

export async function run(
  action: string | undefined, id: string | undefined, opts: { config: string; by?: string; guardian?: string; instance?: string; school?: string; sourceId?: string; title?: string },
): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  if (action === 'unlink-subject') {
    // Checked before the store opens: a mistake is one line, nothing touched.
    if (!opts.instance || !opts.school || !opts.title) throw new UsageError('review unlink-subject needs --instance <platform instance> --school <school id> --title "<the subject as that platform names it>"');
    schoolById(cfg, opts.school);
    instanceByName(cfg, opts.instance);
  }
  const store = await openConfiguredStore(cfg);
  try {
    if (action === 'unlink-subject') {
      const system = getPlatform(instanceByName(cfg, opts.instance!).platform).declaration.system;
      const r = await unlinkSubject({ store, system, instance: opts.instance!, title: opts.title!, organizationId: schoolCanonicalId(opts.school!), runId: `review-${randomUUID()}` });
      process.stdout.write(`${JSON.stringify({ kind: 'unlinked_subject', title: opts.title, instance: opts.instance, ...r })}\n`);
      process.stderr.write(`«${opts.title}» on ${opts.instance}: its links are closed; with sync.subjectAliases set, the next roster and journal sync match it onto the system of record's subject\n`);
      return 0;
    }
    if (!action || action === 'list') {
      // --school: the items that school's syncs raised. Child-link candidates come from a parent's login, not from a
      // school's sync: they are listed without --school only.
      const organizationId = opts.school ? schoolCanonicalId(schoolById(cfg, opts.school).id) : undefined;
      const rows = organizationId ? [] : await pendingCandidates(store);
      for (const r of rows) process.stdout.write(`${JSON.stringify({ kind: 'child_link', ...r })}\n`);
      const sync = await pendingReview(store, organizationId ? { organizationId } : {});
      for (const r of sync) process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stderr.write(`${organizationId ? `school ${opts.school}: ` : `${rows.length} pending child-link candidate(s), `}${sync.filter((r) => r.kind === 'person_match').length} possible duplicate person(s), ${sync.filter((r) => r.kind === 'conflict').length} conflict(s)\n`);
      return 0;
    }
    // --school scopes a decision as it scopes the list: an id of another school's item is refused, nothing decided
    // (before, --school was ignored and a staff member scoped to one school decided another's).
    if (opts.school && id && ['merge', 'separate', 'keep', 'take'].includes(action)) {
      const problem = await notOpenInSchool(store, schoolCanonicalId(schoolById(cfg, opts.school).id), id);
      if (problem) throw new UsageError(`${id} ${problem === 'decided' ? 'is already decided' : `is not an open item of school ${opts.school} (\`review list --school ${opts.school}\` lists them)`}: nothing decided`);
    }
    if ((action === 'merge' || action === 'separate') && id) {
      // The school's system of record: its journal record wins where both people have one on a lesson.
      const item = await store.get(id) as { organizationId?: string } | null;
      const school = cfg.schools.find((x) => item?.organizationId !== undefined && schoolCanonicalId(x.id) === item.organizationId);
      const runId = `review-${randomUUID()}`;
      const decide = () => decidePersonMatch(store, id, action === 'merge' ? 'merge' : 'reject', runId, opts.by, school?.systemOfRecord);
      // A merge waits for the syncs of both people's schools, as a split does (review finding): a sync running meanwhile
      // maps with the links it read before the merge, and wrote the merged-away person and their marks back to life.
      const pair = item as { leftId?: string; rightId?: string } | null;
      const people = [pair?.leftId, pair?.rightId].filter((x): x is string => typeof x === 'string');
      const result = action === 'merge' ? await withSchoolSyncs(store, await schoolsOf(store, cfg, people), runId, decide) : await decide();
      process.stdout.write(`${id}: ${result}\n`);
      return 0;
    }
    if (action === 'split' && id) return await split(store, cfg, id, opts);
    if ((action === 'keep' || action === 'take') && id) {
      process.stdout.write(`${id}: ${await resolveConflict(store, id, action, `review-${randomUUID()}`, opts.by)}\n`);
      return 0;
    }
    if (action === 'links' && id) {
      // A mistyped id listed "0 guardian link(s)" and exited 0, as if the pupil had no parents; allow|refuse refuse it.
      const pupil = await store.get(id);
      if (!pupil || pupil.entity !== 'person') throw new UsageError(`no pupil with canonical person id ${id} in the store`);
      const links = await linksOfPupil(store, id);
      for (const l of links) process.stdout.write(`${JSON.stringify({ kind: 'guardian_link', studentId: id, ...l })}\n`);
      process.stderr.write(`${links.length} guardian link(s) of pupil ${id}\n`);
      return 0;
    }
    // --school scopes a parent's access to a pupil as it scopes a merge or a split: the pupil must have a role at that
    // school (before, allow|refuse|confirm|reject ignored it, and one school's staff decided another school's parents).
    const scope = opts.school ? { organizationId: schoolCanonicalId(schoolById(cfg, opts.school).id), name: opts.school } : undefined;
    if ((action === 'allow' || action === 'refuse') && id) {
      if (!opts.guardian) throw new UsageError(`review ${action} ${id}: --guardian <personId> is required (the parent's canonical person id, as \`review links\` lists it)`);
      if (scope) await refuseAnotherSchools(store, id, scope, 'nothing decided');
      const result = await setLinkAccess(store, { studentId: id, guardianId: opts.guardian, access: action === 'allow' ? 'full' : 'none', runId: `review-${randomUUID()}`, ...(opts.by ? { decidedBy: opts.by } : {}) });
      process.stdout.write(`${id}: ${result} for parent ${opts.guardian}\n`);
      return 0;
    }
    if ((action !== 'confirm' && action !== 'reject') || !id) throw new UsageError('usage: journal-gateway review [list] | confirm|reject <childLinkCandidateId> | merge|separate <personMatchId> | keep|take <conflictId> | links <pupilId> | allow|refuse <pupilId> --guardian <parentId> | split <personId> [--instance <platform instance> --source-id <platform id>]');
    // The pupil the decision would link: after a merge, the one the candidate moved to (candidateToDecide).
    if (scope) await refuseAnotherSchools(store, (await candidateToDecide(store, id)).rightId, scope, `candidate ${id} not decided`);
    const result = await decideCandidate(store, { candidateId: id, decision: action, runId: `review-${randomUUID()}`, ...(opts.by ? { decidedBy: opts.by } : {}) });
    process.stdout.write(`${id}: ${result}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `review split <personId>`: without a link, the person's links (ids only), to choose the wrong one; with
 * `--instance` and `--source-id`, that platform record is split off the person (src/sync/split-person.ts).
 */
async function split(
  store: Awaited<ReturnType<typeof openConfiguredStore>>, cfg: ReturnType<typeof loadCheckedConfig>, personId: string,
  opts: { by?: string; instance?: string; school?: string; sourceId?: string },
): Promise<number> {
  if (Boolean(opts.instance) !== Boolean(opts.sourceId)) throw new UsageError(`review split ${personId}: --instance <platform instance> and --source-id <platform id> go together (\`review split ${personId}\` lists the person's links)`);
  const school = opts.school ? { organizationId: schoolCanonicalId(schoolById(cfg, opts.school).id), name: opts.school } : undefined;
  if (!opts.instance || !opts.sourceId) {
    const person = await store.get(personId);
    if (!person || person.entity !== 'person') throw new UsageError(`no person with canonical id ${personId} in the store`);
    if (school) await refuseAnotherSchools(store, personId, school);
    const links = await personLinksOf(store, personId);
    for (const l of links) process.stdout.write(`${JSON.stringify({ kind: 'person_link', personId, system: l.system, instance: l.instance, sourceId: l.sourceId, matchRule: l.matchRule, since: l.validFrom, splittable: l.system !== ESIA_SYSTEM })}\n`);
    process.stderr.write(`${links.length} link(s) of person ${personId}; \`review split ${personId} --instance <instance> --source-id <id>\` splits one off\n`);
    return 0;
  }
  const runId = `review-${randomUUID()}`;
  // The person's schools' sync lease (review finding): a roster sync of the split-off platform between the release
  // and the link closed made the released records again under this person, and nothing released them afterwards.
  const result = await withSchoolSyncs(store, await schoolsOf(store, cfg, [personId]), runId, () => splitPersonLink(store, {
    personId, link: { instance: opts.instance!, sourceId: opts.sourceId! }, runId, ...(school ? { school } : {}), ...(opts.by ? { decidedBy: opts.by } : {}),
  }));
  process.stdout.write(`${personId}: ${result}\n`);
  return 0;
}

/** The configured schools (config ids) the persons have a role at: whose syncs an operator's change to them waits for. */
async function schoolsOf(store: Awaited<ReturnType<typeof openConfiguredStore>>, cfg: ReturnType<typeof loadCheckedConfig>, personIds: readonly string[]): Promise<string[]> {
  const organizations = new Set((await store.referencing('role_assignment', 'personId', personIds)).map((r) => (r as { organizationId?: string }).organizationId));
  return cfg.schools.filter((s) => organizations.has(schoolCanonicalId(s.id))).map((s) => s.id);
}
