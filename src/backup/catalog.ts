// The snapshots the store knows (archive_snapshot records): list them, re-verify every copy and record
// verifiedAt, prune those past retainUntil.
import { randomUUID } from 'node:crypto';
import { readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../model/hash.js';
import type { CanonicalStore } from '../store/index.js';
import { UsageError } from '../infra/operator-errors.js';
import { identifyCopy } from './copy-identity.js';
import { removeCopy } from './copy-removal.js';
import { sharedStorageProblems } from './distinct-copies.js';
import { MANIFEST_FILE } from './manifest.js';
import { assertPrunable } from './retention.js';
import type { ArchiveVerifier } from './signer.js';
import {
  copyPasses, fieldsOf, manifestHashOf, snapshotRecord, withCheck, type ArchiveSnapshotRecord, type SnapshotCopy,
} from './snapshot-record.js';
import { verifyBackup, type VerifyProblem } from './verify.js';

/** The store's snapshots, oldest first; with `organizationId`, one school's only. */
export async function listSnapshots(store: CanonicalStore, organizationId?: string): Promise<ArchiveSnapshotRecord[]> {
  const out: ArchiveSnapshotRecord[] = [];
  // One school's are picked by the store (its organization column): a regional store holds hundreds of schools'
  // snapshots, kept 5 and 25 years, and reading them all to keep one school's cost the whole region's worth.
  for await (const r of store.iterate('archive_snapshot', { status: 'active', ...(organizationId ? { organizationId } : {}) })) {
    if (organizationId === undefined || (r as ArchiveSnapshotRecord).organizationId === organizationId) out.push(r as ArchiveSnapshotRecord);
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export async function getSnapshot(store: CanonicalStore, id: string): Promise<ArchiveSnapshotRecord> {
  const r = await store.get(id);
  if (!r || r.entity !== 'archive_snapshot') throw new UsageError(`no archive_snapshot ${id} in the store (see: journal-gateway backup list)`); // a mistyped id: exit 64
  if (r.status === 'deleted') throw new Error(`archive_snapshot ${id} was pruned on ${r.deletedAt ?? '(unknown date)'}`);
  return r as ArchiveSnapshotRecord;
}

/**
 * Runs `fn` holding the school's catalog lease. Every change to a stored snapshot record — a verify's check results, a
 * prune's tombstone or its kept copies — re-reads the record inside it and changes that: a verify re-hashes for
 * minutes, and writing back the record it had read before brought a snapshot pruned meanwhile back to life, naming
 * directories that no longer existed. Held only for the read and the write, never while hashing or removing.
 */
function underCatalogLease<T>(store: CanonicalStore, organizationId: string, runId: string, fn: () => Promise<T>): Promise<T> {
  // The holder is unique per call: two runs that share a run id must not both hold it.
  return store.withLease({ system: 'gateway', instance: 'backup', name: `lease:backup-catalog:${organizationId}` }, `${runId}:${randomUUID()}`, fn, { waitMs: 10 * 60_000 });
}

/** The snapshot as stored now, or null once it is pruned (a tombstone). */
async function activeSnapshot(store: CanonicalStore, id: string): Promise<ArchiveSnapshotRecord | null> {
  const r = await store.get(id);
  return r && r.entity === 'archive_snapshot' && r.status === 'active' ? r as ArchiveSnapshotRecord : null;
}

const sameCopy = (a: SnapshotCopy, b: { medium: string; siteRoom: string; location?: string }) =>
  a.medium === b.medium && a.siteRoom === b.siteRoom && (a.location ?? '') === (b.location ?? '');

async function manifestHash(location: string): Promise<string | null> {
  try {
    return sha256Hex(await readFile(path.join(location, MANIFEST_FILE)));
  } catch {
    return null;
  }
}

export interface CopyCheck {
  medium: string;
  siteRoom: string;
  location: string;
  ok: boolean;
  problems: VerifyProblem[];
}

export interface SnapshotVerification {
  snapshot: ArchiveSnapshotRecord;
  checks: CopyCheck[];
  /** The snapshot was pruned while its copies were checked: nothing was recorded, and a missing copy is no damage. */
  prunedMeanwhile?: boolean;
}

/**
 * Re-hashes every copy of a snapshot and checks its signature, and records each copy's outcome: checkedAt always,
 * verifiedAt when it passed, lastCheckFailedAt when it did not (removed when it passes again). A copy whose manifest
 * is valid but belongs to another snapshot (contentHash differs) fails too. `now`: the time recorded (the nightly
 * job's clock).
 */
/**
 * Re-hashes every copy of a snapshot and records each copy's outcome. Copies that are one directory (a destination
 * re-pointed through a link) always fail, both of them; copies on one file system too unless `allowOneDevice` (the
 * config's `backup.allowOneDevice`, which every command passes; left out, as by a caller that checked devices itself,
 * only the one-directory case is judged).
 */
export async function verifySnapshot(store: CanonicalStore, id: string, verifier: ArchiveVerifier, runId: string, opts: { now?: Date; allowOneDevice?: boolean } = {}): Promise<SnapshotVerification> {
  const s = await getSnapshot(store, id);
  const checks: CopyCheck[] = [];
  const now = (opts.now ?? new Date()).toISOString();
  const shared = await sharedStorageProblems(s.copies, { allowOneDevice: opts.allowOneDevice ?? true });
  for (const [i, c] of s.copies.entries()) {
    const location = c.location ?? '';
    // Anything thrown while checking this copy is this copy's problem: the other copies are still checked and recorded.
    const r = location
      ? await verifyBackup(location, verifier).catch((e: Error) => ({ ok: false, problems: [{ file: '(copy)', message: `could not be checked: ${e.message}` }] }))
      : { ok: false, problems: [{ file: '(copy)', message: 'the snapshot record has no location for this copy' }] };
    const problems = [...shared[i], ...r.problems];
    const h = location ? await manifestHash(location) : null;
    if (h && h !== manifestHashOf(s)) problems.push({ file: MANIFEST_FILE, message: `SHA-256 ${h} is not the snapshot's ${manifestHashOf(s)}` });
    checks.push({ medium: c.medium, siteRoom: c.siteRoom, location, ok: problems.length === 0, problems });
  }
  return underCatalogLease(store, s.organizationId, runId, async () => {
    const fresh = await activeSnapshot(store, s.id);
    if (!fresh) return { snapshot: s, checks, prunedMeanwhile: true };
    // Only the check fields of the copies checked change, on the record as it is now.
    const copies = fresh.copies.map((c) => {
      const check = checks.find((k) => sameCopy(c, k));
      return check ? withCheck(c, check.ok, now) : c;
    });
    const updated = snapshotRecord({ ...fieldsOf(fresh), copies }, runId, fresh.id);
    await store.upsert(updated, { runId });
    return { snapshot: updated, checks };
  });
}

export interface PruneResult {
  id: string;
  kind: string;
  retainUntil: string;
  removed: string[];
  /** Of `removed`: copies that were damaged but still carried this snapshot's signature, with what was wrong. */
  removedDamaged: { location: string; why: string }[];
  /** Copies whose directory was gone already or held another snapshot: left alone. */
  skipped: string[];
  /**
   * Copies on a medium that could not be reached (the directory above the copy is missing: a share not mounted, a
   * disk not plugged in). The snapshot stays, naming only these copies, so a later prune removes them.
   */
  unreachable: string[];
  /**
   * Copies whose directory holds something neither provably this snapshot's nor another's (copy-identity.ts): not
   * removed, and the snapshot stays naming them until the operator has looked.
   */
  unproven: { location: string; why: string }[];
}

/** Removes a snapshot's copies and tombstones its record; refused (RetentionError) before retainUntil. */
export async function pruneSnapshot(store: CanonicalStore, id: string, today: string, runId: string): Promise<PruneResult> {
  const s = await getSnapshot(store, id);
  assertPrunable(s, today);
  const result: PruneResult = { id: s.id, kind: s.kind, retainUntil: s.retainUntil, removed: [], removedDamaged: [], skipped: [], unreachable: [], unproven: [] };
  const kept: typeof s.copies = [];
  for (const c of s.copies) {
    if (!c.location) continue;
    // Only a directory proven this snapshot's is removed: a wrong location never costs other data.
    const copy = await identifyCopy(s, c.location);
    if (copy.is === 'this') {
      await removeCopy(c.location);
      result.removed.push(c.location);
      if (copy.damaged) result.removedDamaged.push({ location: c.location, why: copy.damaged });
    } else if (copy.is === 'empty') {
      // An earlier prune of this snapshot stopped just before removing the directory: finish it. rmdir, not removeCopy:
      // it refuses a directory in which anything appeared since it was found empty.
      await rmdir(c.location);
      result.removed.push(c.location);
    } else if (copy.is === 'unreachable') {
      result.unreachable.push(c.location);
      kept.push(c);
    } else if (copy.is === 'unproven') {
      result.unproven.push({ location: c.location, why: copy.why });
      kept.push(c);
    } else result.skipped.push(c.location);
  }
  await underCatalogLease(store, s.organizationId, runId, async () => {
    const fresh = await activeSnapshot(store, s.id);
    if (!fresh) return; // another prune got there first
    if (kept.length) {
      // Forgetting the snapshot now would leave those copies — the school's personal data — on their medium for good,
      // unreachable by every command. The record as it is now, so a check recorded meanwhile stays.
      const copies = fresh.copies.filter((c) => kept.some((k) => sameCopy(c, k)));
      await store.upsert(snapshotRecord({ ...fieldsOf(fresh), copies }, runId, s.id), { runId });
    } else await store.deleteRecord('archive_snapshot', s.id, { reason: 'manual', evidence: `backup prune (retainUntil ${s.retainUntil})`, runId });
  });
  return result;
}

/**
 * Prunes every snapshot whose retainUntil has passed; younger ones are kept and counted. The newest nightly backup
 * of each school with a copy whose latest check passed is always kept, expired or not: if the nightly job stopped for
 * longer than the retention, one prune would otherwise leave the school with no backup at all. A backup whose copies
 * were all found damaged does not count: kept in its place, the good one before it was pruned. With
 * `organizationId`, that school's snapshots only.
 */
export async function pruneExpired(store: CanonicalStore, today: string, runId: string, organizationId?: string): Promise<{ pruned: PruneResult[]; kept: number; keptAsNewest: string[] }> {
  const all = await listSnapshots(store, organizationId); // oldest first
  const newest = new Map<string, string>();
  for (const s of all) if (s.kind === 'nightly_backup' && s.copies.some(copyPasses)) newest.set(s.organizationId, s.id);
  const pruned: PruneResult[] = [];
  const keptAsNewest: string[] = [];
  let kept = 0;
  for (const s of all) {
    if (today <= s.retainUntil) kept++;
    else if (newest.get(s.organizationId) === s.id) {
      kept++;
      keptAsNewest.push(s.id);
    } else pruned.push(await pruneSnapshot(store, s.id, today, runId));
  }
  return { pruned, kept, keptAsNewest };
}
