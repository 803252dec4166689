// The embedded store (PGlite) is a database inside one process: two processes opening one data directory each run
// their own PostgreSQL over the same files, and the store is corrupted for good (an audit ran two `sync journal` at
// once: "right sibling's left-link doesn't match … in index canonical_records_entity_id", and every later command on
// that store failed). The school-sync lease cannot help: it is kept in the store each process opened for itself.
// So a process takes the data directory with a lock file first; another process is refused with what to do. A lock
// left by a process that died (same host: pid gone, the lock older than the machine's boot, or its pid this process's
// own) is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import path from 'node:path';
import { ServiceUnavailableError } from '../infra/operator-errors.js';
import { processRunning } from '../infra/process-running.js';

const LOCK_FILE = '.journal-gateway.lock';

interface LockOwner { pid: number; host: string; since: string }

/** This process's locks: data directory → how many opens hold it (one process may open its store more than once). */
const held = new Map<string, number>();

/** Takes the embedded store's data directory for this process; the returned function gives it back (at the last close). */
export async function lockEmbeddedStore(dataDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  if (!held.has(dir)) await take(file, dir, true);
  held.set(dir, (held.get(dir) ?? 0) + 1);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const left = (held.get(dir) ?? 1) - 1;
    if (left > 0) return void held.set(dir, left);
    held.delete(dir);
    await rm(file, { force: true });
  };
}

async function take(file: string, dir: string, retry: boolean): Promise<void> {
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    const fh = await open(file, 'wx');
    await fh.writeFile(JSON.stringify(me));
    await fh.close();
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const owner = await readOwner(file);
  if (retry && owner && owner.host === me.host && stale(owner)) {
    // Left by a process that ended without closing (killed, power cut): nothing runs on these files now.
    await rm(file, { force: true });
    return take(file, dir, false);
  }
  const who = owner ? `process ${owner.pid} on ${owner.host}, since ${owner.since}` : 'another process';
  throw new ServiceUnavailableError(
    `the embedded store ${dir} is in use by ${who}. The embedded store (PGlite) serves one process at a time: ` +
    `wait for that process to end, or give every process one PostgreSQL database (databaseUrl or DATABASE_URL) to run several at once. ` +
    `If no such process runs, remove ${path.join(dir, LOCK_FILE)}.`,
  );
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, since: String(o.since ?? '?') } : undefined;
  } catch {
    return undefined; // being written this very moment, or damaged: treated as held
  }
}

/**
 * A lock of this host no process holds now: its pid is gone; or it names this very process, which does not hold the
 * directory (a container whose gateway always runs as pid 1, restarted after a kill); or it was taken before the
 * machine booted (the pid may since belong to anything).
 */
function stale(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return true; // called only when this process does not hold the directory
  const bootedAt = Date.now() - uptime() * 1000;
  if (Date.parse(owner.since) < bootedAt) return true;
  return !processRunning(owner.pid);
}
