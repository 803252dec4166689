// The signer and verifier the config asks for (backup.signer, signingKeyFile, verifyKeyFile,
// certificateFile). Key files are read here and nowhere else; their contents are never logged.
import { readFile } from 'node:fs/promises';
import { certificateHashOf, OpenSslGostSigner } from '../auth/signer.js';
import type { GatewayConfig } from '../config/schema.js';
import { Ed25519Signer, Ed25519Verifier, GostVerifier, KeyRing, type ArchiveSigner, type ArchiveVerifier } from './signer.js';

type BackupConfig = GatewayConfig['backup'];

export async function signerFromConfig(b: BackupConfig): Promise<ArchiveSigner> {
  if (!b.signingKeyFile) throw new Error('backup.signingKeyFile is not set: backups are signed (R-34); see docs/backup.md for making a key');
  if (b.signer === 'openssl-gost') {
    if (!b.certificateFile) throw new Error('backup.signer openssl-gost needs backup.certificateFile');
    return new OpenSslGostSigner({ keyFile: b.signingKeyFile, certFile: b.certificateFile });
  }
  return Ed25519Signer.fromFile(b.signingKeyFile);
}

export async function verifierFromConfig(b: BackupConfig): Promise<ArchiveVerifier> {
  const current = await currentVerifier(b);
  const retired = await Promise.all((b.retiredVerifyKeyFiles ?? []).map((f) => keyFileVerifier(b, f)));
  return retired.length ? new KeyRing(current, retired) : current;
}

async function currentVerifier(b: BackupConfig): Promise<ArchiveVerifier> {
  if (b.signer === 'openssl-gost') {
    if (!b.certificateFile) throw new Error('backup.signer openssl-gost needs backup.certificateFile');
    return keyFileVerifier(b, b.certificateFile);
  }
  const file = b.verifyKeyFile ?? b.signingKeyFile;
  if (!file) throw new Error('backup.verifyKeyFile (or signingKeyFile) is not set: nothing to check signatures against');
  return keyFileVerifier(b, file);
}

/** A verifier of the configured signer kind from one file: an Ed25519 PEM key, or a GOST certificate. */
async function keyFileVerifier(b: BackupConfig, file: string): Promise<ArchiveVerifier> {
  if (b.signer === 'openssl-gost') {
    const pem = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => { throw new Error(`backup certificate ${file}: ${e.code ?? e.message}`); });
    return new GostVerifier(pem, await certificateHashOf(pem));
  }
  return Ed25519Verifier.fromFile(file);
}
