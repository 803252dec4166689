// Whose data a directory at a snapshot copy's recorded location holds, for prune. Two duties pull apart: a copy
// past its retention is personal data that must go, and a directory holding another snapshot must never be deleted
// for this one. So a copy is removed only when it is proven this snapshot's, left only when it is proven another's,
// and anything in between keeps the snapshot record naming it for the operator to decide.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../model/hash.js';
import { MANIFEST_FILE, SIGNATURE_FILE } from './manifest.js';
import { manifestHashOf, type ArchiveSnapshotRecord } from './snapshot-record.js';

export type CopyIdentity =
  /** manifest.json is the one recorded, or it is damaged but manifest.sig is this snapshot's signature. */
  | { is: 'this'; damaged?: string }
  /** Its manifest names another snapshot (another id, kind, time or school). */
  | { is: 'another' }
  /** Nothing there, on a medium that is there. */
  | { is: 'gone' }
  /** An empty directory: what a prune stopped just before its last step leaves (copy-removal.ts). Holds no data. */
  | { is: 'empty' }
  /** Neither the copy nor the directory above it: a share not mounted, a disk not plugged in. */
  | { is: 'unreachable' }
  /** Something is there that cannot be shown to be either: a damaged copy of this snapshot, most likely. */
  | { is: 'unproven'; why: string };

const read = (file: string) => readFile(file).then((b) => ({ bytes: b }), (e: NodeJS.ErrnoException) => ({ error: e.code ?? 'error' }));
const exists = (p: string) => stat(p).then(() => true, () => false);

export async function identifyCopy(s: ArchiveSnapshotRecord, location: string): Promise<CopyIdentity> {
  const manifest = await read(path.join(location, MANIFEST_FILE));
  if ('bytes' in manifest && sha256Hex(manifest.bytes) === manifestHashOf(s)) return { is: 'this' };
  if (!(await exists(location))) return (await exists(path.dirname(location))) ? { is: 'gone' } : { is: 'unreachable' };
  if ((await readdir(location).catch(() => null))?.length === 0) return { is: 'empty' };
  // The signature covers this snapshot's manifest bytes and no other manifest's: a copy still carrying it was written
  // as this snapshot, whatever has happened to its manifest since.
  const signature = await read(path.join(location, SIGNATURE_FILE));
  const ownSignature = 'bytes' in signature && signature.bytes.toString('utf8').trim() === s.signature;
  const damaged = 'bytes' in manifest ? 'its manifest.json is not the recorded one' : `its manifest.json cannot be read (${manifest.error})`;
  if (ownSignature) return { is: 'this', damaged };
  if (!('bytes' in manifest)) return { is: 'unproven', why: damaged };
  const names = namedSnapshot(manifest.bytes);
  if (!names) return { is: 'unproven', why: 'its manifest.json is not a backup manifest' };
  const differs = names.backupId !== path.basename(location) || names.kind !== s.kind || names.createdAt !== s.createdAt
    || names.organizationId !== s.organizationId || (names.homeroomClassId ?? null) !== (s.homeroomClassId ?? null);
  return differs ? { is: 'another' } : { is: 'unproven', why: 'its manifest names this snapshot but is not the recorded one, and manifest.sig is not its signature' };
}

interface NamedSnapshot { backupId?: unknown; kind?: unknown; createdAt?: unknown; organizationId?: unknown; homeroomClassId?: unknown }

/** The snapshot a manifest says it is, read leniently: a damaged manifest fails its schema but may still say. */
function namedSnapshot(bytes: Buffer): NamedSnapshot | null {
  try {
    const m = JSON.parse(bytes.toString('utf8')) as { backupId?: unknown; kind?: unknown; createdAt?: unknown; source?: { organizationId?: unknown; homeroomClassId?: unknown } } | null;
    if (!m || typeof m !== 'object' || typeof m.source !== 'object' || m.source === null) return null;
    return { backupId: m.backupId, kind: m.kind, createdAt: m.createdAt, organizationId: m.source.organizationId, homeroomClassId: m.source.homeroomClassId };
  } catch {
    return null;
  }
}
