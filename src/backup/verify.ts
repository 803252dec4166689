// Checks one copy of a backup: the manifest's signature and signer, then every file re-hashed
// (SHA-256 and size) and, for NDJSON, decompressed and its lines counted. Each problem names the file and
// what is wrong, so an operator knows which copy and which file to take from the other medium.
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { hashingTap } from './gzip-ndjson.js';
import { MANIFEST_FILE, ManifestError, parseManifest, SIGNATURE_FILE, type Manifest, type ManifestFile } from './manifest.js';
import type { ArchiveVerifier } from './signer.js';

export interface VerifyProblem {
  /** File relative to the backup directory (`manifest.sig`, `records/mark.ndjson.gz`, …). */
  file: string;
  message: string;
}

export const UNLISTED = 'not listed in the manifest';

/**
 * A file the manifest does not list (a NAS's `@eaDir` index, a desktop's `.DS_Store`): the copy was touched, which
 * verify reports, but the listed files a restore reads are whole, so a restore may go on without it.
 */
export const isUnlistedFile = (p: VerifyProblem): boolean => p.message === UNLISTED;

export interface VerifyResult {
  dir: string;
  ok: boolean;
  manifest: Manifest | null;
  problems: VerifyProblem[];
}

/** A file's bytes, or why they cannot be had: `missing`, or `cannot be read (EACCES …)` — a problem of the copy, named. */
async function readBytes(file: string): Promise<Buffer | string> {
  try {
    return await readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code === 'ENOENT' ? 'missing' : `cannot be read (${err.code ?? err.message})`;
  }
}

/** Relative paths of every entry under dir that is not a directory (files, symbolic links, anything else), and which are links. */
async function listEntries(dir: string): Promise<{ rel: string; link: boolean }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory())
    .map((e) => ({ rel: path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'), link: e.isSymbolicLink() }));
}

/** One read of the file: hash and size of its bytes, and for gzip NDJSON the number of lines inside. */
async function measure(file: string, ndjson: boolean): Promise<{ bytes: number; sha256: string; lines: number | null; error?: string }> {
  const tap = hashingTap();
  let lines = 0;
  const count = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  };
  try {
    if (ndjson) await pipeline(createReadStream(file), tap, createGunzip(), count);
    else await pipeline(createReadStream(file), tap, count);
  } catch (e) {
    // A corrupt gzip stream: still report the hash of what is there (read it again, without gunzip).
    const again = hashingTap();
    await pipeline(createReadStream(file), again, async (s: AsyncIterable<Buffer>) => { for await (const _ of s) { /* drain */ } });
    return { ...again.digest(), lines: null, error: `cannot be decompressed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return { ...tap.digest(), lines: ndjson ? lines : null };
}

async function checkFile(dir: string, f: ManifestFile): Promise<VerifyProblem[]> {
  const abs = path.join(dir, f.path);
  const out: VerifyProblem[] = [];
  const ndjson = f.path.endsWith('.ndjson.gz');
  let m;
  try {
    m = await measure(abs, ndjson);
  } catch (e) {
    return [{ file: f.path, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `cannot be read (${(e as Error).message})` }];
  }
  if (m.sha256 !== f.sha256) out.push({ file: f.path, message: `SHA-256 ${m.sha256} differs from the manifest's ${f.sha256}` });
  if (m.bytes !== f.bytes) out.push({ file: f.path, message: `${m.bytes} bytes, the manifest says ${f.bytes}` });
  if (m.error) out.push({ file: f.path, message: m.error });
  else if (m.lines !== null && m.lines !== f.lines) out.push({ file: f.path, message: `${m.lines} lines, the manifest says ${f.lines}` });
  return out;
}

/**
 * Checks one copy. Whatever is wrong with it — a file missing, unreadable (a bad sector, a directory copied back
 * without read permission) or changed — is a named problem of this copy, never an exception: one bad copy must not stop
 * the check of the others (`backup verify` of every snapshot, the nightly re-verification).
 */
export async function verifyBackup(dir: string, verifier: ArchiveVerifier): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  // lstat, not stat: a copy's directory that is a link (to the other copy, say) holds no bytes of its own, and
  // would verify as good as long as the medium it points to lasts.
  const self = await lstat(dir).catch(() => undefined);
  if (self?.isSymbolicLink()) return { dir, ok: false, manifest: null, problems: [{ file: '.', message: 'the copy\'s directory is a symbolic link: a copy must hold its own bytes on its own medium (R-33)' }] };
  if (!self?.isDirectory()) return { dir, ok: false, manifest: null, problems: [{ file: '.', message: 'the copy\'s directory is missing' }] };
  const bytes = await readBytes(path.join(dir, MANIFEST_FILE));
  if (typeof bytes === 'string') return { dir, ok: false, manifest: null, problems: [{ file: MANIFEST_FILE, message: bytes }] };
  let manifest: Manifest | null = null;
  try {
    manifest = parseManifest(bytes, dir);
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    problems.push({ file: MANIFEST_FILE, message: e.message.slice(dir.length + 2) });
  }

  const sigRead = await readBytes(path.join(dir, SIGNATURE_FILE));
  const sigText = typeof sigRead === 'string' ? null : sigRead;
  const expectedKey = await verifier.certificateHash();
  // The key the manifest names, when the configuration trusts it: the current one or a retired one (KeyRing).
  const named = manifest && manifest.signer.certificateHash !== expectedKey ? await verifier.forKey?.(manifest.signer.certificateHash) : undefined;
  const checkWith = named ?? verifier;
  const checkKey = named ? manifest!.signer.certificateHash : expectedKey;
  // Exactly what export.ts writes — the canonical base64 of the signature and one newline. Node's decoder is lenient
  // (it ignores the unused low bits of the last character and anything after '='), so a byte flipped or appended
  // there would otherwise verify.
  const sigB64 = sigText?.toString('utf8').replace(/\n$/, '');
  if (!sigText) problems.push({ file: SIGNATURE_FILE, message: sigRead as string });
  else if (Buffer.from(sigB64!, 'base64').toString('base64') !== sigB64) {
    problems.push({ file: SIGNATURE_FILE, message: 'not the signature as written (a changed or extra byte): expected base64 and one newline' });
  } else if (manifest && manifest.signer.certificateHash !== checkKey) {
    problems.push({ file: SIGNATURE_FILE, message: `signed with key ${manifest.signer.certificateHash} (${manifest.signer.kind}), not the expected key ${expectedKey} (${verifier.kind}) nor a retired key of backup.retiredVerifyKeyFiles` });
  } else if (!(await checkWith.verify(bytes, Buffer.from(sigB64!, 'base64')))) {
    problems.push({ file: SIGNATURE_FILE, message: `the signature does not match manifest.json under key ${checkKey}` });
  }

  if (manifest) {
    for (const f of manifest.files) problems.push(...(await checkFile(dir, f)));
    const listed = new Set([MANIFEST_FILE, SIGNATURE_FILE, ...manifest.files.map((f) => f.path)]);
    const entries = await listEntries(dir).catch((e: NodeJS.ErrnoException) => {
      problems.push({ file: '.', message: `cannot be listed (${e.code ?? e.message}): files the manifest does not list are not checked` });
      return [];
    });
    for (const { rel, link } of entries) {
      // each copy holds its own bytes. A link into another copy would verify today and be lost with that medium.
      if (link) problems.push({ file: rel, message: 'a symbolic link, not a file: a copy must hold its own bytes (R-33)' });
      else if (!listed.has(rel)) problems.push({ file: rel, message: UNLISTED });
    }
  }
  return { dir, ok: problems.length === 0, manifest, problems };
}
