// What an interrupted backup leaves behind. A backup or archive set is written as `<id>.partial` and renamed when
// whole; a run killed on the way (SIGKILL, a power cut, the machine rebooted for updates) never reaches its clean-up,
// and the next run has another id. The half-written directory holds the school's personal data that no command
// lists, verifies or prunes — so prune and the nightly job remove such leftovers once nobody can still be writing them.
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CanonicalStore } from '../store/index.js';
import type { BackupDestination } from './destinations.js';
import type { ArchiveSnapshotRecord } from './snapshot-record.js';

/**
 * A leftover is removed only when nothing in it changed for this long. A live run writes its files continuously and
 * lasts minutes (docs/backup.md "Figures"); six hours of silence is a run that is gone, even on a slow NAS, while
 * other schools' backups writing at the same moment on other workers are never touched.
 */
export const LEFTOVER_AFTER_MS = 6 * 3_600_000;

/** Only the gateway's own names (destinations.ts newBackupId): a `.partial` an operator made is none of ours. */
const OURS = /^(nightly-backup|class-journal|summary-sheet)-\d{8}T\d{6}Z-[0-9a-f]{8}\.partial$/;

export interface Leftover {
  destination: string;
  path: string;
  /** The newest change inside it (ISO). */
  lastWrite: string;
  /**
   * `removed`: nothing records it. `completed`: a snapshot record names its final location — the run was killed
   * after recording the backup and before renaming this copy — so it was renamed instead.
   */
  action: 'removed' | 'completed';
}

/** The final locations of every copy the store's snapshot records name (resolved paths). */
export async function recordedLocations(store: CanonicalStore): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const r of store.iterate('archive_snapshot', { status: 'active' })) {
    for (const c of (r as ArchiveSnapshotRecord).copies) if (c.location) out.add(path.resolve(c.location));
  }
  return out;
}

/** Newest mtime of a directory and everything below it (a backup is two levels deep: records/<entity>.ndjson.gz). */
async function lastWrite(dir: string): Promise<number> {
  let newest = (await stat(dir)).mtimeMs;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? await lastWrite(p) : (await stat(p)).mtimeMs);
  }
  return newest;
}

/**
 * The `.partial` directories under a destination: nightly backups sit at its top, archive sets in
 * `archive/<year>/`. A finished backup (a directory without the suffix) is not descended into.
 */
async function partialsUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  const list = async (dir: string) => readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
    throw e;
  });
  const scan = async (dir: string) => {
    for (const e of await list(dir)) if (e.isDirectory() && OURS.test(e.name)) found.push(path.join(dir, e.name));
  };
  await scan(root);
  for (const year of await list(path.join(root, 'archive'))) if (year.isDirectory() && /^\d{4}$/.test(year.name)) await scan(path.join(root, 'archive', year.name));
  return found;
}

/**
 * Removes every leftover of an interrupted run on the destinations (see LEFTOVER_AFTER_MS) and says which. A
 * destination that cannot be read (a medium not mounted) is skipped: the next run sweeps it. A leftover whose final
 * location a snapshot record names (`recorded`: recordedLocations) is a recorded copy the run could not rename: it is
 * renamed, not removed.
 */
export async function removeLeftovers(dests: readonly BackupDestination[], opts: { now?: Date; afterMs?: number; recorded?: ReadonlySet<string> } = {}): Promise<Leftover[]> {
  const before = (opts.now ?? new Date()).getTime() - (opts.afterMs ?? LEFTOVER_AFTER_MS);
  const removed: Leftover[] = [];
  for (const d of dests) {
    let partials: string[];
    try {
      partials = await partialsUnder(path.resolve(d.path));
    } catch {
      continue;
    }
    for (const p of partials) {
      // Gone meanwhile (its run finished or cleaned up): nothing to do.
      const last = await lastWrite(p).catch(() => undefined);
      if (last === undefined || last > before) continue;
      const final = p.slice(0, -'.partial'.length);
      if (opts.recorded?.has(final) && !(await stat(final).then(() => true, () => false))) {
        await rename(p, final);
        removed.push({ destination: d.name, path: final, lastWrite: new Date(last).toISOString(), action: 'completed' });
        continue;
      }
      await rm(p, { recursive: true, force: true });
      removed.push({ destination: d.name, path: p, lastWrite: new Date(last).toISOString(), action: 'removed' });
    }
  }
  return removed;
}
