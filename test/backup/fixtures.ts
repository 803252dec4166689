// A small store for the backup tests, built from the seeded dataset and given what a real store
// accumulates: tombstones, an undelete, crosswalk rows with a key change, cursors and a ledger entry.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ed25519Signer, Ed25519Verifier } from '../../src/backup/signer.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { openStore, ledgerKey, type CanonicalStore } from '../../src/store/index.js';
import type { Backend } from '../store/fixtures.js';

export async function tempDir(prefix = 'jg-backup-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/**
 * Makes each destination's directory, as the operator does once on each mounted medium: the gateway never makes it
 * (a missing one is a medium not mounted). Returns the destinations.
 */
export async function mediaReady<T extends { path: string }>(dests: T[]): Promise<T[]> {
  for (const d of dests) await mkdir(d.path, { recursive: true });
  return dests;
}

/** Two destinations in two rooms (disk A, the NAS) under `dir`, their directories made (mediaReady). `tag` tells runs apart. */
export function twoMedia(dir: string, tag = ''): Promise<{ name: string; medium: string; room: string; path: string }[]> {
  return mediaReady([
    { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(dir, `a${tag}`) },
    { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(dir, `b${tag}`) },
  ]);
}

/**
 * What a restore test starts from: a source and an empty target store on one backend, a temporary directory and a key
 * pair. What to undo goes into `cleanups` (the caller's afterAll runs it newest first).
 */
export async function restoreSetUp(backend: Backend, cleanups: (() => Promise<void>)[]): Promise<{
  source: CanonicalStore; target: CanonicalStore; root: string; keys: ReturnType<typeof keyPair>;
}> {
  const a = await backend.open();
  const b = await backend.open();
  const root = await tempDir();
  cleanups.push(a.cleanup, b.cleanup, () => rm(root, { recursive: true, force: true }));
  return { source: a.store, target: b.store, root, keys: keyPair() };
}

export function keyPair(): { signer: Ed25519Signer; verifier: Ed25519Verifier; privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signer: new Ed25519Signer(privateKey), verifier: new Ed25519Verifier(publicKey),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export async function writeKeyFiles(dir: string, k = keyPair()): Promise<{ privateFile: string; publicFile: string }> {
  const privateFile = path.join(dir, 'backup-key.pem');
  const publicFile = path.join(dir, 'backup-key.pub.pem');
  await writeFile(privateFile, k.privatePem, { mode: 0o600 });
  await writeFile(publicFile, k.publicPem);
  return { privateFile, publicFile };
}

/** Fills `opts.store`, or a new PGlite store (in memory, or in opts.dataDir). */
export async function filledStore(opts: { pupils?: number; weeks?: number; dataDir?: string; store?: CanonicalStore } = {}): Promise<CanonicalStore> {
  const store = opts.store ?? (await openStore({ dataDir: opts.dataDir ?? 'memory://', databaseUrl: null }));
  const school = generateSchool({ seed: 8, pupils: opts.pupils ?? 24, weeks: opts.weeks ?? 1 });
  await store.upsertMany(school.records, { runId: 'load-1' });
  const marks = school.byEntity.get('mark') ?? [];
  await store.deleteMany('mark', marks.slice(0, 3).map((m) => m.id), { reason: 'source_tombstone', evidence: 'tomb-1', runId: 'sync-2' });
  await store.undeleteRecord('mark', marks[0].id, { runId: 'sync-3' });
  const people = (school.byEntity.get('person') ?? []).slice(0, 5);
  await store.link(people.map((p, i) => ({
    entity: 'person', canonicalId: p.id, system: 'dnevnik_ru', instance: 'dn-a', sourceId: `u-${i}`, sourceIdKind: 'user',
  })), { runId: 'sync-1' });
  await store.changeKey({ system: 'dnevnik_ru', instance: 'dn-a', entity: 'person', oldSourceId: 'u-0', newSourceId: 'u-0b', runId: 'sync-4' });
  await store.setCursor({ system: 'dnevnik_ru', instance: 'dn-a', entity: 'mark', kind: 'date_last_modified', value: '2025-09-07T10:00:00Z', lastSuccessAt: '2025-09-07T10:05:00Z' });
  const m = marks[5];
  await store.ledgerBegin({ target: 'eljur-a', entity: 'mark', canonicalId: m.id, canonicalVersion: 1, op: 'create', idempotencyKey: ledgerKey('eljur-a', 'mark', m.id, 1) });
  return store;
}

/** The class journal's `ext` (csv, html) file in a copy's directory: its name carries the class's title (`class-journal-5А.csv`). */
export async function classJournalFile(dir: string, ext: 'csv' | 'html'): Promise<string> {
  const [file, ...more] = (await readdir(dir)).filter((f) => f.startsWith('class-journal') && f.endsWith(`.${ext}`));
  if (!file || more.length) throw new Error(`${dir}: not one class journal .${ext} file`);
  return path.join(dir, file);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
