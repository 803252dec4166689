// `journal-gateway review`: child-link candidates that matched on name + birth date only (or a SNILS
// matching several pupils, R-28). Lists ids only — an administrator opens the records in the school's
// own system — and confirms or rejects one (confirm = a verified guardian_link, R-25). `links`, `allow` and
// `refuse` show and set the school's own decision on a parent's access to a pupil (docs/login.md).
import { randomUUID } from 'node:crypto';
import { decideCandidate, linksOfPupil, pendingCandidates, setLinkAccess } from '../../auth/children.js';
import { loadConfigFile } from '../../config/load.js';
import { openConfiguredStore } from '../../jobs/job-context.js';
import { decidePersonMatch, pendingReview, resolveConflict } from '../../sync/review.js';
import { UsageError } from '../../infra/operator-errors.js';

export async function run(action: string | undefined, id: string | undefined, opts: { config: string; by?: string; guardian?: string }): Promise<number> {
  const cfg = loadConfigFile(opts.config);
  const store = await openConfiguredStore(cfg);
  try {
    if (!action || action === 'list') {
      const rows = await pendingCandidates(store);
      for (const r of rows) process.stdout.write(`${JSON.stringify({ kind: 'child_link', ...r })}\n`);
      const sync = await pendingReview(store);
      for (const r of sync) process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stderr.write(`${rows.length} pending child-link candidate(s), ${sync.filter((r) => r.kind === 'person_match').length} possible duplicate person(s), ${sync.filter((r) => r.kind === 'conflict').length} conflict(s)\n`);
      return 0;
    }
    if ((action === 'merge' || action === 'separate') && id) {
      process.stdout.write(`${id}: ${await decidePersonMatch(store, id, action === 'merge' ? 'merge' : 'reject', `review-${randomUUID()}`, opts.by)}\n`);
      return 0;
    }
    if ((action === 'keep' || action === 'take') && id) {
      process.stdout.write(`${id}: ${await resolveConflict(store, id, action, `review-${randomUUID()}`, opts.by)}\n`);
      return 0;
    }
    if (action === 'links' && id) {
      const links = await linksOfPupil(store, id);
      for (const l of links) process.stdout.write(`${JSON.stringify({ kind: 'guardian_link', studentId: id, ...l })}\n`);
      process.stderr.write(`${links.length} guardian link(s) of pupil ${id}\n`);
      return 0;
    }
    if ((action === 'allow' || action === 'refuse') && id) {
      if (!opts.guardian) throw new UsageError(`review ${action} ${id}: --guardian <personId> is required (the parent's canonical person id, as \`review links\` lists it)`);
      const result = await setLinkAccess(store, { studentId: id, guardianId: opts.guardian, access: action === 'allow' ? 'full' : 'none', runId: `review-${randomUUID()}`, ...(opts.by ? { decidedBy: opts.by } : {}) });
      process.stdout.write(`${id}: ${result} for parent ${opts.guardian}\n`);
      return 0;
    }
    if ((action !== 'confirm' && action !== 'reject') || !id) throw new UsageError('usage: journal-gateway review [list] | confirm|reject <childLinkCandidateId> | merge|separate <personMatchId> | keep|take <conflictId> | links <pupilId> | allow|refuse <pupilId> --guardian <parentId>');
    const result = await decideCandidate(store, { candidateId: id, decision: action, runId: `review-${randomUUID()}`, ...(opts.by ? { decidedBy: opts.by } : {}) });
    process.stdout.write(`${id}: ${result}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
